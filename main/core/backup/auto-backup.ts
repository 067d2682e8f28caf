import { join } from 'node:path';
import type { Account } from '../../../shared/domain';
import { ChronokeyError, toErrorShape, type ErrorShape } from '../../../shared/errors';
import type { Clock, TimerPort } from '../ports';
import type { RandomBytes } from '../vault/key-slots';
import type { VaultFs } from '../vault/vault-fs';
import type { BackupKey } from './backup-format';
import { exportAccounts } from './export';

export interface AutoBackupConfig {
  folder: string;
  /** How many automatic backups to keep in the folder (the oldest go first). */
  keep: number;
  schedule: 'on-change' | 'daily';
}

export type AutoBackupOutcome =
  | { ok: true; at: number; path: string; accounts: number; removed: string[] }
  | { ok: false; at: number; error: ErrorShape };

export interface AutoBackupDeps {
  fs: VaultFs;
  clock: Clock;
  timers: TimerPort;
  random?: RandomBytes;
  /** The current settings; null when automatic backups are off. */
  config(): AutoBackupConfig | null;
  /** The key the user's backup password gave (kept inside the vault), or null if none was set. */
  key(): BackupKey | null;
  accounts(): Promise<Account[]>;
  /** Every outcome, success or failure, so the app can show it: failures are never hidden. */
  onOutcome(outcome: AutoBackupOutcome): void;
  /** Quiet time after the last change before a backup is written (default 5 s). */
  debounceMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const NAME = /^chronokey-auto-\d{8}-\d{9}\.ckb$/;

/** `chronokey-auto-20241201-134501123.ckb`: sorts by time; only names like this are rotated. */
export function autoBackupName(now: number): string {
  const iso = new Date(now).toISOString(); // 2024-12-01T13:45:01.123Z
  return `chronokey-auto-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 23).replace(/[:.]/g, '')}.ckb`;
}

/**
 * Automatic backups: after changes (debounced) or once a day, an encrypted, verified backup in
 * the chosen folder, keeping the newest `keep` files. A pure scheduler over its ports.
 */
export function createAutoBackup(deps: AutoBackupDeps) {
  let pending: { cancel(): void } | null = null;
  let daily: { cancel(): void } | null = null;
  let running: Promise<AutoBackupOutcome> | null = null;
  let again = false;

  async function attempt(): Promise<AutoBackupOutcome> {
    const at = deps.clock.now();
    try {
      const config = deps.config();
      if (!config) {
        throw new ChronokeyError('AUTO_BACKUP_OFF', 'Automatic backups are turned off.');
      }
      const key = deps.key();
      if (!key) {
        throw new ChronokeyError(
          'AUTO_BACKUP_PASSWORD_MISSING',
          'Automatic backups need a backup password: set one in Settings → Backups.',
        );
      }
      const accounts = await deps.accounts();
      const path = join(config.folder, autoBackupName(at));
      const result = await exportAccounts(
        { fs: deps.fs, now: () => at, ...(deps.random && { random: deps.random }) },
        accounts,
        'chronokey',
        path,
        { backupKey: key },
      );
      if (!result.verified) {
        throw new ChronokeyError(
          'BACKUP_NOT_VERIFIED',
          `The automatic backup in "${config.folder}" did not read back the same as the vault, so it was deleted. Check the disk or choose another folder.`,
        );
      }
      const removed = await rotate(deps.fs, config.folder, config.keep);
      return { ok: true, at, path, accounts: accounts.length, removed };
    } catch (error) {
      return { ok: false, at, error: toErrorShape(error) };
    }
  }

  async function runNow(): Promise<AutoBackupOutcome> {
    if (running) {
      again = true;
      return running;
    }
    running = attempt();
    try {
      const outcome = await running;
      deps.onOutcome(outcome);
      return outcome;
    } finally {
      running = null;
      if (again) {
        again = false;
        void runNow();
      }
    }
  }

  return {
    /** The vault changed: back up after a quiet moment (on-change schedule only). */
    changed(): void {
      if (deps.config()?.schedule !== 'on-change') return;
      pending?.cancel();
      pending = deps.timers.setTimeout(() => {
        pending = null;
        void runNow();
      }, deps.debounceMs ?? 5000);
    },
    /** Starts the daily schedule (a backup now-ish, then every 24 hours). */
    startDaily(): void {
      daily?.cancel();
      const tick = () => {
        daily = deps.timers.setTimeout(tick, DAY_MS);
        if (deps.config()?.schedule === 'daily') void runNow();
      };
      daily = deps.timers.setTimeout(tick, deps.debounceMs ?? 5000);
    },
    runNow,
    stop(): void {
      pending?.cancel();
      daily?.cancel();
      pending = daily = null;
    },
  };
}

/** Deletes the oldest automatic backups beyond `keep`; other files in the folder are never touched. */
export async function rotate(fs: VaultFs, folder: string, keep: number): Promise<string[]> {
  const ours = (await fs.readdir(folder)).filter((name) => NAME.test(name)).sort();
  const old = ours.slice(0, Math.max(0, ours.length - Math.max(1, keep)));
  for (const name of old) await fs.unlink(join(folder, name));
  return old;
}
