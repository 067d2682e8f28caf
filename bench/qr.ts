/**
 * `npm run bench:qr`: Chronokey's QR reader against zxing-cpp's WebAssembly build (zxing-wasm's
 * readBarcodes with tryHarder, reading the file itself, as its README shows), on the same
 * pictures, in the same process. Both run in a worker thread and are timed from the call to the
 * answer; their runs alternate, so a busy machine slows both alike. Medians.
 *
 * 1. The generated corpus (test/fixtures/qr/make-corpus.ts) and 1080p/4K screenshots: which
 *    pictures each reads, and the time. The target: Chronokey's total at or under zxing-wasm's.
 * 2. Crafted pictures (checkerboards, noise, a wall of finder patterns, strips, sheets of codes):
 *    the outcome and time. The target: every picture up to 50 megapixels answered or refused
 *    within 5 s. zxing-wasm alone is stopped after 10 s.
 *
 * Prints figures; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { isChronokeyError } from '../shared/errors';
import type { CorpusImage } from '../test/fixtures/qr/make-corpus';

type Reference = { id: number; texts: string[] } | { id: number; error: string };

if (isMainThread) await main();
else await referenceWorker();

/** zxing-wasm as its users call it, in this file's own worker thread. */
async function referenceWorker(): Promise<void> {
  const { prepareZXingModule, readBarcodes } = await import('zxing-wasm/reader');
  const wasm = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer }, fireImmediately: true });
  parentPort!.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
    try {
      const results = await readBarcodes(bytes, { tryHarder: true, formats: ['QRCode'] });
      const texts = results.filter((result) => result.isValid).map((result) => result.text);
      parentPort!.postMessage({ id, texts: [...new Set(texts)] });
    } catch (error) {
      parentPort!.postMessage({ id, error: String(error) });
    }
  });
}

async function main(): Promise<void> {
  const { readQrCodes, stopQrWorkers } = await import('../main/core/qr');
  const fixtures = await import('../test/fixtures/qr/make-corpus');
  const { LINKS, crafted, codeSheet, makeCorpus, screenshot, sheetLinks } = fixtures;

  // Medians are only as good as the machine is quiet: say how busy it was.
  const [load] = os.loadavg();
  console.log(`qr: (load average ${load!.toFixed(1)} on ${os.availableParallelism()} cores)`);

  let reference = startReference();
  let nextId = 1;
  /** zxing-wasm's answer, or null when stopped at `stopAfter` ms (its worker is replaced). */
  const readReference = (bytes: Uint8Array, stopAfter = 10_000) =>
    new Promise<Reference | null>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        void reference.terminate();
        reference = startReference();
        resolve(null);
      }, stopAfter);
      const listen = (answer: Reference) => {
        if (answer.id !== id) return;
        clearTimeout(timer);
        reference.off('message', listen);
        resolve(answer);
      };
      reference.on('message', listen);
      reference.postMessage({ id, bytes });
    });

  /** Chronokey's outcome: the texts read, or the error code it refused with. */
  const readOurs = (image: CorpusImage) =>
    readQrCodes(image).then(
      (read) => ({ texts: read.texts, limitReached: read.limitReached }),
      (error: unknown) => ({ refused: isChronokeyError(error) ? error.code : String(error) }),
    );

  const timed = async <T>(run: () => Promise<T>) => {
    const start = performance.now();
    const value = await run();
    return { value, ms: performance.now() - start };
  };
  const median = (samples: number[]) =>
    [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  const same = (texts: string[] | undefined, expected: string[]) =>
    texts !== undefined &&
    JSON.stringify([...texts].sort()) === JSON.stringify([...new Set(expected)].sort());

  console.log('qr: 1. corpus and screenshots (median of 7, ms): Chronokey | zxing-wasm');
  const pictures: CorpusImage[] = [
    ...(await makeCorpus()),
    {
      name: 'screenshot-1080p-bench.png',
      bytes: await screenshot(1920, 1080, [
        { text: LINKS.totp, x: 1200, y: 300, style: { module: 5 } },
      ]),
      expected: [LINKS.totp],
    },
    {
      name: 'screenshot-4k-bench.png',
      bytes: await screenshot(
        3840,
        2160,
        [{ text: LINKS.totp, x: 2400, y: 700, style: { module: 8 } }],
        { seed: 11 },
      ),
      expected: [LINKS.totp],
    },
  ];
  const totals = { ours: 0, zxing: 0, oursRead: 0, zxingRead: 0 };
  for (const picture of pictures) {
    const ours: number[] = [];
    const zxing: number[] = [];
    let oursOk = false;
    let zxingOk = false;
    for (let run = 0; run < 8; run++) {
      const mine = await timed(() => readOurs(picture));
      const theirs = await timed(() => readReference(picture.bytes));
      oursOk = 'texts' in mine.value && same(mine.value.texts, picture.expected);
      zxingOk = theirs.value !== null && 'texts' in theirs.value;
      zxingOk &&= same((theirs.value as { texts: string[] }).texts, picture.expected);
      // the first run of each warms both up
      if (run > 0) ours.push(mine.ms);
      if (run > 0) zxing.push(theirs.ms);
    }
    totals.ours += median(ours);
    totals.zxing += median(zxing);
    totals.oursRead += oursOk ? 1 : 0;
    totals.zxingRead += zxingOk ? 1 : 0;
    console.log(
      `qr:    ${picture.name.padEnd(32)} ${median(ours).toFixed(0).padStart(5)} ${oursOk ? 'read' : 'MISSED'} | ${median(zxing).toFixed(0).padStart(5)} ${zxingOk ? 'read' : 'MISSED'}`,
    );
  }
  const verdict = totals.ours <= totals.zxing ? 'at or under' : 'MISSED: over';
  console.log(
    `qr:    total: Chronokey ${totals.ours.toFixed(0)} ms, reads ${totals.oursRead}/${pictures.length}; zxing-wasm ${totals.zxing.toFixed(0)} ms, reads ${totals.zxingRead}/${pictures.length} (target: ${verdict} zxing-wasm's total, ${(totals.ours / totals.zxing).toFixed(2)}×)`,
  );

  console.log(
    'qr: 2. crafted pictures (ms; median of 3, one run over 10 MP): Chronokey | zxing-wasm',
  );
  const sheet50 = sheetLinks(50);
  const sheet400 = sheetLinks(400);
  const attacks: Array<{ name: string; make: () => Promise<Buffer>; expected?: string[] }> = [
    { name: 'checkerboard 1000² (2 px)', make: () => crafted.checkerboard(1000) },
    { name: 'checkerboard 2000² (2 px)', make: () => crafted.checkerboard(2000) },
    { name: 'checkerboard 7000² (49 MP)', make: () => crafted.checkerboard(7000) },
    { name: 'noise 3840×2160', make: () => crafted.noise(3840, 2160) },
    { name: 'noise 7000² (49 MP)', make: () => crafted.noise(7000, 7000) },
    { name: 'finder wall 2000² (3 px)', make: () => crafted.finderWall(2000) },
    { name: 'finder wall 7000² (49 MP)', make: () => crafted.finderWall(7000) },
    { name: 'strip 1×50,000,000', make: () => crafted.strip(1, 50_000_000) },
    { name: 'strip 50,000,000×1', make: () => crafted.strip(50_000_000, 1) },
    { name: 'sheet of 50 codes', make: () => codeSheet(sheet50), expected: sheet50 },
    { name: 'sheet of 400 codes', make: () => codeSheet(sheet400), expected: sheet400 },
  ];
  for (const attack of attacks) {
    const bytes = new Uint8Array(await attack.make());
    const picture = { name: attack.name, bytes, expected: attack.expected ?? [] };
    const runs = bytes.length > 2_000_000 || /49 MP|50,000,000/.test(attack.name) ? 1 : 3;
    const ours: number[] = [];
    const zxing: number[] = [];
    let outcome = '';
    let theirs = '';
    for (let run = 0; run < runs; run++) {
      const mine = await timed(() => readOurs(picture));
      ours.push(mine.ms);
      outcome =
        'refused' in mine.value
          ? `refused ${mine.value.refused}`
          : `${mine.value.texts.length} codes${mine.value.limitReached ? ', limit reached' : ''}` +
            (attack.expected
              ? same(mine.value.texts, attack.expected)
                ? ' (all)'
                : ' (NOT ALL)'
              : '');
      const reference = await timed(() => readReference(bytes));
      zxing.push(reference.ms);
      theirs =
        reference.value === null
          ? 'stopped'
          : 'texts' in reference.value
            ? `${reference.value.texts.length} codes`
            : 'error';
    }
    const within = median(ours) <= 5_000 ? 'within 5 s' : 'MISSED: over 5 s';
    console.log(
      `qr:    ${attack.name.padEnd(28)} ${median(ours).toFixed(0).padStart(6)} ${outcome} (${within}) | ${theirs === 'stopped' ? '>10000' : median(zxing).toFixed(0).padStart(6)} ${theirs}`,
    );
  }
  await reference.terminate();
  await stopQrWorkers();
}

function startReference(): Worker {
  return new Worker(new URL(import.meta.url), { execArgv: ['--import', 'tsx'] });
}
