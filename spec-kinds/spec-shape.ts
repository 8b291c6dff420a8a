/**
 * What a spec declares: a function (with its overloads) or a class. The pipeline is the same for both;
 * what differs (how the declaration is keyed, what an answer must define, how it is checked against the
 * declaration, what ships when there is no implementation) lives in the shape's folder and is asked for
 * here. Shapes work on syntax and text only: discovery, validation and the splice all read them.
 */
import type * as TS from 'typescript';
import type { JauntDiagnostic } from '../core/errors';
import type { FoundSpec } from '../spec/find-specs';
import type { Edit } from '../splice/text-edits';

/** One part of a conformance check: a stretch of the check text and what an error there means. */
export interface ConformancePart {
  start: number;
  end: number;
  /** How an error in this part begins: `member \`get\` (declared \`get(key: K): V\`)`. */
  says: string;
}

export interface Conformance {
  /** TypeScript appended to the shipped file: checks the implementation against the declaration. */
  text: string;
  parts: ConformancePart[];
}

/** A member's own contract, for its fingerprint in the key (a class's members). */
export interface MemberText {
  name: string;
  /** The declaration printed without comments, plus its JSDoc normalized. */
  text: string;
}

export interface SpecShape {
  name: 'function' | 'class';
  /** What an answer must define, as the rules and errors say it: `` `function f(...) { ... }` ``. */
  definition(name: string): string;
  /** Problems with a well-tagged declaration of this shape (types, members, modifiers). */
  checkShape(ts: typeof TS, spec: FoundSpec): JauntDiagnostic[];
  /** Nodes whose referenced project types and values the key covers. */
  typeRoots(ts: typeof TS, spec: FoundSpec): TS.Node[];
  /** The declaration as the key sees it: printed without comments, whitespace normalized. */
  signatures(ts: typeof TS, printer: TS.Printer, spec: FoundSpec): string[];
  /** Each member's own contract (classes); fingerprinted apart so `status` can name the member that changed. */
  members?(ts: typeof TS, printer: TS.Printer, spec: FoundSpec): MemberText[];
  /** The statement of an answer or entry that implements the spec. */
  implementationOf(ts: typeof TS, sf: TS.SourceFile, name: string): TS.Statement | undefined;
  /** Whether a statement of an answer is part of the spec's own definition (an overload signature too). */
  isMain(ts: typeof TS, stmt: TS.Statement, name: string): boolean;
  /** Rule errors about how the answer defines the spec, as sentences the model can act on. */
  checkAnswer(ts: typeof TS, answer: TS.SourceFile, spec: FoundSpec): string[];
  /** The check appended to the shipped text; the implementation is in scope under the spec's name. */
  conformance(ts: typeof TS, spec: FoundSpec): Conformance;
  /** TypeScript source of a stand-in that throws `message` when used, with the declared type surface. */
  stubBody(ts: typeof TS, spec: FoundSpec, message: string): string;
  /** The implementation as a new tsc node with the given modifiers (the spec's `export`). */
  rebuild(ts: typeof TS, impl: TS.Statement, modifiers: readonly TS.Modifier[]): TS.Statement;
  /** The system prompt's lines on what to define. */
  promptRules(spec: FoundSpec): string[];
  /** The first line of the system prompt. */
  promptIntro: string;
  /** Edits to an ejected file (`text`) beyond the spec's own JSDoc: a class's member contracts onto its members. */
  ejectEdits?(ts: typeof TS, spec: FoundSpec, text: string): Edit[];
}
