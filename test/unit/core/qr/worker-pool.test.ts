import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../../../main/core/qr/worker-pool';
import type { QrJobResult } from '../../../../main/core/qr/qr-job';
import { LINKS, codePng } from '../../../fixtures/qr/make-corpus';

describe('QR worker location', () => {
  it('uses the bundled worker next to a built bundle (dist/main, dist/cli)', () => {
    for (const bundle of ['dist/main/index.mjs', 'dist/cli/chronokey.mjs']) {
      const entry = workerEntry(pathToFileURL(path.resolve(bundle)).href);
      expect(entry.url.pathname.endsWith(bundle.replace(/[^/]+$/, 'qr-worker.mjs'))).toBe(true);
      expect(entry.execArgv).toEqual([]);
    }
  });

  it('falls back to the TypeScript source through tsx when running from sources', () => {
    const entry = workerEntry(pathToFileURL(path.resolve('main/core/qr/worker-pool.ts')).href);
    expect(entry.url.pathname.endsWith('main/core/qr/qr-worker.ts')).toBe(true);
    expect(entry.execArgv).toEqual(['--import', 'tsx']);
  });

  it('says to build when neither exists', () => {
    expect(() => workerEntry(pathToFileURL(path.resolve('nowhere/bundle.mjs')).href)).toThrow(
      /npm run build/,
    );
  });

  it('the built worker (test global setup builds dist/) reads a code from grey pixels', async () => {
    const file = path.resolve('dist/main/qr-worker.mjs');
    expect(existsSync(file)).toBe(true);
    const { data, info } = await sharp(await codePng(LINKS.totp, { module: 4 }))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const worker = new Worker(file);
    try {
      const reply = new Promise<QrJobResult>((resolve) => worker.once('message', resolve));
      worker.postMessage({
        id: 7,
        kind: 'grey',
        width: info.width,
        height: info.height,
        pixels: new Uint8Array(data),
      });
      expect(await reply).toEqual({ id: 7, ok: true, texts: [LINKS.totp] });
    } finally {
      await worker.terminate();
    }
  });
});
