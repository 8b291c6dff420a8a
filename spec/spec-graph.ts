/** Topological order of a dependency graph, with the cycles it contains. */
export interface GraphNode {
  id: string;
  deps: readonly string[];
}

export interface GraphOrder {
  /** Ids with every dependency before them; nodes on or behind a cycle are left out. */
  order: string[];
  /** Each cycle as a path that starts and ends on the same id. */
  cycles: string[][];
  /** Ids left out of `order` because they are on a cycle or depend on one. */
  blocked: Set<string>;
}

export function orderGraph(nodes: readonly GraphNode[]): GraphOrder {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done' | 'blocked'>();
  const order: string[] = [];
  const cycles: string[][] = [];
  const blocked = new Set<string>();
  const stack: string[] = [];

  const visit = (id: string): boolean => {
    const s = state.get(id);
    if (s === 'done') return true;
    if (s === 'blocked') return false;
    if (s === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(id)), id]);
      return false;
    }
    state.set(id, 'visiting');
    stack.push(id);
    let ok = true;
    for (const dep of byId.get(id)?.deps ?? []) {
      if (byId.has(dep) && !visit(dep)) ok = false;
    }
    stack.pop();
    state.set(id, ok ? 'done' : 'blocked');
    if (ok) order.push(id);
    else blocked.add(id);
    return ok;
  };
  for (const n of [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) visit(n.id);
  return { order, cycles, blocked };
}
