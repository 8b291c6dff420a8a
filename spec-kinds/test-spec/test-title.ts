/** The jest title of a test spec: the first sentence of its description, or its name. */
export function testTitle(description: string, name: string): string {
  const text = description
    .replace(/\{@link(?:code|plain)?\s+([^\s}|]+)(?:\s*\|?\s*([^}]*))?\}/g, (_m, target: string, label: string | undefined) => label?.trim() || target)
    .split('\n')[0]!
    .trim();
  const sentence = /^(.*?[.!?])(?:\s|$)/.exec(text)?.[1] ?? text;
  const title = sentence.replace(/\.$/, '').trim();
  return title === '' ? name : title;
}
