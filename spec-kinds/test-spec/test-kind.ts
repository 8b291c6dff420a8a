/**
 * Test specs: `declare function testX(): void` tagged `@jauntTest` in a test file. Its JSDoc states the
 * behaviour to test and names the specs under test with `{@link name}`; Jaunt writes the body (jest
 * `expect` assertions) from those specs' contracts, and the splice registers it as a jest test case.
 */
import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../../core/errors';
import type { FoundSpec } from '../../spec/find-specs';
import { nodeLocation } from '../../spec/node-facts';
import type { SpecKind } from '../spec-kind';
import { testTitle } from './test-title';

export const TEST_TAG = 'jauntTest';

/** What jest (and ts-jest's default testMatch) treats as a test file. */
const TEST_FILE = /(^|[\\/])__tests__[\\/]|\.(test|spec)\.[cm]?[jt]sx?$/;

export function isTestFile(fileName: string): boolean {
  return TEST_FILE.test(fileName);
}

const at = (spec: FoundSpec, node: TS.Node) => nodeLocation(spec.sourceFile, node);

/** `void` or `Promise<void>`, as written: what `test()` accepts as a test function's result. */
function returnsVoid(ts: typeof TS, type: TS.TypeNode | undefined): boolean {
  if (!type) return false;
  if (type.kind === ts.SyntaxKind.VoidKeyword) return true;
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise' &&
    type.typeArguments?.length === 1 && type.typeArguments[0]!.kind === ts.SyntaxKind.VoidKeyword;
}

function checkShape(ts: typeof TS, spec: FoundSpec): JauntDiagnostic[] {
  const out: JauntDiagnostic[] = [];
  const decl = spec.declarations[0] as TS.FunctionDeclaration;
  if (!isTestFile(spec.sourceFile.fileName)) {
    out.push(diagnostic(Codes.TestSpecOutsideTestFile,
      `test spec '${spec.name}' is not in a test file, so jest would never run it and every module importing this file would register it: ` +
      `move it to a file named like \`*.test.ts\` or \`*.spec.ts\` (or under \`__tests__/\`), importing the specs it tests`, at(spec, decl), spec.name));
  }
  const wrong = spec.declarations.length > 1 || decl.parameters.length > 0 || (decl.typeParameters?.length ?? 0) > 0 || !returnsVoid(ts, decl.type);
  if (wrong) {
    out.push(diagnostic(Codes.TestSpecSignature,
      `test spec '${spec.name}' must be \`declare function ${spec.name}(): void;\` (or \`: Promise<void>\` for an async test): ` +
      'a jest test function takes no arguments, has no overloads or type parameters, and returns nothing', at(spec, decl), spec.name));
  }
  return out;
}

function checkDeps(spec: FoundSpec, linked: readonly FoundSpec[]): JauntDiagnostic[] {
  const under = linked.filter((d) => d.kind !== testSpecKind.name);
  if (under.length > 0) return [];
  return [diagnostic(Codes.TestSpecLinksNothing,
    `test spec '${spec.name}' names no spec under test: link each spec it tests with \`{@link name}\` in its JSDoc ` +
    '(a @jaunt spec declared in this file or imported into it); its test is written from their contracts only, so it is not generated until then',
    at(spec, spec.declarations[0]!), spec.name)];
}

export const testSpecKind: SpecKind = {
  name: 'test',
  tag: TEST_TAG,
  checkShape,
  checkDeps,
  dependable: false,
  fromContractsOnly: true,
  afterImplementation: (spec) => `test(${JSON.stringify(testTitle(spec.jsdoc.description, spec.name))}, ${spec.name});`,
};
