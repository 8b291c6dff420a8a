/**
 * Spec kinds: what makes a spec other than a plain `@jaunt` function. Each kind lives in its own folder
 * and the pipeline asks it at a few fixed points (discovery, the analysis of its dependencies, the splice,
 * the prompt), so a new kind adds a folder and a line here, not branches across the core.
 *
 * This file is read by discovery: it must not import the generation or validation stages.
 */
import type * as TS from 'typescript';
import type { JauntDiagnostic } from '../core/errors';
import type { FoundSpec } from '../spec/find-specs';
import type { JsDocBlock } from '../spec/read-jsdoc';
import { testSpecKind } from './test-spec/test-kind';

export interface SpecKind {
  /** Stored on FoundSpec.kind; a plain function spec has none. */
  name: string;
  /** The JSDoc tag that declares a spec of this kind, e.g. `jauntTest`. */
  tag: string;
  /** Problems with a found spec's shape beyond a function spec's (its file, its signature). */
  checkShape?(ts: typeof TS, spec: FoundSpec): JauntDiagnostic[];
  /**
   * Problems with its resolved dependencies: `linked` are those named with `{@link}` or `@jauntDeps`.
   * A spec with a problem here is not generated.
   */
  checkDeps?(spec: FoundSpec, linked: readonly FoundSpec[]): JauntDiagnostic[];
  /** Whether other specs may depend on a spec of this kind (a test is not called by code). */
  dependable: boolean;
  /**
   * Written from its dependencies' contracts alone: generation does not wait for their implementations,
   * nor fail with them.
   */
  fromContractsOnly?: boolean;
  /** TypeScript statements the splice puts right after the implementation (a jest test registration). */
  afterImplementation?(spec: FoundSpec): string;
}

const KINDS: readonly SpecKind[] = [testSpecKind];

/** The kind a JSDoc declares by its tag, if it is not a plain function spec. */
export function kindOfDoc(doc: JsDocBlock | undefined): SpecKind | undefined {
  return doc === undefined ? undefined : KINDS.find((k) => doc.tags.some((t) => t.name === k.tag));
}

export function kindOf(spec: Pick<FoundSpec, 'kind'>): SpecKind | undefined {
  return spec.kind === undefined ? undefined : KINDS.find((k) => k.name === spec.kind);
}
