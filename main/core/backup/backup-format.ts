import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Account, MAX_ACCOUNTS } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, open, seal } from '../vault/aead';
import { deriveKeyFromPassword, type RandomBytes } from '../vault/key-slots';
import { SCRYPT_MIN, scryptMemoryFits, scryptWrappedKeyFields } from '../vault/vault-file';

/**
 * Chronokey's encrypted backup file (docs/backup-format.md is the reference):
 *
 *   magic "CHRONOKB" (8) | version u16 BE (2) | header length H u32 BE (4) | header JSON (H)
 *   | SHA-256 of all bytes before it (32) | payload nonce (12) | ciphertext | GCM tag (16)
 *
 * The header carries the scrypt parameters, the salt and a random data key wrapped with the
 * scrypt-derived key (as the vault's password slot does). The payload is encrypted with the
 * data key, the whole prefix (magic … checksum) as associated data. A wrong password fails
 * the key slot; damage anywhere else fails the checksum or the payload's tag, so the two are
 * told apart.
 */

export const BACKUP_MAGIC = Buffer.from('CHRONOKB', 'ascii');
export const BACKUP_VERSION = 1;
export const BACKUP_EXTENSION = '.ckb';
const FIXED_BYTES = BACKUP_MAGIC.length + 2 + 4;
const CHECKSUM_BYTES = 32;
const MAX_HEADER_BYTES = 64 * 1024;
const SALT_BYTES = 16;
/** Associated data of the wrapped data key: binds it to this file kind and version. */
const KEY_AAD = Buffer.from('chronokey-backup-key:v1', 'utf8');

export const BackupHeader = z
  .strictObject({ ...scryptWrappedKeyFields, createdAt: z.number().int().nonnegative() })
  .refine(scryptMemoryFits, 'scrypt needs too much memory');
export type BackupHeader = z.infer<typeof BackupHeader>;

/** What a backup holds: the accounts, in the user's order, with every field. */
export const BackupPayload = z.strictObject({
  format: z.literal('chronokey-backup'),
  version: z.literal(1),
  exportedAt: z.number().int().nonnegative(),
  accounts: z
    .array(Account)
    .max(MAX_ACCOUNTS)
    .refine((accounts) => new Set(accounts.map((a) => a.id)).size === accounts.length, {
      message: 'account ids repeat',
    }),
});
export type BackupPayload = z.infer<typeof BackupPayload>;

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/** The key a password gives for a backup, kept so automatic backups need not run scrypt each time. */
export interface BackupKey {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export async function deriveBackupKey(
  password: string,
  random: RandomBytes = randomBytes,
  params: ScryptParams = SCRYPT_MIN,
): Promise<BackupKey> {
  if (password.length === 0) {
    throw new ChronokeyError(
      'BACKUP_PASSWORD_EMPTY',
      'A backup needs a password; it cannot be empty.',
    );
  }
  const salt = random(SALT_BYTES);
  return { params, salt, key: await deriveKeyFromPassword(password, salt, params) };
}

/** Encrypts accounts into a backup file with a key from `deriveBackupKey`. */
export function encodeBackup(
  accounts: readonly Account[],
  backupKey: BackupKey,
  options: { now: number; random?: RandomBytes },
): Buffer {
  const random = options.random ?? randomBytes;
  if (accounts.length > MAX_ACCOUNTS) {
    throw new ChronokeyError(
      'BACKUP_TOO_MANY_ACCOUNTS',
      `A backup holds at most ${MAX_ACCOUNTS.toLocaleString('en')} accounts; this vault has ${accounts.length.toLocaleString('en')}. Remove some accounts, then back up again.`,
    );
  }
  const checked = BackupPayload.safeParse({
    format: 'chronokey-backup',
    version: 1,
    exportedAt: options.now,
    accounts,
  });
  if (!checked.success) {
    throw new ChronokeyError(
      'BACKUP_CONTENT_INVALID',
      'The accounts could not be put into a backup (two of them share an id, or one is damaged). Nothing was written.',
      { cause: checked.error },
    );
  }
  const payload: BackupPayload = checked.data;
  const dataKey = random(KEY_BYTES);
  try {
    const keyNonce = random(NONCE_BYTES);
    const header: BackupHeader = {
      kdf: 'scrypt',
      ...backupKey.params,
      salt: backupKey.salt.toString('base64'),
      nonce: keyNonce.toString('base64'),
      wrappedKey: seal(backupKey.key, keyNonce, dataKey, KEY_AAD).toString('base64'),
      createdAt: options.now,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const fixed = Buffer.alloc(FIXED_BYTES);
    BACKUP_MAGIC.copy(fixed, 0);
    fixed.writeUInt16BE(BACKUP_VERSION, 8);
    fixed.writeUInt32BE(headerBytes.length, 10);
    const beforeChecksum = Buffer.concat([fixed, headerBytes]);
    const prefix = Buffer.concat([beforeChecksum, sha256(beforeChecksum)]);
    const nonce = random(NONCE_BYTES);
    const sealed = seal(dataKey, nonce, Buffer.from(JSON.stringify(payload), 'utf8'), prefix);
    return Buffer.concat([prefix, nonce, sealed]);
  } finally {
    dataKey.fill(0);
  }
}

/** Encrypts with a password (runs scrypt once). */
export async function encryptBackup(
  accounts: readonly Account[],
  password: string,
  options: { now: number; random?: RandomBytes; params?: ScryptParams },
): Promise<Buffer> {
  const key = await deriveBackupKey(password, options.random, options.params);
  try {
    return encodeBackup(accounts, key, options);
  } finally {
    key.key.fill(0);
  }
}

/** True when the bytes start like a Chronokey backup (the magic); says nothing of the rest. */
export function looksLikeBackup(bytes: Uint8Array): boolean {
  return bytes.length >= BACKUP_MAGIC.length && BACKUP_MAGIC.equals(bytes.subarray(0, 8));
}

export interface ParsedBackup {
  header: BackupHeader;
  prefix: Buffer;
  nonce: Buffer;
  sealed: Buffer;
}

/**
 * Checks everything that can be checked without the password: magic, version, lengths,
 * checksum, header schema. `name` is how the file is called in error messages.
 */
export function parseBackup(bytes: Uint8Array, name: string): ParsedBackup {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = (what: string) =>
    new ChronokeyError(
      'BACKUP_DAMAGED',
      `"${name}" is damaged (${what}); nothing was restored. Try another copy of the backup.`,
    );
  if (!looksLikeBackup(data)) {
    throw new ChronokeyError(
      'BACKUP_NOT_CHRONOKEY',
      `"${name}" is not a Chronokey backup (it does not start with CHRONOKB).`,
    );
  }
  if (data.length < FIXED_BYTES) throw damaged('it is cut short');
  const version = data.readUInt16BE(8);
  if (version > BACKUP_VERSION) {
    throw new ChronokeyError(
      'BACKUP_VERSION_UNSUPPORTED',
      `"${name}" was made by a newer Chronokey (backup format ${version}; this one reads up to ${BACKUP_VERSION}). Update Chronokey to restore it.`,
    );
  }
  if (version === 0) throw damaged('its format version is 0');
  const headerLength = data.readUInt32BE(10);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES)
    throw damaged('its header length is wrong');
  const prefixLength = FIXED_BYTES + headerLength + CHECKSUM_BYTES;
  if (data.length < prefixLength + NONCE_BYTES + TAG_BYTES) throw damaged('it is cut short');
  const beforeChecksum = data.subarray(0, FIXED_BYTES + headerLength);
  if (!sha256(beforeChecksum).equals(data.subarray(FIXED_BYTES + headerLength, prefixLength))) {
    throw damaged('its header checksum does not match');
  }
  let header: BackupHeader;
  try {
    header = BackupHeader.parse(
      JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(
          data.subarray(FIXED_BYTES, FIXED_BYTES + headerLength),
        ),
      ),
    );
  } catch {
    throw damaged('its header is not valid');
  }
  return {
    header,
    prefix: Buffer.from(data.subarray(0, prefixLength)),
    nonce: Buffer.from(data.subarray(prefixLength, prefixLength + NONCE_BYTES)),
    sealed: Buffer.from(data.subarray(prefixLength + NONCE_BYTES)),
  };
}

/** Decrypts a backup with its password. Throws BACKUP_WRONG_PASSWORD, BACKUP_DAMAGED, … */
export async function decryptBackup(
  bytes: Uint8Array,
  password: string,
  name: string,
): Promise<BackupPayload> {
  const parsed = parseBackup(bytes, name);
  const key = await deriveKeyFromPassword(
    password,
    Buffer.from(parsed.header.salt, 'base64'),
    parsed.header,
  );
  try {
    return openParsedBackup(parsed, key, name);
  } finally {
    key.fill(0);
  }
}

/** Decrypts with an already derived key (automatic backups verify this way). */
export function decryptBackupWithKey(
  bytes: Uint8Array,
  backupKey: BackupKey,
  name: string,
): BackupPayload {
  const parsed = parseBackup(bytes, name);
  return openParsedBackup(parsed, backupKey.key, name);
}

function openParsedBackup(parsed: ParsedBackup, wrappingKey: Buffer, name: string): BackupPayload {
  const dataKey = open(
    wrappingKey,
    Buffer.from(parsed.header.nonce, 'base64'),
    Buffer.from(parsed.header.wrappedKey, 'base64'),
    KEY_AAD,
  );
  if (!dataKey) {
    throw new ChronokeyError(
      'BACKUP_WRONG_PASSWORD',
      `The password does not open "${name}". Type the password this backup was made with.`,
    );
  }
  try {
    const plain = open(dataKey, parsed.nonce, parsed.sealed, parsed.prefix);
    const damaged = new ChronokeyError(
      'BACKUP_DAMAGED',
      `"${name}" is damaged (its encrypted content does not check out); nothing was restored. Try another copy of the backup.`,
    );
    if (!plain) throw damaged;
    try {
      return BackupPayload.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw damaged;
    }
  } finally {
    dataKey.fill(0);
  }
}

/**
 * A hash of the accounts' content that does not depend on the order of keys in objects, so a
 * file read back can be compared with the vault it was made from.
 */
export function accountsHash(accounts: readonly Account[]): string {
  return sha256(Buffer.from(canonicalJson(accounts), 'utf8')).toString('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
