import { randomBytes } from 'node:crypto';
import type { ChannelOutput, FollowStatus, HandlerInput } from '../../../shared/contract';
import { ChronokeyError } from '../../../shared/errors';
import { MAX_FOLLOWS, type StoredFollow } from '../../../shared/follow-state';
import type { FolderDialogPort } from '../backup/backup-handlers';
import type { EventPort } from '../import/import-handlers';
import type { ImportEngines } from '../import/read-input';
import type { Clock, TimerPort } from '../ports';
import type { VaultSession } from '../session';
import { createSoonestTimer } from '../soonest-timer';
import { watchFolder, type WatchPort } from '../sync/folder-watcher';
import { resolveMissing, runFollowPass, type FollowPassDeps } from './follow-pass';

export interface FollowServiceDeps {
  session: VaultSession;
  clock: Clock;
  timers: TimerPort;
  engines: ImportEngines;
  events?: EventPort;
  folderDialog?: FolderDialogPort;
  /** The folder watcher sync uses (chokidar by default). */
  watch?: WatchPort;
  list?: FollowPassDeps['list'];
  onVaultChanged?: () => void;
  onBackgroundError?: (error: unknown) => void;
  /** After a followed folder changed (default 1 s: engines copy in pieces). */
  folderDebounceMs?: number;
  /** The fallback when no event comes (default 5 minutes). */
  intervalMs?: number;
  /** While a backup is still being copied in (default 10 s). */
  retryMs?: number;
}

type FollowChannel =
  | 'follow.status'
  | 'follow.chooseFolder'
  | 'follow.add'
  | 'follow.setPassword'
  | 'follow.remove'
  | 'follow.now'
  | 'follow.resolveMissing';

export type FollowHandlers = {
  [C in FollowChannel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
};

const MAX_LISTED = 100;

/**
 * Keeping up with other apps' automatic backups in a running app: a pass over every followed
 * folder on unlock, when one of the folders changes (the same watcher as sync), every 5 minutes,
 * and soon again while a backup is still arriving. One pass at a time, never while locked.
 */
export function createFollowService(deps: FollowServiceDeps) {
  const watch = deps.watch ?? watchFolder;
  const folderDebounceMs = deps.folderDebounceMs ?? 1000;
  const intervalMs = deps.intervalMs ?? 5 * 60 * 1000;
  const retryMs = deps.retryMs ?? 10 * 1000;
  const { session } = deps;
  // The next pass: on the test clock in tests, and never once the vault is locked (cancelled).
  const timer = createSoonestTimer(deps.clock, deps.timers, () => {
    void pass().catch((error: unknown) => deps.onBackgroundError?.(error));
  });
  const passDeps: FollowPassDeps = {
    vault: { content: () => session.content(), update: (change) => session.update(change) },
    engines: deps.engines,
    clock: deps.clock,
    ...(deps.list !== undefined && { list: deps.list }),
  };

  let chosenFolder: string | null = null;
  const watchers = new Map<string, { close(): Promise<void> }>();
  let running: Promise<void> | null = null;
  let again = false;

  function forget(): void {
    timer.cancel();
    chosenFolder = null;
    again = false;
    for (const folder of [...watchers.keys()]) void closeWatcher(folder);
  }

  async function closeWatcher(folder: string): Promise<void> {
    const watcher = watchers.get(folder);
    watchers.delete(folder);
    await watcher?.close().catch((error: unknown) => deps.onBackgroundError?.(error));
  }

  function schedule(ms: number): void {
    if (session.isUnlocked) timer.in(ms);
  }

  async function pass(force: ReadonlySet<string> = new Set()): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        await runAll(force);
        while (again) {
          again = false;
          await runAll(new Set());
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function runAll(force: ReadonlySet<string>): Promise<void> {
    if (!session.isUnlocked) return;
    const follows = (await session.content()).follows ?? [];
    await keepWatchers(follows);
    let changedVault = false;
    let waiting = false;
    const started = deps.clock.now();
    for (const follow of follows) {
      if (!session.isUnlocked) return;
      try {
        const done = await runFollowPass(passDeps, follow.id, { force: force.has(follow.id) });
        // A pass that read nothing new answers with the last report (an older `at`).
        if (done.at >= started && done.added + done.changed > 0) changedVault = true;
        if (done.waiting) waiting = true;
      } catch (error) {
        if (!session.isUnlocked) return;
        deps.onBackgroundError?.(error);
      }
    }
    if (changedVault) deps.onVaultChanged?.();
    schedule(waiting ? retryMs : intervalMs);
    if (session.isUnlocked) deps.events?.emit('follow.status', await status(again));
  }

  async function keepWatchers(follows: readonly StoredFollow[]): Promise<void> {
    const wanted = new Set(follows.map((follow) => follow.folder));
    for (const folder of [...watchers.keys()]) if (!wanted.has(folder)) await closeWatcher(folder);
    for (const folder of wanted) {
      if (watchers.has(folder)) continue;
      try {
        watchers.set(folder, await watch(folder, () => schedule(folderDebounceMs)));
      } catch (error) {
        // The 5-minute passes still run; the watcher is tried again on the next pass.
        deps.onBackgroundError?.(error);
      }
    }
  }

  async function status(busy = running !== null): Promise<FollowStatus> {
    const follows = (await session.content()).follows ?? [];
    return {
      busy,
      follows: follows.map((follow) => ({
        id: follow.id,
        folder: follow.folder,
        hasPassword: follow.password !== null,
        last: follow.last,
        missing: follow.missing
          .slice(0, MAX_LISTED)
          .map((key) => follow.seen[key]?.label ?? 'An account'),
        missingCount: follow.missing.length,
      })),
    };
  }

  async function passNow(force: ReadonlySet<string> = new Set()): Promise<FollowStatus> {
    await pass(force);
    return status();
  }

  const handlers: FollowHandlers = {
    'follow.status': async () => status(),
    'follow.chooseFolder': async () => {
      session.vault();
      if (!deps.folderDialog) {
        throw new ChronokeyError(
          'FOLLOW_UNAVAILABLE',
          'There is no folder picker here; use "chronokey follow add".',
        );
      }
      const folder = await deps.folderDialog.chooseFolder({
        title: 'Choose the folder your phone app writes its backups into',
      });
      if (folder === null) return null;
      chosenFolder = folder;
      return { path: folder };
    },
    'follow.add': async ({ password }) => {
      if (chosenFolder === null) {
        throw new ChronokeyError('FOLLOW_FOLDER_NOT_CHOSEN', 'Choose the folder to follow first.');
      }
      const id = await addFollow(session, chosenFolder, password ?? null);
      chosenFolder = null;
      return passNow(new Set([id]));
    },
    'follow.setPassword': async ({ id, password }) => {
      await session.update((draft) => {
        const follow = draft.follows?.find((candidate) => candidate.id === id);
        if (!follow) throw unknownFollow();
        follow.password = password;
      });
      return passNow(new Set([id]));
    },
    'follow.remove': async ({ id }) => {
      await removeFollow(session, id);
      return passNow();
    },
    'follow.now': async () => {
      const follows = (await session.content()).follows ?? [];
      return passNow(new Set(follows.map((follow) => follow.id)));
    },
    'follow.resolveMissing': async ({ id, remove }) => {
      await session.update((draft) => resolveMissing(draft, id, remove));
      if (remove) deps.onVaultChanged?.();
      return status();
    },
  };

  return {
    handlers,
    async unlocked(): Promise<void> {
      forget();
      if (((await session.content()).follows ?? []).length > 0) {
        void pass().catch((error: unknown) => deps.onBackgroundError?.(error));
      }
    },
    async idle(): Promise<void> {
      while (running) await running.catch(() => undefined);
    },
    locked(): void {
      forget();
    },
    async close(): Promise<void> {
      forget();
      await running?.catch(() => undefined);
    },
  };
}

export type FollowService = ReturnType<typeof createFollowService>;

function unknownFollow(): ChronokeyError {
  return new ChronokeyError('FOLLOW_UNKNOWN', 'That folder is no longer followed.');
}

/** Adds a followed folder (the app and the CLI); refuses one already followed. */
export async function addFollow(
  session: Pick<VaultSession, 'update'>,
  folder: string,
  password: string | null,
): Promise<string> {
  const id = randomBytes(8).toString('hex');
  await session.update((draft) => {
    const follows = (draft.follows ??= []);
    if (follows.some((follow) => follow.folder === folder)) {
      throw new ChronokeyError('FOLLOW_ALREADY', `"${folder}" is already followed.`);
    }
    if (follows.length >= MAX_FOLLOWS) {
      throw new ChronokeyError(
        'FOLLOW_TOO_MANY',
        `Chronokey follows at most ${MAX_FOLLOWS} folders.`,
      );
    }
    follows.push({
      id,
      folder,
      password,
      file: null,
      backupAt: null,
      fileStamp: null,
      seen: {},
      missing: [],
      kept: [],
      last: null,
    });
  });
  return id;
}

export async function removeFollow(
  session: Pick<VaultSession, 'update'>,
  id: string,
): Promise<void> {
  await session.update((draft) => {
    const before = draft.follows?.length ?? 0;
    draft.follows = (draft.follows ?? []).filter((follow) => follow.id !== id);
    if (draft.follows.length === before) throw unknownFollow();
    if (draft.follows.length === 0) delete draft.follows;
  });
}
