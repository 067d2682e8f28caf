import type { ReplicaState, Stamp, SyncedAccount, SyncedFields } from '../../../shared/sync-state';
import { FUTURE_TOLERANCE_MS, newer, stampDevice, stampMs } from './hlc';

/**
 * What a replica holds (docs/sync-format.md, "The payload"): every account this device knows,
 * each field a last-writer-wins register, counters by maximum, removals as tombstones. Merging
 * two states (`joinInto`) is commutative, associative and idempotent.
 */

export type FieldName = keyof SyncedFields;
export const FIELD_NAMES = ['issuer', 'account', 'tags', 'favourite', 'note', 'position'] as const;

/** Tombstones older than this are dropped (with their account, when nothing newer is in it). */
export const TOMBSTONE_DAYS = 180;

export function emptyState(deviceId: string): ReplicaState {
  return { deviceId, accounts: {} };
}

/**
 * A deep copy of a register, an account or a state, written out for their known shapes: a pass
 * copies thousands of them, and structuredClone costs several times more per small object.
 */
export function copyRegister<R extends { value: unknown; stamp: Stamp }>(register: R): R {
  const { value } = register;
  return { value: Array.isArray(value) ? [...value] : value, stamp: register.stamp } as R;
}

export function copyAccount(account: SyncedAccount): SyncedAccount {
  const { fields } = account;
  return {
    otp: { ...account.otp },
    createdAt: account.createdAt,
    addedBy: account.addedBy,
    warnings: account.warnings.map((warning) => ({ ...warning })),
    counter: account.counter,
    lastUsedAt: account.lastUsedAt,
    fields: {
      issuer: copyRegister(fields.issuer),
      account: copyRegister(fields.account),
      tags: copyRegister(fields.tags),
      favourite: copyRegister(fields.favourite),
      note: copyRegister(fields.note),
      position: copyRegister(fields.position),
    },
    removed: account.removed && { stamp: account.removed.stamp },
  };
}

export function copyState(state: ReplicaState): ReplicaState {
  const accounts: ReplicaState['accounts'] = {};
  for (const [id, account] of Object.entries(state.accounts)) accounts[id] = copyAccount(account);
  return { deviceId: state.deviceId, accounts };
}

/** The newest stamp among an account's fields. */
export function newestFieldStamp(account: SyncedAccount): Stamp {
  let newest = account.fields.issuer.stamp;
  for (const name of FIELD_NAMES) {
    const stamp = account.fields[name].stamp;
    if (stamp > newest) newest = stamp;
  }
  return newest;
}

/** Shown: no tombstone, or an edit newer than it. */
export function isLive(account: SyncedAccount): boolean {
  return account.removed === null || newestFieldStamp(account) > account.removed.stamp;
}

/**
 * Merges `incoming` into `local` (which is changed in place and returned). A register whose
 * stamp is more than 24 h ahead of `now` is not taken (its device is added to `future`), so a device
 * with a wrong clock cannot win every field; everything else follows the rules in
 * docs/sync-format.md, which make the result the same in any order.
 */
export function joinInto(
  local: ReplicaState,
  incoming: ReplicaState,
  options: { now: number; future?: Set<string> },
): ReplicaState {
  const trusted = (stamp: Stamp) => {
    if (stampMs(stamp) <= options.now + FUTURE_TOLERANCE_MS) return true;
    options.future?.add(stampDevice(stamp));
    return false;
  };
  for (const [id, theirs] of Object.entries(incoming.accounts)) {
    const ours = local.accounts[id];
    if (!ours) {
      const taken = copyAccount(theirs);
      for (const name of FIELD_NAMES) {
        if (!trusted(taken.fields[name].stamp)) {
          // A field from the future with nothing of ours to keep: take its value, stamped as
          // it would have been today, so it can lose to any real edit.
          const register = taken.fields[name];
          (taken.fields as Record<FieldName, unknown>)[name] = {
            ...register,
            stamp: clampStamp(register.stamp, options.now),
          };
        }
      }
      if (taken.removed && !trusted(taken.removed.stamp)) {
        taken.removed = { stamp: clampStamp(taken.removed.stamp, options.now) };
      }
      local.accounts[id] = taken;
      continue;
    }
    if (differentOrigin(ours, theirs) && prefersTheirs(ours, theirs)) {
      ours.otp = { ...theirs.otp };
      ours.createdAt = theirs.createdAt;
      ours.addedBy = theirs.addedBy;
      ours.warnings = theirs.warnings.map((warning) => ({ ...warning }));
    }
    for (const name of FIELD_NAMES) {
      const register = theirs.fields[name];
      if (newer(register.stamp, ours.fields[name].stamp) && trusted(register.stamp)) {
        (ours.fields as Record<FieldName, unknown>)[name] = copyRegister(register);
      }
    }
    ours.counter = Math.max(ours.counter, theirs.counter);
    ours.lastUsedAt = maxOrNull(ours.lastUsedAt, theirs.lastUsedAt);
    if (
      theirs.removed &&
      newer(theirs.removed.stamp, ours.removed?.stamp) &&
      trusted(theirs.removed.stamp)
    ) {
      ours.removed = { stamp: theirs.removed.stamp };
    }
  }
  return local;
}

/** Drops accounts whose tombstone is older than TOMBSTONE_DAYS and that nothing revived. */
export function pruneTombstones(state: ReplicaState, now: number): number {
  const cutoff = now - TOMBSTONE_DAYS * 24 * 60 * 60 * 1000;
  let dropped = 0;
  for (const [id, account] of Object.entries(state.accounts)) {
    if (account.removed && !isLive(account) && stampMs(account.removed.stamp) < cutoff) {
      delete state.accounts[id];
      dropped += 1;
    }
  }
  return dropped;
}

/** The newest stamp anywhere in a state (to start this device's clock past it). */
export function newestStamp(state: ReplicaState): Stamp | null {
  let newest: Stamp | null = null;
  for (const account of Object.values(state.accounts)) {
    const stamp = newestFieldStamp(account);
    if (newer(stamp, newest)) newest = stamp;
    if (account.removed && newer(account.removed.stamp, newest)) newest = account.removed.stamp;
  }
  return newest;
}

/** What an id is born with and never changes: its code parameters, time, device, warnings. */
function origin(account: SyncedAccount): string {
  const { type, secret, algorithm, digits, period } = account.otp;
  return JSON.stringify([
    type,
    secret,
    algorithm,
    digits,
    period,
    account.addedBy,
    account.warnings,
  ]);
}

function differentOrigin(a: SyncedAccount, b: SyncedAccount): boolean {
  // The common case (the same account on two devices) is told apart without serialising.
  if (
    a.createdAt === b.createdAt &&
    a.addedBy === b.addedBy &&
    a.otp.secret === b.otp.secret &&
    a.otp.type === b.otp.type &&
    a.otp.algorithm === b.otp.algorithm &&
    a.otp.digits === b.otp.digits &&
    a.otp.period === b.otp.period &&
    a.warnings.length === 0 &&
    b.warnings.length === 0
  )
    return false;
  return a.createdAt !== b.createdAt || origin(a) !== origin(b);
}

/** The same id born twice (damage, a forged replica): every device keeps the same one. */
function prefersTheirs(ours: SyncedAccount, theirs: SyncedAccount): boolean {
  if (theirs.createdAt !== ours.createdAt) return theirs.createdAt < ours.createdAt;
  return origin(theirs) < origin(ours);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** A stamp from the far future, brought back to now (keeping its counter and device). */
function clampStamp(stamp: Stamp, now: number): Stamp {
  return `${String(now).padStart(15, '0')}${stamp.slice(15)}`;
}
