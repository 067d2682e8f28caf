import { argon2 } from 'node:crypto';
import { promisify } from 'node:util';
import sodium from 'libsodium-wrappers-sumo';
import { ChronokeyError, isChronokeyError } from '../../../../shared/errors';
import { parseOtpauthUri } from '../../otp/otpauth-uri';
import type {
  DecodeOptions,
  DecodedSource,
  ImportFormat,
  ImportedEntry,
  SkippedEntry,
  SniffedInput,
} from '../types';
import { assertEntryCount } from '../limits';

/**
 * Ente Auth's exports. The plain export is a text file of otpauth:// links, one per line (the
 * pipeline's text format reads it; `decodeEnteLinks` also reads Ente's `codeDisplay` extras).
 * The encrypted export is JSON:
 *   { version: 1, kdfParams: { memLimit, opsLimit, salt }, encryptedData, encryptionNonce }
 * where the key is libsodium's crypto_pwhash (Argon2id 1.3, 32 bytes) of the UTF-8 password with
 * the given limits and 16-byte salt, and encryptedData is one crypto_secretstream
 * XChaCha20-Poly1305 message whose header is `encryptionNonce` (all base64). The plaintext is
 * the same list of links.
 */

const LABEL = 'Ente Auth export (encrypted)';
/** Ente derives with "sensitive" limits (1 GiB, 4 passes), halving memory and doubling passes on
 * small devices; anything far beyond that is refused rather than run. */
const MAX_MEM_LIMIT = 1024 * 1024 * 1024;
const MAX_KDF_WORK = 8 * 1024 * 1024 * 1024;
const MAX_OPS_LIMIT = 4096;

interface EnteEncryptedExport {
  version: number;
  memLimit: number;
  opsLimit: number;
  salt: string;
  encryptedData: string;
  encryptionNonce: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeEnteExport(json: unknown): boolean {
  return (
    isRecord(json) &&
    'encryptedData' in json &&
    'encryptionNonce' in json &&
    'kdfParams' in json &&
    isRecord(json.kdfParams)
  );
}

export const enteFormat: ImportFormat = {
  id: 'ente',
  label: LABEL,
  detect: (input) => looksLikeEnteExport(input.json),
  isEncrypted: (input) => looksLikeEnteExport(input.json),
  decode: decodeEnteExport,
};

async function decodeEnteExport(
  input: SniffedInput,
  options: DecodeOptions,
): Promise<DecodedSource> {
  const file = readExport(input);
  if (options.password === undefined || options.password === '') {
    throw new ChronokeyError(
      'IMPORT_PASSWORD_REQUIRED',
      `"${input.name}" is an encrypted Ente Auth export. Enter the password it was exported with.`,
    );
  }
  await sodium.ready;
  const salt = fromBase64(file.salt, input.name, 'salt');
  const header = fromBase64(file.encryptionNonce, input.name, 'encryptionNonce');
  const ciphertext = fromBase64(file.encryptedData, input.name, 'encryptedData');
  if (salt.length !== sodium.crypto_pwhash_SALTBYTES) {
    throw malformed(input.name, `its salt is ${salt.length} bytes instead of 16`);
  }
  if (header.length !== sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES) {
    throw malformed(input.name, `its encryptionNonce is ${header.length} bytes instead of 24`);
  }
  if (ciphertext.length < sodium.crypto_secretstream_xchacha20poly1305_ABYTES) {
    throw malformed(input.name, 'its encrypted data is too short');
  }

  let key: Buffer;
  try {
    key = await deriveKey(options.password, salt, file);
  } catch (error) {
    throw malformed(input.name, 'its key derivation settings cannot be used', error);
  }
  const plaintext = openSecretStream(key, header, ciphertext);
  key.fill(0);
  if (plaintext === undefined) {
    throw new ChronokeyError(
      'IMPORT_WRONG_PASSWORD',
      `The password does not open "${input.name}" (or the file is damaged). Check the password ` +
        'you gave when exporting from Ente Auth and try again.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (error) {
    throw malformed(input.name, 'its decrypted content is not text', error);
  }
  const { entries, skipped } = decodeEnteLinks(text);
  if (entries.length === 0 && skipped.length === 0) {
    throw malformed(input.name, 'it holds no accounts');
  }
  return { format: 'ente', label: LABEL, entries, skipped };
}

const argon2Async = promisify(argon2);

/**
 * libsodium's crypto_pwhash with ALG_ARGON2ID13 is Argon2id v1.3 with one lane, `opsLimit`
 * passes and `memLimit` bytes (in whole KiB), no secret and no associated data. Node's argon2
 * computes the same function (the tests check it against libsodium) on the thread pool: Ente's
 * own limits (1 GiB, 4 passes) take seconds, which libsodium's synchronous WebAssembly would
 * spend blocking the main process.
 */
function deriveKey(password: string, salt: Uint8Array, file: EnteEncryptedExport): Promise<Buffer> {
  return argon2Async('argon2id', {
    message: Buffer.from(password, 'utf8'),
    nonce: salt,
    parallelism: 1,
    tagLength: sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES,
    memory: Math.floor(file.memLimit / 1024),
    passes: file.opsLimit,
  });
}

/** One secretstream message; undefined when it does not authenticate under this key. */
function openSecretStream(
  key: Uint8Array,
  header: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  try {
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const result: unknown = sodium.crypto_secretstream_xchacha20poly1305_pull(
      state,
      ciphertext,
      null,
    );
    if (!isRecord(result) || !(result.message instanceof Uint8Array)) return undefined;
    return result.message;
  } catch {
    return undefined;
  }
}

function readExport(input: SniffedInput): EnteEncryptedExport {
  const json = input.json;
  if (!isRecord(json) || !isRecord(json.kdfParams)) {
    throw malformed(input.name, 'it is not an Ente Auth export');
  }
  const { version, encryptedData, encryptionNonce } = json;
  const { memLimit, opsLimit, salt } = json.kdfParams;
  if (version !== 1) {
    throw malformed(
      input.name,
      `it is export version ${JSON.stringify(version) ?? 'none'}, and Chronokey reads version 1`,
    );
  }
  if (
    typeof encryptedData !== 'string' ||
    typeof encryptionNonce !== 'string' ||
    typeof salt !== 'string'
  ) {
    throw malformed(input.name, 'its encryptedData, encryptionNonce or salt is missing');
  }
  if (
    typeof memLimit !== 'number' ||
    typeof opsLimit !== 'number' ||
    !Number.isSafeInteger(memLimit) ||
    !Number.isSafeInteger(opsLimit) ||
    memLimit < 8192 ||
    memLimit > MAX_MEM_LIMIT ||
    opsLimit < 1 ||
    opsLimit > MAX_OPS_LIMIT ||
    memLimit * opsLimit > MAX_KDF_WORK
  ) {
    throw malformed(
      input.name,
      'its key derivation settings (memLimit, opsLimit) are missing or out of range',
    );
  }
  return { version, memLimit, opsLimit, salt, encryptedData, encryptionNonce };
}

function fromBase64(value: string, name: string, field: string): Uint8Array {
  const cleaned = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(cleaned) || cleaned.replace(/=+$/, '').length % 4 === 1) {
    throw malformed(name, `its ${field} is not base64`);
  }
  return new Uint8Array(Buffer.from(cleaned.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

/**
 * Ente Auth's list of links, one per line. Ente adds a `codeDisplay` parameter holding JSON
 * ({pinned, trashed, tags, note, …}): tags become tags, pinned becomes favourite, and codes in
 * Ente's trash are listed as skipped. A line that is not a usable link is listed as skipped.
 */
export function decodeEnteLinks(text: string): {
  entries: ImportedEntry[];
  skipped: SkippedEntry[];
} {
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const lines = text.split(/\r?\n/);
  assertEntryCount(lines.filter((line) => line.trim() !== '').length);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '') return;
    let parsed: ReturnType<typeof parseOtpauthUri>;
    try {
      parsed = parseOtpauthUri(line);
    } catch (error) {
      if (!isChronokeyError(error)) throw error;
      skipped.push({ name: `Line ${index + 1}`, code: error.code, message: error.message });
      return;
    }
    const { warnings, ...params } = parsed;
    const display = readEnteCodeDisplay(line);
    const name = params.issuer !== '' ? `${params.issuer}:${params.account}` : params.account;
    if (display.trashed) {
      skipped.push({
        name,
        code: 'ENTE_TRASHED',
        message:
          "This code is in Ente Auth's trash, so it was not imported. Restore it in Ente Auth first if you want it.",
      });
      return;
    }
    entries.push({
      params,
      tags: [...new Set(display.tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))],
      favourite: display.pinned,
      defaulted: [],
      warnings,
    });
  });
  return { entries, skipped };
}

export interface EnteCodeDisplay {
  pinned: boolean;
  trashed: boolean;
  tags: string[];
}

/** Ente's display extras in one link (for the text format to keep tags and pins of plain exports). */
export function readEnteCodeDisplay(link: string): EnteCodeDisplay {
  const none: EnteCodeDisplay = { pinned: false, trashed: false, tags: [] };
  const queryStart = link.indexOf('?');
  if (queryStart === -1) return none;
  const raw = new URLSearchParams(link.slice(queryStart + 1).split('#')[0]).get('codeDisplay');
  if (raw === null) return none;
  let json: unknown;
  try {
    // Ente escapes commas inside the JSON once more (%2C) so they survive its own link parsing.
    json = JSON.parse(raw.replace(/%2C/gi, ','));
  } catch {
    return none;
  }
  if (!isRecord(json)) return none;
  return {
    pinned: json.pinned === true,
    trashed: json.trashed === true,
    tags: Array.isArray(json.tags)
      ? json.tags.filter((tag): tag is string => typeof tag === 'string').slice(0, 64)
      : [],
  };
}

function malformed(name: string, what: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_MALFORMED',
    `"${name}" cannot be read as an Ente Auth export: ${what}. Export it again from Ente Auth.`,
    cause === undefined ? undefined : { cause },
  );
}
