/**
 * `npm run bench` (backup part): export and restore of 1,000 accounts, KDF included. Prints
 * figures; asserts nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../shared/domain';
import { decryptBackup } from '../main/core/backup/backup-format';
import { exportAccounts } from '../main/core/backup/export';
import { chronokeyBackupFormat } from '../main/core/import/formats/chronokey-backup';
import { bytesToBase32 } from '../main/core/otp/base32';
import { nodeVaultFs } from '../main/core/vault/vault-fs';
import { randomBytes } from 'node:crypto';

const RUNS = 5;
const COUNT = 1000;
const PASSWORD = 'bench password';

function accounts(): Account[] {
  return Array.from({ length: COUNT }, (_, index) => {
    const type = (['totp', 'hotp', 'steam'] as const)[index % 3]!;
    return {
      id: `bench-${index}`,
      type,
      issuer: `Issuer ${index % 97}`,
      account: `user${index}@example.com`,
      secret: bytesToBase32(randomBytes(20)),
      algorithm: 'SHA1',
      digits: type === 'steam' ? 5 : 6,
      period: 30,
      counter: type === 'hotp' ? index : 0,
      tags: [`tag${index % 5}`],
      favourite: index % 7 === 0,
      createdAt: 1_700_000_000_000 + index,
      lastUsedAt: null,
      warnings: [],
    };
  });
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

function report(label: string, ms: number): void {
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-backup-'));
try {
  const list = accounts();
  const deps = { fs: nodeVaultFs, now: () => Date.now() };
  const file = path.join(dir, 'bench.ckb');
  for (const format of ['chronokey', 'aegis', 'otpauth'] as const) {
    const target = format === 'chronokey' ? file : path.join(dir, `bench-${format}`);
    const ms = await median(async () => {
      const result = await exportAccounts(deps, list, format, target, { password: PASSWORD });
      if (!result.verified) throw new Error('export not verified');
    });
    report(`export ${COUNT} accounts, ${format}, verified (KDF included)`, ms);
  }
  const bytes = readFileSync(file);
  report(
    `decrypt a ${COUNT}-account backup (KDF included)`,
    await median(() => decryptBackup(bytes, PASSWORD, 'bench.ckb')),
  );
  report(
    `restore: read as an import source (preview entries)`,
    await median(() =>
      chronokeyBackupFormat.decode(
        { name: 'bench.ckb', bytes, text: null, json: undefined },
        {
          password: PASSWORD,
        },
      ),
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
