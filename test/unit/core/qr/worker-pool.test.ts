import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../../../main/core/qr/worker-pool';
import type { QrJob, QrJobResult } from '../../../../main/core/qr/qr-job';
import { toGrey } from '../../../../main/core/qr/qr-job';
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
      const job: QrJob = {
        id: 7,
        channels: 1,
        alpha: 'ignore',
        width: info.width,
        height: info.height,
        pixels: new Uint8Array(data),
      };
      worker.postMessage(job);
      expect(await reply).toEqual({ id: 7, ok: true, texts: [LINKS.totp], limitReached: false });
    } finally {
      await worker.terminate();
    }
  });
});

describe('pixels to grey (in the worker)', () => {
  const job = (
    channels: 1 | 2 | 3 | 4,
    bytes: number[],
    alpha: 'flatten' | 'ignore' = 'flatten',
  ) => ({
    width: 2,
    height: 1,
    channels,
    alpha,
    pixels: Uint8Array.from(bytes),
  });

  it('weighs red, green and blue as luma and keeps grey as is', () => {
    expect([...toGrey(job(3, [255, 255, 255, 0, 0, 0]))]).toEqual([255, 0]);
    expect([...toGrey(job(3, [255, 0, 0, 0, 255, 0]))]).toEqual([54, 182]);
    expect([...toGrey(job(1, [7, 9]))]).toEqual([7, 9]);
  });

  it('shows transparent pixels of image files as white, but ignores the alpha of a capture', () => {
    expect([...toGrey(job(4, [0, 0, 0, 0, 0, 0, 0, 255]))]).toEqual([255, 0]);
    expect([...toGrey(job(2, [0, 0, 0, 128]))]).toEqual([255, 127]);
    expect([...toGrey(job(4, [0, 0, 0, 0, 200, 200, 200, 0], 'ignore'))]).toEqual([0, 200]);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => toGrey(job(3, [1, 2, 3]))).toThrow(/do not make 2×1 pixels/);
  });
});
