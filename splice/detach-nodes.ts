import type * as TS from 'typescript';

type Mutable = { pos: number; end: number; flags: number };

/**
 * Nodes parsed from another text crash tsc's checker and emitter when spliced as they are. Detached
 * nodes have no positions (the emitter prints them from their own text) and are marked synthesized
 * (so the module transform leaves their identifiers alone); their source map points at the spec.
 */
export function detach<T extends TS.Node>(ts: typeof TS, node: T, mapTo: TS.SourceMapRange): T {
  const visit = (n: TS.Node): void => {
    const m = n as unknown as Mutable;
    m.pos = -1;
    m.end = -1;
    m.flags |= ts.NodeFlags.Synthesized;
    ts.setSourceMapRange(n, mapTo);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return node;
}
