import type { Account } from '../../../shared/domain';
import type { ReplicaState, Stamp, SyncedAccount, SyncedFields } from '../../../shared/sync-state';
import { stampDevice } from './hlc';
import { repositionFor } from './positions';
import { FIELD_NAMES, copyRegister, isLive, type FieldName } from './replica-state';

/**
 * Between the vault's accounts and the merged replica state (docs/sync-format.md, "From the
 * merged state to the vault"): recording the vault's own changes into the state, joining
 * duplicates, and projecting the state back onto the vault.
 */

type FieldValues = { [F in FieldName]: SyncedFields[F]['value'] };

function fieldValues(account: Account): Omit<FieldValues, 'position'> {
  return {
    issuer: account.issuer,
    account: account.account,
    tags: [...account.tags],
    favourite: account.favourite,
    note: account.note ?? '',
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Live accounts in the order the vault shows them: by position, then by id. */
export function liveInOrder(state: ReplicaState): [string, SyncedAccount][] {
  return Object.entries(state.accounts)
    .filter(([, account]) => isLive(account))
    .sort(([idA, a], [idB, b]) => {
      const pa = a.fields.position.value;
      const pb = b.fields.position.value;
      if (pa !== pb) return pa < pb ? -1 : 1;
      return idA < idB ? -1 : idA > idB ? 1 : 0;
    });
}

/**
 * Writes into `state` what changed in the vault since the state was last projected onto it:
 * new accounts (and ones brought back, e.g. by Undo) with every field stamped, changed fields
 * with a new stamp, accounts gone from the vault as tombstones, moves as new positions, and
 * higher counters. `stamp` is called only when something changed (once is enough: every
 * change recorded in one pass happened "now").
 */
export function recordLocalChanges(
  state: ReplicaState,
  accounts: readonly Account[],
  deviceId: string,
  stamp: () => Stamp,
): number {
  let changes = 0;
  const inVault = new Set<string>();
  for (const account of accounts) {
    inVault.add(account.id);
    const known = state.accounts[account.id];
    const values = fieldValues(account);
    if (!known || !isLive(known)) {
      const now = stamp();
      const fields = Object.fromEntries(
        Object.entries(values).map(([name, value]) => [name, { value, stamp: now }]),
      ) as Omit<SyncedFields, 'position'>;
      state.accounts[account.id] = {
        otp: known?.otp ?? {
          type: account.type,
          secret: account.secret,
          algorithm: account.algorithm,
          digits: account.digits,
          period: account.period,
        },
        createdAt: known?.createdAt ?? account.createdAt,
        addedBy: known?.addedBy ?? deviceId,
        warnings: known?.warnings ?? structuredClone(account.warnings),
        counter: Math.max(known?.counter ?? 0, account.counter),
        lastUsedAt: maxOrNull(known?.lastUsedAt ?? null, account.lastUsedAt),
        // A position is given below, with the moves.
        fields: { ...fields, position: known?.fields.position ?? { value: '', stamp: now } },
        removed: known?.removed ?? null,
      };
      changes += 1;
      continue;
    }
    for (const name of FIELD_NAMES) {
      if (name === 'position') continue;
      if (!sameValue(known.fields[name].value, values[name])) {
        (known.fields as Record<FieldName, unknown>)[name] = {
          value: values[name],
          stamp: stamp(),
        };
        changes += 1;
      }
    }
    if (account.counter > known.counter) {
      known.counter = account.counter;
      changes += 1;
    }
    const lastUsed = maxOrNull(known.lastUsedAt, account.lastUsedAt);
    if (lastUsed !== known.lastUsedAt) {
      known.lastUsedAt = lastUsed;
      changes += 1;
    }
  }
  for (const [id, account] of Object.entries(state.accounts)) {
    if (!inVault.has(id) && isLive(account)) {
      account.removed = { stamp: stamp() };
      changes += 1;
    }
  }
  const moves = repositionFor(
    accounts.map((account) => account.id),
    (id) => state.accounts[id]?.fields.position.value || undefined,
  );
  for (const [id, position] of moves) {
    state.accounts[id]!.fields.position = { value: position, stamp: stamp() };
    changes += 1;
  }
  return changes;
}

/** What makes two accounts the same one: the same secret and the same way of making codes. */
function otpKey(account: SyncedAccount): string {
  const { type, secret, algorithm, digits, period } = account.otp;
  return JSON.stringify([type, secret, algorithm, digits, period]);
}

function nameKey(account: SyncedAccount): string {
  const issuer = account.fields.issuer.value.trim().toLocaleLowerCase('en');
  const name = account.fields.account.value.trim().toLocaleLowerCase('en');
  return `${issuer}\u0000${name}`;
}

export interface JoinedDuplicates {
  kept: string;
  joined: string[];
}

/**
 * Live accounts with the same secret and code parameters become one: the oldest (then the
 * smallest id) keeps its id and takes each field's newest value among them, the highest counter
 * and last use; the others get a tombstone. Where one device holds the same secret twice (it
 * was added under two names on purpose) only accounts with the same names are joined.
 */
export function joinDuplicates(state: ReplicaState, stamp: () => Stamp): JoinedDuplicates[] {
  const groups = new Map<string, [string, SyncedAccount][]>();
  for (const [id, account] of Object.entries(state.accounts)) {
    if (!isLive(account)) continue;
    const key = otpKey(account);
    const group = groups.get(key);
    if (group) group.push([id, account]);
    else groups.set(key, [[id, account]]);
  }
  const joins: JoinedDuplicates[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const devices = new Set(group.map(([, account]) => account.addedBy));
    const parts =
      devices.size === group.length ? [group] : [...partition(group, ([, a]) => nameKey(a))];
    for (const part of parts) {
      if (part.length < 2) continue;
      joins.push(joinGroup(part, stamp));
    }
  }
  return joins;
}

function joinGroup(group: [string, SyncedAccount][], stamp: () => Stamp): JoinedDuplicates {
  const sorted = [...group].sort(([idA, a], [idB, b]) =>
    a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : idA < idB ? -1 : 1,
  );
  const [[keptId, kept], ...others] = sorted as [
    [string, SyncedAccount],
    ...[string, SyncedAccount][],
  ];
  for (const [, other] of others) {
    for (const name of FIELD_NAMES) {
      if (other.fields[name].stamp > kept.fields[name].stamp) {
        (kept.fields as Record<FieldName, unknown>)[name] = copyRegister(other.fields[name]);
      }
    }
    kept.counter = Math.max(kept.counter, other.counter);
    kept.lastUsedAt = maxOrNull(kept.lastUsedAt, other.lastUsedAt);
  }
  const removal = stamp();
  for (const [, other] of others) {
    other.removed = { stamp: newestOf(removal, other) };
  }
  return { kept: keptId, joined: others.map(([id]) => id) };
}

/** A tombstone that really hides the account: newer than every one of its fields. */
function newestOf(removal: Stamp, account: SyncedAccount): Stamp {
  return FIELD_NAMES.reduce(
    (newest, name) => (account.fields[name].stamp > newest ? account.fields[name].stamp : newest),
    removal,
  );
}

function partition<T>(items: readonly T[], keyOf: (item: T) => string): Iterable<T[]> {
  const parts = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const part = parts.get(key);
    if (part) part.push(item);
    else parts.set(key, [item]);
  }
  return parts.values();
}

/** The vault's accounts for a state: its live accounts, in position order. */
export function projectAccounts(state: ReplicaState): Account[] {
  return liveInOrder(state).map(([id, synced]) => {
    const { fields } = synced;
    // In the schema's key order, so an unchanged account serialises (and compares) alike.
    return {
      type: synced.otp.type,
      issuer: fields.issuer.value,
      account: fields.account.value,
      secret: synced.otp.secret,
      algorithm: synced.otp.algorithm,
      digits: synced.otp.digits,
      period: synced.otp.period,
      counter: synced.counter,
      id,
      tags: [...fields.tags.value],
      favourite: fields.favourite.value,
      createdAt: synced.createdAt,
      lastUsedAt: synced.lastUsedAt,
      warnings: structuredClone(synced.warnings),
      ...(fields.note.value !== '' && { note: fields.note.value }),
    };
  });
}

/** What a pass did to the vault, each change with the device it came from. */
export interface ProjectionChanges {
  added: { id: string; device: string }[];
  updated: { id: string; device: string }[];
  removed: { id: string; device: string }[];
  /** Removed before (here or elsewhere) and back because another device edited them later. */
  restored: { id: string; device: string }[];
  /** Accounts joined into another with the same secret (not counted as removed). */
  joined: { id: string; into: string }[];
}

export function compareProjection(
  before: readonly Account[],
  after: readonly Account[],
  state: ReplicaState,
  wasRemoved: ReadonlySet<string>,
  joins: readonly JoinedDuplicates[],
): ProjectionChanges {
  const changes: ProjectionChanges = {
    added: [],
    updated: [],
    removed: [],
    restored: [],
    joined: [],
  };
  const joinedInto = new Map<string, string>();
  for (const join of joins) for (const id of join.joined) joinedInto.set(id, join.kept);
  const afterById = new Map(after.map((account) => [account.id, account]));
  const beforeIds = new Set(before.map((account) => account.id));
  for (const account of after) {
    const synced = state.accounts[account.id]!;
    if (!beforeIds.has(account.id)) {
      const list = wasRemoved.has(account.id) ? changes.restored : changes.added;
      list.push({
        id: account.id,
        device: wasRemoved.has(account.id) ? newestDevice(synced) : synced.addedBy,
      });
    }
  }
  for (const account of before) {
    const now = afterById.get(account.id);
    if (!now) {
      const into = joinedInto.get(account.id);
      if (into !== undefined) changes.joined.push({ id: account.id, into });
      else {
        const removal = state.accounts[account.id]?.removed?.stamp;
        changes.removed.push({ id: account.id, device: removal ? stampDevice(removal) : '' });
      }
      continue;
    }
    if (!sameShown(account, now)) {
      changes.updated.push({ id: account.id, device: newestDevice(state.accounts[account.id]!) });
    }
  }
  return changes;
}

/** What the person would notice: names, tags, favourite, note, counter, or place. */
function sameShown(a: Account, b: Account): boolean {
  return sameValue(fieldValues(a), fieldValues(b)) && a.counter === b.counter;
}

function newestDevice(account: SyncedAccount): string {
  let newest = account.fields.issuer.stamp;
  for (const name of FIELD_NAMES) {
    if (account.fields[name].stamp > newest) newest = account.fields[name].stamp;
  }
  return stampDevice(newest);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
