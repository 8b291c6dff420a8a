import type * as TS from 'typescript';

/** The spec must be a top-level `function name(...) { ... }`: the splice looks for exactly that. */
export function checkFunctionAnswer(ts: typeof TS, sf: TS.SourceFile, name: string): string[] {
  const fns = sf.statements.filter(ts.isFunctionDeclaration);
  if (fns.some((f) => f.name?.text === name && f.body)) return [];
  const want = `\`function ${name}(...) { ... }\``;
  if (fns.some((f) => f.name?.text === name)) {
    return [`the answer declares ${name}'s signature but gives it no body: write ${want} with its implementation`];
  }
  const asVariable = sf.statements.some((s) => ts.isVariableStatement(s) &&
    s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
  if (asVariable) return [`\`${name}\` is defined as a variable; define it as a function declaration ${want} instead`];
  const others = fns.flatMap((f) => (f.name && f.body ? [f.name.text] : []));
  if (others.length > 0) {
    const found = others.map((n) => `\`function ${n}\``).join(', ');
    return [`the answer must define ${want} at top level, but it defines ${found} instead; the function must be named '${name}'`];
  }
  return [`the answer must define ${want} at top level, and it defines no top-level function`];
}
