import type * as TS from 'typescript';
import type { SpecTag } from '../spec/spec-ir';

/**
 * What generated code may do beyond computing, granted by its spec's contract with `@jauntAllow a, b`.
 * Code runs in the user's program: reaching outside the process is the contract's decision, never the
 * model's. The grants are JSDoc, so they are part of the spec's hash and of its prompt.
 */
export const CAPABILITIES = {
  fs: 'read and write files (fs, fs/promises)',
  network: 'reach the network (net, http, https, http2, dgram, dns, tls, fetch, WebSocket)',
  subprocess: 'start processes and threads (child_process, cluster, worker_threads)',
  exit: 'end or signal the process (process.exit, process.abort, process.kill)',
  env: 'read or write environment variables (process.env)',
  eval: 'run code built at run time (eval, new Function, vm, non-literal require or import())',
  globals: 'change shared globals (built-in prototypes, __proto__, globalThis properties)',
} as const;
export type Capability = keyof typeof CAPABILITIES;
const NAMES = Object.keys(CAPABILITIES) as Capability[];

const MODULES: Record<string, Capability> = {
  fs: 'fs', 'fs/promises': 'fs',
  net: 'network', http: 'network', https: 'network', http2: 'network', dgram: 'network', dns: 'network', 'dns/promises': 'network', tls: 'network',
  child_process: 'subprocess', cluster: 'subprocess', worker_threads: 'subprocess', inspector: 'subprocess',
  vm: 'eval', repl: 'eval', v8: 'eval', module: 'eval', wasi: 'eval',
};
const GLOBALS: Record<string, Capability> = {
  fetch: 'network', WebSocket: 'network', XMLHttpRequest: 'network', EventSource: 'network',
  eval: 'eval', Function: 'eval',
};
/** `process.<member>`: what each member needs; members not listed are harmless reads (platform, hrtime, …). */
const PROCESS: Record<string, Capability> = {
  exit: 'exit', abort: 'exit', kill: 'exit', reallyExit: 'exit',
  env: 'env', binding: 'eval', _linkedBinding: 'eval', dlopen: 'eval', mainModule: 'eval', chdir: 'fs', setuid: 'subprocess', setgid: 'subprocess',
};
const PROTOTYPED = new Set(['Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Promise', 'Map', 'Set', 'WeakMap',
  'WeakSet', 'RegExp', 'Date', 'Error', 'JSON', 'Math', 'Reflect', 'Iterator']);
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

/** The capabilities a spec's `@jauntAllow` tags grant, and the names among them that mean nothing. */
export function grantsOf(tags: readonly SpecTag[]): { granted: Set<Capability>; unknown: string[] } {
  const granted = new Set<Capability>();
  const unknown: string[] = [];
  for (const t of tags.filter((x) => x.name === 'jauntAllow')) {
    for (const word of t.text.split(/[\s,]+/).filter(Boolean)) {
      if ((NAMES as string[]).includes(word)) granted.add(word as Capability);
      else unknown.push(word);
    }
  }
  return { granted, unknown };
}

/** The prompt's sentence on capabilities. */
export function capabilityRule(granted: ReadonlySet<Capability>): string {
  const denied = NAMES.filter((c) => !granted.has(c));
  const allowed = [...granted].map((c) => `${c} (${CAPABILITIES[c]})`).join('; ');
  return `${allowed ? `The contract grants: ${allowed}. ` : ''}Without a grant the code may not ${denied.map((c) => CAPABILITIES[c]).join('; ')}. The top level may only declare: imports, functions, classes, types, enums and constants; no statement runs there.`;
}

const bare = (s: string) => (s.startsWith('node:') ? s.slice(5) : s);

/**
 * What the code does that its contract did not grant, as sentences with lines, and statements that
 * would run at module load. Applied to model answers and to every cached entry, whoever wrote it.
 */
export function capabilityErrors(ts: typeof TS, code: string, granted: ReadonlySet<Capability>, unknown: readonly string[] = []): string[] {
  const sf = ts.createSourceFile('entry.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const errors: string[] = unknown.map((u) => `@jauntAllow names '${u}', which is no capability; use one of ${NAMES.join(', ')}`);
  const line = (n: TS.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const need = (n: TS.Node, cap: Capability, what: string) => {
    if (!granted.has(cap)) errors.push(`line ${line(n)}: ${what} needs the '${cap}' capability, which the contract does not grant (\`@jauntAllow ${cap}\`); do without it`);
  };
  for (const stmt of sf.statements) {
    const declares = ts.isImportDeclaration(stmt) || ts.isImportEqualsDeclaration(stmt) || ts.isFunctionDeclaration(stmt) ||
      ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt) ||
      ts.isVariableStatement(stmt) || ts.isExportDeclaration(stmt) || ts.isModuleDeclaration(stmt) || ts.isEmptyStatement(stmt);
    if (!declares) errors.push(`line ${line(stmt)}: only declarations may stand at the top level (imports, functions, classes, types, enums, constants): this statement would run when the user's module loads`);
  }
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) {
      const spec = n.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec) && MODULES[bare(spec.text)]) need(n, MODULES[bare(spec.text)]!, `importing '${spec.text}'`);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      const m = bare(n.moduleReference.expression.text);
      if (MODULES[m]) need(n, MODULES[m]!, `importing '${m}'`);
    } else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      if (!arg || !ts.isStringLiteralLike(arg)) need(n, 'eval', 'a `require` or `import()` of a module named at run time');
      else if (MODULES[bare(arg.text)]) need(n, MODULES[bare(arg.text)]!, `loading '${arg.text}'`);
    } else if (ts.isIdentifier(n) && GLOBALS[n.text] && isGlobalReference(ts, n)) {
      need(n, GLOBALS[n.text]!, `\`${n.text}\``);
    } else if (ts.isIdentifier(n) && n.text === 'process' && isGlobalReference(ts, n)) {
      const member = memberName(ts, n);
      if (member === undefined) need(n, 'eval', '`process` used other than as `process.<member>`');
      else if (PROCESS[member]) need(n, PROCESS[member]!, `\`process.${member}\``);
    } else if (ts.isIdentifier(n) && GLOBAL_OBJECTS.has(n.text) && isGlobalReference(ts, n)) {
      const member = memberName(ts, n);
      if (member === undefined) need(n, 'eval', `\`${n.text}\` used other than to read a named global`);
      else if (GLOBALS[member]) need(n, GLOBALS[member]!, `\`${n.text}.${member}\``);
      else if (isWritten(ts, n.parent)) need(n, 'globals', `writing \`${n.text}.${member}\``);
    } else if (ts.isIdentifier(n) && n.text === '__proto__') {
      need(n, 'globals', '`__proto__`');
    } else if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && isBuiltinPrototype(ts, n.expression) && isWritten(ts, n)) {
      need(n, 'globals', 'changing a built-in prototype');
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) &&
      ['Object', 'Reflect'].includes(n.expression.expression.text) && /^(defineProperty|defineProperties|setPrototypeOf|assign|set)$/.test(n.expression.name.text) &&
      n.arguments[0] && (isBuiltinPrototype(ts, n.arguments[0]) || (ts.isIdentifier(n.arguments[0]) && GLOBAL_OBJECTS.has(n.arguments[0].text)))) {
      need(n, 'globals', `\`${n.expression.expression.text}.${n.expression.name.text}\` on a shared global`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...new Set(errors)];
}

/** An identifier that reads a global (not a property name, not a declaration, not shadowed by a local of that name). */
function isGlobalReference(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id) ||
      ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p)) && p.name === id)) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isQualifiedName(p)) return false;
  return !declaredLocally(ts, id);
}

/** A name the code itself binds (a parameter or variable called `process`, say): not the global. */
function declaredLocally(ts: typeof TS, id: TS.Identifier): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found) return;
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name) && n.name.text === id.text) found = true;
    if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name?.text === id.text) found = true;
    ts.forEachChild(n, visit);
  };
  visit(id.getSourceFile());
  return found;
}

/** `x.name` or `x['name']` with a literal: the member's name; undefined for any other use of `x`. */
function memberName(ts: typeof TS, id: TS.Identifier): string | undefined {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === id) return p.name.text;
  if (ts.isElementAccessExpression(p) && p.expression === id && ts.isStringLiteralLike(p.argumentExpression)) return p.argumentExpression.text;
  return undefined;
}

function isBuiltinPrototype(ts: typeof TS, outer: TS.Expression): boolean {
  // `(Object.prototype as Record<string, unknown>).x = 1` writes the prototype all the same.
  let e = outer;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) ||
    (ts.isSatisfiesExpression?.(e) ?? false)) e = (e as TS.ParenthesizedExpression).expression;
  return ts.isPropertyAccessExpression(e) && e.name.text === 'prototype' && ts.isIdentifier(e.expression) && PROTOTYPED.has(e.expression.text);
}

/** Whether an access is assigned to, updated or deleted. */
function isWritten(ts: typeof TS, n: TS.Node): boolean {
  const p = n.parent;
  if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  if (ts.isDeleteExpression(p)) return true;
  // `Array.prototype.x.y = 1` writes through the prototype too.
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) return isWritten(ts, p);
  return false;
}
