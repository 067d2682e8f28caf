import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChronokeyError } from '../../../../shared/errors';
import { decodeQrCodes, decodeQrCodesFromRgba, stopQrWorkers } from '../../../../main/core/qr';
import type { CorpusImage } from '../../../fixtures/qr/make-corpus';
import {
  LINKS,
  codePng,
  makeCorpus,
  pngHeaderClaiming,
  screenshot,
} from '../../../fixtures/qr/make-corpus';

let corpus: CorpusImage[] = [];

beforeAll(async () => {
  corpus = await makeCorpus();
}, 120_000);

afterAll(() => stopQrWorkers());

describe('decodeQrCodes reads the generated screenshot corpus', () => {
  const names = [
    'desktop-1080p.png',
    'desktop-4k.png',
    'several-codes-1080p.png',
    'several-codes-4k.png',
    'dark-mode-1080p.png',
    'dark-and-light-1080p.png',
    'small-modules-2px-1080p.png',
    'small-modules-3px-4k.png',
    'jpeg-q60-1080p.jpg',
    'blur-0.8-1080p.png',
    'rotated-1080p.png',
    'hidpi-2x.png',
    'hidpi-2x-dark-rotated-jpeg.jpg',
    'scaled-down-half.png',
    'transparent-background.png',
    'plain-code.webp',
    'no-code-1080p.png',
  ];

  it('generates every named picture', () => {
    expect(corpus.map((image) => image.name).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s: finds exactly the codes it holds', async (name) => {
    const image = corpus.find((candidate) => candidate.name === name)!;
    const texts = await decodeQrCodes(image);
    expect([...texts].sort()).toEqual([...image.expected].sort());
  });
});

describe('decodeQrCodesFromRgba (captured displays)', () => {
  it('finds every code on a raw RGBA display picture, each once', async () => {
    const png = await screenshot(2560, 1440, [
      { text: LINKS.totp, x: 200, y: 200, style: { module: 5 } },
      { text: LINKS.hotp, x: 1500, y: 600, style: { module: 3 } },
    ]);
    const { data, info } = await sharp(png)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const texts = await decodeQrCodesFromRgba({
      width: info.width,
      height: info.height,
      rgba: data,
    });
    expect([...texts].sort()).toEqual([LINKS.hotp, LINKS.totp].sort());
  });

  it('returns a code shown twice once', async () => {
    const png = await screenshot(1920, 1080, [
      { text: LINKS.steam, x: 100, y: 100, style: { module: 4 } },
      { text: LINKS.steam, x: 1100, y: 500, style: { module: 4 } },
    ]);
    const { data, info } = await sharp(png)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(
      await decodeQrCodesFromRgba({ width: info.width, height: info.height, rgba: data }),
    ).toEqual([LINKS.steam]);
  });

  it('refuses pixels that do not match the size', async () => {
    await expect(
      decodeQrCodesFromRgba({ width: 10, height: 10, rgba: new Uint8Array(12) }),
    ).rejects.toMatchObject({
      code: 'IMAGE_CORRUPT',
    });
  });
});

describe('bad images', () => {
  async function failure(name: string, bytes: Uint8Array): Promise<ChronokeyError> {
    const error = await decodeQrCodes({ name, bytes }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ChronokeyError);
    return error as ChronokeyError;
  }

  it('refuses an image over 50 megapixels from its header, before decoding pixels', async () => {
    const bytes = pngHeaderClaiming(10_000, 6_000);
    expect(bytes.length).toBeLessThan(20_000); // the pixels are not there: only the header is read
    const error = await failure('huge.png', bytes);
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toMatch(/^"huge\.png": .*10000×6000.*50 megapixels/);
  });

  it('reads an image just under the bound', async () => {
    const png = await sharp(await codePng(LINKS.totp, { module: 4 }))
      .extend({ right: 5000, bottom: 4000, background: '#ffffff' })
      .png({ compressionLevel: 1 })
      .toBuffer();
    expect(await decodeQrCodes({ name: 'big.png', bytes: png })).toEqual([LINKS.totp]);
  });

  it('names a truncated PNG as damaged', async () => {
    const png = corpus.find((image) => image.name === 'desktop-1080p.png')!.bytes;
    const error = await failure('cut.png', png.subarray(0, Math.floor(png.length / 2)));
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toMatch(/^"cut\.png": .*damaged or cut short/);
  });

  it('names a truncated JPEG as damaged', async () => {
    const jpeg = corpus.find((image) => image.name === 'jpeg-q60-1080p.jpg')!.bytes;
    const error = await failure('cut.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toMatch(/^"cut\.jpg": /);
  });

  it('names a PNG whose pixel data is corrupt', async () => {
    const bytes = Buffer.from(pngHeaderClaiming(64, 64));
    // a valid header with an IDAT that is far too short for 64×64 pixels
    expect(bytes.includes(deflateSync(Buffer.alloc(65)))).toBe(true);
    const error = await failure('short.png', bytes);
    expect(error.code).toBe('IMAGE_CORRUPT');
  });

  it('names random bytes as not an image', async () => {
    const error = await failure(
      'notes.png',
      new Uint8Array(Buffer.from('these are not the pixels you are looking for')),
    );
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toMatch(/^"notes\.png": this is not an image/);
  });

  it('never crashes on arbitrary bytes: a ChronokeyError or a list of texts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const outcome = await decodeQrCodes({ name: 'fuzz.bin', bytes }).then(
          (texts) => texts,
          (error: unknown) => error,
        );
        if (outcome instanceof ChronokeyError)
          expect(outcome.message.startsWith('"fuzz.bin": ')).toBe(true);
        else expect(Array.isArray(outcome)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('never crashes on damaged real images (a PNG with random bytes changed)', async () => {
    const png = await codePng(LINKS.hotp, { module: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: png.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (changes) => {
          const bytes = Uint8Array.from(png);
          for (const [at, value] of changes) bytes[at] = value;
          const outcome = await decodeQrCodes({ name: 'fuzz.png', bytes }).then(
            (texts) => texts,
            (error: unknown) => error,
          );
          expect(outcome instanceof ChronokeyError || Array.isArray(outcome)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
