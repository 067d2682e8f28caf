/**
 * `npm run bench:qr`: QR search speed on screenshot-like pictures (median of 9 runs after a
 * warm-up). "from pixels" is a screen scan's path (RGBA in, texts out, search in the worker);
 * "from PNG" adds decoding the file with sharp. A naive single jsQR pass over the full picture
 * is printed for comparison. Prints figures; asserts nothing.
 */
import os from 'node:os';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { decodeQrCodes, decodeQrCodesFromRgba, stopQrWorkers } from '../main/core/qr';
import { LINKS, migrationLink, screenshot } from '../test/fixtures/qr/make-corpus';

const RUNS = 9;

async function median(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/** Pixels in, texts out (a display capture's path): the figure the targets are about. */
function line(label: string, ms: number, target?: number): void {
  const verdict =
    target === undefined ? '' : ` (target < ${target} ms${ms < target ? '' : ': MISSED'})`;
  console.log(`qr: ${label}: ${ms.toFixed(0)} ms${verdict}`);
}

// Medians are only as good as the machine is quiet: say how busy it was.
const [load] = os.loadavg();
console.log(`qr: (load average ${load!.toFixed(1)} on ${os.availableParallelism()} cores)`);

const cases = [
  {
    label: '1080p screenshot, 1 code',
    target: 60,
    png: await screenshot(1920, 1080, [
      { text: LINKS.totp, x: 1200, y: 300, style: { module: 5 } },
    ]),
    expected: 1,
  },
  {
    label: '4K screenshot, 1 code',
    target: 150,
    png: await screenshot(
      3840,
      2160,
      [{ text: LINKS.totp, x: 2400, y: 700, style: { module: 8 } }],
      { seed: 11 },
    ),
    expected: 1,
  },
  {
    label: '4K screenshot, 4 codes (one with 5 px modules)',
    target: undefined,
    png: await screenshot(
      3840,
      2160,
      [
        { text: LINKS.totp, x: 300, y: 300, style: { module: 7 } },
        { text: LINKS.sha256, x: 1700, y: 1200, style: { module: 6 } },
        { text: migrationLink(3), x: 2900, y: 400, style: { module: 6 } },
        { text: LINKS.steam, x: 2800, y: 1500, style: { module: 5 } },
      ],
      { seed: 12 },
    ),
    expected: 4,
  },
  {
    label: '4K screenshot, no code',
    target: undefined,
    png: await screenshot(3840, 2160, [], { seed: 21 }),
    expected: 0,
  },
];

for (const { label, target, png, expected } of cases) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const found = await decodeQrCodesFromRgba({ width: info.width, height: info.height, rgba });
  if (found.length !== expected)
    console.log(`qr: ${label}: found ${found.length} codes, expected ${expected}!`);
  const fromPixels = await median(() =>
    decodeQrCodesFromRgba({ width: info.width, height: info.height, rgba }),
  );
  const fromPng = await median(() => decodeQrCodes({ name: 'bench.png', bytes: png }));
  const clamped = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const naive = await median(async () =>
    jsQR(clamped, info.width, info.height, { inversionAttempts: 'dontInvert' }),
  );
  line(label, fromPixels, target);
  console.log(
    `      from a PNG file (with decoding): ${fromPng.toFixed(0)} ms; a naive single jsQR pass: ${naive.toFixed(0)} ms (${(naive / fromPixels).toFixed(1)}× slower)`,
  );
}
await stopQrWorkers();
