import * as ts from 'typescript';
import { analyzeProgram } from '../core/analyze-program';
import { Codes } from '../core/errors';
import { IN_MEMORY_ROOT, inMemoryProgram } from './support/fixture-project';

const spec = (name: string, doc: string) => `/**\n * ${doc}\n * @jaunt\n */\nexport declare function ${name}(s: string): string;\n`;
const analyze = (files: Record<string, string>) => analyzeProgram(ts, inMemoryProgram(files), IN_MEMORY_ROOT);
const depsOf = (a: ReturnType<typeof analyze>, name: string) =>
  a.specs.find((s) => s.ir.name === name)!.ir.deps.map((id) => id.split('#')[1]);

describe('dependencies named in prose', () => {
  test('a spec named in the description of another spec in scope becomes its dependency', () => {
    const a = analyze({ 'src/a.ts': spec('encode', 'Encode s.') + spec('wrap', 'Wrap the result of encode in brackets.') });
    expect(depsOf(a, 'wrap')).toEqual(['encode']);
    expect(depsOf(a, 'encode')).toEqual([]);
  });

  test('two specs that mention each other in prose are not a cycle: the guessed edges are dropped', () => {
    const a = analyze({ 'src/a.ts': spec('encode', 'Encode s; the inverse of decode.') + spec('decode', 'Decode s; the inverse of encode.') });
    expect(a.diagnostics.filter((d) => d.code === Codes.DependencyCycle)).toEqual([]);
    expect(a.specs.every((s) => s.hash !== undefined)).toBe(true);
    // One guessed edge is enough to break the loop; the other stays.
    expect(depsOf(a, 'encode').length + depsOf(a, 'decode').length).toBe(1);
  });

  test('a prose mention that closes a cycle of explicit links is dropped, keeping the explicit edges', () => {
    const a = analyze({
      'src/a.ts': spec('first', 'Uses {@link second}.') + spec('second', 'Then calls third.') + spec('third', 'Sometimes mentions first.'),
    });
    expect(a.diagnostics.filter((d) => d.code === Codes.DependencyCycle)).toEqual([]);
    expect(depsOf(a, 'first')).toEqual(['second']);
  });

  test('explicit links that form a cycle are still an error naming the cycle', () => {
    const a = analyze({ 'src/a.ts': spec('encode', 'See {@link decode}.') + spec('decode', 'See {@link encode}.') });
    const cycle = a.diagnostics.find((d) => d.code === Codes.DependencyCycle);
    expect(cycle?.message).toMatch(/decode -> encode -> decode|encode -> decode -> encode/);
    expect(a.specs.every((s) => s.hash === undefined)).toBe(true);
  });
});
