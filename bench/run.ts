/**
 * `npm run bench`: the core's speed on this machine. Prints figures; asserts nothing (machines
 * are shared and noisy, so targets are read here, never enforced by timed tests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../shared/domain';
import type { VaultContent } from '../shared/vault-content';
import { emptyVaultContent } from '../shared/vault-content';
import { codeView } from '../main/core/codes';
import { bytesToBase32 } from '../main/core/otp/base32';
import { createCodeCache } from '../main/core/otp/generate';
import { deriveKeyFromPassword } from '../main/core/vault/key-slots';
import { createKeytarKeychain } from '../main/core/vault/keychain';
import { createVault, destroyKeychainEntry, openVault } from '../main/core/vault/vault';
import { SCRYPT_MIN } from '../main/core/vault/vault-file';

const RUNS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function report(label: string, ms: number, target?: number): void {
  const verdict =
    target === undefined
      ? ''
      : ms < target
        ? `  (target < ${target} ms: met)`
        : `  (target < ${target} ms: MISSED)`;
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms${verdict}`);
}

function makeAccounts(count: number): Account[] {
  const types = ['totp', 'totp', 'totp', 'hotp', 'steam'] as const;
  const algorithms = ['SHA1', 'SHA256', 'SHA512'] as const;
  return Array.from({ length: count }, (_, index) => {
    const type = types[index % types.length]!;
    return {
      id: `bench-${index}`,
      type,
      issuer: `Issuer ${index % 97}`,
      account: `user${index}@example.com`,
      secret: bytesToBase32(randomBytes(20)),
      algorithm: type === 'totp' ? algorithms[index % 3]! : 'SHA1',
      digits: type === 'steam' ? 5 : 6 + (index % 3),
      period: 30,
      counter: type === 'hotp' ? index : 0,
      tags: index % 4 === 0 ? ['work'] : [],
      favourite: index % 10 === 0,
      createdAt: Date.now(),
      lastUsedAt: null,
      warnings: [],
    };
  });
}

async function benchCodes(): Promise<void> {
  for (const count of [1_000, 10_000]) {
    const accounts = makeAccounts(count);
    // Two moments of a 30-second period: early (current codes only) and in a code's last
    // seconds, when the next code is sent along too (codes.ts NEXT_CODE_LEAD_MS).
    const periodStart = Math.floor(Date.now() / 30_000) * 30_000;
    const early = periodStart + 2_000;
    const late = periodStart + 25_000;
    const coldAt = (moment: number) =>
      time(() => {
        const cache = createCodeCache();
        return accounts.map((account) => codeView(account, moment, cache));
      });
    const coldEarly = await coldAt(early);
    const coldLate = await coldAt(late);
    const cache = createCodeCache();
    accounts.forEach((account) => codeView(account, late, cache));
    let tick = late;
    const warm = await time(() => {
      tick += 1000;
      return accounts.map((account) => codeView(account, tick, cache));
    });
    const target = count === 10_000 ? 100 : undefined;
    const label = `${count.toLocaleString('en')} accounts`;
    report(`codes for ${label}, cold cache (current codes)`, coldEarly, target);
    report(`codes for ${label}, cold cache (current + next codes)`, coldLate, target);
    report(`codes for ${label}, per-second refresh`, warm, target);
  }
}

async function benchVault(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-'));
  const deps = { dir, keychain: createKeytarKeychain() };
  try {
    const content: VaultContent = { ...emptyVaultContent(), accounts: makeAccounts(1_000) };
    const vault = await createVault(deps, { useKeychain: true, content });
    let round = 0;
    const save = await time(() =>
      vault.update((draft) => {
        draft.settings.clipboardClearSeconds = 30 + (round++ % 2);
      }),
    );
    report('vault save, 1,000 accounts (keychain slot, lock + write)', save, 50);
    const open = await time(async () => (await openVault(deps, {})).close());
    report('vault open, 1,000 accounts (keychain slot, incl. keychain read)', open, 50);
    const reload = await time(() => vault.reload());
    report('vault re-read + decrypt, 1,000 accounts (no keychain)', reload, 50);
    vault.close();
    await destroyKeychainEntry(deps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const kdf = await time(
    () => deriveKeyFromPassword('correct horse battery staple', randomBytes(16), SCRYPT_MIN),
    5,
  );
  report(`password KDF alone (scrypt N=2^15, r=8, p=1)`, kdf);
}

console.log(
  `Chronokey core benchmarks — Node ${process.version}, ${os.cpus().length} cores, median of ${RUNS} runs`,
);
await benchCodes();
await benchVault();
