/**
 * Names close to other names: misspelt tags, unknown dependencies, and the names a spec may not take.
 */

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), so
 * `@juant` is as near to `@jaunt` as `@jant` is. Case-sensitive: callers lower-case when they mean to.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** Within one edit of `target`, ignoring case (cheap exit on length first: most tags are far off). */
export function withinOneEdit(word: string, target: string): boolean {
  if (Math.abs(word.length - target.length) > 1) return false;
  return editDistance(word.toLowerCase(), target.toLowerCase()) <= 1;
}

/** Candidates that `name` plausibly meant, best first: one or two edits (more for long names), or case only. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= limit) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
export function orList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]!}`;
}

// Reserved in strict mode (every module is strict), or only as a binding of a module (`await`).
const RESERVED_WORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await',
]);

/** Why a spec may not take `name`, or undefined when it may. */
export function reservedNameProblem(name: string): string | undefined {
  if (RESERVED_WORDS.has(name)) return `'${name}' is a reserved word in strict-mode code, and every module is strict`;
  if (name === 'eval' || name === 'arguments') return `strict-mode code (every module) cannot declare a function named '${name}'`;
  if (['require', 'exports', 'module', '__filename', '__dirname'].includes(name)) {
    return `'${name}' is a variable of Node's CommonJS module wrapper: a function of that name shadows it in the emitted module`;
  }
  // tsc's emit helpers (`var __awaiter = ...`) are declared at the top of the file they serve.
  if (/^__(awaiter|generator|importDefault|importStar|createBinding|setModuleDefault|exportStar|assign|rest|spread(Array)?|extends|decorate|esDecorate|runInitializers|values|read|await|asyncValues|asyncGenerator|classPrivateField\w*)$/.test(name)) {
    return `'${name}' is the name of a helper that tsc emits into the file`;
  }
  return undefined;
}
