#!/usr/bin/env node
// Generates the benchmark project: 300 TypeScript files (~30k lines) of ordinary code with 50 @jaunt specs
// spread over 25 of them, a dependency DAG four levels deep, a hand-written implementation per spec in
// impl/, and a warm cache written from impl/ with authorOffline. Deterministic: the same code every run
// (only the `created` stamps of the cache entries differ), so numbers compare across commits.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_DIR = path.join(__dirname, '.work', 'project');

const FILES = { models: 29, specFiles: 25, utils: 84, services: 160 }; // + commerce.ts and index.ts = 300
const SPECS_PER_FILE = 2;
// Specs per dependency level: level k > 0 depends on at least one spec of level k - 1.
const LEVELS = [20, 15, 10, 5];

/** mulberry32: a tiny seeded PRNG, so the generated code never changes between runs. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w) => String(n).padStart(w, '0');
const NOUNS = ['Account', 'Invoice', 'Shipment', 'Product', 'Ticket', 'Session', 'Report', 'Warehouse', 'Vendor', 'Campaign',
  'Payment', 'Refund', 'Coupon', 'Review', 'Address', 'Carrier', 'Budget', 'Contract', 'Device', 'Employee',
  'Feature', 'Gateway', 'Incident', 'Journal', 'Ledger', 'Message', 'Notice', 'Policy', 'Quota'];
const FIELD_TYPES = ['string', 'number', 'boolean', 'string[]', "'low' | 'medium' | 'high'", 'Record<string, number>', 'number | null'];
const FIELD_NAMES = ['title', 'amount', 'enabled', 'tags', 'priority', 'counters', 'score', 'region', 'weight', 'label',
  'retries', 'archived', 'notes', 'limit', 'rating', 'source', 'category', 'balance'];

function sample(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function relImport(fromFile, toFile) {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.ts$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

// ---------------------------------------------------------------------------------------------------
// Ordinary code

const COMMERCE = `/** Shared commerce types: the specs of src/pricing reference these. */

/** One line of an order: a product, its unit price and how many were ordered. */
export interface LineItem {
  sku: string;
  /** Unit price in the order's currency. */
  price: number;
  /** Whole units, at least 1. */
  quantity: number;
}

/** A customer, as the pricing rules see them. */
export interface Customer {
  id: string;
  name: string;
  /** Loyalty tier: higher tiers get larger discounts. */
  tier: 0 | 1 | 2 | 3;
}

/** An order: who placed it and what it contains. */
export interface Order {
  id: string;
  customer: Customer;
  items: LineItem[];
  /** Placed at, milliseconds since the Unix epoch. */
  placedAt: number;
}

export type Currency = 'EUR' | 'USD' | 'GBP';

export function orderItemCount(order: Order): number {
  let count = 0;
  for (const item of order.items) count += item.quantity;
  return count;
}
`;

function modelFile(i, rand) {
  const noun = `${NOUNS[i % NOUNS.length]}${pad(i, 2)}`;
  const fields = [];
  const used = new Set();
  while (fields.length < 7) {
    const name = sample(rand, FIELD_NAMES);
    if (used.has(name)) continue;
    used.add(name);
    fields.push({ name, type: sample(rand, FIELD_TYPES) });
  }
  const defaults = { string: "''", number: '0', boolean: 'false', 'string[]': '[]', "'low' | 'medium' | 'high'": "'low'",
    'Record<string, number>': '{}', 'number | null': 'null' };
  const lines = [
    `import type { Customer } from './commerce';`,
    '',
    `/** A ${noun.toLowerCase()} record as stored and exchanged by the services. */`,
    `export interface ${noun} {`,
    '  /** Stable identifier, unique per kind. */',
    '  id: string;',
    '  /** Creation time, milliseconds since the Unix epoch. */',
    '  createdAt: number;',
    `  status: ${noun}Status;`,
    `  kind: ${noun}Kind;`,
    '  owner?: Customer;',
    ...fields.map((f) => `  ${f.name}: ${f.type};`),
    '}',
    '',
    `export type ${noun}Status = 'draft' | 'active' | 'suspended' | 'archived';`,
    '',
    `export enum ${noun}Kind {`,
    "  Standard = 'standard',",
    "  Premium = 'premium',",
    "  Internal = 'internal',",
    '}',
    '',
    `/** Criteria for listing ${noun.toLowerCase()} records; every field is optional. */`,
    `export interface ${noun}Filter {`,
    `  status?: ${noun}Status;`,
    `  kind?: ${noun}Kind;`,
    '  createdAfter?: number;',
    '  createdBefore?: number;',
    '  ownerId?: string;',
    '}',
    '',
    `/** Narrows unknown input (parsed JSON, say) to a ${noun}. */`,
    `export function is${noun}(value: unknown): value is ${noun} {`,
    "  if (typeof value !== 'object' || value === null) return false;",
    '  const record = value as Record<string, unknown>;',
    "  return typeof record.id === 'string' && typeof record.createdAt === 'number' && typeof record.status === 'string';",
    '}',
    '',
    `export function create${noun}(id: string, createdAt: number, kind: ${noun}Kind = ${noun}Kind.Standard): ${noun} {`,
    '  return {',
    "    id, createdAt, kind, status: 'draft',",
    ...fields.map((f) => `    ${f.name}: ${defaults[f.type]},`),
    '  };',
    '}',
    '',
    `export function matches${noun}(item: ${noun}, filter: ${noun}Filter): boolean {`,
    '  if (filter.status !== undefined && item.status !== filter.status) return false;',
    '  if (filter.kind !== undefined && item.kind !== filter.kind) return false;',
    '  if (filter.createdAfter !== undefined && item.createdAt <= filter.createdAfter) return false;',
    '  if (filter.createdBefore !== undefined && item.createdAt >= filter.createdBefore) return false;',
    '  if (filter.ownerId !== undefined && item.owner?.id !== filter.ownerId) return false;',
    '  return true;',
    '}',
    '',
    `export function compare${noun}(a: ${noun}, b: ${noun}): number {`,
    '  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;',
    '  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;',
    '}',
    '',
    `/** The transitions an operator may apply to a ${noun.toLowerCase()}. */`,
    `export const ${noun.toUpperCase()}_TRANSITIONS: Readonly<Record<${noun}Status, readonly ${noun}Status[]>> = {`,
    "  draft: ['active', 'archived'],",
    "  active: ['suspended', 'archived'],",
    "  suspended: ['active', 'archived'],",
    '  archived: [],',
    '};',
    '',
    `export function canTransition${noun}(from: ${noun}Status, to: ${noun}Status): boolean {`,
    `  return ${noun.toUpperCase()}_TRANSITIONS[from].includes(to);`,
    '}',
  ];
  return { noun, text: lines.join('\n') + '\n' };
}

/** Utility function templates; each util file picks several, suffixed with the file number. */
const UTIL_TEMPLATES = [
  (s) => [
    `/** Splits \`items\` into consecutive chunks of at most \`size\` elements. */`,
    `export function chunk${s}<T>(items: readonly T[], size: number): T[][] {`,
    "  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');",
    '  const out: T[][] = [];',
    '  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));',
    '  return out;',
    '}',
  ],
  (s) => [
    `/** Groups \`items\` by the key \`keyOf\` returns, keeping their order inside each group. */`,
    `export function groupBy${s}<T, K extends string>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {`,
    '  const groups = new Map<K, T[]>();',
    '  for (const item of items) {',
    '    const key = keyOf(item);',
    '    const group = groups.get(key);',
    '    if (group) group.push(item);',
    '    else groups.set(key, [item]);',
    '  }',
    '  return groups;',
    '}',
  ],
  (s) => [
    `/** Formats a duration in milliseconds as "1h 2m 3s" (zero units left out, "0s" for zero). */`,
    `export function formatDuration${s}(ms: number): string {`,
    '  const total = Math.max(0, Math.round(ms / 1000));',
    '  const parts: string[] = [];',
    '  const hours = Math.floor(total / 3600);',
    '  const minutes = Math.floor((total % 3600) / 60);',
    '  const seconds = total % 60;',
    '  if (hours) parts.push(`${hours}h`);',
    '  if (minutes) parts.push(`${minutes}m`);',
    '  if (seconds || parts.length === 0) parts.push(`${seconds}s`);',
    "  return parts.join(' ');",
    '}',
  ],
  (s) => [
    `/** Parses "a=1&b=2&a=3" into a map from key to all its values. */`,
    `export function parseQuery${s}(query: string): Map<string, string[]> {`,
    '  const out = new Map<string, string[]>();',
    "  for (const pair of query.replace(/^\\?/, '').split('&')) {",
    "    if (pair === '') continue;",
    "    const eq = pair.indexOf('=');",
    '    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));',
    "    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));",
    '    out.set(key, [...(out.get(key) ?? []), value]);',
    '  }',
    '  return out;',
    '}',
  ],
  (s) => [
    `export interface RetryOptions${s} {`,
    '  attempts: number;',
    '  baseDelayMs: number;',
    '  shouldRetry?: (error: unknown) => boolean;',
    '}',
    '',
    `/** Calls \`fn\` until it resolves or the attempts run out, backing off exponentially. */`,
    `export async function retry${s}<T>(fn: () => Promise<T>, options: RetryOptions${s}): Promise<T> {`,
    '  let lastError: unknown;',
    '  for (let attempt = 0; attempt < options.attempts; attempt++) {',
    '    try {',
    '      return await fn();',
    '    } catch (error) {',
    '      lastError = error;',
    '      if (options.shouldRetry && !options.shouldRetry(error)) break;',
    '      await new Promise((resolve) => setTimeout(resolve, options.baseDelayMs * 2 ** attempt));',
    '    }',
    '  }',
    '  throw lastError;',
    '}',
  ],
  (s) => [
    `/** A fixed-capacity cache that evicts the least recently used entry. */`,
    `export class LruCache${s}<K, V> {`,
    '  private readonly entries = new Map<K, V>();',
    '',
    '  constructor(private readonly capacity: number) {',
    "    if (capacity < 1) throw new RangeError('capacity must be at least 1');",
    '  }',
    '',
    '  get(key: K): V | undefined {',
    '    const value = this.entries.get(key);',
    '    if (value !== undefined) {',
    '      this.entries.delete(key);',
    '      this.entries.set(key, value);',
    '    }',
    '    return value;',
    '  }',
    '',
    '  set(key: K, value: V): void {',
    '    this.entries.delete(key);',
    '    this.entries.set(key, value);',
    '    if (this.entries.size > this.capacity) {',
    '      const oldest = this.entries.keys().next();',
    '      if (!oldest.done) this.entries.delete(oldest.value);',
    '    }',
    '  }',
    '',
    '  get size(): number {',
    '    return this.entries.size;',
    '  }',
    '}',
  ],
  (s) => [
    `/** Sums \`valueOf\` over \`items\` with Kahan compensation, so long lists of cents stay exact. */`,
    `export function sumBy${s}<T>(items: Iterable<T>, valueOf: (item: T) => number): number {`,
    '  let sum = 0;',
    '  let compensation = 0;',
    '  for (const item of items) {',
    '    const y = valueOf(item) - compensation;',
    '    const t = sum + y;',
    '    compensation = (t - sum) - y;',
    '    sum = t;',
    '  }',
    '  return sum;',
    '}',
  ],
  (s) => [
    `export type Result${s}<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };`,
    '',
    `/** Runs \`fn\`, turning a thrown error into a failed result. */`,
    `export function attempt${s}<T>(fn: () => T): Result${s}<T> {`,
    '  try {',
    '    return { ok: true, value: fn() };',
    '  } catch (error) {',
    '    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };',
    '  }',
    '}',
  ],
  (s) => [
    `/** Returns a function that runs \`fn\` once \`waitMs\` has passed without another call. */`,
    `export function debounce${s}<A extends unknown[]>(fn: (...args: A) => void, waitMs: number): (...args: A) => void {`,
    '  let timer: ReturnType<typeof setTimeout> | undefined;',
    '  return (...args: A) => {',
    '    if (timer !== undefined) clearTimeout(timer);',
    '    timer = setTimeout(() => {',
    '      timer = undefined;',
    '      fn(...args);',
    '    }, waitMs);',
    '  };',
    '}',
  ],
  (s) => [
    `/** Deep-freezes a plain object tree, for configuration that must not change at run time. */`,
    `export function deepFreeze${s}<T>(value: T): Readonly<T> {`,
    "  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {",
    '    Object.freeze(value);',
    '    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze' + s + '(child);',
    '  }',
    '  return value;',
    '}',
  ],
  (s) => [
    `export const LIMITS_${s} = {`,
    '  pageSize: 50,',
    '  maxPageSize: 500,',
    '  timeoutMs: 30_000,',
    "  regions: ['eu-west', 'us-east', 'ap-south'],",
    '} as const;',
    '',
    `export type Region${s} = (typeof LIMITS_${s}.regions)[number];`,
    '',
    `export function clampPageSize${s}(requested: number | undefined): number {`,
    `  if (requested === undefined || !Number.isFinite(requested)) return LIMITS_${s}.pageSize;`,
    `  return Math.min(LIMITS_${s}.maxPageSize, Math.max(1, Math.floor(requested)));`,
    '}',
  ],
  (s) => [
    `/** Escapes the five HTML special characters. */`,
    `export function escapeHtml${s}(text: string): string {`,
    '  return text.replace(/[&<>"\']/g, (c) => {',
    '    switch (c) {',
    "      case '&': return '&amp;';",
    "      case '<': return '&lt;';",
    "      case '>': return '&gt;';",
    "      case '\"': return '&quot;';",
    "      default: return '&#39;';",
    '    }',
    '  });',
    '}',
  ],
];

function utilFile(i, rand) {
  const s = pad(i, 3);
  const picks = [];
  while (picks.length < 8) {
    const t = Math.floor(rand() * UTIL_TEMPLATES.length);
    if (!picks.includes(t)) picks.push(t);
  }
  const blocks = picks.sort((a, b) => a - b).map((t) => UTIL_TEMPLATES[t](s).join('\n'));
  return `// Utilities, part ${i}.\n\n${blocks.join('\n\n')}\n`;
}

function serviceFile(i, rand, models, utils) {
  const model = models[Math.floor(rand() * models.length)];
  const util = utils[Math.floor(rand() * utils.length)];
  const N = model.noun;
  const s = pad(i, 3);
  const svc = `${N}Service${s}`;
  const lines = [
    `import { ${N}Kind, compare${N}, matches${N}, canTransition${N}, type ${N}, type ${N}Filter, type ${N}Status } from '${relImport(`src/services/s${s}.ts`, model.file)}';`,
    `import type { Customer } from '../models/commerce';`,
    ...(util.exports.length ? [`import { ${util.exports[0]} } from '${relImport(`src/services/s${s}.ts`, util.file)}';`, ''] : ['']),
    `/** What ${svc} reports about its records. */`,
    `export interface ${svc}Stats {`,
    '  total: number;',
    `  byStatus: Partial<Record<${N}Status, number>>;`,
    '  newest: number | undefined;',
    '  oldest: number | undefined;',
    '}',
    '',
    `export class ${svc}Error extends Error {`,
    '  constructor(message: string, readonly id: string) {',
    '    super(message);',
    `    this.name = '${svc}Error';`,
    '  }',
    '}',
    '',
    `/** In-memory store of ${N} records with the checks the API layer relies on. */`,
    `export class ${svc} {`,
    `  private readonly items = new Map<string, ${N}>();`,
    `  private readonly listeners: Array<(item: ${N}) => void> = [];`,
    '  private revision = 0;',
    '',
    `  constructor(readonly name: string, private readonly capacity = ${100 + Math.floor(rand() * 900)}) {}`,
    '',
    `  add(item: ${N}): void {`,
    `    if (this.items.has(item.id)) throw new ${svc}Error(\`duplicate id \${item.id}\`, item.id);`,
    `    if (this.items.size >= this.capacity) throw new ${svc}Error('store is full', item.id);`,
    '    this.items.set(item.id, item);',
    '    this.revision++;',
    '    for (const listener of this.listeners) listener(item);',
    '  }',
    '',
    `  get(id: string): ${N} | undefined {`,
    '    return this.items.get(id);',
    '  }',
    '',
    `  require(id: string): ${N} {`,
    '    const item = this.items.get(id);',
    `    if (!item) throw new ${svc}Error(\`no record \${id}\`, id);`,
    '    return item;',
    '  }',
    '',
    `  list(filter: ${N}Filter = {}): ${N}[] {`,
    `    return [...this.items.values()].filter((item) => matches${N}(item, filter)).sort(compare${N});`,
    '  }',
    '',
    `  transition(id: string, to: ${N}Status): ${N} {`,
    '    const item = this.require(id);',
    `    if (!canTransition${N}(item.status, to)) {`,
    `      throw new ${svc}Error(\`cannot move \${id} from \${item.status} to \${to}\`, id);`,
    '    }',
    `    const next: ${N} = { ...item, status: to };`,
    '    this.items.set(id, next);',
    '    this.revision++;',
    '    return next;',
    '  }',
    '',
    `  assign(id: string, owner: Customer): ${N} {`,
    `    const next: ${N} = { ...this.require(id), owner };`,
    '    this.items.set(id, next);',
    '    this.revision++;',
    '    return next;',
    '  }',
    '',
    '  remove(id: string): boolean {',
    '    const removed = this.items.delete(id);',
    '    if (removed) this.revision++;',
    '    return removed;',
    '  }',
    '',
    `  onAdd(listener: (item: ${N}) => void): () => void {`,
    '    this.listeners.push(listener);',
    '    return () => {',
    '      const at = this.listeners.indexOf(listener);',
    '      if (at >= 0) this.listeners.splice(at, 1);',
    '    };',
    '  }',
    '',
    `  stats(): ${svc}Stats {`,
    `    const stats: ${svc}Stats = { total: 0, byStatus: {}, newest: undefined, oldest: undefined };`,
    '    for (const item of this.items.values()) {',
    '      stats.total++;',
    '      stats.byStatus[item.status] = (stats.byStatus[item.status] ?? 0) + 1;',
    '      if (stats.newest === undefined || item.createdAt > stats.newest) stats.newest = item.createdAt;',
    '      if (stats.oldest === undefined || item.createdAt < stats.oldest) stats.oldest = item.createdAt;',
    '    }',
    '    return stats;',
    '  }',
    '',
    '  get version(): number {',
    '    return this.revision;',
    '  }',
    '}',
    '',
    `/** Loads records from an async source into \`service\`, skipping internal ones; returns how many were added. */`,
    `export async function import${svc}(service: ${svc}, source: AsyncIterable<${N}>): Promise<number> {`,
    '  let added = 0;',
    '  for await (const item of source) {',
    `    if (item.kind === ${N}Kind.Internal) continue;`,
    '    service.add(item);',
    '    added++;',
    '  }',
    '  return added;',
    '}',
    '',
    `export function describe${svc}(service: ${svc}): string {`,
    '  const stats = service.stats();',
    '  const parts = Object.entries(stats.byStatus).map(([status, count]) => `${status}: ${count}`);',
    "  return `${service.name} (v${service.version}): ${stats.total} records${parts.length ? `, ${parts.join(', ')}` : ''}`;",
    '}',
  ];
  // Use the imported util so the import is real code, not an unused line.
  if (util.exports.length) {
    lines.push('', `export const ${svc.toUpperCase()}_HELPER = ${util.exports[0]};`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// Specs

/**
 * Spec shapes. `num` specs are `(x: number) => number`, the only ones others depend on; `item` and
 * `order` specs reference the commerce interfaces (so their hashes cover those types); `text` specs are
 * leaves. Each returns the contract and a trivially correct body, given the names of its dependencies.
 */
const SHAPES = {
  num: {
    signature: (name) => `${name}(x: number): number`,
    leaf: (rand) => {
      const a = 2 + Math.floor(rand() * 7);
      const b = Math.floor(rand() * 50);
      return { doc: [`Returns \`x\` multiplied by ${a}, plus ${b}.`, 'Works for any finite number, including negatives and zero.'],
        body: `  return x * ${a} + ${b};` };
    },
    composite: (rand, deps) => {
      const m = 1 + Math.floor(rand() * 4);
      if (deps.length === 1) {
        return { doc: [`Returns {@link ${deps[0]}} of \`x\`, multiplied by ${m}.`], body: `  return ${deps[0]}(x) * ${m};` };
      }
      return { doc: [`Returns {@link ${deps[0]}} of \`x\` plus ${m} times {@link ${deps[1]}} of \`x\`.`],
        body: `  return ${deps[0]}(x) + ${m} * ${deps[1]}(x);` };
    },
  },
  item: {
    signature: (name) => `${name}(item: LineItem): number`,
    types: ['LineItem'],
    leaf: (rand) => {
      const fee = Math.floor(rand() * 20);
      return { doc: ['Returns the total of one order line: `item.price` times `item.quantity`, plus a fixed fee of ' + fee + '.'],
        body: `  return item.price * item.quantity + ${fee};` };
    },
    composite: (rand, deps) => ({
      doc: [`Applies {@link ${deps[0]}} to the unit price of \`item\`, then multiplies the result by \`item.quantity\`.`],
      body: `  return ${deps[0]}(item.price) * item.quantity;`,
    }),
  },
  order: {
    signature: (name) => `${name}(order: Order): number`,
    types: ['Order'],
    leaf: (rand) => {
      const per = 1 + Math.floor(rand() * 9);
      return { doc: [`Returns the handling cost of \`order\`: ${per} per line of \`order.items\`, plus 5 per customer tier level.`],
        body: `  return order.items.length * ${per} + order.customer.tier * 5;` };
    },
    composite: (rand, deps) => ({
      doc: [`Sums {@link ${deps[0]}} of each line's price times quantity over \`order.items\`; 0 for an empty order.`],
      body: `  let total = 0;\n  for (const item of order.items) total += ${deps[0]}(item.price * item.quantity);\n  return total;`,
    }),
  },
  text: {
    signature: (name) => `${name}(text: string): string`,
    leaf: (rand) => {
      const prefix = ['sku', 'ord', 'cus', 'inv'][Math.floor(rand() * 4)];
      return { doc: [`Returns \`text\` trimmed and lower-cased, prefixed with "${prefix}-".`, 'An empty or blank `text` gives just the prefix.'],
        body: `  return '${prefix}-' + text.trim().toLowerCase();` };
    },
  },
};

function planSpecs(rand) {
  const specs = [];
  LEVELS.forEach((count, level) => {
    for (let k = 0; k < count; k++) {
      // Most specs are numeric so every level has enough of them to depend on.
      const r = k / count;
      const shape = r < 0.6 ? 'num' : r < 0.8 ? 'item' : r < 0.95 || level > 0 ? 'order' : 'text';
      specs.push({ level, shape, name: `${shape === 'num' ? 'rate' : shape === 'item' ? 'linePrice' : shape === 'order' ? 'orderCost' : 'code'}L${level}N${pad(specs.length, 2)}` });
    }
  });
  for (const spec of specs) {
    if (spec.level === 0) {
      spec.deps = [];
      continue;
    }
    const below = specs.filter((s) => s.shape === 'num' && s.level === spec.level - 1);
    const lower = specs.filter((s) => s.shape === 'num' && s.level < spec.level);
    const first = below[Math.floor(rand() * below.length)];
    spec.deps = [first];
    if (spec.shape === 'num' && rand() < 0.6) {
      const second = lower[Math.floor(rand() * lower.length)];
      if (second !== first) spec.deps.push(second);
    }
  }
  specs.forEach((spec, i) => {
    spec.file = `src/pricing/rules${pad(Math.floor(i / SPECS_PER_FILE), 2)}.ts`;
  });
  return specs;
}

function specDoc(spec, contract) {
  const lines = ['/**', ...contract.doc.map((l) => ` * ${l}`)];
  // Half of the dependent specs also name their dependencies in a tag, the rest only by {@link}.
  if (spec.deps.length && spec.name.charCodeAt(spec.name.length - 1) % 2 === 0) {
    lines.push(` * @jauntDeps ${spec.deps.map((d) => d.name).join(', ')}`);
  }
  lines.push(' * @jaunt', ' */');
  return lines.join('\n');
}

function specFile(file, specs, rand, i) {
  const mine = specs.filter((s) => s.file === file);
  const types = [...new Set(mine.flatMap((s) => SHAPES[s.shape].types ?? []))];
  const imports = new Map(); // file -> names
  for (const s of mine) for (const d of s.deps) if (d.file !== file) imports.set(d.file, [...(imports.get(d.file) ?? []), d.name]);
  const lines = [];
  if (types.length) lines.push(`import type { ${types.join(', ')} } from '../models/commerce';`);
  for (const [from, names] of imports) lines.push(`import { ${[...new Set(names)].sort().join(', ')} } from '${relImport(file, from)}';`);
  lines.push('', `// Pricing rules, part ${i}: the functions without a body are @jaunt specs.`, '');
  const s = pad(i, 2);
  lines.push(
    `export interface RuleContext${s} {`,
    '  currency: string;',
    '  roundTo: number;',
    '  now: number;',
    '}',
    '',
    `export class RuleSet${s} {`,
    '  private readonly rules: Array<{ name: string; apply: (x: number) => number }> = [];',
    '',
    `  constructor(private readonly context: RuleContext${s}) {}`,
    '',
    '  add(name: string, apply: (x: number) => number): this {',
    '    this.rules.push({ name, apply });',
    '    return this;',
    '  }',
    '',
    '  run(input: number): number {',
    '    let value = input;',
    '    for (const rule of this.rules) value = rule.apply(value);',
    '    const factor = 10 ** this.context.roundTo;',
    '    return Math.round(value * factor) / factor;',
    '  }',
    '',
    '  names(): string[] {',
    '    return this.rules.map((r) => r.name);',
    '  }',
    '}',
    '',
  );
  for (const spec of mine) {
    const shape = SHAPES[spec.shape];
    spec.contract = spec.level === 0 ? shape.leaf(rand) : shape.composite(rand, spec.deps.map((d) => d.name));
    lines.push(specDoc(spec, spec.contract), `export declare function ${shape.signature(spec.name)};`, '');
  }
  lines.push(
    `export function defaultContext${s}(): RuleContext${s} {`,
    `  return { currency: 'EUR', roundTo: 2, now: Date.now() };`,
    '}',
  );
  return lines.join('\n') + '\n';
}

function implFile(spec) {
  const lines = [];
  for (const d of spec.deps) if (d.file !== spec.file) lines.push(`import { ${d.name} } from '${relImport(spec.file, d.file)}';`);
  if (lines.length) lines.push('');
  lines.push(`export function ${SHAPES[spec.shape].signature(spec.name)} {`, spec.contract.body, '}');
  return lines.join('\n') + '\n';
}

function depth(spec) {
  return 1 + Math.max(0, ...spec.deps.map(depth));
}

function tsconfig(withPlugin) {
  return {
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', lib: ['ES2022'], types: ['node'],
      strict: true, skipLibCheck: true, declaration: true, sourceMap: true, rootDir: 'src',
      // Separate outputs, so each build can be checked; otherwise the two configs are identical.
      outDir: withPlugin ? 'out-plugin' : 'out-plain',
      // mode "never": a cache miss is an error, never a model call, so the build measured is warm.
      ...(withPlugin ? { plugins: [{ transform: 'jaunt-ts/transformer', mode: 'never' }] } : {}),
    },
    include: ['src'],
  };
}

/** Writes the project and its warm cache into `dir` (replacing it). Returns a summary. */
function generate(dir = DEFAULT_DIR) {
  const rand = prng(0x1a2b3c);
  fs.rmSync(dir, { recursive: true, force: true });
  const files = new Map();
  files.set('src/models/commerce.ts', COMMERCE);
  const models = [];
  for (let i = 1; i <= FILES.models; i++) {
    const m = modelFile(i, rand);
    const file = `src/models/m${pad(i, 2)}.ts`;
    files.set(file, m.text);
    models.push({ file, noun: m.noun });
  }
  const utils = [];
  for (let i = 1; i <= FILES.utils; i++) {
    const file = `src/util/u${pad(i, 3)}.ts`;
    const text = utilFile(i, rand);
    files.set(file, text);
    const exports = [...text.matchAll(/^export (?:async )?function (\w+)/gm)].map((m) => m[1]).filter((n) => !/^(retry|debounce)/.test(n));
    utils.push({ file, exports });
  }
  for (let i = 1; i <= FILES.services; i++) files.set(`src/services/s${pad(i, 3)}.ts`, serviceFile(i, rand, models, utils));
  const specs = planSpecs(rand);
  for (let i = 0; i < FILES.specFiles; i++) {
    const file = `src/pricing/rules${pad(i, 2)}.ts`;
    files.set(file, specFile(file, specs, rand, i));
  }
  // Entry point: calls a few specs of the deepest level, so the output is something one could run.
  const top = specs.filter((s) => s.level === LEVELS.length - 1 && s.shape === 'num');
  files.set('src/index.ts', [
    ...top.map((s) => `import { ${s.name} } from '${relImport('src/index.ts', s.file)}';`),
    '',
    `export const results = [${top.map((s) => `${s.name}(1)`).join(', ')}];`,
    '',
  ].join('\n'));
  for (const spec of specs) files.set(`impl/${spec.name}.ts`, implFile(spec));
  files.set('tsconfig.json', JSON.stringify(tsconfig(true), null, 2) + '\n');
  files.set('tsconfig.plain.json', JSON.stringify(tsconfig(false), null, 2) + '\n');

  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }

  const ts = require('typescript');
  const { authorOffline } = require(path.join(ROOT, 'dist', 'core', 'author-offline'));
  const cached = authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
  if (cached.missing.length || cached.written.length !== specs.length) {
    throw new Error(`authorOffline cached ${cached.written.length} of ${specs.length} specs; missing: ${cached.missing.join(', ')}`);
  }
  const sources = [...files].filter(([rel]) => rel.startsWith('src/'));
  return {
    dir,
    files: sources.length,
    lines: sources.reduce((n, [, text]) => n + text.split('\n').length - 1, 0),
    specs: specs.length,
    specFiles: new Set(specs.map((s) => s.file)).size,
    depth: Math.max(...specs.map(depth)),
    edges: specs.reduce((n, s) => n + s.deps.length, 0),
    crossFileEdges: specs.reduce((n, s) => n + s.deps.filter((d) => d.file !== s.file).length, 0),
  };
}

module.exports = { generate, DEFAULT_DIR };

if (require.main === module) {
  const s = generate(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_DIR);
  console.log(`${path.relative(process.cwd(), s.dir) || '.'}: ${s.files} files, ${s.lines} lines, ${s.specs} specs in ${s.specFiles} files, ` +
    `${s.edges} dependency edges (${s.crossFileEdges} across files), DAG depth ${s.depth}; all cached`);
}
