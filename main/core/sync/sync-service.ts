import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelOutput, HandlerInput, SyncStatus } from '../../../shared/contract';
import { displayName } from '../accounts';
import type { FolderDialogPort } from '../backup/backup-handlers';
import type { EventPort } from '../import/import-handlers';
import { requireStrongPassword } from '../password-policy';
import type { Clock, TimerPort } from '../ports';
import type { VaultSession } from '../session';
import type { RandomBytes } from '../vault/key-slots';
import { nodeVaultFs, type VaultFs } from '../vault/vault-fs';
import { ChronokeyError, isChronokeyError, toErrorShape } from '../../../shared/errors';
import { createSoonestTimer } from '../soonest-timer';
import { watchFolder, type WatchPort } from './folder-watcher';
import {
  changeSyncPassword,
  joinSync,
  leaveSync,
  removeDevice,
  setUpSync,
  takeNewKey,
  type SyncAdminDeps,
} from './sync-admin';
import { syncErrors } from './sync-errors';
import { holdsSync, syncPaths } from './sync-folder';
import { runSyncPass, type SyncPassOptions, type SyncPassOutcome } from './sync-pass';
import { summariseChanges } from './sync-report';

export interface SyncServiceDeps {
  session: VaultSession;
  clock: Clock;
  timers: TimerPort;
  fs?: VaultFs;
  random?: RandomBytes;
  events?: EventPort;
  folderDialog?: FolderDialogPort;
  /** Watches the sync folder (chokidar by default). */
  watch?: WatchPort;
  /** The default device name (the computer's name). */
  hostname?: () => string;
  /** After a pass changed the vault (automatic backups, the tray). */
  onVaultChanged?: () => void;
  onBackgroundError?: (error: unknown) => void;
  /** Quiet time after a vault change before a pass (default 2 s). */
  debounceMs?: number;
  /** After the folder changed (default 0.5 s: engines write several files in a row). */
  folderDebounceMs?: number;
  /** The fallback for network drives that send no events (default 5 minutes). */
  intervalMs?: number;
  /** After a failed pass (default 30 s). */
  retryMs?: number;
}

type SyncChannel =
  | 'sync.status'
  | 'sync.chooseFolder'
  | 'sync.setup'
  | 'sync.join'
  | 'sync.now'
  | 'sync.resolveRemovals'
  | 'sync.changePassword'
  | 'sync.removeDevice'
  | 'sync.enterPassword'
  | 'sync.leave';

export type SyncHandlers = {
  [C in SyncChannel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
};

const MAX_LISTED = 100;

/**
 * Sync in a running app: passes on unlock, ~2 s after each change, when the folder changes,
 * every 5 minutes and after a failure (30 s), one at a time and never while locked; what each
 * did, and any problem, kept for the window and pushed to it as `sync.status`.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const fs = deps.fs ?? nodeVaultFs;
  const random = deps.random ?? randomBytes;
  const watch = deps.watch ?? watchFolder;
  const debounceMs = deps.debounceMs ?? 2000;
  const folderDebounceMs = deps.folderDebounceMs ?? 500;
  const intervalMs = deps.intervalMs ?? 5 * 60 * 1000;
  const retryMs = deps.retryMs ?? 30 * 1000;
  const { session } = deps;
  // The next pass: on the test clock in tests, and never once the vault is locked (cancelled).
  const timer = createSoonestTimer(deps.clock, deps.timers, () => {
    void pass().catch((error: unknown) => deps.onBackgroundError?.(error));
  });

  const passDeps: SyncAdminDeps = {
    vault: {
      content: () => session.content(),
      update: (change) => session.update(change),
    },
    fs,
    clock: deps.clock,
    random,
  };

  let chosenFolder: string | null = null;
  let watcher: { folder: string; close(): Promise<void> } | null = null;
  let running: Promise<void> | null = null;
  let again: SyncPassOptions | null = null;
  // What the window is told; all of it forgotten on lock.
  let lastSyncAt: number | null = null;
  let last: SyncStatus['last'] = null;
  let problem: ChronokeyError | null = null;
  let outcome: SyncPassOutcome | null = null;
  let pendingIds: string[] = [];

  function forget(): void {
    timer.cancel();
    void closeWatcher();
    chosenFolder = null;
    lastSyncAt = null;
    last = null;
    problem = null;
    outcome = null;
    pendingIds = [];
    again = null;
  }

  async function closeWatcher(): Promise<void> {
    const closing = watcher;
    watcher = null;
    await closing?.close().catch((error: unknown) => deps.onBackgroundError?.(error));
  }

  /** Runs a pass at `ms` from now, unless one is due sooner. */
  function schedule(ms: number): void {
    if (session.isUnlocked) timer.in(ms);
  }

  /** One pass at a time; a request during one runs once more right after it. */
  async function pass(options: SyncPassOptions = {}): Promise<void> {
    if (running) {
      again = { ...again, ...options };
      return running;
    }
    running = (async () => {
      try {
        await runOne(options);
        while (again) {
          const next = again;
          again = null;
          await runOne(next);
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function runOne(options: SyncPassOptions): Promise<void> {
    if (!session.isUnlocked) return;
    const content = await session.content();
    if (!content.sync) {
      await closeWatcher();
      return;
    }
    await ensureWatcher(content.sync.folder);
    try {
      const result = await runSyncPass(passDeps, options);
      outcome = result;
      problem = null;
      lastSyncAt = result.at;
      pendingIds = result.pending?.ids ?? [];
      if (result.changes && result.wroteVault) {
        const summary = summariseChanges(result.changes, result.names, content.sync.deviceId);
        if (summary) last = { at: result.at, ...summary };
        deps.onVaultChanged?.();
      }
      schedule(intervalMs);
    } catch (error) {
      if (!session.isUnlocked) return;
      problem = isChronokeyError(error) ? error : null;
      if (!problem) {
        deps.onBackgroundError?.(error);
        problem = new ChronokeyError(toErrorShape(error).code, toErrorShape(error).message);
      }
      // A replaced key waits for the password; anything else is tried again soon.
      if (problem.code !== 'SYNC_KEY_CHANGED') schedule(retryMs);
    } finally {
      // This pass is over: 'syncing' only if another is queued behind it.
      if (session.isUnlocked) deps.events?.emit('sync.status', await status(again !== null));
    }
  }

  async function ensureWatcher(folder: string): Promise<void> {
    const root = syncPaths(folder).root;
    if (watcher?.folder === root) return;
    await closeWatcher();
    try {
      const handle = await watch(root, () => schedule(folderDebounceMs));
      watcher = { folder: root, close: () => handle.close() };
    } catch (error) {
      // The 5-minute passes still run; the watcher is tried again on the next pass.
      deps.onBackgroundError?.(error);
    }
  }

  async function status(syncing = running !== null): Promise<SyncStatus> {
    const content = await session.content();
    const sync = content.sync;
    if (!sync) {
      return {
        state: 'off',
        folder: null,
        deviceName: null,
        suggestedDeviceName: suggestedName(),
        lastSyncAt: null,
        devices: [],
        problem: null,
        refused: [],
        clockAhead: [],
        pending: null,
        last: null,
      };
    }
    const names = { ...outcome?.names };
    for (const [id, device] of Object.entries(sync.devices)) names[id] ??= device.name;
    const nameOf = (id: string) =>
      id === sync.deviceId ? sync.deviceName : (names[id] ?? 'another device');
    const pending = outcome?.pending ?? null;
    const byId = new Map(content.accounts.map((account) => [account.id, account]));
    return {
      state: syncing
        ? 'syncing'
        : problem?.code === 'SYNC_KEY_CHANGED'
          ? 'needs-password'
          : problem
            ? 'problem'
            : pending
              ? 'waiting'
              : 'idle',
      folder: syncPaths(sync.folder).root,
      deviceName: sync.deviceName,
      suggestedDeviceName: suggestedName(),
      lastSyncAt,
      devices: [
        { id: sync.deviceId, name: sync.deviceName, lastSeen: lastSyncAt, thisDevice: true },
        ...Object.entries(sync.devices)
          .map(([id, device]) => ({
            id,
            name: device.name,
            lastSeen: device.writtenAt,
            thisDevice: false,
          }))
          .sort((a, b) => b.lastSeen - a.lastSeen),
      ],
      problem: problem ? { code: problem.code, message: problem.message } : null,
      refused: (outcome?.refused ?? []).slice(0, MAX_LISTED).map((refusal) => ({
        file: refusal.file,
        device: refusal.deviceName,
        message: refusal.message,
      })),
      clockAhead: (outcome?.clockAhead ?? []).map(nameOf),
      pending: pending
        ? {
            count: pending.count,
            total: pending.total,
            devices: pending.devices.map(nameOf),
            accounts: pending.ids
              .slice(0, MAX_LISTED)
              .map((id) => byId.get(id))
              .filter((account) => account !== undefined)
              .map((account) => displayName(account)),
          }
        : null,
      last,
    };
  }

  function suggestedName(): string {
    const name = (deps.hostname ?? hostname)().trim().slice(0, 64);
    return name || 'This computer';
  }

  /** Whoever sends the accounts somewhere new must be the one who can open the vault. */
  async function checkVaultPassword(vaultPassword: string | undefined): Promise<void> {
    if (!session.vault().slots().includes('password')) return;
    if (vaultPassword === undefined) {
      throw new ChronokeyError(
        'VAULT_CURRENT_PASSWORD_REQUIRED',
        'Type your master password to change how this vault syncs.',
      );
    }
    await session.checkPassword(vaultPassword);
  }

  function requireFolder(): string {
    if (chosenFolder === null) throw syncErrors.folderNotChosen();
    return chosenFolder;
  }

  async function passNow(options: SyncPassOptions = {}): Promise<SyncStatus> {
    await pass(options);
    return status();
  }

  const handlers: SyncHandlers = {
    'sync.status': async () => status(),
    'sync.chooseFolder': async ({ purpose }) => {
      session.vault();
      const dialog = deps.folderDialog;
      if (!dialog) {
        throw new ChronokeyError(
          'SYNC_UNAVAILABLE',
          'There is no folder picker here; use "chronokey sync".',
        );
      }
      const folder = await dialog.chooseFolder({
        title:
          purpose === 'join'
            ? 'Choose the folder that holds Chronokey Sync'
            : 'Choose a folder to sync through',
      });
      if (folder === null) return null;
      chosenFolder = folder;
      const paths = syncPaths(folder);
      return { path: paths.root, holdsSync: await holdsSync(fs, paths) };
    },
    'sync.setup': async ({ password, deviceName, vaultPassword }) => {
      const folder = requireFolder();
      await checkVaultPassword(vaultPassword);
      await requireStrongPassword(password, 'sync');
      await setUpSync(passDeps, { folder, password, deviceName });
      chosenFolder = null;
      return passNow();
    },
    'sync.join': async ({ password, deviceName, vaultPassword }) => {
      const folder = requireFolder();
      await checkVaultPassword(vaultPassword);
      await joinSync(passDeps, { folder, password, deviceName });
      chosenFolder = null;
      return passNow();
    },
    'sync.now': async () => passNow(),
    'sync.resolveRemovals': async ({ apply }) => {
      if (!outcome?.pending) throw syncErrors.nothingPending();
      return passNow(apply ? { allowRemovals: true } : { keep: pendingIds });
    },
    'sync.changePassword': async ({ password, vaultPassword }) => {
      await checkVaultPassword(vaultPassword);
      await requireStrongPassword(password, 'sync');
      await changeSyncPassword(passDeps, password);
      return status();
    },
    'sync.removeDevice': async ({ deviceId, password, vaultPassword }) => {
      await checkVaultPassword(vaultPassword);
      await requireStrongPassword(password, 'sync');
      await removeDevice(passDeps, { deviceId, password });
      return passNow();
    },
    'sync.enterPassword': async ({ password }) => {
      await takeNewKey(passDeps, password);
      problem = null;
      return passNow();
    },
    'sync.leave': async () => {
      await leaveSync(passDeps);
      forget();
      return status();
    },
  };

  return {
    handlers,
    /** After unlock (or creating a vault): sync at once, without holding up the unlock. */
    async unlocked(): Promise<void> {
      forget();
      if ((await session.content()).sync) {
        void pass().catch((error: unknown) => deps.onBackgroundError?.(error));
      }
    },
    /** Resolves when no pass is running (tests; quitting). */
    async idle(): Promise<void> {
      while (running) await running.catch(() => undefined);
    },
    /** The vault changed here: sync after a quiet moment. */
    changed(): void {
      schedule(debounceMs);
    },
    /** The vault locked: no timer, watcher or report outlives it. */
    locked(): void {
      forget();
    },
    /** Stops everything (the app quits). */
    async close(): Promise<void> {
      forget();
      await running?.catch(() => undefined);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
