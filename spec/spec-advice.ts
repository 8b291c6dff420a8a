/**
 * What to tell the author of a spec Jaunt cannot use: each message says what is wrong and exactly what
 * to write instead, in the file's own language (a `.js` file cannot hold a `declare function`).
 */
import type * as TS from 'typescript';
import { suggestedJsDoc, type TagFinding } from './misplaced-tags';

export const isJavaScriptFile = (sf: TS.SourceFile): boolean => /\.[cm]?jsx?$/i.test(sf.fileName);

const lineAt = (sf: TS.SourceFile, pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;

/** `<T>(a: string, b?: number): string`, as written; `(...)` when the node has no parameter list. */
export function signatureText(ts: typeof TS, sf: TS.SourceFile, node: TS.Node): string {
  // `const f = (n: number): number => ...`: the arrow's signature is the one a spec would have.
  const init = ts.isVariableStatement(node) ? node.declarationList.declarations[0]?.initializer : undefined;
  if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return signatureText(ts, sf, init);
  if (!ts.isFunctionLike(node)) return '(...): T';
  const tps = node.typeParameters?.length ? `<${node.typeParameters.map((t) => t.getText(sf)).join(', ')}>` : '';
  return `${tps}(${node.parameters.map((p) => p.getText(sf)).join(', ')}): ${node.type ? node.type.getText(sf) : 'T'}`;
}

/** Where a spec of this name belongs, for a file that cannot hold one. */
export function typeScriptOnly(name: string, sig = '(...): T'): string {
  return `Jaunt specs need TypeScript (a \`declare function\` cannot be written in JavaScript): put \`export declare function ${name}${sig};\` with this JSDoc in a .ts file and import it from here`;
}

/** JAUNT1032: `@jaunt` on a class with an implementation (not `declare`d). */
export function notDeclareClassAdvice(name: string, hasMembers: boolean): string {
  return `class '${name}' has @jaunt but is not a \`declare class\`: write \`declare class ${name} { ... }\` ` +
    `whose members are declarations without bodies (each with its own JSDoc contract)${hasMembers ? ', moving any code you want to keep out of it' : ''}, or drop the tag`;
}

/** JAUNT1001: `@jaunt` on a function that is not a bodiless, named, `declare`d one. */
export function notDeclareAdvice(ts: typeof TS, sf: TS.SourceFile, fn: TS.FunctionDeclaration): string {
  const name = fn.name?.text;
  const sig = signatureText(ts, sf, fn);
  const isDefault = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (isJavaScriptFile(sf)) return `'${name ?? 'default'}' has @jaunt in a JavaScript file. ${typeScriptOnly(name ?? '<name>', sig)}, or remove the tag`;
  const body = fn.body ? 'remove the body and ' : '';
  if (isDefault) {
    const n = name ?? '<name>';
    const what = name ? `default export '${name}'` : 'default-exported function';
    return `the ${what} has @jaunt, but a spec must be a named \`declare function\`: ${body}write \`declare function ${n}${sig};\` under this JSDoc, then \`export default ${n};\``;
  }
  const exp = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ? 'export ' : '';
  if (fn.body) return `'${name}' has @jaunt but already has a body: remove the body and write \`${exp}declare function ${name}${sig};\` to let Jaunt implement it, or drop the tag`;
  return `spec '${name}' must be written \`${exp}declare function ${name}${sig};\` (add \`declare\`)`;
}

/** JAUNT1002: `@jaunt` on a variable, class, type, … */
export function notAFunctionAdvice(sf: TS.SourceFile, kind: string, name: string | undefined): string {
  const n = name ?? '<name>';
  if (isJavaScriptFile(sf)) return `@jaunt is on ${kind}${name ? ` '${name}'` : ''} in a JavaScript file. ${typeScriptOnly(n)}, or remove the tag`;
  return `@jaunt is on ${kind}${name ? ` '${name}'` : ''}; specs are \`declare function\` or \`declare class\` statements: write \`export declare function ${n}(...): T;\` (or \`export declare class ${n} { ... }\`) under this JSDoc, or remove the tag`;
}

/** JAUNT1009: `@jaunt` on a member or a nested declaration. */
export function notTopLevelAdvice(name: string, container: string, sig: string): string {
  return `@jaunt on '${name}' in ${container} is not supported: Jaunt implements top-level functions and classes${container.startsWith('class') ? ' (to have the whole class implemented, make it a `declare class` with @jaunt above it)' : ''}. ` +
    `Write \`export declare function ${name}${sig};\` with this JSDoc at the top level of the file${container.startsWith('namespace') ? '' : ' and call it from there'}`;
}

const WHAT: Record<TagFinding['mistake'], (f: TagFinding) => string> = {
  'line-comment': (f) => `\`${f.written}\` is in a \`//\` comment, which Jaunt does not read`,
  'block-comment': (f) => `\`${f.written}\` is in a \`/* */\` comment; Jaunt reads only JSDoc (\`/** */\`)`,
  separated: (f) => `the JSDoc with \`${f.written}\` is separated from the declaration by another JSDoc comment, and Jaunt reads only the nearest one`,
  'mid-line': (f) => `\`${f.written}\` is inside a line of text, where it is not a tag`,
  misspelt: (f) => `\`${f.written}\` is not a Jaunt tag (${/^@\s/.test(f.written) ? 'no space may follow @' : f.written.toLowerCase() === '@jaunt' ? 'tags are case-sensitive' : 'did you mean `@jaunt`?'})`,
  'deps-without-tag': (f) => `the JSDoc has \`${f.written}\` but no \`@jaunt\` tag`,
};

/** The edit that turns the comment into what Jaunt reads. */
function tagFix(f: TagFinding, name: string): string {
  if (f.mistake === 'separated') return 'merge the two comments into one JSDoc directly above the declaration, with `@jaunt` alone on its last line';
  if (f.inNearestJsDoc && f.mistake === 'deps-without-tag') return 'add the line ` * @jaunt` at the end of its JSDoc';
  if (f.inNearestJsDoc && f.mistake === 'misspelt') return `write \`@jaunt\` instead of \`${f.written}\`, alone on its line`;
  return `write instead:\n${suggestedJsDoc(f.description, name)}`;
}

/**
 * JAUNT1013/1014 for a misplaced or misspelt tag. `bodiless`: the statement is a `declare function`, which
 * emits nothing unless Jaunt implements it; otherwise it keeps its own code and the tag is only suspicious.
 */
export function tagMistakeAdvice(sf: TS.SourceFile, f: TagFinding, name: string, bodiless: boolean, sig: string): string {
  const where = f.betweenAt !== undefined ? ` (the other JSDoc is at line ${lineAt(sf, f.betweenAt)})` : '';
  const what = `${WHAT[f.mistake](f)}${where}`;
  if (bodiless) {
    return `'${name}' is not read as a spec: ${what}. tsc emits nothing for \`declare function ${name}\`, so the module would lack it; ${tagFix(f, name)}`;
  }
  const spec = `\`export declare function ${name}${sig};\` (no body) under a JSDoc whose last line is \` * @jaunt\``;
  const fix = isJavaScriptFile(sf)
    ? `Jaunt specs need TypeScript: to make it a spec, write ${spec} in a .ts file and import it from here`
    : `To make it a spec, write ${spec}`;
  return `'${name}' looks like a spec but is not one: ${what}; Jaunt leaves it as written. ${fix}; otherwise remove the tag`;
}
