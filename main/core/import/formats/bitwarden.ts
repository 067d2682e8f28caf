import { argon2, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ChronokeyError } from '../../../../shared/errors';
import { entryFromTotpField } from './totp-field';
import type { DecodedSource, DecodeOptions, ImportFormat, SniffedInput } from '../types';
import {
  collectEntries,
  decodeBase64,
  entryName,
  isRecord,
  malformed,
  optionalText,
  parseJsonBytes,
  passwordRequired,
  pbkdf2Sha256,
  tagNames,
  wrongPassword,
  type EntryOutcome,
  type JsonRecord,
} from './app-backup-json';

/**
 * Bitwarden's JSON export: `{encrypted: false, folders: [{id, name}], items: [...]}`; a login item
 * (`type: 1`) keeps its authenticator key in `login.totp` as an otpauth:// link, a bare base32
 * secret, or `steam://SECRET`. Items without a key are not accounts and are passed over.
 * Encrypted exports (account-restricted or password-protected) are refused with a clear error.
 */

const LOGIN_ITEM = 1;

export const bitwardenFormat: ImportFormat = {
  id: 'bitwarden',
  label: 'Bitwarden export',
  detect: (input) => exportOf(input) !== null,
  // Only a password-protected export asks for a password; an account-restricted one is refused.
  isEncrypted: (input) => isPasswordProtected(exportOf(input)),
  decode: (input, options) => decodeBitwarden(input, options),
};

const PROTECTED_LABEL = 'Bitwarden export (password-protected)';
const PROTECTED_WHAT = 'password-protected Bitwarden export';

function isPasswordProtected(data: JsonRecord | null): boolean {
  return data !== null && data.encrypted === true && data.passwordProtected === true;
}

function exportOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json)) return null;
  if (typeof json.encrypted === 'boolean') {
    return Array.isArray(json.items) || typeof json.data === 'string' ? json : null;
  }
  // Exports written before the `encrypted` flag existed: items shaped like Bitwarden's.
  return Array.isArray(json.items) &&
    json.items.some((item) => isRecord(item) && typeof item.type === 'number' && 'login' in item)
    ? json
    : null;
}

async function decodeBitwarden(
  input: SniffedInput,
  options: DecodeOptions,
): Promise<DecodedSource> {
  const data = exportOf(input);
  if (data === null) throw malformed(input.name, 'this is not a Bitwarden export.');
  if (isPasswordProtected(data)) {
    const inner = await openProtectedExport(input.name, data, options.password);
    if (!isRecord(inner) || inner.encrypted === true || !Array.isArray(inner.items)) {
      throw malformed(
        input.name,
        'the password-protected Bitwarden export opened, but what it holds is not an unencrypted export.',
      );
    }
    return { ...readPlainExport(input.name, inner), label: PROTECTED_LABEL };
  }
  if (data.encrypted === true) {
    throw new ChronokeyError(
      'IMPORT_UNSUPPORTED_ENCRYPTION',
      `${input.name}: this is an encrypted Bitwarden export, and Chronokey reads only ` +
        'unencrypted ones. In Bitwarden, export the vault again choosing the ".json" format ' +
        '(not ".json (Encrypted)"), or choose the "Password protected" file type, import it, ' +
        'then delete the file.',
    );
  }
  return readPlainExport(input.name, data);
}

function readPlainExport(inputName: string, data: JsonRecord): DecodedSource {
  if (!Array.isArray(data.items))
    throw malformed(inputName, 'the Bitwarden export has no list of items.');
  const folders = namesById(data.folders);
  const collections = namesById(data.collections);
  const withKeys = data.items.filter(
    (item): item is JsonRecord =>
      isRecord(item) &&
      (item.type === undefined || item.type === LOGIN_ITEM) &&
      isRecord(item.login) &&
      typeof item.login.totp === 'string' &&
      item.login.totp.trim() !== '',
  );
  const found = collectEntries(withKeys, nameOf, (item) => convertItem(item, folders, collections));
  return { format: 'bitwarden', label: 'Bitwarden export', ...found };
}

/** Bitwarden's KdfType. */
const KDF_PBKDF2_SHA256 = 0;
const KDF_ARGON2ID = 1;

type KdfConfig =
  | { type: typeof KDF_PBKDF2_SHA256; iterations: number }
  | { type: typeof KDF_ARGON2ID; iterations: number; memoryMib: number; parallelism: number };

/**
 * The bounds Bitwarden's clients accept on import; the parameters come from the file, so they
 * also keep a file from asking for hours of PBKDF2 or gigabytes of Argon2 memory.
 */
const PBKDF2_ITERATIONS = { min: 5_000, max: 2_000_000 };
const ARGON2_ITERATIONS = { min: 2, max: 10 };
const ARGON2_MEMORY_MIB = { min: 16, max: 1024 };
const ARGON2_PARALLELISM = { min: 1, max: 16 };

function inRange(value: unknown, range: { min: number; max: number }): value is number {
  return (
    Number.isInteger(value) && (value as number) >= range.min && (value as number) <= range.max
  );
}

function kdfConfigOf(inputName: string, data: JsonRecord): KdfConfig {
  const unusable = (detail: string) =>
    malformed(
      inputName,
      `the password-protected Bitwarden export's key settings are unusable: ${detail}`,
    );
  if (data.kdfType === KDF_PBKDF2_SHA256) {
    if (!inRange(data.kdfIterations, PBKDF2_ITERATIONS)) {
      throw unusable(
        `PBKDF2 iterations must be a whole number from ${PBKDF2_ITERATIONS.min} to ${PBKDF2_ITERATIONS.max}.`,
      );
    }
    return { type: KDF_PBKDF2_SHA256, iterations: data.kdfIterations };
  }
  if (data.kdfType === KDF_ARGON2ID) {
    if (
      !inRange(data.kdfIterations, ARGON2_ITERATIONS) ||
      !inRange(data.kdfMemory, ARGON2_MEMORY_MIB) ||
      !inRange(data.kdfParallelism, ARGON2_PARALLELISM)
    ) {
      throw unusable(
        `Argon2id needs ${ARGON2_ITERATIONS.min}–${ARGON2_ITERATIONS.max} iterations, ` +
          `${ARGON2_MEMORY_MIB.min}–${ARGON2_MEMORY_MIB.max} MiB of memory and ` +
          `${ARGON2_PARALLELISM.min}–${ARGON2_PARALLELISM.max} threads.`,
      );
    }
    return {
      type: KDF_ARGON2ID,
      iterations: data.kdfIterations,
      memoryMib: data.kdfMemory,
      parallelism: data.kdfParallelism,
    };
  }
  throw unusable('the kind of key derivation (kdfType) is neither 0 (PBKDF2) nor 1 (Argon2id).');
}

/** An EncString of type 2: AES-256-CBC with HMAC-SHA256 over iv‖ciphertext. */
interface EncString {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  mac: Uint8Array;
}

const AES_CBC_HMAC_SHA256 = '2';

function readEncString(value: unknown): EncString | null {
  if (typeof value !== 'string') return null;
  const dot = value.indexOf('.');
  if (dot < 0 || value.slice(0, dot) !== AES_CBC_HMAC_SHA256) return null;
  const parts = value.slice(dot + 1).split('|');
  if (parts.length !== 3) return null;
  const [iv, ciphertext, mac] = parts.map((part) => decodeBase64(part));
  if (iv == null || ciphertext == null || mac == null) return null;
  if (iv.length !== 16 || mac.length !== 32) return null;
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
  return { iv, ciphertext, mac };
}

interface StretchedKey {
  encKey: Buffer;
  macKey: Buffer;
}

/** HKDF-Expand (RFC 5869) for one SHA-256 block: HMAC(prk, info ‖ 0x01). */
function hkdfExpand32(prk: Uint8Array, info: string): Buffer {
  return createHmac('sha256', prk).update(info, 'utf8').update(Buffer.of(1)).digest();
}

function argon2idKey(
  password: string,
  salt: string,
  config: Extract<KdfConfig, { type: typeof KDF_ARGON2ID }>,
): Promise<Uint8Array> {
  // Bitwarden gives Argon2id the SHA-256 of the salt string, and the memory in MiB.
  const nonce = createHash('sha256').update(salt, 'utf8').digest();
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: Buffer.from(password, 'utf8'),
        nonce,
        parallelism: config.parallelism,
        tagLength: 32,
        memory: config.memoryMib * 1024,
        passes: config.iterations,
      },
      (error, key) => {
        if (error === null) resolve(new Uint8Array(key));
        else reject(error);
      },
    );
  });
}

async function exportKey(password: string, salt: string, config: KdfConfig): Promise<StretchedKey> {
  const key =
    config.type === KDF_PBKDF2_SHA256
      ? await pbkdf2Sha256(password, Buffer.from(salt, 'utf8'), config.iterations)
      : await argon2idKey(password, salt, config);
  return { encKey: hkdfExpand32(key, 'enc'), macKey: hkdfExpand32(key, 'mac') };
}

function macMatches(key: StretchedKey, sealed: EncString): boolean {
  const mac = createHmac('sha256', key.macKey).update(sealed.iv).update(sealed.ciphertext).digest();
  return timingSafeEqual(mac, sealed.mac);
}

/** Decrypts a sealed value whose MAC has been checked; null if its padding is broken. */
function decryptCbc(key: StretchedKey, sealed: EncString): Uint8Array | null {
  try {
    const decipher = createDecipheriv('aes-256-cbc', key.encKey, sealed.iv);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]));
  } catch {
    return null;
  }
}

async function openProtectedExport(
  inputName: string,
  data: JsonRecord,
  password: string | undefined,
): Promise<unknown> {
  if (typeof data.salt !== 'string' || data.salt === '') {
    throw malformed(inputName, 'the password-protected Bitwarden export has no salt.');
  }
  const config = kdfConfigOf(inputName, data);
  const validation = readEncString(data.encKeyValidation_DO_NOT_EDIT);
  if (validation === null) {
    throw malformed(
      inputName,
      "the password-protected Bitwarden export's password check (encKeyValidation_DO_NOT_EDIT) is damaged.",
    );
  }
  const sealed = readEncString(data.data);
  if (sealed === null) {
    throw malformed(inputName, "the password-protected Bitwarden export's data is damaged.");
  }
  if (password === undefined) throw passwordRequired(inputName, PROTECTED_WHAT);
  const key = await exportKey(password, data.salt, config);
  // Bitwarden's own check: the password is right when the validation value opens.
  if (!macMatches(key, validation) || decryptCbc(key, validation) === null) {
    throw wrongPassword(inputName, PROTECTED_WHAT);
  }
  if (!macMatches(key, sealed)) {
    throw malformed(
      inputName,
      "the password is right, but the export's data fails its integrity check (the file was changed or damaged).",
    );
  }
  const plain = decryptCbc(key, sealed);
  const inner = plain === null ? undefined : parseJsonBytes(plain);
  if (inner === undefined) {
    throw malformed(inputName, "the password-protected Bitwarden export's data is not JSON.");
  }
  return inner;
}

function namesById(list: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(list)) return names;
  for (const entry of list) {
    if (isRecord(entry) && typeof entry.id === 'string' && typeof entry.name === 'string') {
      names.set(entry.id, entry.name);
    }
  }
  return names;
}

function nameOf(item: unknown, index: number): string {
  const record = isRecord(item) ? item : {};
  const login = isRecord(record.login) ? record.login : {};
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return entryName(text(record.name), text(login.username), `Item ${index + 1}`);
}

function convertItem(
  item: JsonRecord,
  folders: Map<string, string>,
  collections: Map<string, string>,
): EntryOutcome {
  const login = item.login as JsonRecord;
  const totp = (login.totp as string).trim();
  const itemName = optionalText(item.name, 'name')?.trim() ?? '';
  const username = optionalText(login.username, 'username')?.trim() ?? '';
  const folderId = typeof item.folderId === 'string' ? item.folderId : undefined;
  const tagSources = [folderId === undefined ? undefined : folders.get(folderId)];
  if (Array.isArray(item.collectionIds)) {
    for (const id of item.collectionIds) {
      if (typeof id === 'string') tagSources.push(collections.get(id));
    }
  }
  const tags = tagNames(tagSources.filter((name): name is string => name !== undefined));
  const favourite = item.favorite === true;

  return entryFromTotpField(totp, { title: itemName, username, tags, favourite });
}
