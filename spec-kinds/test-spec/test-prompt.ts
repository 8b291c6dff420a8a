/**
 * The prompt for a test spec: the test spec, and the specs under test as contracts only (signature,
 * JSDoc, the project types they use), exactly as a function spec sees its dependencies. Their
 * implementations are never shown: a test written from them would only restate the code.
 */
import type * as TS from 'typescript';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../../core/analyze-program';
import {
  dependencyAccess, describeCompiler, fence, importDeclarations, relativeSpecifier, specText, type Prompt, type PromptOptions,
} from '../../generate/build-prompt';
import type { TypeSource } from '../../spec/collect-types';
import { testTitle } from './test-title';

function isAsync(spec: AnalyzedSpec): boolean {
  return /Promise\s*<\s*void\s*>\s*;?$/.test(spec.ir.signatures[0] ?? '');
}

function systemPrompt(spec: AnalyzedSpec, packageDeps: readonly string[]): string {
  const name = spec.ir.name;
  const fn = isAsync(spec) ? `async function ${name}(): Promise<void> { ... }` : `function ${name}(): void { ... }`;
  const packages = packageDeps.filter((p) => !p.startsWith('@types/'));
  return [
    'You write one jest test from its test spec: a `declare function` tagged @jauntTest whose JSDoc says what to test and links the specs under test.',
    'Answer with exactly one ```ts code block containing the whole test.',
    'Rules for the code:',
    `- Define \`${fn}\` as a top-level function declaration with a body. Jaunt registers it as ` +
      `\`test(${JSON.stringify(testTitle(spec.ir.description, name))}, ${name})\`: never call test(), it(), describe() or hooks yourself.`,
    '- Assert with jest\'s global `expect` (toBe, toEqual, toStrictEqual, toThrow(ErrorClass), resolves/rejects, toHaveLength, ...). Write several ' +
      'expectations: the cases the test spec names, and the edge cases the contracts promise (empty input, boundaries, duplicates, the errors they say are thrown).',
    '- Write the test from the contracts shown, and only from them: assert what they promise and nothing they leave open (no exact error ' +
      'message, order or formatting unless the contract states it). Each spec under test is implemented separately; you never see its code.',
    `- Call the specs under test as shown. Import only Node built-ins (with the \`node:\` prefix), modules ${spec.ir.file} already imports ` +
      '(with the same specifiers)' + (packages.length ? `, and these packages of the project: ${packages.join(', ')}` : '') + '.',
    '- Helper functions and constants are allowed at top level; nothing may run at the top level.',
    '- No `any` (use `unknown` and narrow it), no `@ts-ignore`, `@ts-expect-error` or `@ts-nocheck`, no `declare`, no console output, ' +
      'no files, network, processes or timers.',
    '- It must type-check with the compiler settings given (jest\'s globals are declared by @types/jest).',
  ].join('\n');
}

/** The project types the specs under test use, each said to be in scope or how to import it as a type. */
function typesSection(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec, deps: readonly AnalyzedSpec[]): string {
  const sources = new Map<string, TypeSource>();
  for (const d of deps) for (const t of d.typeSources) sources.set(t.key, t);
  if (sources.size === 0) return '';
  const sf = spec.found.sourceFile;
  const bound = new Set(importDeclarations(ts, sf).flatMap((s) => {
    const b = s.importClause?.namedBindings;
    return [...(s.importClause?.name ? [s.importClause.name.text] : []), ...(b && ts.isNamedImports(b) ? b.elements.map((e) => e.name.text) : [])];
  }));
  const blocks = [...sources.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((t) => {
    const from = relativePath(analysis.projectDir, t.fileName);
    const where = t.fileName === sf.fileName ? `declared in ${spec.ir.file}: in scope`
      : t.name.split(', ').every((n) => bound.has(n)) ? `from ${from}: imported by ${spec.ir.file}, in scope`
        : `from ${from}: import type { ${t.name} } from '${relativeSpecifier(ts, program.getCompilerOptions(), sf.fileName, t.fileName)}'`;
    return `// ${t.kind === 'value' ? 'value ' : ''}${t.name} (${where})\n${t.raw}`;
  });
  return `Types the specs under test use:\n${fence(blocks.join('\n\n'))}`;
}

export function buildTestPrompt(
  ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec, options: PromptOptions,
): Prompt {
  const sf = spec.found.sourceFile;
  const access = dependencyAccess(ts, program, analysis, spec);
  const under = ['The specs under test: their contracts only. Each is implemented separately; test what the contract promises.'];
  for (const a of access) {
    const how = a.kind === 'same-file' ? `declared in ${spec.ir.file}: call it directly`
      : a.kind === 'imported' ? `imported by ${spec.ir.file}${a.local === a.dep.ir.name ? '' : ` as \`${a.local}\``}: call it directly`
        : `import { ${a.dep.ir.name} } from '${a.specifier}'`;
    under.push(`- ${a.dep.ir.name}: ${how}`, fence(specText(a.dep)));
  }
  const imports = importDeclarations(ts, sf).map((s) => s.getText(sf));
  const sections = [
    `Spec: ${spec.ir.name}`,
    `Write this test from ${spec.ir.file}:\n${fence(specText(spec))}`,
    under.join('\n'),
    typesSection(ts, program, analysis, spec, access.map((a) => a.dep)),
    imports.length ? `Imports of ${spec.ir.file} (in scope):\n${fence(imports.join('\n'))}` : `${spec.ir.file} has no imports.`,
    `Compiler: ${describeCompiler(ts, program, sf)}.`,
  ];
  return { system: systemPrompt(spec, options.packageDeps), user: sections.filter((s) => s !== '').join('\n\n') };
}
