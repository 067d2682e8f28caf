import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './aead';

/**
 * The vault file's byte layout (docs/vault-format.md is the reference):
 *
 *   magic "CHRONOKV" (8) | version u16 BE (2) | header length H u32 BE (4) | header JSON (H)
 *   | SHA-256 of all bytes before it (32) | nonce (12) | ciphertext | GCM tag (16)
 *
 * Everything up to and including the checksum is the "prefix" and is the payload's associated
 * data. The checksum is not a security measure (GCM is): it lets a damaged header be reported
 * as damage before any key is looked up or any KDF is run.
 */

export const MAGIC = Buffer.from('CHRONOKV', 'ascii');
/**
 * 2 adds `generation` to the header (rollback detection). Version 1 files are still read (as
 * generation 0); every write is version 2.
 */
export const FORMAT_VERSION = 2;
const OLDEST_READABLE_VERSION = 1;
export const CHECKSUM_BYTES = 32;
export const MAX_HEADER_BYTES = 64 * 1024;
const FIXED_BYTES = MAGIC.length + 2 + 4;

export const SCRYPT_MIN = { n: 2 ** 15, r: 8, p: 1 } as const;
/** Bounds a header may ask for, so a damaged or hostile file cannot demand gigabytes. */
export const SCRYPT_MAX = { n: 2 ** 20, r: 32, p: 16, memoryBytes: 1024 * 1024 * 1024 } as const;

export function base64Bytes(min: number, max = min) {
  return z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .refine(
      (text) => {
        const bytes = Buffer.from(text, 'base64');
        // Canonical only: one spelling per byte string keeps independent readers in agreement.
        return bytes.length >= min && bytes.length <= max && bytes.toString('base64') === text;
      },
      `expected ${min === max ? min : `${min}-${max}`} bytes of base64`,
    );
}

export const KeychainSlot = z.strictObject({
  type: z.literal('keychain'),
  nonce: base64Bytes(NONCE_BYTES),
  wrappedKey: base64Bytes(KEY_BYTES + TAG_BYTES),
});
export type KeychainSlot = z.infer<typeof KeychainSlot>;

/**
 * scrypt's parameters and salt, and a data key wrapped (AES-256-GCM) with the key scrypt derives:
 * the vault's password slot and the encrypted backup's header share these fields and bounds.
 */
export const scryptWrappedKeyFields = {
  kdf: z.literal('scrypt'),
  n: z
    .number()
    .int()
    .min(SCRYPT_MIN.n)
    .max(SCRYPT_MAX.n)
    .refine((n) => (n & (n - 1)) === 0, 'n must be a power of two'),
  r: z.number().int().min(SCRYPT_MIN.r).max(SCRYPT_MAX.r),
  p: z.number().int().min(SCRYPT_MIN.p).max(SCRYPT_MAX.p),
  salt: base64Bytes(16, 64),
  nonce: base64Bytes(NONCE_BYTES),
  wrappedKey: base64Bytes(KEY_BYTES + TAG_BYTES),
};

/** So a damaged or hostile file cannot demand gigabytes. */
export function scryptMemoryFits(params: { n: number; r: number; p: number }): boolean {
  return 128 * params.n * params.r * params.p <= SCRYPT_MAX.memoryBytes;
}

export const PasswordSlot = z
  .strictObject({ type: z.literal('password'), ...scryptWrappedKeyFields })
  .refine(scryptMemoryFits, 'scrypt needs too much memory');
export type PasswordSlot = z.infer<typeof PasswordSlot>;

export const KeySlot = z.union([KeychainSlot, PasswordSlot]);
export type KeySlot = z.infer<typeof KeySlot>;
export type SlotType = KeySlot['type'];

const headerV1Fields = {
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.number().int().nonnegative(),
  slots: z
    .array(KeySlot)
    .min(1)
    .max(2)
    .refine((slots) => new Set(slots.map((s) => s.type)).size === slots.length, 'duplicate slot'),
};
const VaultHeaderV1 = z.strictObject(headerV1Fields);

export const VaultHeader = z.strictObject({
  ...headerV1Fields,
  /**
   * One more on every write. Authenticated with the payload, so an older copy of the file put
   * back in place shows a lower number than the one last seen (see vault-state.ts).
   */
  generation: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type VaultHeader = z.infer<typeof VaultHeader>;

/** Why a file could not be read as a vault; vault.ts turns it into a user-facing error. */
export class VaultFileError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'newer-version',
    message: string,
    readonly version?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ParsedVaultFile {
  header: VaultHeader;
  /** Associated data for the payload: every byte from the magic to the end of the checksum. */
  prefix: Buffer;
  nonce: Buffer;
  /** Ciphertext followed by the GCM tag. */
  sealed: Buffer;
}

/** Builds the prefix (the payload's associated data) for a header. */
export function encodePrefix(header: VaultHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  if (json.length > MAX_HEADER_BYTES) throw new Error('vault header too large');
  const fixed = Buffer.alloc(FIXED_BYTES);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
  fixed.writeUInt32BE(json.length, MAGIC.length + 2);
  const checksum = createHash('sha256').update(fixed).update(json).digest();
  return Buffer.concat([fixed, json, checksum]);
}

export function assembleFile(prefix: Buffer, nonce: Buffer, sealed: Buffer): Buffer {
  return Buffer.concat([prefix, nonce, sealed]);
}

/** Reads the frame and header; never decrypts. Throws VaultFileError on anything unexpected. */
export function parseVaultFile(bytes: Buffer): ParsedVaultFile {
  if (bytes.length === 0) throw new VaultFileError('corrupt', 'the file is empty');
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new VaultFileError('corrupt', 'it does not start like a Chronokey vault');
  }
  if (bytes.length < FIXED_BYTES) throw new VaultFileError('corrupt', 'the file is cut short');
  const version = bytes.readUInt16BE(MAGIC.length);
  if (version > FORMAT_VERSION) {
    throw new VaultFileError('newer-version', `format version ${version}`, version);
  }
  if (version < OLDEST_READABLE_VERSION) {
    throw new VaultFileError('corrupt', `unknown format version ${version}`);
  }
  const headerLength = bytes.readUInt32BE(MAGIC.length + 2);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new VaultFileError('corrupt', 'the header length is impossible');
  }
  const checksumEnd = FIXED_BYTES + headerLength + CHECKSUM_BYTES;
  if (bytes.length < checksumEnd + NONCE_BYTES + TAG_BYTES) {
    throw new VaultFileError('corrupt', 'the file is cut short');
  }
  const expected = createHash('sha256')
    .update(bytes.subarray(0, FIXED_BYTES + headerLength))
    .digest();
  if (!expected.equals(bytes.subarray(FIXED_BYTES + headerLength, checksumEnd))) {
    throw new VaultFileError('corrupt', 'its header does not match its checksum');
  }
  let header: VaultHeader;
  try {
    const json: unknown = JSON.parse(
      bytes.subarray(FIXED_BYTES, FIXED_BYTES + headerLength).toString('utf8'),
    );
    header =
      version === 1 ? { ...VaultHeaderV1.parse(json), generation: 0 } : VaultHeader.parse(json);
  } catch (error) {
    throw new VaultFileError('corrupt', 'its header is not valid', undefined, { cause: error });
  }
  return {
    header,
    prefix: bytes.subarray(0, checksumEnd),
    nonce: bytes.subarray(checksumEnd, checksumEnd + NONCE_BYTES),
    sealed: bytes.subarray(checksumEnd + NONCE_BYTES),
  };
}
