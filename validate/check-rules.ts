import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { checkFunctionAnswer } from '../spec-kinds/function-spec/function-answer';

/** What a candidate is checked against, besides its own text. */
export interface RuleContext {
  specName: string;
  /** Absolute path of the spec's file (a candidate must not import it for values). */
  specFile: string;
  /** Specifiers the candidate may import as written: the spec file's own imports and its dependencies' modules. */
  allowedModules: ReadonlySet<string>;
  /** Package names from package.json; their subpaths are allowed too. */
  packageDeps: readonly string[];
  /** The contract text: console output is allowed only when it asks for it. */
  contract: string;
  /** What the answer must define and how (the spec's shape); a function named `specName` when absent. */
  checkMain?: (answer: TS.SourceFile) => string[];
}

const BUILTINS = new Set(builtinModules);
const ASKS_FOR_OUTPUT = /\b(log|logs|logged|logging|logger|console|print|prints|printed|printing|stdout|stderr|warn|warns|debug)\b/i;
const SUPPRESSION = /@ts-(ignore|expect-error|nocheck)\b/g;
const RELATIVE_TS_EXT = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export function isNodeBuiltin(specifier: string): boolean {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return BUILTINS.has(bare) || BUILTINS.has(specifier);
}

/** `pkg` or `@scope/pkg` of a bare specifier; undefined for relative or absolute paths. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

/** Whether a relative specifier written in the spec's file names that file itself. */
export function namesSpecFile(specifier: string, specFile: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const strip = (p: string) => p.replace(RELATIVE_TS_EXT, '');
  const target = path.resolve(path.dirname(specFile), specifier);
  const self = strip(specFile);
  return strip(target) === self || target === self || strip(path.join(target, 'index')) === self;
}

interface ModuleUse {
  specifier: string;
  node: TS.Node;
  /** Erased at emit: `import type`, type-only specifiers, `import('x')` types. */
  typeOnly: boolean;
}

function moduleUses(ts: typeof TS, sf: TS.SourceFile): ModuleUse[] {
  const out: ModuleUse[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const b = c?.namedBindings;
      const typeOnly = c !== undefined && (c.isTypeOnly ||
        (!c.name && b !== undefined && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly)));
      out.push({ specifier: n.moduleSpecifier.text, node: n, typeOnly });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ specifier: n.moduleSpecifier.text, node: n, typeOnly: n.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) &&
               ts.isStringLiteral(n.moduleReference.expression)) {
      out.push({ specifier: n.moduleReference.expression.text, node: n, typeOnly: n.isTypeOnly });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ specifier: n.argument.literal.text, node: n, typeOnly: true });
    } else if (ts.isCallExpression(n) && isModuleCall(ts, n)) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ specifier: arg.text, node: n, typeOnly: false });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** `require(...)` or dynamic `import(...)`. */
function isModuleCall(ts: typeof TS, n: TS.CallExpression): boolean {
  return n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require');
}

function contains(ts: typeof TS, root: TS.Node, test: (n: TS.Node) => boolean): boolean {
  const visit = (n: TS.Node): boolean => test(n) || (ts.forEachChild(n, visit) ?? false);
  return visit(root);
}

/**
 * Static rules a candidate must follow before it is worth type-checking, each broken rule as a sentence
 * the model can act on. Syntax errors are left to the compiler.
 */
export function checkRules(ts: typeof TS, candidate: string, context: RuleContext): string[] {
  const sf = ts.createSourceFile('candidate.ts', candidate, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (n: TS.Node | number) => sf.getLineAndCharacterOfPosition(typeof n === 'number' ? n : n.getStart(sf)).line + 1;
  const errors: string[] = [];
  const name = context.specName;

  errors.push(...(context.checkMain?.(sf) ?? checkFunctionAnswer(ts, sf, name)));

  for (const stmt of sf.statements) {
    const mods = ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt) ?? [] : [];
    if (mods.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
      errors.push(`line ${lineOf(stmt)}: remove the \`declare\` statement: ambient declarations emit no code, so what they promise would not exist at run time`);
    }
  }

  const anyLines = new Set<number>();
  contains(ts, sf, (n) => (n.kind === ts.SyntaxKind.AnyKeyword && anyLines.add(lineOf(n)), false));
  for (const line of anyLines) errors.push(`line ${line}: \`any\` is not allowed; use \`unknown\` and narrow it, or a precise type`);

  for (const m of candidate.matchAll(SUPPRESSION)) {
    errors.push(`line ${lineOf(m.index)}: remove the \`@ts-${m[1]}\` comment; fix the code so that it type-checks instead`);
  }

  for (const use of moduleUses(ts, sf)) {
    const spec = use.specifier;
    const where = `line ${lineOf(use.node)}`;
    if (namesSpecFile(spec, context.specFile)) {
      // A type-only import of the file is erased; a value import would make the module load itself.
      if (!use.typeOnly) {
        errors.push(`${where}: do not import the spec's own file ('${spec}'): the implementation is placed in that file, so everything it declares is already in scope`);
      }
      continue;
    }
    if (use.typeOnly && spec.startsWith('.')) continue;
    if (isNodeBuiltin(spec) || context.allowedModules.has(spec)) continue;
    const pkg = packageName(spec);
    if (pkg !== undefined && context.packageDeps.includes(pkg)) continue;
    errors.push(`${where}: '${spec}' may not be imported: it is not a Node built-in, a package in package.json, or a module the spec's file imports; implement this without it`);
  }

  const guarded = new Set<number>();
  contains(ts, sf, (n) => {
    if (ts.isTryStatement(n) && contains(ts, n.tryBlock, (c) => ts.isCallExpression(c) && isModuleCall(ts, c))) guarded.add(lineOf(n));
    return false;
  });
  for (const line of guarded) {
    errors.push(`line ${line}: do not wrap \`require\` or \`import()\` in try/catch; import modules statically with \`import\` declarations, no optional fallbacks`);
  }

  if (!ASKS_FOR_OUTPUT.test(context.contract)) {
    const outputLines = new Set<number>();
    contains(ts, sf, (n) => {
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) &&
          (n.expression.text === 'console' || (n.expression.text === 'process' && /^std(out|err)$/.test(n.name.text)))) {
        outputLines.add(lineOf(n));
      }
      return false;
    });
    for (const line of outputLines) errors.push(`line ${line}: remove the console output: the contract does not ask for any logging or printing`);
  }
  return errors;
}
