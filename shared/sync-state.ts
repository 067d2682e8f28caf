import { z } from 'zod';
import { AccountWarning, Algorithm, MAX_DIGITS, OtpType, STEAM_DIGITS } from './domain';

/**
 * The shapes sync keeps (docs/sync-format.md): what one device's replica holds, and what the
 * vault keeps about the sync folder. Schemas only; the rules live in main/core/sync.
 */

/** `<ms, 15 digits>:<counter, 6 digits>:<deviceId>`: sorts as a string (see hlc.ts). */
export const STAMP_PATTERN = /^\d{15}:\d{6}:[0-9a-f]{32}$/;
export const Stamp = z.string().regex(STAMP_PATTERN);
export type Stamp = z.infer<typeof Stamp>;

export const DeviceId = z.string().regex(/^[0-9a-f]{32}$/);
export const FolderId = z.string().regex(/^[0-9a-f]{32}$/);
export const KeyId = z.string().regex(/^[0-9a-f]{16}$/);
export const DeviceName = z.string().trim().min(1).max(64);

const register = <T extends z.ZodType>(value: T) => z.strictObject({ value, stamp: Stamp });

/** How codes are made: fixed for the life of an account id. */
export const SyncedOtp = z.strictObject({
  type: OtpType,
  secret: z.string().min(1).max(1024),
  algorithm: Algorithm,
  digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS),
  period: z.number().int().positive().max(2_147_483_647),
});
export type SyncedOtp = z.infer<typeof SyncedOtp>;

/** A fractional index (fractional-indexing's base-62 keys), compared by character code. */
export const Position = z.string().regex(/^[A-Za-z][0-9A-Za-z]{0,255}$/);

/** Each a last-writer-wins register. */
export const SyncedFields = z.strictObject({
  issuer: register(z.string().max(512)),
  account: register(z.string().max(512)),
  tags: register(z.array(z.string().min(1).max(64)).max(64)),
  favourite: register(z.boolean()),
  note: register(z.string().max(4096)),
  position: register(Position),
});
export type SyncedFields = z.infer<typeof SyncedFields>;

export const SyncedAccount = z.strictObject({
  otp: SyncedOtp,
  createdAt: z.number().int().nonnegative(),
  /** The device that first brought the account into sync. */
  addedBy: DeviceId,
  warnings: z.array(AccountWarning).max(32),
  counter: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  lastUsedAt: z.number().int().nonnegative().nullable(),
  fields: SyncedFields,
  removed: z.strictObject({ stamp: Stamp }).nullable(),
});
export type SyncedAccount = z.infer<typeof SyncedAccount>;

/** Account ids as Chronokey makes them (UUIDs); never a name like `__proto__`. */
export const SyncedAccountId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);

export const ReplicaState = z.strictObject({
  deviceId: DeviceId,
  accounts: z.record(SyncedAccountId, SyncedAccount),
});
export type ReplicaState = z.infer<typeof ReplicaState>;

/** What this device remembers of another one (from its replica's header). */
export const KnownDevice = z.object({
  name: DeviceName,
  /** The highest sequence merged from it: a lower one later is a rollback. */
  sequence: z.number().int().nonnegative(),
  /** When it last wrote its replica (its own clock). */
  writtenAt: z.number().int().nonnegative(),
});
export type KnownDevice = z.infer<typeof KnownDevice>;

/**
 * Sync as the vault keeps it (inside the encrypted vault): the folder, the sync key, this
 * device's identity and clock, and the last merged state. Never crosses IPC.
 */
export const StoredSync = z.object({
  /** The folder the person picked; the data lives in its `Chronokey Sync` subfolder. */
  folder: z.string().min(1).max(4096),
  folderId: FolderId,
  keyId: KeyId,
  /** The 256-bit sync key, base64. */
  key: z.string().max(64),
  deviceId: DeviceId,
  deviceName: DeviceName,
  /** This device's last replica write (a new one is one more). */
  sequence: z.number().int().nonnegative(),
  /** SHA-256 of the state last given a sequence: a pass writes only when it differs. */
  stateHash: z.string().max(64),
  /** The newest stamp this device made or took. */
  clock: Stamp,
  lastPassAt: z.number().int().nonnegative().nullable(),
  devices: z.record(DeviceId, KnownDevice),
  state: ReplicaState,
});
export type StoredSync = z.infer<typeof StoredSync>;
