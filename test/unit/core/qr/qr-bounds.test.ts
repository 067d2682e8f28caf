/**
 * The QR reader against pictures made to be slow or strange (the security review's findings):
 * each is answered or refused, the worker pool survives timeouts, cancellations and failures,
 * and many codes are all read up to the limit. Speed itself is measured by `npm run bench:qr`,
 * never asserted here: these tests only use generous bounds and small deadlines.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChronokeyError } from '../../../../shared/errors';
import {
  MAX_CODES_PER_PICTURE,
  decodeQrCodes,
  decodeQrCodesFromRgba,
  readQrCodes,
  stopQrWorkers,
} from '../../../../main/core/qr';
import { decodeImage } from '../../../../main/core/qr/decode-image';
import {
  FINDER_BOUNDS,
  binarise,
  findFinderPatterns,
} from '../../../../main/core/qr/finder-patterns';
import { qrWorkerThreadIds, runQrJob } from '../../../../main/core/qr/worker-pool';
import { searchPicture } from '../../../../main/core/qr/search-picture';
import { createZxingReader } from '../../../../main/core/qr/zxing-reader';
import { zxingWasmBytes } from '../../../../main/core/qr/zxing-wasm-binary';
import {
  LINKS,
  codePng,
  codeSheet,
  crafted,
  jpegHeaderClaiming,
  pngHeaderClaiming,
  sheetLinks,
} from '../../../fixtures/qr/make-corpus';

let code: { name: string; bytes: Uint8Array };
let wall: { name: string; bytes: Uint8Array };

beforeAll(async () => {
  code = { name: 'code.png', bytes: await codePng(LINKS.totp, { module: 4 }) };
  wall = { name: 'wall.png', bytes: await crafted.finderWall(2000) };
});
afterAll(() => stopQrWorkers());

async function refusal(promise: Promise<unknown>): Promise<ChronokeyError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ChronokeyError);
  return error as ChronokeyError;
}

/** The message names the picture exactly once, in quotes, at its start. */
function namesOnce(error: ChronokeyError, name: string): void {
  expect(error.message.startsWith(`"${name}": `)).toBe(true);
  expect(error.message.split(name)).toHaveLength(2);
}

describe('crafted pictures are answered or refused, never searched for minutes', () => {
  it('a checkerboard of 2 px squares fills the finder-pattern grid: the scan stops, bounded', async () => {
    const { data, info } = await sharp(await crafted.checkerboard(1000))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const binary = binarise({ width: info.width, height: info.height, grey: new Uint8Array(data) });
    const search = findFinderPatterns(binary);
    expect(search.bounded).toBe(true);
    expect(search.patterns.length).toBeLessThanOrEqual(FINDER_BOUNDS.patterns);
  });

  it('refuses a 1000×1000 checkerboard as too complex, naming the file once', async () => {
    const bytes = await crafted.checkerboard(1000);
    const error = await refusal(decodeQrCodes({ name: 'checker.png', bytes }));
    expect(error.code).toBe('IMAGE_TOO_COMPLEX');
    expect(error.message).toMatch(/too much detail to search for QR codes in time/);
    expect(error.message).toMatch(/crop it to the QR code and try again/i);
    namesOnce(error, 'checker.png');
  });

  it('answers random noise and a wall of finder patterns: no code, or refused', async () => {
    for (const picture of [{ name: 'noise.png', bytes: await crafted.noise(1500, 1000) }, wall]) {
      const outcome = await readQrCodes(picture).then(
        (read) => read.texts,
        (error: unknown) => (error as ChronokeyError).code,
      );
      expect([[], 'IMAGE_TOO_COMPLEX']).toContainEqual(outcome);
    }
  });

  it('answers strips and tiny pictures without decoding them (no code fits)', async () => {
    // a 1×50,000,000 PNG takes libpng 30 s row by row: only its header may be read
    for (const [width, height] of [
      [1, 50_000_000],
      [50_000_000, 1],
      [20, 2_000_000],
      [1, 1],
    ] as const) {
      const bytes = pngHeaderClaiming(width, height);
      expect(await readQrCodes({ name: 'strip.png', bytes })).toEqual({
        texts: [],
        limitReached: false,
      });
    }
    const rgba = new Uint8Array(1_000_000 * 4);
    expect(await decodeQrCodesFromRgba({ width: 1, height: 1_000_000, rgba })).toEqual([]);
  });
});

describe('damaged images that decode "fine"', () => {
  it.each([
    ['zero.png', () => pngHeaderClaiming(0, 64), 'IMAGE_CORRUPT'],
    // the CLI printed "IMAGE_TOO_LARGE: a.png: a.png: …"
    ['a.png', () => pngHeaderClaiming(10_000, 6_000), 'IMAGE_TOO_LARGE'],
  ] as const)('refuses %s (%s), naming it once', async (name, bytes, code) => {
    const error = await refusal(decodeQrCodes({ name, bytes: bytes() }));
    expect(error.code).toBe(code);
    namesOnce(error, name);
  });

  it('refuses a 265-byte JPEG claiming 7000×7000 as damaged, not as holding no code', async () => {
    const bytes = await jpegHeaderClaiming(7000, 7000);
    expect(bytes.length).toBeLessThan(400);
    // what sharp does with the failOn the reader used before: a grey picture, no error
    const { info } = await sharp(bytes, { failOn: 'truncated' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(7000);
    const error = await refusal(decodeQrCodes({ name: 'short.jpg', bytes }));
    expect(error.code).toBe('IMAGE_CORRUPT');
    namesOnce(error, 'short.jpg');
  });

  it('still reads large, whole, very compressible pictures', async () => {
    const bytes = await sharp({
      create: { width: 4000, height: 3000, channels: 3, background: '#ffffff' },
    })
      .jpeg({ quality: 90 })
      .toBuffer();
    expect(await decodeImage({ name: 'white.jpg', bytes })).toMatchObject({ width: 4000 });
    const png = await sharp({
      create: { width: 4000, height: 3000, channels: 3, background: '#000000' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(await decodeQrCodes({ name: 'black.png', bytes: png })).toEqual([]);
  });
});

describe('the worker pool: deadlines, cancelling, failures', () => {
  it('a search past its deadline is refused, its worker replaced, and the next search runs', async () => {
    await decodeQrCodes(code); // a worker is running and warm
    const [before] = qrWorkerThreadIds();
    const error = await refusal(decodeQrCodes(wall, { deadlineMs: 200 }));
    expect(error.code).toBe('IMAGE_TOO_COMPLEX');
    namesOnce(error, 'wall.png');
    expect(qrWorkerThreadIds()).not.toContain(before);
    expect(await decodeQrCodes(code)).toEqual([LINKS.totp]);
    expect(qrWorkerThreadIds()).not.toContain(before);
  });

  it('cancelling stops a running search and the searches waiting behind it', async () => {
    await decodeQrCodes(code);
    const [before] = qrWorkerThreadIds();
    const controller = new AbortController();
    const searches = [1, 2, 3, 4].map((i) =>
      refusal(decodeQrCodes({ ...wall, name: `wall-${i}.png` }, { signal: controller.signal })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort();
    for (const error of await Promise.all(searches)) {
      expect(error.code).toBe('IMPORT_CANCELLED');
      expect(error.message).toBe('The import was cancelled.');
    }
    expect(qrWorkerThreadIds()).not.toContain(before);
    expect(await decodeQrCodes(code)).toEqual([LINKS.totp]);
  });

  it('a signal aborted before the call is refused at once', async () => {
    const error = await refusal(decodeQrCodes(code, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('IMPORT_CANCELLED');
  });

  it('a worker that fails a job is replaced and later jobs still run', async () => {
    await expect(
      runQrJob({
        width: 100,
        height: 100,
        channels: 3,
        pixels: new Uint8Array(7),
        alpha: 'ignore',
      }),
    ).rejects.toThrow(/do not make 100×100 pixels/);
    expect(await decodeQrCodes(code)).toEqual([LINKS.totp]);
  });

  it('idle workers, fresh or replaced, never keep the process alive', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-qr-'));
    const script = path.join(dir, 'exits.mts');
    const qr = path.resolve('main/core/qr/index.ts');
    const wallFile = path.join(dir, 'wall.png');
    writeFileSync(wallFile, wall.bytes);
    writeFileSync(
      script,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { decodeQrCodes } from ${JSON.stringify(qr)};`,
        `const bytes = readFileSync(${JSON.stringify(wallFile)});`,
        `const refused = await decodeQrCodes({ name: 'w', bytes }, { deadlineMs: 100 }).catch((e) => e.code);`,
        `console.log(refused, (await decodeQrCodes({ name: 'w', bytes }, { signal: AbortSignal.timeout(100) }).catch((e) => e.code)));`,
        // no stopQrWorkers(): the process must end by itself
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: process.cwd(),
      timeout: 60_000,
    });
    expect(stdout.trim()).toBe('IMAGE_TOO_COMPLEX IMPORT_CANCELLED');
  }, 90_000);
});

describe('many codes in one picture', () => {
  it('reads all 400 codes of a sheet (it gave 20 before)', async () => {
    const links = sheetLinks(400);
    const read = await readQrCodes(
      { name: 'sheet.png', bytes: await codeSheet(links) },
      { deadlineMs: 60_000 },
    );
    expect(read.limitReached).toBe(false);
    expect([...read.texts].sort()).toEqual([...links].sort());
  }, 90_000);

  it('keeps at most the limit and says it was reached', async () => {
    const zxing = await createZxingReader(zxingWasmBytes());
    const { data, info } = await sharp(await codeSheet(sheetLinks(30)))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = { width: info.width, height: info.height, channels: 1 as const };
    const found = searchPicture(
      { ...pixels, pixels: new Uint8Array(data), alpha: 'ignore' },
      zxing,
      20,
    );
    expect(found).toMatchObject({ kind: 'read', limitReached: true });
    expect(found.kind === 'read' && found.texts).toHaveLength(20);
    expect(MAX_CODES_PER_PICTURE).toBe(500);
  });
});
