/**
 * Mutants of an implementation, read from its TypeScript syntax tree: one small change per site, each a
 * plausible bug that the spec's examples (and battery) should notice. Sites in types are never touched.
 * - comparison: `<` ↔ `>=`, `>` ↔ `<=`, `===` ↔ `!==`, `==` ↔ `!=`
 * - logical: `&&` ↔ `||`
 * - boolean: `true` ↔ `false`
 * - constant: `0` → `1`, `1` → `0`, `n` → `n + 1`
 * - throw: a `throw` statement removed
 * - return: a returned value replaced with `undefined`
 */
import type * as TS from 'typescript';

export type MutantKind = 'comparison' | 'logical' | 'boolean' | 'constant' | 'throw' | 'return';

export interface Mutant {
  kind: MutantKind;
  /** 1-based line and column of the change in the body. */
  line: number;
  column: number;
  /** What changed, e.g. "`<` → `>=`". */
  change: string;
  /** The whole body with the change made. */
  body: string;
}

/** Generous: a spec's body past this many sites is too big for one spec; the rest are not run. */
export const MAX_MUTANTS_PER_SPEC = 300;

const short = (text: string, max = 40) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
};

export function mutantsOf(ts: typeof TS, body: string): Mutant[] {
  const K = ts.SyntaxKind;
  const FLIP = new Map<TS.SyntaxKind, string>([
    [K.LessThanToken, '>='], [K.GreaterThanEqualsToken, '<'], [K.GreaterThanToken, '<='], [K.LessThanEqualsToken, '>'],
    [K.EqualsEqualsEqualsToken, '!=='], [K.ExclamationEqualsEqualsToken, '==='], [K.EqualsEqualsToken, '!='], [K.ExclamationEqualsToken, '=='],
    [K.AmpersandAmpersandToken, '||'], [K.BarBarToken, '&&'],
  ]);
  const sf = ts.createSourceFile('body.ts', body, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Mutant[] = [];
  const add = (kind: MutantKind, start: number, end: number, replacement: string, change: string) => {
    const at = sf.getLineAndCharacterOfPosition(start);
    out.push({ kind, line: at.line + 1, column: at.character + 1, change, body: `${body.slice(0, start)}${replacement}${body.slice(end)}` });
  };
  const isDeclared = (n: TS.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === K.DeclareKeyword);
  const visit = (node: TS.Node): void => {
    // Types, type-only declarations and imports have nothing that runs.
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)
      || ts.isExportDeclaration(node) || isDeclared(node) || ts.isEnumDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const to = FLIP.get(node.operatorToken.kind);
      if (to !== undefined) {
        const from = node.operatorToken.getText(sf);
        add(from === '&&' || from === '||' ? 'logical' : 'comparison', node.operatorToken.getStart(sf), node.operatorToken.end, to, `\`${from}\` → \`${to}\``);
      }
    } else if (node.kind === K.TrueKeyword || node.kind === K.FalseKeyword) {
      const from = node.kind === K.TrueKeyword ? 'true' : 'false';
      const to = from === 'true' ? 'false' : 'true';
      add('boolean', node.getStart(sf), node.end, to, `\`${from}\` → \`${to}\``);
    } else if (ts.isNumericLiteral(node) && !isName(ts, node)) {
      const text = node.getText(sf);
      const value = Number(node.text);
      const to = value === 0 ? '1' : value === 1 ? '0' : `(${text} + 1)`;
      add('constant', node.getStart(sf), node.end, to, `\`${text}\` → \`${to.replace(/^\((.*)\)$/, '$1')}\``);
    } else if (ts.isThrowStatement(node)) {
      add('throw', node.getStart(sf), node.end, '{}', `removed \`${short(node.getText(sf))}\``);
    } else if (ts.isReturnStatement(node) && node.expression && !isPlainLiteral(ts, node.expression)) {
      const e = node.expression;
      add('return', e.getStart(sf), e.end, 'undefined', `\`return ${short(e.getText(sf), 30)}\` → \`return undefined\``);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.slice(0, MAX_MUTANTS_PER_SPEC);
}

/** A literal that the boolean and constant mutants already change where it is returned, or `undefined` itself. */
function isPlainLiteral(ts: typeof TS, e: TS.Expression): boolean {
  return e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || ts.isNumericLiteral(e)
    || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}

/** A number used as a property name (`{ 0: x }`, `a.0` cannot occur): renaming it is not a behaviour change worth a mutant. */
function isName(ts: typeof TS, n: TS.NumericLiteral): boolean {
  const p = n.parent;
  return (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isEnumMember(p)) && p.name === n;
}
