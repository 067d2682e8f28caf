import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ReplicaState, Stamp, StoredSync } from '../../../shared/sync-state';
import type { VaultContent } from '../../../shared/vault-content';
import type { Clock } from '../ports';
import type { RandomBytes } from '../vault/key-slots';
import { errnoCode } from '../vault/vault-errors';
import type { VaultFs } from '../vault/vault-fs';
import { HybridClock, stampMs } from './hlc';
import {
  compareProjection,
  joinDuplicates,
  projectAccounts,
  recordLocalChanges,
  type ProjectionChanges,
} from './projection';
import {
  ReplicaError,
  decodeReplica,
  encodeReplica,
  readReplicaHeader,
  type ReplicaHeader,
} from './replica-file';
import {
  FIELD_NAMES,
  TOMBSTONE_DAYS,
  isLive,
  joinInto,
  copyState,
  newestFieldStamp,
  newestStamp,
  pruneTombstones,
} from './replica-state';
import { syncErrors } from './sync-errors';
import {
  listReplicaFiles,
  readSyncFile,
  replicaName,
  sweepTempFiles,
  syncPaths,
  writeAtomically,
  type SyncPaths,
} from './sync-folder';

/**
 * One sync pass (docs/sync-format.md, "A sync pass"): record the vault's own changes, read and
 * merge the other devices' replicas that changed, project the result onto the vault in one
 * write (only if something changed), then write this device's replica (only if its state
 * changed). Replicas that fail a check are refused one by one; the rest still merge.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const TOMBSTONE_MS = TOMBSTONE_DAYS * DAY_MS;
/** More removals than this at once (or more than half the accounts) wait for the person. */
export const MASS_REMOVAL_COUNT = 10;

export interface SyncVault {
  content(): Promise<VaultContent>;
  update<T>(change: (draft: VaultContent) => T): Promise<T>;
}

export interface SyncPassDeps {
  vault: SyncVault;
  fs: VaultFs;
  clock: Clock;
  random: RandomBytes;
}

export interface SyncPassOptions {
  /** Apply removals above the mass-removal threshold (the person confirmed; CLI --yes). */
  allowRemovals?: boolean;
  /** Accounts to keep although other devices removed them (the person said "keep them"). */
  keep?: readonly string[];
}

export type RefusalReason = ReplicaError['problem'] | 'rollback' | 'unreadable';

export interface RefusedReplica {
  file: string;
  deviceId: string | null;
  deviceName: string | null;
  reason: RefusalReason;
  message: string;
}

export interface PendingRemovals {
  /** The accounts that would go. */
  ids: string[];
  count: number;
  total: number;
  /** Device ids the removals came from. */
  devices: string[];
}

export interface SyncPassOutcome {
  at: number;
  /** Null when the pass waits for the person to confirm removals (nothing was changed). */
  changes: ProjectionChanges | null;
  pending: PendingRemovals | null;
  refused: RefusedReplica[];
  /** Devices whose clock is more than 24 hours ahead (their newest edits were not taken). */
  clockAhead: string[];
  /** Every device's name as last seen, this one included. */
  names: Record<string, string>;
  merged: number;
  wroteVault: boolean;
  wroteReplica: boolean;
}

export interface Incoming {
  file: string;
  header: ReplicaHeader;
  state: ReplicaState;
  /** A sync engine's conflicted copy: merged, then deleted. */
  copy: boolean;
}

export interface Reading {
  incoming: Incoming[];
  refused: RefusedReplica[];
  /** The sequence in this device's own file, 0 when there is none. */
  ownSequence: number;
  /** Whether this device's own file is sealed with the current key (not before a removal). */
  ownKeyCurrent: boolean;
  names: Record<string, string>;
}

export async function runSyncPass(
  deps: SyncPassDeps,
  options: SyncPassOptions = {},
): Promise<SyncPassOutcome> {
  const content = await deps.vault.content();
  const sync = content.sync;
  if (!sync) throw syncErrors.notSetUp();
  const paths = syncPaths(sync.folder);
  const file = await readSyncFile(deps.fs, paths);
  if (file.folderId !== sync.folderId) throw syncErrors.folderReplaced();
  if (file.keyId !== sync.keyId) throw syncErrors.keyChanged();
  const now = deps.clock.now();
  const key = Buffer.from(sync.key, 'base64');
  try {
    await sweepTempFiles(deps.fs, paths.devices, replicaName(sync.deviceId)).catch(() => undefined);
    const stale = sync.lastPassAt !== null && now - sync.lastPassAt > TOMBSTONE_MS;
    const reading = await readReplicas(deps.fs, paths, sync, key, now, stale);
    const applied = await deps.vault.update((draft) =>
      applyPass(draft, sync, reading, now, stale, options),
    );
    const outcome: SyncPassOutcome = {
      at: now,
      changes: applied.changes,
      pending: applied.pending,
      refused: reading.refused,
      clockAhead: applied.clockAhead,
      names: reading.names,
      merged: reading.incoming.length,
      wroteVault: applied.wroteVault,
      wroteReplica: false,
    };
    if (!applied.write) return outcome;
    if (applied.write.replica) {
      const header: ReplicaHeader = {
        folderId: sync.folderId,
        keyId: sync.keyId,
        deviceId: sync.deviceId,
        deviceName: applied.write.deviceName,
        sequence: applied.write.sequence,
        writtenAt: now,
      };
      const bytes = encodeReplica(header, applied.write.state, key, deps.random);
      try {
        await writeAtomically(
          deps.fs,
          paths.devices,
          replicaName(sync.deviceId),
          bytes,
          deps.random,
        );
      } catch (error) {
        throw syncErrors.folderUnwritable(paths.root, error);
      }
      outcome.wroteReplica = true;
    }
    // Conflicted copies are merged into the replica just written: tidy them away.
    for (const copy of reading.incoming.filter((entry) => entry.copy)) {
      await deps.fs.unlink(join(paths.devices, copy.file)).catch(() => undefined);
    }
    return outcome;
  } finally {
    key.fill(0);
  }
}

async function readReplicas(
  fs: VaultFs,
  paths: SyncPaths,
  sync: StoredSync,
  key: Buffer,
  now: number,
  stale: boolean,
): Promise<Reading> {
  const reading: Reading = {
    incoming: [],
    refused: [],
    ownSequence: 0,
    ownKeyCurrent: false,
    names: {},
  };
  for (const [id, device] of Object.entries(sync.devices)) reading.names[id] = device.name;
  reading.names[sync.deviceId] = sync.deviceName;
  const refuse = (
    file: string,
    header: ReplicaHeader | null,
    reason: RefusalReason,
    message: string,
  ) =>
    reading.refused.push({
      file,
      deviceId: header?.deviceId ?? null,
      deviceName: header?.deviceName ?? null,
      reason,
      message,
    });

  for (const name of await listReplicaFiles(fs, paths)) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(join(paths.devices, name));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue; // replaced or tidied while listing
      refuse(name, null, 'unreadable', 'Chronokey cannot read it.');
      continue;
    }
    let header: ReplicaHeader;
    try {
      header = readReplicaHeader(bytes).header;
    } catch (error) {
      if (!(error instanceof ReplicaError)) throw error;
      refuse(name, null, error.problem, error.message);
      continue;
    }
    const copy = name !== replicaName(header.deviceId);
    const own = header.deviceId === sync.deviceId;
    if (header.folderId !== sync.folderId) {
      refuse(name, header, 'other-folder', 'It belongs to another sync folder.');
      continue;
    }
    if (own && !copy) {
      reading.ownSequence = header.sequence;
      reading.ownKeyCurrent = header.keyId === sync.keyId;
      // Only when this vault is older than its own replica (restored from a backup) is there
      // anything in it to take back.
      if (header.sequence <= sync.sequence || !reading.ownKeyCurrent) continue;
    }
    if (header.keyId !== sync.keyId) {
      refuse(
        name,
        header,
        'old-key',
        'It was written with a sync key that has since been replaced.',
      );
      continue;
    }
    if (!own && !copy) {
      reading.names[header.deviceId] = header.deviceName;
      // Too old to merge safely: removals older than this are forgotten everywhere, so it could
      // bring them back. Its device takes the folder's state when it syncs again.
      if (now - header.writtenAt > TOMBSTONE_MS) continue;
      const seen = sync.devices[header.deviceId];
      if (seen && header.sequence < seen.sequence) {
        refuse(
          name,
          header,
          'rollback',
          `It is older than the copy already merged (${header.sequence} < ${seen.sequence}).`,
        );
        continue;
      }
      if (seen && header.sequence === seen.sequence && !stale) continue; // unchanged
    }
    try {
      const { state } = decodeReplica(bytes, key);
      reading.incoming.push({ file: name, header, state, copy });
    } catch (error) {
      if (!(error instanceof ReplicaError)) throw error;
      refuse(name, header, error.problem, error.message);
    }
  }
  return reading;
}

export interface Applied {
  changes: ProjectionChanges | null;
  pending: PendingRemovals | null;
  clockAhead: string[];
  wroteVault: boolean;
  write: { replica: boolean; sequence: number; state: ReplicaState; deviceName: string } | null;
}

/** The pure part of a pass, under the vault lock: `draft` is changed only when it applies. */
export function applyPass(
  draft: VaultContent,
  read: StoredSync,
  reading: Reading,
  now: number,
  stale: boolean,
  options: SyncPassOptions,
): Applied {
  const sync = draft.sync;
  // Sync stopped, or the folder or key changed, while the replicas were read: try next time.
  if (!sync || sync.folderId !== read.folderId || sync.keyId !== read.keyId)
    throw syncErrors.notSetUp();
  const state = copyState(sync.state);
  const clock = new HybridClock(sync.deviceId, () => now, sync.clock);
  const once = () => {
    let stamp: Stamp | null = null;
    return () => (stamp ??= clock.tick());
  };

  recordLocalChanges(state, draft.accounts, sync.deviceId, once());
  const wasRemoved = new Set(
    Object.entries(state.accounts)
      .filter(([, account]) => !isLive(account))
      .map(([id]) => id),
  );
  const ahead = new Set<string>();
  for (const entry of reading.incoming) {
    const newest = newestStamp(entry.state);
    if (newest) clock.receive(newest);
    joinInto(state, entry.state, { now, future: ahead });
  }
  const mergeStamp = once();
  if (stale) dropForgottenRemovals(state, reading, now);
  for (const id of options.keep ?? []) revive(state, id, mergeStamp);
  const joins = joinDuplicates(state, mergeStamp);
  pruneTombstones(state, now);

  const projected = projectAccounts(state);
  const changes = compareProjection(draft.accounts, projected, state, wasRemoved, joins);
  const removals = changes.removed.length;
  const total = draft.accounts.length;
  if (
    !options.allowRemovals &&
    (removals > MASS_REMOVAL_COUNT || removals * 2 > total) &&
    removals > 0
  ) {
    return {
      changes: null,
      pending: {
        ids: changes.removed.map((removal) => removal.id),
        count: removals,
        total,
        devices: [...new Set(changes.removed.map((removal) => removal.device))],
      },
      clockAhead: [...ahead],
      wroteVault: false,
      write: null,
    };
  }

  const before = JSON.stringify(draft);
  draft.accounts = projected;
  const devices = { ...sync.devices };
  for (const entry of reading.incoming) {
    const id = entry.header.deviceId;
    if (entry.copy || id === sync.deviceId) continue;
    devices[id] = {
      name: entry.header.deviceName,
      sequence: Math.max(devices[id]?.sequence ?? 0, entry.header.sequence),
      writtenAt: entry.header.writtenAt,
    };
  }
  const ordered = canonical(state);
  const hash = createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
  const changed = hash !== sync.stateHash;
  const sequence = changed ? Math.max(sync.sequence, reading.ownSequence) + 1 : sync.sequence;
  draft.sync = {
    ...sync,
    state: ordered,
    stateHash: hash,
    sequence,
    clock: clock.last,
    devices,
    // Kept to the day (to tell a device that was away too long), so an idle pass writes nothing.
    lastPassAt:
      changed || sync.lastPassAt === null || now - sync.lastPassAt > DAY_MS ? now : sync.lastPassAt,
  };
  return {
    changes,
    pending: null,
    clockAhead: [...ahead],
    wroteVault: JSON.stringify(draft) !== before,
    write: {
      replica: changed || reading.ownSequence !== sequence || !reading.ownKeyCurrent,
      sequence,
      state: ordered,
      deviceName: sync.deviceName,
    },
  };
}

/** The state with its accounts in id order, so equal states serialise (and hash) alike. */
function canonical(state: ReplicaState): ReplicaState {
  const ids = Object.keys(state.accounts).sort();
  return {
    deviceId: state.deviceId,
    accounts: Object.fromEntries(ids.map((id) => [id, state.accounts[id]!])),
  };
}

/** Keeps an account other devices removed: every field stamped now, newer than the removal. */
function revive(state: ReplicaState, id: string, stamp: () => Stamp): void {
  const account = state.accounts[id];
  if (!account || isLive(account)) return;
  const now = stamp();
  for (const name of FIELD_NAMES) {
    (account.fields as Record<string, unknown>)[name] = { ...account.fields[name], stamp: now };
  }
}

/**
 * After more than 180 days away: an account this device still holds, unchanged for longer than
 * that, that no other device's replica holds any more, was removed elsewhere and its tombstone
 * has since been dropped. It goes here too, instead of coming back everywhere.
 */
function dropForgottenRemovals(state: ReplicaState, reading: Reading, now: number): void {
  const others = reading.incoming.filter((entry) => entry.header.deviceId !== state.deviceId);
  if (others.length === 0) return;
  const horizon = now - TOMBSTONE_MS;
  for (const [id, account] of Object.entries(state.accounts)) {
    if (others.some((entry) => id in entry.state.accounts)) continue;
    const newest =
      account.removed && account.removed.stamp > newestFieldStamp(account)
        ? account.removed.stamp
        : newestFieldStamp(account);
    if (stampMs(newest) < horizon) delete state.accounts[id];
  }
}
