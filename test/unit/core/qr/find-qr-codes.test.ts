import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../../main/core/qr/decode-image';
import { findQrCodes } from '../../../../main/core/qr/find-qr-codes';
import type { QrPixels } from '../../../../main/core/qr/qr-job';
import { searchPicture } from '../../../../main/core/qr/search-picture';
import type { ZxingRead } from '../../../../main/core/qr/zxing-reader';
import { createZxingReader } from '../../../../main/core/qr/zxing-reader';
import { zxingWasmBytes } from '../../../../main/core/qr/zxing-wasm-binary';
import { decodeQrCodes, decodeQrCodesFromRgba, stopQrWorkers } from '../../../../main/core/qr';
import type { CorpusImage } from '../../../fixtures/qr/make-corpus';
import { LINKS, codePng, makeCorpus, screenshot } from '../../../fixtures/qr/make-corpus';

let zxing: ZxingRead;
let corpus: CorpusImage[] = [];
const noZxing: ZxingRead = () => [];

beforeAll(async () => {
  zxing = await createZxingReader(zxingWasmBytes());
  corpus = await makeCorpus();
}, 120_000);
afterAll(() => stopQrWorkers());

async function grey(png: Uint8Array) {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, grey: new Uint8Array(data) };
}

/** A file's pixels as the worker gets them (decode-image.ts, transparent pixels on white). */
async function pixels(bytes: Uint8Array): Promise<QrPixels> {
  const image = await decodeImage({ name: 'test', bytes });
  if (image === 'too-narrow') throw new Error('too narrow');
  return { ...image, alpha: 'flatten' };
}

describe('findQrCodes: the finder-pattern search with jsQR (in process)', () => {
  it('reports where each code is, in pixels', async () => {
    const png = await screenshot(3840, 2160, [
      { text: LINKS.totp, x: 2000, y: 1000, style: { module: 8 } },
    ]);
    const { codes, bounded } = findQrCodes(await grey(png));
    expect(bounded).toBe(false);
    const [code, ...rest] = codes;
    expect(rest).toEqual([]);
    expect(code!.text).toBe(LINKS.totp);
    // the code's modules start 4 modules (32 px) inside its picture at (2000, 1000)
    expect(code!.corners[0]!.x).toBeGreaterThan(2000 + 32 - 12);
    expect(code!.corners[0]!.x).toBeLessThan(2000 + 32 + 12);
    expect(code!.corners[0]!.y).toBeGreaterThan(1000 + 32 - 12);
    expect(code!.corners[0]!.y).toBeLessThan(1000 + 32 + 12);
  });

  it('finds a large and a small code on one 4K picture', async () => {
    const png = await screenshot(3840, 2160, [
      { text: LINKS.totp, x: 300, y: 300, style: { module: 10 } },
      { text: LINKS.hotp, x: 2500, y: 1500, style: { module: 2 } },
    ]);
    const texts = findQrCodes(await grey(png)).codes.map((code) => code.text);
    expect(texts.sort()).toEqual([LINKS.hotp, LINKS.totp].sort());
  });

  it('skips codes another reader found already', async () => {
    const image = await grey(
      await screenshot(1920, 1080, [{ text: LINKS.steam, x: 400, y: 300, style: { module: 4 } }]),
    );
    const [first] = findQrCodes(image).codes;
    expect(findQrCodes(image, { known: [first!] }).codes).toEqual([]);
  });
});

describe('searchPicture: zxing-cpp first, then the finder-pattern search', () => {
  it('the finder-pattern search alone still reads the whole corpus (it is the fallback)', async () => {
    for (const image of corpus) {
      const found = searchPicture(await pixels(image.bytes), noZxing);
      expect({ name: image.name, found }).toEqual({
        name: image.name,
        found: { kind: 'read', texts: expect.arrayContaining(image.expected), limitReached: false },
      });
    }
  }, 120_000);

  it('reads a dark-mode and a light code on one dark picture', async () => {
    const png = await screenshot(
      1920,
      1080,
      [
        {
          text: LINKS.hotp,
          x: 200,
          y: 300,
          style: { module: 5, dark: [232, 234, 237], light: [32, 33, 36] },
        },
        { text: LINKS.sha256, x: 1300, y: 300, style: { module: 5 } },
      ],
      { theme: 'dark', seed: 14 },
    );
    const found = searchPicture(await pixels(png), zxing);
    expect(found).toEqual({ kind: 'read', texts: [LINKS.hotp, LINKS.sha256], limitReached: false });
  });

  it('reads what zxing-cpp misses: codes of 1.5 px per module', async () => {
    const image = corpus.find((candidate) => candidate.name === 'scaled-down-half.png')!;
    expect(zxing(await grey(image.bytes))).toEqual([]);
    expect(searchPicture(await pixels(image.bytes), zxing)).toEqual({
      kind: 'read',
      texts: [LINKS.totp],
      limitReached: false,
    });
  });

  it('reads text outside ASCII as jsQR does (UTF-8 byte mode)', async () => {
    const text = 'otpauth://totp/Bänk:zoë?secret=JBSWY3DPEHPK3PXP&issuer=Bänk';
    const png = await codePng(text, { module: 4 });
    expect(zxing(await grey(png)).map((code) => code.text)).toEqual([text]);
    expect(findQrCodes(await grey(png)).codes.map((code) => code.text)).toEqual([text]);
  });

  it('answers pictures narrower than any QR code without searching', () => {
    const throwing: ZxingRead = () => {
      throw new Error('searched');
    };
    for (const [width, height] of [
      [1, 1000],
      [20, 20],
      [1000, 20],
    ] as const) {
      const job = { width, height, channels: 1 as const, alpha: 'ignore' as const };
      expect(searchPicture({ ...job, pixels: new Uint8Array(width * height) }, throwing)).toEqual({
        kind: 'read',
        texts: [],
        limitReached: false,
      });
    }
  });
});

describe('more formats and the worker pool', () => {
  it('reads GIF and TIFF files too', async () => {
    const png = await codePng(LINKS.steam, { module: 4 });
    for (const bytes of [await sharp(png).gif().toBuffer(), await sharp(png).tiff().toBuffer()]) {
      expect(await decodeQrCodes({ name: 'code', bytes })).toEqual([LINKS.steam]);
    }
  });

  it('answers each of many images searched at once with its own codes', async () => {
    const links = [LINKS.totp, LINKS.hotp, LINKS.sha256, LINKS.steam, LINKS.totp, LINKS.hotp];
    const images = await Promise.all(links.map((text) => codePng(text, { module: 3 })));
    const results = await Promise.all(
      images.map((bytes, i) => decodeQrCodes({ name: `${i}.png`, bytes })),
    );
    expect(results).toEqual(links.map((text) => [text]));
  });

  it('never crashes on arbitrary small pictures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 1, max: 48 }),
        fc.integer(),
        async (width, height, seed) => {
          const rgba = new Uint8Array(width * height * 4);
          let state = seed >>> 0;
          for (let i = 0; i < rgba.length; i++) {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            rgba[i] = state >>> 24 > 127 ? 255 : 0;
          }
          expect(await decodeQrCodesFromRgba({ width, height, rgba })).toEqual(expect.any(Array));
        },
      ),
      { numRuns: 60 },
    );
  });
});
