import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The bytes of zxing-cpp's WebAssembly reader (zxing-wasm's `reader` build), from the installed
 * package when running from sources (vitest, tsx). scripts/build.mjs replaces this module in the
 * worker bundles with one that embeds the bytes, so the packaged app never looks for a file
 * (none can be found inside an asar) and never fetches one: zxing-wasm would otherwise load it
 * from a CDN.
 */
export function zxingWasmBytes(): Uint8Array {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
}
