/**
 * `npm run bench:import`: the time to import a 100-account Google Authenticator export into a
 * vault, end to end through the handler table (decode → parse → check → preview → commit, one
 * atomic vault write), median of 9 runs after a warm-up, each into a fresh temporary vault.
 * "links" is the export pasted as its 10 otpauth-migration:// links; "QR images" opens the 10
 * QR codes as PNG files (adds decoding each picture and the QR search). The QR search's own
 * figures are in `npm run bench:qr`.
 *
 * Then the large imports a crafted or huge file can ask for (hardening): a file of 100,000
 * distinct otpauth:// links (as an opened file) and one Google export link carrying 30,000 accounts, each previewed
 * through the handler table (the IPC answer included) against a vault of 1,000 accounts, with
 * the longest time the event loop was kept from running (what the window would feel as a
 * freeze) and the commit. Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Handlers } from '../shared/contract';
import type { OtpParams } from '../shared/domain';
import { dispatch } from '../main/core/dispatch';
import { createHandlers } from '../main/core/handlers';
import { encodeMigrationPayloads } from '../main/core/import/formats/google-migration';
import { bytesToBase32 } from '../main/core/otp/base32';
import { systemClock } from '../main/core/ports';
import { stopQrWorkers } from '../main/core/qr';
import { VaultSession } from '../main/core/session';
import { createMemoryKeychain } from '../main/core/vault/keychain';

const RUNS = 9;
const ACCOUNTS = 100;

const accounts: OtpParams[] = Array.from({ length: ACCOUNTS }, (_, index) => ({
  type: index % 10 === 9 ? 'hotp' : 'totp',
  issuer: `Service ${index}`,
  account: `user${index}@example.com`,
  secret: bytesToBase32(randomBytes(20)),
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: index % 10 === 9 ? index : 0,
}));
const links = encodeMigrationPayloads(accounts, { batchId: 4242 });
const pngs = await Promise.all(
  links.map(async (link, index) => ({
    name: `export-${index + 1}.png`,
    base64: (await QRCode.toBuffer(link, { scale: 4, errorCorrectionLevel: 'M' })).toString(
      'base64',
    ),
  })),
);

interface Preview {
  id: string;
  items: Array<{ key: string; selected: boolean }>;
  batches: Array<{ scanned: number; size: number }>;
}

async function call<T>(handlers: Handlers, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** One import into a fresh vault: milliseconds from the first import call to the committed write. */
async function importOnce(add: (handlers: Handlers) => Promise<Preview>): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-import-'));
  try {
    const session = new VaultSession({ dir, keychain: createMemoryKeychain() }, systemClock);
    const handlers = createHandlers({ session, clock: systemClock });
    await call(handlers, 'vault.create', { useKeychain: true });
    const start = performance.now();
    const preview = await add(handlers);
    const { added } = await call<{ added: unknown[] }>(handlers, 'import.commit', {
      previewId: preview.id,
      keys: preview.items.filter((item) => item.selected).map((item) => item.key),
    });
    const ms = performance.now() - start;
    const batch = preview.batches[0];
    if (added.length !== ACCOUNTS || batch?.scanned !== batch?.size) {
      throw new Error(`imported ${added.length} of ${ACCOUNTS} accounts`);
    }
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function median(run: () => Promise<number>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const fromLinks = await median(() =>
  importOnce((handlers) => call<Preview>(handlers, 'import.addText', { text: links.join('\n') })),
);
const fromImages = await median(() =>
  importOnce((handlers) => call<Preview>(handlers, 'import.addFiles', { files: pngs })),
);
await stopQrWorkers();

console.log(
  `import: 100-account Google export (${links.length} links) → preview → commit: ${fromLinks.toFixed(1)} ms (median of ${RUNS})`,
);
console.log(
  `import: 100-account Google export (${pngs.length} QR images) → preview → commit: ${fromImages.toFixed(1)} ms (median of ${RUNS})`,
);

/** Runs `work` while a 1 ms interval measures the longest stretch the event loop was busy. */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const meter = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    const value = await work();
    return { value, stallMs: worst };
  } finally {
    clearInterval(meter);
  }
}

async function largeImport(label: string, text: string, expected: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-large-'));
  try {
    const session = new VaultSession({ dir, keychain: createMemoryKeychain() }, systemClock);
    const handlers = createHandlers({ session, clock: systemClock });
    await call(handlers, 'vault.create', { useKeychain: true });
    await call(handlers, 'import.addText', {
      text: Array.from(
        { length: 1000 },
        (_, i) => `otpauth://totp/Vault:${i}?secret=${bytesToBase32(randomBytes(20))}`,
      ).join('\n'),
    }).then((preview) =>
      call(handlers, 'import.commit', {
        previewId: (preview as Preview).id,
        keys: (preview as Preview).items.map((item) => item.key),
      }),
    );
    const start = performance.now();
    const file = { name: 'large.txt', base64: Buffer.from(text).toString('base64') };
    const { value: preview, stallMs } = await withStallMeter(() =>
      call<Preview>(handlers, 'import.addFiles', { files: [file] }),
    );
    const previewMs = performance.now() - start;
    const commitStart = performance.now();
    const { value: committed, stallMs: commitStall } = await withStallMeter(() =>
      call<{ added: unknown[] }>(handlers, 'import.commit', {
        previewId: preview.id,
        keys: preview.items.filter((item) => item.selected).map((item) => item.key),
      }),
    );
    const commitMs = performance.now() - commitStart;
    if (preview.items.length !== expected)
      throw new Error(`${label}: ${preview.items.length} items`);
    console.log(
      `import: ${label} → preview ${previewMs.toFixed(0)} ms (longest event-loop stall ${stallMs.toFixed(0)} ms), commit of ${committed.added.length} ${commitMs.toFixed(0)} ms (stall ${commitStall.toFixed(0)} ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const manyLinks = Array.from(
  { length: 100_000 },
  (_, i) =>
    `otpauth://totp/Service%20${i}:user${i}%40example.com?secret=${bytesToBase32(randomBytes(20))}&issuer=Service%20${i}`,
).join('\n');
await largeImport('100,000 distinct otpauth:// links', manyLinks, 100_000);

// As many accounts as fit the 1 MiB a migration link's data may have (short names, 80-bit keys).
const bigBatch: OtpParams[] = Array.from({ length: 15_000 }, (_, index) => ({
  ...accounts[0]!,
  type: 'totp',
  issuer: `B${index}`,
  account: `u${index}`,
  secret: bytesToBase32(randomBytes(10)),
}));
const [oneLink] = encodeMigrationPayloads(bigBatch, { batchSize: 15_000, batchId: 7 });
await largeImport('one Google export link with 15,000 accounts', oneLink!, 15_000);
