import { randomBytes } from 'node:crypto';
import type { AutoBackupStatus, ChannelOutput, HandlerInput } from '../../../shared/contract';
import type { StoredBackupKey } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import type { EventPort } from '../import/import-handlers';
import { requireStrongPassword } from '../password-policy';
import type { Clock, TimerPort } from '../ports';
import type { VaultSession } from '../session';
import type { RandomBytes } from '../vault/key-slots';
import { nodeVaultFs, type VaultFs } from '../vault/vault-fs';
import type { AutoBackupConfig, AutoBackupOutcome } from './auto-backup';
import { createAutoBackup } from './auto-backup';
import type { BackupKey } from './backup-format';
import { deriveBackupKey } from './backup-format';

export interface AutoBackupServiceDeps {
  session: VaultSession;
  clock: Clock;
  timers: TimerPort;
  fs?: VaultFs;
  random?: RandomBytes;
  events?: EventPort;
  /** Quiet time after the last change (default 5 s). */
  debounceMs?: number;
}

type AutoChannel = 'backup.setAutoPassword' | 'backup.autoStatus' | 'backup.runNow';

function toStored(key: BackupKey): StoredBackupKey {
  return {
    ...key.params,
    salt: key.salt.toString('base64'),
    key: key.key.toString('base64'),
  };
}

function fromStored(stored: StoredBackupKey): BackupKey {
  return {
    params: { n: stored.n, r: stored.r, p: stored.p },
    salt: Buffer.from(stored.salt, 'base64'),
    key: Buffer.from(stored.key, 'base64'),
  };
}

/**
 * Automatic backups in the app: the scheduler of auto-backup.ts fed from the unlocked vault.
 * The backup password is typed once; only the key it gives is kept, inside the encrypted vault,
 * so backups need no password later and scrypt runs once. While the vault is locked nothing is
 * scheduled (there is nothing to read); every attempt's outcome is kept and pushed to the window.
 */
export function createAutoBackupService(deps: AutoBackupServiceDeps) {
  const random = deps.random ?? randomBytes;
  let config: AutoBackupConfig | null = null;
  let key: BackupKey | null = null;
  let last: AutoBackupOutcome | null = null;

  const status = (): AutoBackupStatus => ({
    hasPassword: key !== null,
    last: last === null ? null : outcomeView(last),
  });

  const scheduler = createAutoBackup({
    fs: deps.fs ?? nodeVaultFs,
    clock: deps.clock,
    timers: deps.timers,
    random,
    config: () => (deps.session.isUnlocked ? config : null),
    key: () => key,
    accounts: async () => structuredClone((await deps.session.content()).accounts),
    onOutcome: (outcome) => {
      last = outcome;
      deps.events?.emit('backup.auto', status());
    },
    ...(deps.debounceMs !== undefined && { debounceMs: deps.debounceMs }),
  });

  /** Reads the settings and key from the vault (after unlock and each change of them). */
  async function refresh(): Promise<void> {
    if (!deps.session.isUnlocked) return forget();
    const content = await deps.session.content();
    const { schedule, folder, keep } = content.settings.autoBackup;
    const before = config?.schedule;
    config = schedule === 'off' || folder === null ? null : { schedule, folder, keep };
    key?.key.fill(0);
    key = content.backupKey ? fromStored(content.backupKey) : null;
    if (config?.schedule === 'daily' && before !== 'daily') scheduler.startDaily();
    if (config?.schedule !== 'daily' && before === 'daily') scheduler.stop();
  }

  function forget(): void {
    scheduler.stop();
    config = null;
    key?.key.fill(0);
    key = null;
  }

  const handlers: {
    [C in AutoChannel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
  } = {
    'backup.setAutoPassword': async ({ password, vaultPassword }) => {
      // Whoever sets where the accounts go encrypted must be the one who can open the vault.
      if (deps.session.vault().slots().includes('password')) {
        if (vaultPassword === undefined) {
          throw new ChronokeyError(
            'VAULT_CURRENT_PASSWORD_REQUIRED',
            'Type your master password to set the automatic backup password.',
          );
        }
        await deps.session.checkPassword(vaultPassword);
      }
      await requireStrongPassword(password, 'backup');
      const derived = await deriveBackupKey(password, random);
      try {
        const stored = toStored(derived);
        await deps.session.update((draft) => {
          draft.backupKey = stored;
        });
      } finally {
        derived.key.fill(0);
      }
      await refresh();
      // The new password applies from the next backup on: make one now if backups are on.
      if (config) scheduler.changed();
      return status();
    },
    'backup.autoStatus': async () => {
      await deps.session.content();
      return status();
    },
    'backup.runNow': async () => {
      await deps.session.content();
      await refresh();
      last = await scheduler.runNow();
      return status();
    },
  };

  return {
    handlers,
    /** After unlock, a settings change or a new backup password. */
    refresh,
    /** The vault changed: back up after a quiet moment (on-change schedule). */
    changed(): void {
      scheduler.changed();
    },
    /** The vault locked: no key or schedule outlives it. */
    locked(): void {
      forget();
    },
  };
}

function outcomeView(outcome: AutoBackupOutcome): AutoBackupStatus['last'] {
  return outcome.ok
    ? { ok: true, at: outcome.at, path: outcome.path, accounts: outcome.accounts }
    : { ok: false, at: outcome.at, code: outcome.error.code, message: outcome.error.message };
}
