import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { ZXING_WASM_SHA256 } from 'zxing-wasm/reader';
import { describe, expect, it } from 'vitest';
import type { QrJob, QrJobResult } from '../../../main/core/qr/qr-job';
import { zxingWasmBytes } from '../../../main/core/qr/zxing-wasm-binary';
import { LINKS, codePng } from '../../fixtures/qr/make-corpus';

/**
 * zxing-cpp's WebAssembly must work inside the packaged app, where the worker bundle sits in an
 * asar with no node_modules to read a .wasm from, and offline: scripts/build.mjs embeds the
 * bytes in dist/main/qr-worker.mjs and dist/cli/qr-worker.mjs (test global setup builds them).
 */
describe('the QR worker bundles', () => {
  it.each(['dist/main/qr-worker.mjs', 'dist/cli/qr-worker.mjs'])(
    '%s reads codes alone in an empty folder, with no network',
    async (bundle) => {
      const alone = path.join(mkdtempSync(path.join(os.tmpdir(), 'chronokey-worker-')), 'w.mjs');
      copyFileSync(bundle, alone);
      const { data, info } = await sharp(await codePng(LINKS.hotp, { module: 3 }))
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      // zxing-wasm fetches its .wasm from a CDN unless given the bytes: make any fetch fail
      const noNetwork = `data:text/javascript,globalThis.fetch=()=>{throw new Error('fetched')}`;
      const worker = new Worker(alone, { execArgv: ['--import', noNetwork] });
      try {
        const reply = new Promise<QrJobResult>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        const job: QrJob = {
          id: 1,
          channels: 1,
          alpha: 'ignore',
          width: info.width,
          height: info.height,
          pixels: new Uint8Array(data),
        };
        worker.postMessage(job);
        expect(await reply).toEqual({ id: 1, ok: true, texts: [LINKS.hotp], limitReached: false });
      } finally {
        await worker.terminate();
      }
    },
  );

  it('runs the zxing-cpp build zxing-wasm published (its SHA-256)', () => {
    const digest = createHash('sha256').update(zxingWasmBytes()).digest('hex');
    expect(digest).toBe(ZXING_WASM_SHA256);
  });
});
