import { z } from 'zod';

/**
 * Following another app's automatic backups (docs/follow.md): the folders this vault follows,
 * kept inside the vault (the backup password too: it never leaves the encrypted vault).
 */

/** What the newest backup said about one account, by the key of its secret. */
export const FollowedAccount = z.object({
  accountId: z.string().max(128),
  issuer: z.string().max(512),
  account: z.string().max(512),
  tags: z.array(z.string().max(64)).max(64),
  counter: z.number().int().nonnegative(),
  /** How the person knows it ("Issuer:account"), for the "Removed on the phone?" list. */
  label: z.string().max(1100),
});
export type FollowedAccount = z.infer<typeof FollowedAccount>;

/** What one pass did, or why it did nothing. */
export const FollowReport = z.object({
  at: z.number().int().nonnegative(),
  file: z.string().max(1024).nullable(),
  /** The app (format) that wrote it, as the import names it ("Aegis vault (encrypted)"). */
  app: z.string().max(200).nullable(),
  /** When the backup was made, from its name (or its file time). */
  backupAt: z.number().int().nonnegative().nullable(),
  added: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** The file is still being copied in: tried again until it is whole. */
  waiting: z.boolean(),
  problem: z.object({ code: z.string().max(64), message: z.string().max(2000) }).nullable(),
});
export type FollowReport = z.infer<typeof FollowReport>;

export const StoredFollow = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  folder: z.string().min(1).max(4096),
  /** The backups' password, typed once; null for unencrypted backups. */
  password: z.string().max(1024).nullable(),
  /** The newest backup read so far, and when it was made (a pass reads only newer ones). */
  file: z.string().max(1024).nullable(),
  backupAt: z.number().int().nonnegative().nullable(),
  /** Its file time and size when read ("mtime:size"): a file rewritten under the same name is new. */
  fileStamp: z.string().max(64).nullable(),
  /** Key of the secret (followKey) → what the newest backup said. */
  seen: z.record(z.string().regex(/^[0-9a-f]{32}$/), FollowedAccount),
  /** Accounts the newest backup no longer holds: "Removed on the phone?". */
  missing: z.array(z.string()).max(100_000),
  /** Accounts the person chose to keep although the phone removed them: not asked again. */
  kept: z.array(z.string()).max(100_000),
  last: FollowReport.nullable(),
});
export type StoredFollow = z.infer<typeof StoredFollow>;

export const MAX_FOLLOWS = 16;
