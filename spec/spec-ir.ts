/** The spec IR: everything that defines a spec, and nothing that merely formats it. */

export interface SpecTag {
  /** Tag name without "@", e.g. "throws", "param", "jauntDeps". */
  name: string;
  /** Tag text, whitespace-normalized. */
  text: string;
}

export interface SpecIR {
  /** The function's name. */
  name: string;
  /** Project-relative POSIX path of the spec's file (provenance and diagnostics only: not hashed). */
  file: string;
  /** 1-based line of the first `declare function` statement (diagnostics only: not hashed). */
  line: number;
  exported: boolean;
  /** One normalized signature per overload, printed without comments or modifiers. */
  signatures: string[];
  /** The JSDoc contract, markers stripped and whitespace normalized (description + tags). */
  doc: string;
  /** The description part of the JSDoc only (no tags). */
  description: string;
  tags: SpecTag[];
  /** Printed text of the project type declarations the signatures reference, and of the values their `typeof`s read, transitively, sorted. */
  types: string[];
  /** Ids (`file#name`) of the specs this one depends on, sorted. */
  deps: string[];
  /** A class's members, each with its declaration and JSDoc (absent for a function: its key is unchanged). */
  members?: { name: string; text: string }[];
}

/** A spec's unique id inside a project: `file#name`. */
export function specId(file: string, name: string): string {
  return `${file}#${name}`;
}
