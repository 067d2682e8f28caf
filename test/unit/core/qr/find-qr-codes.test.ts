import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { findQrCodes, searchWholeImage } from '../../../../main/core/qr/find-qr-codes';
import { decodeQrCodes, decodeQrCodesFromRgba, stopQrWorkers } from '../../../../main/core/qr';
import { LINKS, codePng, screenshot } from '../../../fixtures/qr/make-corpus';

afterAll(() => stopQrWorkers());

async function grey(png: Buffer) {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, grey: new Uint8Array(data) };
}

describe('findQrCodes (in process)', () => {
  it('reports where each code is, in full-resolution pixels', async () => {
    const png = await screenshot(3840, 2160, [
      { text: LINKS.totp, x: 2000, y: 1000, style: { module: 8 } },
    ]);
    const [code, ...rest] = findQrCodes(await grey(png));
    expect(rest).toEqual([]);
    expect(code!.text).toBe(LINKS.totp);
    // the code's modules start 4 modules (32 px) inside its picture at (2000, 1000)
    expect(code!.corners[0]!.x).toBeGreaterThan(2000 + 32 - 12);
    expect(code!.corners[0]!.x).toBeLessThan(2000 + 32 + 12);
    expect(code!.corners[0]!.y).toBeGreaterThan(1000 + 32 - 12);
    expect(code!.corners[0]!.y).toBeLessThan(1000 + 32 + 12);
  });

  it('finds a large and a small code on one 4K picture (downscaled pass, then full resolution)', async () => {
    const png = await screenshot(3840, 2160, [
      { text: LINKS.totp, x: 300, y: 300, style: { module: 10 } },
      { text: LINKS.hotp, x: 2500, y: 1500, style: { module: 2 } },
    ]);
    expect(
      findQrCodes(await grey(png))
        .map((code) => code.text)
        .sort(),
    ).toEqual([LINKS.hotp, LINKS.totp].sort());
  });
});

describe('whole-image fallback with masking', () => {
  it('paints over each code found and looks again, in both polarities', async () => {
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
    const found = searchWholeImage(await grey(png), 1);
    expect(found.map((code) => code.text).sort()).toEqual([LINKS.hotp, LINKS.sha256].sort());
  });

  it('stops on an image without codes', async () => {
    expect(searchWholeImage(await grey(await screenshot(800, 600, [])), 1)).toEqual([]);
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
