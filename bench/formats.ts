/**
 * `npm run bench:formats` (chained into npm run bench):
 *
 * (a) importing a 1,000-entry KeePass database (KDBX 4, Argon2id 64 MiB, 10 passes, 2 lanes:
 *     KeePassXC's kind of settings) through the handler table: addFiles (asks for the password),
 *     unlock (the KDF, decrypting, reading 1,000 entries, checks and preview), commit;
 * (b) one follow pass over a folder whose newest backup is a 1,000-account Aegis encrypted
 *     backup (scrypt N=2^15, r=8, p=1, as Aegis writes it), into a vault of 1,000 accounts of
 *     which 500 are the same ones (merge, 500 added).
 *
 * Each is shown with and without its key derivation (the KDF alone, with the file's own
 * parameters, timed separately and subtracted). Median of 5 runs after a warm-up. Prints
 * figures; asserts nothing.
 */
import { argon2Sync, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from '../shared/contract';
import type { Account } from '../shared/domain';
import { emptyVaultContent, VaultContent } from '../shared/vault-content';
import { encryptAegisVault } from '../main/core/backup/aegis-export';
import { encryptKeePassDatabase, KDBX_EXPORT_KDF } from '../main/core/backup/keepass-export';
import { dispatch } from '../main/core/dispatch';
import { runFollowPass } from '../main/core/follow/follow-pass';
import { createHandlers } from '../main/core/handlers';
import { importEngines } from '../main/core/import/formats';
import { bytesToBase32 } from '../main/core/otp/base32';
import { systemClock } from '../main/core/ports';
import { VaultSession } from '../main/core/session';
import { createMemoryKeychain } from '../main/core/vault/keychain';

const RUNS = 5;
const COUNT = 1000;
const PASSWORD = 'bench keepass password';

function accounts(seed: string): Account[] {
  return Array.from({ length: COUNT }, (_, index) => ({
    id: `${seed}-${index}`,
    type: index % 10 === 9 ? 'hotp' : 'totp',
    issuer: `Service ${index % 97}`,
    account: `user${index}@example.com`,
    secret: bytesToBase32(randomBytes(20)),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: index % 10 === 9 ? index : 0,
    tags: [`tag${index % 5}`],
    favourite: false,
    createdAt: 1_700_000_000_000 + index,
    lastUsedAt: null,
    warnings: [],
  }));
}

async function call<T>(handlers: Handlers, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function median(run: () => Promise<number>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const line = (label: string, ms: number) =>
  console.log(`${label.padEnd(72)} ${ms.toFixed(0).padStart(7)} ms`);

// (a) KeePass
const kdbx = await encryptKeePassDatabase(accounts('k'), PASSWORD);
const kdbxBase64 = kdbx.toString('base64');
const importKdbx = async (): Promise<number> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-kdbx-'));
  try {
    const session = new VaultSession({ dir, keychain: createMemoryKeychain() }, systemClock);
    const handlers = createHandlers({ session, clock: systemClock });
    await call(handlers, 'vault.create', { useKeychain: true });
    const start = performance.now();
    const waiting = await call<{ id: string }>(handlers, 'import.addFiles', {
      files: [{ name: 'vault.kdbx', base64: kdbxBase64 }],
    });
    const preview = await call<{ id: string; items: Array<{ key: string; selected: boolean }> }>(
      handlers,
      'import.unlock',
      { previewId: waiting.id, source: 'vault.kdbx', password: PASSWORD },
    );
    const previewMs = performance.now() - start;
    const { added } = await call<{ added: unknown[] }>(handlers, 'import.commit', {
      previewId: preview.id,
      keys: preview.items.filter((item) => item.selected).map((item) => item.key),
    });
    if (added.length !== COUNT) throw new Error(`imported ${added.length} of ${COUNT}`);
    lastPreviewMs = previewMs;
    return performance.now() - start;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
let lastPreviewMs = 0;
const previews: number[] = [];
const kdbxTotal = await median(async () => {
  const ms = await importKdbx();
  previews.push(lastPreviewMs);
  return ms;
});
const kdbxPreview = previews.slice(1).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
const argonMs = await median(async () =>
  timed(() =>
    argon2Sync('argon2id', {
      message: Buffer.from(PASSWORD),
      nonce: randomBytes(32),
      memory: KDBX_EXPORT_KDF.memoryBytes / 1024,
      passes: KDBX_EXPORT_KDF.passes,
      parallelism: KDBX_EXPORT_KDF.parallelism,
      tagLength: 32,
    }),
  ),
);
line(
  `KDBX 4 import, ${COUNT} entries (Argon2id 64 MiB): to the preview, with the KDF`,
  kdbxPreview,
);
line(`  … to the preview, without the KDF (${argonMs.toFixed(0)} ms)`, kdbxPreview - argonMs);
line(`  … through the commit, with the KDF`, kdbxTotal);

// (b) Follow pass over a 1,000-account Aegis backup
const phone = accounts('p');
const aegis = await encryptAegisVault(phone, 'bench aegis password');
const folder = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-follow-'));
try {
  const file = path.join(folder, 'aegis-backup-20261201-102200.json');
  writeFileSync(file, aegis);
  const old = new Date(Date.now() - 10 * 60_000);
  utimesSync(file, old, old);
  const followPass = async (): Promise<number> => {
    let current = VaultContent.parse({
      ...emptyVaultContent(),
      accounts: [...phone.slice(0, 500), ...accounts('v').slice(0, 500)],
      follows: [
        {
          id: '0123456789abcdef',
          folder,
          password: 'bench aegis password',
          file: null,
          backupAt: null,
          fileStamp: null,
          seen: {},
          missing: [],
          kept: [],
          last: null,
        },
      ],
    });
    const vault = {
      content: async () => structuredClone(current),
      update: async <T>(change: (draft: VaultContent) => T): Promise<T> => {
        const draft = structuredClone(current);
        const result = change(draft);
        current = VaultContent.parse(draft);
        return result;
      },
    };
    const start = performance.now();
    const report = await runFollowPass(
      { vault, engines: importEngines, clock: systemClock },
      '0123456789abcdef',
    );
    const ms = performance.now() - start;
    if (report.added !== 500 || report.problem)
      throw new Error(`follow pass: ${JSON.stringify(report)}`);
    return ms;
  };
  const followMs = await median(followPass);
  const scryptMs = await median(async () =>
    timed(() =>
      scryptSync('bench aegis password', randomBytes(32), 32, {
        N: 2 ** 15,
        r: 8,
        p: 1,
        maxmem: 64 * 1024 * 1024,
      }),
    ),
  );
  line(
    `follow pass, ${COUNT}-account Aegis backup into ${COUNT} accounts (500 new), with the KDF`,
    followMs,
  );
  line(`  … without the KDF (scrypt N=2^15: ${scryptMs.toFixed(0)} ms)`, followMs - scryptMs);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
