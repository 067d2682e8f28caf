import { randomUUID } from 'node:crypto';
import type { Channel, Handlers, VaultStatus } from '../../shared/contract';
import { COPY_NEXT_WITHIN_MS, Settings, toAccountView } from '../../shared/domain';
import type { Account, AccountView } from '../../shared/domain';
import type { VaultContent } from '../../shared/vault-content';
import { ChronokeyError } from '../../shared/errors';
import {
  displayName,
  findAccount,
  listViews,
  newAccount,
  removeAccount,
  reorderAccounts,
  sameOtpParams,
  sameSecret,
} from './accounts';
import type { FolderDialogPort, SaveDialogPort } from './backup/backup-handlers';
import { createAutoBackupService } from './backup/auto-backup-service';
import { createBackupHandlers } from './backup/backup-handlers';
import { codeView } from './codes';
import { createCodeCache } from './otp/generate';
import { secretBits } from './import/checks';
import { fieldsToUri } from './import/entry';
import { importEngines } from './import/formats';
import type { EventPort, OpenFilesPort, ScreenCapturePort } from './import/import-handlers';
import { createImportHandlers } from './import/import-handlers';
import type { ImportEngines } from './import/pipeline';
import { parseOtpauthUri } from './otp/otpauth-uri';
import { requireStrongPassword } from './password-policy';
import type { ClipboardPort, Clock, ConfirmPort, TimerPort } from './ports';
import { systemTimers } from './ports';
import { createSyncService, type SyncHandlers, type SyncServiceDeps } from './sync/sync-service';
import {
  createFollowService,
  type FollowHandlers,
  type FollowServiceDeps,
} from './follow/follow-service';
import type { VaultSession } from './session';
import type { SystemPorts } from './system-handlers';
import { createSystemHandlers } from './system-handlers';

export interface HandlerDeps {
  session: VaultSession;
  clock: Clock;
  /** Absent where there is no clipboard (the CLI prints codes instead). */
  clipboard?: ClipboardPort;
  timers?: TimerPort;
  /** Where failures of background work (clearing the clipboard later) are reported. */
  onBackgroundError?: (error: unknown) => void;
  /** Clock health, system support and otpauth:// links (absent in the CLI and the bridge). */
  system?: SystemPorts;
  /** The import formats and QR reader (the registry's by default; tests may pass their own). */
  importEngines?: ImportEngines;
  /** The system's open-file dialog for `import.openFiles` (absent in the CLI). */
  dialog?: OpenFilesPort;
  /** Captures the displays for `import.scanScreen` (absent in the CLI). */
  screen?: ScreenCapturePort;
  /** Pushes events to the window (`import.progress`). */
  events?: EventPort;
  /** The system's save dialog for `backup.export` (absent in the CLI, which takes a path). */
  saveDialog?: SaveDialogPort;
  /** The system's folder picker for automatic backups. */
  folderDialog?: FolderDialogPort;
  /** Main's own confirmation dialog, before transfer QR codes (which show secrets) are made. */
  confirm?: ConfirmPort;
  /** Runs automatic backups (the app and the test bridge; never the short-lived CLI). */
  autoBackup?: { debounceMs?: number };
  /** Follows other apps' automatic backups (the app and the test bridge; the CLI runs its own). */
  follow?: Pick<
    FollowServiceDeps,
    'watch' | 'list' | 'folderDebounceMs' | 'intervalMs' | 'retryMs'
  >;
  /** Runs sync passes in the background (the app and the test bridge; the CLI runs its own). */
  sync?: Pick<
    SyncServiceDeps,
    'watch' | 'hostname' | 'debounceMs' | 'folderDebounceMs' | 'intervalMs' | 'retryMs' | 'fs'
  >;
}

/** Channels after which the vault holds something new: backed up and synced. */
export const VAULT_CHANGES: ReadonlySet<Channel> = new Set<Channel>([
  'accounts.add',
  'accounts.create',
  'accounts.update',
  'accounts.remove',
  'accounts.undoRemove',
  'accounts.reorder',
  'codes.hotpNext',
  'import.commit',
  'settings.update',
]);

/**
 * How long a removed account can be brought back (Undo, Ctrl+Z, Recently deleted). Kept in
 * main's memory only, and forgotten when the vault locks.
 */
export const UNDO_WINDOW_MS = 15 * 60 * 1000;

/**
 * The one handler table, written against the contract. Inputs arrive already validated by
 * the contract's schemas; anything a user can get wrong throws a ChronokeyError.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { session, clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const removed = new Map<string, { account: Account; index: number; at: number }>();
  let pendingClear: { cancel(): void } | null = null;
  // Decoded secrets for fast refreshes; emptied on lock so none outlives the unlocked vault.
  const codes = createCodeCache();
  const imports = createImportHandlers({
    session,
    clock,
    timers,
    engines: deps.importEngines ?? importEngines,
    ...(deps.dialog !== undefined && { dialog: deps.dialog }),
    ...(deps.screen !== undefined && { screen: deps.screen }),
    ...(deps.events !== undefined && { events: deps.events }),
  });

  const status = (): Promise<VaultStatus> => session.status();

  /**
   * Adding the very same link twice is refused. The same secret under another name or with
   * other parameters is allowed (some sites reuse a key) but the account carries a warning.
   */
  function addParsed(draft: VaultContent, account: Account): AccountView {
    const twin = draft.accounts.find((candidate) => sameOtpParams(candidate, account));
    if (twin) {
      throw new ChronokeyError(
        'ACCOUNT_DUPLICATE',
        `This account is already in the vault as "${displayName(twin)}".`,
      );
    }
    const sharing = draft.accounts.find((candidate) => sameSecret(candidate, account));
    if (sharing) {
      account.warnings.push({
        code: 'SECRET_SHARED',
        message: `"${displayName(sharing).slice(0, 200)}" uses the same secret key.`,
      });
    }
    const bits = secretBits(account.secret);
    if (bits < 80) {
      account.warnings.push({
        code: 'SHORT_SECRET',
        message: `The secret key is only ${bits} bits long; sites give at least 80. Check that it was copied whole.`,
      });
    }
    draft.accounts.push(account);
    return toAccountView(account);
  }

  function forgetOldUndos(): void {
    const now = clock.now();
    for (const [token, entry] of removed)
      if (now - entry.at > UNDO_WINDOW_MS) removed.delete(token);
  }

  /** The code a copy takes: the next one in a time-based code's last seconds (or if asked). */
  function codeToCopy(
    account: Account,
    now: number,
    which: 'auto' | 'current' | 'next',
  ): { code: string; copied: 'current' | 'next'; validFrom?: number } {
    const current = codes.current(account.id, account, now);
    const timed = account.type !== 'hotp' && current.validUntil !== undefined;
    const ending = timed && current.validUntil! - now <= COPY_NEXT_WITHIN_MS;
    if (!timed || which === 'current' || (which === 'auto' && !ending)) {
      return { code: current.code, copied: 'current' };
    }
    const next = codes.next(account.id, account, now);
    return {
      code: next.code,
      copied: 'next',
      ...(next.validFrom !== undefined && { validFrom: next.validFrom }),
    };
  }

  const auto = deps.autoBackup
    ? createAutoBackupService({
        session,
        clock,
        timers,
        ...(deps.events !== undefined && { events: deps.events }),
        ...(deps.autoBackup.debounceMs !== undefined && { debounceMs: deps.autoBackup.debounceMs }),
      })
    : null;

  const sync = deps.sync
    ? createSyncService({
        session,
        clock,
        timers,
        ...deps.sync,
        ...(deps.events !== undefined && { events: deps.events }),
        ...(deps.folderDialog !== undefined && { folderDialog: deps.folderDialog }),
        ...(deps.onBackgroundError !== undefined && { onBackgroundError: deps.onBackgroundError }),
        // What a pass merged is a change like any other: back it up.
        onVaultChanged: () => {
          if (!auto) return;
          auto
            .refresh()
            .then(() => auto.changed())
            .catch((error: unknown) => deps.onBackgroundError?.(error));
        },
      })
    : null;

  const follow = deps.follow
    ? createFollowService({
        session,
        clock,
        timers,
        engines: deps.importEngines ?? importEngines,
        ...deps.follow,
        ...(deps.events !== undefined && { events: deps.events }),
        ...(deps.folderDialog !== undefined && { folderDialog: deps.folderDialog }),
        ...(deps.onBackgroundError !== undefined && { onBackgroundError: deps.onBackgroundError }),
        onVaultChanged: () => {
          // What a follow pass added is backed up and synced like any other change.
          sync?.changed();
          if (!auto) return;
          auto
            .refresh()
            .then(() => auto.changed())
            .catch((error: unknown) => deps.onBackgroundError?.(error));
        },
      })
    : null;

  const table: Handlers = {
    'vault.status': status,
    'vault.create': async ({ useKeychain, password }) => {
      if (password !== undefined) await requireStrongPassword(password, 'master');
      codes.clear();
      await session.create({ useKeychain, password });
      return status();
    },
    'vault.unlock': async ({ password }) => {
      codes.clear();
      await session.unlock(password);
      return status();
    },
    'vault.lock': async () => {
      session.lock();
      removed.clear();
      codes.clear();
      imports.dropPreviews();
      return status();
    },
    'vault.setPassword': async ({ password, currentPassword }) => {
      const vault = session.vault();
      await requireStrongPassword(password, 'master');
      if (vault.slots().includes('password')) {
        if (currentPassword === undefined) {
          throw new ChronokeyError(
            'VAULT_CURRENT_PASSWORD_REQUIRED',
            'Type your current master password to change it.',
          );
        }
        await session.checkPassword(currentPassword);
      }
      await vault.setPassword(password);
      return status();
    },
    'vault.removePassword': async ({ currentPassword }) => {
      const vault = session.vault();
      await session.checkPassword(currentPassword);
      await vault.removePassword();
      return status();
    },
    'vault.setKeychain': async ({ enabled, currentPassword }) => {
      const vault = session.vault();
      if (enabled) {
        // Unlocking without a password from now on is a change the password holder must make.
        await session.checkPassword(currentPassword);
        await vault.enableKeychain();
      } else {
        await vault.disableKeychain(currentPassword);
      }
      return status();
    },
    'vault.acknowledgeRollback': async () => {
      await session.vault().acknowledgeRollback();
      return status();
    },

    'accounts.list': async () => listViews(await session.content()),
    'accounts.add': async ({ uri }) => {
      const account = newAccount(parseOtpauthUri(uri), clock.now());
      return session.update((draft) => addParsed(draft, account));
    },
    'accounts.create': async (fields) => {
      const account = newAccount(parseOtpauthUri(fieldsToUri(fields)), clock.now());
      return session.update((draft) => addParsed(draft, account));
    },
    'accounts.update': ({ id, changes }) =>
      session.update((draft) => {
        const account = findAccount(draft, id);
        if (changes.issuer !== undefined) account.issuer = changes.issuer.trim();
        if (changes.account !== undefined) account.account = changes.account.trim();
        if (changes.tags !== undefined) account.tags = [...new Set(changes.tags)];
        if (changes.favourite !== undefined) account.favourite = changes.favourite;
        if (changes.note !== undefined) {
          const note = changes.note.trim();
          if (note === '') delete account.note;
          else account.note = note;
        }
        return toAccountView(account);
      }),
    'accounts.remove': async ({ id }) => {
      forgetOldUndos();
      const { account, index } = await session.update((draft) => removeAccount(draft, id));
      const undoToken = randomUUID();
      removed.set(undoToken, { account, index, at: clock.now() });
      return { undoToken };
    },
    'accounts.undoRemove': async ({ undoToken }) => {
      forgetOldUndos();
      const entry = removed.get(undoToken);
      if (!entry) {
        throw new ChronokeyError('UNDO_EXPIRED', 'That removal can no longer be undone.');
      }
      const view = await session.update((draft) => {
        if (draft.accounts.some((account) => account.id === entry.account.id)) {
          return toAccountView(entry.account);
        }
        draft.accounts.splice(Math.min(entry.index, draft.accounts.length), 0, entry.account);
        return toAccountView(entry.account);
      });
      removed.delete(undoToken);
      return view;
    },
    'accounts.recentlyDeleted': async () => {
      session.vault();
      forgetOldUndos();
      return [...removed]
        .map(([undoToken, entry]) => ({
          undoToken,
          account: toAccountView(entry.account),
          removedAt: entry.at,
          until: entry.at + UNDO_WINDOW_MS,
        }))
        .sort((a, b) => b.removedAt - a.removedAt);
    },
    'accounts.reorder': ({ ids }) =>
      session.update((draft) => {
        reorderAccounts(draft, ids);
        return listViews(draft);
      }),

    'codes.current': async () => {
      const now = clock.now();
      return (await session.content()).accounts.map((account) => codeView(account, now, codes));
    },
    'codes.hotpNext': ({ id }) =>
      session.update((draft) => {
        const account = findAccount(draft, id);
        if (account.type !== 'hotp') {
          throw new ChronokeyError(
            'NOT_HOTP',
            'Only counter-based (HOTP) accounts have a "next code"; this one changes with time.',
          );
        }
        account.counter += 1;
        account.lastUsedAt = clock.now();
        return codeView(account, clock.now(), codes);
      }),
    'codes.copy': async ({ id, which }) => {
      const clipboard = deps.clipboard;
      if (!clipboard) {
        throw new ChronokeyError('CLIPBOARD_UNAVAILABLE', 'There is no clipboard here to copy to.');
      }
      const now = clock.now();
      const { code, clearSeconds, copied, validFrom } = await session.update((draft) => {
        const account = findAccount(draft, id);
        account.lastUsedAt = now;
        return {
          ...codeToCopy(account, now, which),
          clearSeconds: draft.settings.clipboardClearSeconds,
        };
      });
      await clipboard.writeText(code);
      pendingClear?.cancel();
      pendingClear = null;
      const answer = { copied, ...(validFrom !== undefined && { validFrom }) };
      if (clearSeconds === 0) return { clearsAt: null, ...answer };
      pendingClear = timers.setTimeout(() => {
        pendingClear = null;
        // Only clear what is still ours: the user may have copied something else since.
        clearIfStillHolds(clipboard, code).catch((error: unknown) =>
          deps.onBackgroundError?.(error),
        );
      }, clearSeconds * 1000);
      return { clearsAt: now + clearSeconds * 1000, ...answer };
    },

    'settings.get': async () => (await session.content()).settings,
    'settings.update': ({ autoBackup, ...changes }) =>
      session.update((draft) => {
        const given = Object.entries(changes).filter(([, value]) => value !== undefined);
        draft.settings = Settings.parse({
          ...draft.settings,
          ...Object.fromEntries(given),
          // The folder is kept as it is: only main's folder dialog sets it.
          autoBackup: {
            ...draft.settings.autoBackup,
            ...(autoBackup?.schedule !== undefined && { schedule: autoBackup.schedule }),
            ...(autoBackup?.keep !== undefined && { keep: autoBackup.keep }),
          },
        });
        return draft.settings;
      }),

    ...createSystemHandlers(deps.system),

    ...imports.handlers,
    ...createBackupHandlers({
      session,
      clock,
      ...(deps.saveDialog !== undefined && { saveDialog: deps.saveDialog }),
      ...(deps.folderDialog !== undefined && { folderDialog: deps.folderDialog }),
      ...(deps.confirm !== undefined && { confirm: deps.confirm }),
    }),
    ...(auto?.handlers ?? autoBackupsUnavailable),
    ...(sync?.handlers ?? syncUnavailable),
    ...(follow?.handlers ?? followUnavailable),
  };
  const services: VaultLifecycle[] = [];
  if (auto) {
    services.push({
      unlocked: () => auto.refresh(),
      changed: async () => {
        await auto.refresh();
        auto.changed();
      },
      locked: () => auto.locked(),
    });
  }
  if (sync) {
    services.push({
      unlocked: () => sync.unlocked(),
      changed: () => sync.changed(),
      locked: () => sync.locked(),
    });
  }
  if (follow) {
    services.push({
      unlocked: () => follow.unlocked(),
      changed: () => undefined,
      locked: () => follow.locked(),
    });
  }
  return services.length > 0 ? withLifecycle(table, services) : table;
}

/**
 * Handlers for a service that runs only in the app (the CLI and bare tables have none): each
 * channel refuses with the same code and sentence.
 */
function unavailable<H>(channels: readonly Channel[], code: string, message: string): H {
  const refuse = async (): Promise<never> => {
    throw new ChronokeyError(code, message);
  };
  return Object.fromEntries(channels.map((channel) => [channel, refuse])) as H;
}

const autoBackupsUnavailable = unavailable<
  Pick<Handlers, 'backup.setAutoPassword' | 'backup.autoStatus' | 'backup.runNow'>
>(
  ['backup.setAutoPassword', 'backup.autoStatus', 'backup.runNow'],
  'AUTO_BACKUP_UNAVAILABLE',
  'Automatic backups run in the Chronokey app; use "chronokey export" here.',
);

const syncUnavailable = unavailable<SyncHandlers>(
  [
    'sync.status',
    'sync.chooseFolder',
    'sync.setup',
    'sync.join',
    'sync.now',
    'sync.resolveRemovals',
    'sync.changePassword',
    'sync.removeDevice',
    'sync.enterPassword',
    'sync.leave',
  ],
  'SYNC_UNAVAILABLE',
  'Sync runs in the Chronokey app; use "chronokey sync" here.',
);

const followUnavailable = unavailable<FollowHandlers>(
  [
    'follow.status',
    'follow.chooseFolder',
    'follow.add',
    'follow.setPassword',
    'follow.remove',
    'follow.now',
    'follow.resolveMissing',
  ],
  'FOLLOW_UNAVAILABLE',
  'Following backups runs in the Chronokey app; use "chronokey follow" here.',
);

/** A background service that follows the vault: unlocks, locks and changes. */
interface VaultLifecycle {
  unlocked(): Promise<void>;
  changed(): void | Promise<void>;
  locked(): void;
}

/** Keeps the background services (automatic backups, sync) in step with the vault. */
function withLifecycle(table: Handlers, services: readonly VaultLifecycle[]): Handlers {
  const wrapped: Record<string, unknown> = { ...table };
  for (const channel of Object.keys(table) as Channel[]) {
    const handler = table[channel] as (input: unknown) => Promise<unknown>;
    wrapped[channel] = async (input: unknown) => {
      const value = await handler(input);
      for (const service of services) {
        if (channel === 'vault.lock') service.locked();
        else if (channel === 'vault.unlock' || channel === 'vault.create') await service.unlocked();
        else if (VAULT_CHANGES.has(channel)) await service.changed();
      }
      return value;
    };
  }
  return wrapped as Handlers;
}

async function clearIfStillHolds(clipboard: ClipboardPort, code: string): Promise<void> {
  if ((await clipboard.readText()) === code) await clipboard.clear();
}
