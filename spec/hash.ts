import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * xxhash64 (seed 0) as 16 hex digits, from xxhash-wasm's own wasm binary.
 * The package's only entry point is async, and a promise never settles inside a synchronous tsc run,
 * so the transformer instantiates the same binary synchronously. `hashAsync` goes through the package's
 * public API; tests assert both agree.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
// Node has WebAssembly; the ES2022 lib we compile against does not declare it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface XxhashExports {
  mem: WasmMemory;
  xxh64(ptr: number, len: number, seed: bigint): bigint;
}

let exportsCache: XxhashExports | undefined;
const encoder = new TextEncoder();
const U64 = (1n << 64n) - 1n;

function wasmPath(): string {
  // The package's `exports` hide the binary; it sits beside the entry points.
  const main = require.resolve('xxhash-wasm');
  return path.join(path.dirname(main), '..', 'workerd', 'xxhash.wasm');
}

function instance(): XxhashExports {
  if (!exportsCache) {
    const module = new WebAssembly.Module(fs.readFileSync(wasmPath()));
    exportsCache = new WebAssembly.Instance(module).exports as XxhashExports;
  }
  return exportsCache;
}

function toHex(value: bigint): string {
  return (value & U64).toString(16).padStart(16, '0');
}

/** Synchronous xxhash64 of the UTF-8 bytes of `text`. */
export function hashSync(text: string): string {
  const wasm = instance();
  const bytes = encoder.encode(text);
  const needed = bytes.byteLength - wasm.mem.buffer.byteLength;
  if (needed > 0) wasm.mem.grow(Math.ceil(needed / 65536));
  new Uint8Array(wasm.mem.buffer).set(bytes, 0);
  return toHex(wasm.xxh64(0, bytes.byteLength, 0n));
}

type XxhashApi = { h64ToString(input: string, seed?: bigint): string };
let apiPromise: Promise<XxhashApi> | undefined;

/** The same hash through xxhash-wasm's public async API (for callers that can await). */
export async function hashAsync(text: string): Promise<string> {
  if (!apiPromise) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const init = require('xxhash-wasm') as () => Promise<XxhashApi>;
    apiPromise = init();
  }
  return (await apiPromise).h64ToString(text);
}
