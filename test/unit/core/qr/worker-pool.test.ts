import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../../../main/core/qr/worker-pool';
import { toGrey, toHalfGrey } from '../../../../main/core/qr/qr-job';

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
    expect(() => toHalfGrey(job(3, [1, 2, 3]))).toThrow(/do not make 2×1 pixels/);
  });

  it('makes half-size grey (each pixel the mean of 2×2) straight from the pixels', () => {
    // 4×2 RGBA: a white 2×2 block, then a block of black, white, transparent and black
    const white = [255, 255, 255, 255];
    const black = [0, 0, 0, 255];
    const clear = [0, 0, 0, 0];
    const pixels = Uint8Array.from([
      ...white,
      ...white,
      ...black,
      ...white,
      ...white,
      ...white,
      ...clear,
      ...black,
    ]);
    const half = toHalfGrey({ width: 4, height: 2, channels: 4, alpha: 'flatten', pixels });
    expect(half.width).toBe(2);
    expect(half.height).toBe(1);
    expect([...half.grey]).toEqual([255, 128]);
  });
});
