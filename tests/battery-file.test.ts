import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseBatteryText, readBattery, renderBattery, writeBattery } from '../behaviour/battery-file';
import { listEntryNames, parseBatteryName, parseEntryName } from '../cache/cache-store';
import { listTempFiles } from '../cache/temp-files';

const META = { spec: 'squish', file: 'src/text.ts', hash: '0123456789abcdef', model: 'claude-test', tool: 'jaunt-ts test', created: '2026-11-28T00:00:00.000Z', inputTokens: 900, outputTokens: 300 };

describe('battery files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-battery-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a battery is never named like an entry, and an entry never like a battery', () => {
    expect(parseEntryName('squish.0123456789abcdef.battery.ts')).toBeUndefined();
    expect(parseBatteryName('squish.0123456789abcdef.battery.ts')).toEqual({ name: 'squish', hash: '0123456789abcdef' });
    expect(parseBatteryName('squish.0123456789abcdef.ts')).toBeUndefined();
    writeBattery(dir, { meta: META, tests: [], dropped: [] });
    fs.writeFileSync(path.join(dir, 'squish.0123456789abcdef.ts'), '// entry');
    expect(listEntryNames(dir).map((e) => path.basename(e.path))).toEqual(['squish.0123456789abcdef.ts']);
  });

  test('written tests read back with their lines; dropped ones keep their reason and code and never run', () => {
    const reply = [
      '// @test tabs count as whitespace',
      String.raw`squish('a\tb') // => 'a b'`,
      '',
      '// @test setup lines run first',
      "const words = 'x  y';",
      'squish(words) // => words.replace(/ +/g, " ")',
      '',
      '// @test says nothing',
      "squish('a')",
      '',
      '// @test does not parse',
      'squish(( // => 1',
    ].join('\n');
    const parsed = parseBatteryText(ts, renderBattery({ meta: META, tests: [], dropped: [] }) + reply);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.tests.map((t) => t.name)).toEqual(['tabs count as whitespace', 'setup lines run first']);
    expect(parsed.dropped.map((d) => [d.name, d.reason])).toEqual([
      ['says nothing', 'asserts nothing (no `// =>` or `// throws` line)'],
      ['does not parse', expect.stringMatching(/^cannot run: `squish\(\(` is not an expression/)],
    ]);

    writeBattery(dir, { meta: META, tests: parsed.tests, dropped: parsed.dropped });
    const read = readBattery(ts, dir, 'squish', META.hash);
    expect(read.status).toBe('found');
    if (read.status !== 'found') return;
    expect(read.battery.meta).toEqual(META);
    expect(read.battery.tests.map((t) => t.name)).toEqual(['tabs count as whitespace', 'setup lines run first']);
    expect(read.battery.dropped.map((d) => [d.name, d.code])).toEqual([['says nothing', ["squish('a')"]], ['does not parse', ['squish(( // => 1']]]);
    // Lines point into the file, where a reviewer finds the test.
    const lines = fs.readFileSync(read.battery.path, 'utf8').split('\n');
    expect(lines[read.battery.tests[0]!.line - 1]).toBe('// @test tabs count as whitespace');
    expect(lines[read.battery.tests[1]!.steps[1]!.line - 1]).toBe('squish(words) // => words.replace(/ +/g, " ")');
  });

  test('a battery whose header names another spec is not used', () => {
    writeBattery(dir, { meta: META, tests: [], dropped: [] });
    fs.renameSync(path.join(dir, 'squish.0123456789abcdef.battery.ts'), path.join(dir, 'other.0123456789abcdef.battery.ts'));
    expect(readBattery(ts, dir, 'other', META.hash)).toEqual({ status: 'unusable', reason: 'header says squish 0123456789abcdef, file name says other 0123456789abcdef' });
    expect(readBattery(ts, dir, 'squish', META.hash)).toEqual({ status: 'missing' });
  });

  test("a battery's leftover temp file is listed for gc like an entry's", () => {
    const tmp = path.join(dir, 'squish.0123456789abcdef.battery.ts.999999999.abc123.tmp');
    fs.writeFileSync(tmp, 'partial');
    expect(listTempFiles(dir).map((t) => [path.basename(t.path), t.leftover])).toEqual([[path.basename(tmp), true]]);
  });
});
