import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAutoBackup,
  type AutoBackupConfig,
  type AutoBackupOutcome,
} from '../../../../main/core/backup/auto-backup';
import {
  decryptBackup,
  deriveBackupKey,
  type BackupKey,
} from '../../../../main/core/backup/backup-format';
import type { TimerPort } from '../../../../main/core/ports';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { sampleAccounts } from './backup-fixtures';

let folder: string;
let key: BackupKey;
beforeEach(async () => {
  folder = await mkdtemp(join(os.tmpdir(), 'chronokey-auto-'));
  key ??= await deriveBackupKey('auto password');
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function harness(config: Partial<AutoBackupConfig> | null = {}) {
  let now = Date.UTC(2024, 11, 1, 12, 0, 0);
  const timers: Array<{ at: number; run(): void; cancelled: boolean }> = [];
  const port: TimerPort = {
    setTimeout(run, ms) {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
  };
  const outcomes: AutoBackupOutcome[] = [];
  let accounts = sampleAccounts(5);
  const auto = createAutoBackup({
    fs: nodeVaultFs,
    clock: { now: () => now },
    timers: port,
    config: () => (config === null ? null : { folder, keep: 3, schedule: 'on-change', ...config }),
    key: () => key,
    accounts: async () => accounts,
    onOutcome: (outcome) => outcomes.push(outcome),
    debounceMs: 1000,
  });
  return {
    auto,
    outcomes,
    setAccounts: (next: typeof accounts) => void (accounts = next),
    async advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}

describe('automatic backups', () => {
  it('debounces changes into one verified backup that opens with the backup password', async () => {
    const h = harness();
    h.auto.changed();
    await h.advance(500);
    h.auto.changed();
    await h.advance(500);
    expect(h.outcomes).toEqual([]);
    await h.advance(600);
    expect(h.outcomes).toHaveLength(1);
    const [outcome] = h.outcomes;
    expect(outcome).toMatchObject({ ok: true, accounts: 5 });
    const files = await readdir(folder);
    expect(files).toEqual(['chronokey-auto-20241201-120001600.ckb']);
    const payload = await decryptBackup(
      await readFile(join(folder, files[0]!)),
      'auto password',
      files[0]!,
    );
    expect(payload.accounts).toHaveLength(5);
  });

  it('keeps the newest N backups and never touches other files', async () => {
    await writeFile(join(folder, 'my-notes.txt'), 'keep me');
    const h = harness({ keep: 3 });
    for (let i = 0; i < 5; i++) {
      h.setAccounts(sampleAccounts(i + 1));
      h.auto.changed();
      await h.advance(2000);
    }
    expect(h.outcomes.every((o) => o.ok)).toBe(true);
    const files = (await readdir(folder)).sort();
    expect(files).toHaveLength(4);
    expect(files).toContain('my-notes.txt');
    const kept = files.filter((f) => f.endsWith('.ckb'));
    const counts = await Promise.all(
      kept.map(
        async (f) =>
          (await decryptBackup(await readFile(join(folder, f)), 'auto password', f)).accounts
            .length,
      ),
    );
    expect(counts).toEqual([3, 4, 5]);
  });

  it('reports a failure to write instead of hiding it', async () => {
    const h = harness({ folder: join(folder, 'gone') });
    h.auto.changed();
    await h.advance(1500);
    expect(h.outcomes).toEqual([
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ code: 'BACKUP_UNWRITABLE' }),
      }),
    ]);
  });

  it('daily schedule backs up once a day; off means nothing is written', async () => {
    const h = harness({ schedule: 'daily' });
    h.auto.changed();
    h.auto.startDaily();
    await h.advance(1000);
    await h.advance(24 * 60 * 60 * 1000);
    expect(h.outcomes.filter((o) => o.ok)).toHaveLength(2);
    h.auto.stop();
    const off = harness(null);
    off.auto.changed();
    await off.advance(5000);
    expect(off.outcomes).toEqual([]);
    expect((await off.auto.runNow()).ok).toBe(false);
  });
});
