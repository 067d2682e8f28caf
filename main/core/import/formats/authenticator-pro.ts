import { argon2, createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import type { Algorithm, OtpType } from '../../../../shared/domain';
import { ChronokeyError, isChronokeyError } from '../../../../shared/errors';
import { entryFromFields } from '../entry';
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
 * Authenticator Pro (now Stratum) backups, `.authpro` / `.stratum`. Plain: the app's Backup
 * object as .NET's System.Text.Json writes it (PascalCase names, enums as numbers):
 *   { Authenticators: [{Type, Icon, Issuer, Username, Secret, Pin, Algorithm, Digits, Period,
 *     Counter, CopyCount, Ranking}], Categories: [{Id, Name, Ranking}],
 *     AuthenticatorCategories: [{CategoryId, AuthenticatorSecret, Ranking}], CustomIcons }
 * with Type 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex and Algorithm 0 SHA1, 1 SHA256, 2 SHA512.
 * Encrypted, as Stratum.Core's backup encryption classes write it:
 *   current: "AUTHENTICATORPRO" ‖ 16-byte salt ‖ 12-byte IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag,
 *            key = Argon2id(UTF-8 password, salt, 3 passes, 64 MiB, parallelism 4, 32 bytes);
 *   legacy:  "AuthenticatorPro" ‖ 20-byte salt ‖ 16-byte IV ‖ AES-256-CBC (PKCS#7) ciphertext,
 *            key = PBKDF2-HMAC-SHA1(UTF-8 password, salt, 64,000 iterations, 32 bytes).
 */

const LABEL_PLAIN = 'Authenticator Pro backup';
const LABEL_ENCRYPTED = 'Authenticator Pro backup (encrypted)';

export const STRONG_HEADER = 'AUTHENTICATORPRO';
export const LEGACY_HEADER = 'AuthenticatorPro';
export const STRONG_PARAMETERS = {
  saltLength: 16,
  ivLength: 12,
  tagLength: 16,
  passes: 3,
  memoryKiB: 65536,
  parallelism: 4,
  keyLength: 32,
} as const;
export const LEGACY_PARAMETERS = {
  saltLength: 20,
  ivLength: 16,
  iterations: 64000,
  keyLength: 32,
} as const;

const argon2Async = promisify(argon2);
const pbkdf2Async = promisify(pbkdf2);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikePlainBackup(json: unknown): json is Record<string, unknown> {
  return isRecord(json) && Array.isArray(json.Authenticators);
}

function startsWith(bytes: Uint8Array, header: string): boolean {
  if (bytes.length < header.length) return false;
  for (let index = 0; index < header.length; index += 1) {
    if (bytes[index] !== header.charCodeAt(index)) return false;
  }
  return true;
}

function encryptedKind(bytes: Uint8Array): 'strong' | 'legacy' | undefined {
  if (startsWith(bytes, STRONG_HEADER)) return 'strong';
  if (startsWith(bytes, LEGACY_HEADER)) return 'legacy';
  return undefined;
}

export const authenticatorProFormat: ImportFormat = {
  id: 'authenticator-pro',
  label: LABEL_PLAIN,
  detect: (input) => looksLikePlainBackup(input.json) || encryptedKind(input.bytes) !== undefined,
  isEncrypted: (input) => encryptedKind(input.bytes) !== undefined,
  decode: decodeAuthenticatorPro,
};

async function decodeAuthenticatorPro(
  input: SniffedInput,
  options: DecodeOptions,
): Promise<DecodedSource> {
  const kind = encryptedKind(input.bytes);
  if (kind === undefined) {
    if (!looksLikePlainBackup(input.json)) {
      throw malformed(input.name, 'it is not an Authenticator Pro backup');
    }
    return {
      format: 'authenticator-pro',
      label: LABEL_PLAIN,
      ...readBackup(input.json, input.name),
    };
  }
  if (options.password === undefined || options.password === '') {
    throw new ChronokeyError(
      'IMPORT_PASSWORD_REQUIRED',
      `"${input.name}" is an encrypted Authenticator Pro backup. Enter the password it was ` +
        'backed up with.',
    );
  }
  const plaintext =
    kind === 'strong'
      ? await openStrong(input.bytes, options.password, input.name)
      : await openLegacy(input.bytes, options.password, input.name);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch (error) {
    // Legacy backups are CBC without a MAC: a wrong password can pass the padding check and
    // only show itself as garbage here.
    if (kind === 'legacy') throw wrongPassword(input.name);
    throw malformed(input.name, 'its decrypted content is not JSON', error);
  }
  if (!looksLikePlainBackup(json)) {
    if (kind === 'legacy') throw wrongPassword(input.name);
    throw malformed(input.name, 'its decrypted content has no list of authenticators');
  }
  return { format: 'authenticator-pro', label: LABEL_ENCRYPTED, ...readBackup(json, input.name) };
}

async function openStrong(bytes: Uint8Array, password: string, name: string): Promise<Buffer> {
  const p = STRONG_PARAMETERS;
  let offset = STRONG_HEADER.length;
  if (bytes.length < offset + p.saltLength + p.ivLength + p.tagLength) {
    throw malformed(name, 'it is too short (truncated?)');
  }
  const salt = bytes.subarray(offset, (offset += p.saltLength));
  const iv = bytes.subarray(offset, (offset += p.ivLength));
  const sealed = bytes.subarray(offset);
  const key = await argon2Async('argon2id', {
    message: Buffer.from(password, 'utf8'),
    nonce: salt,
    parallelism: p.parallelism,
    tagLength: p.keyLength,
    memory: p.memoryKiB,
    passes: p.passes,
  });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: p.tagLength });
    decipher.setAuthTag(sealed.subarray(sealed.length - p.tagLength));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - p.tagLength)),
      decipher.final(),
    ]);
  } catch {
    throw wrongPassword(name);
  } finally {
    key.fill(0);
  }
}

async function openLegacy(bytes: Uint8Array, password: string, name: string): Promise<Buffer> {
  const p = LEGACY_PARAMETERS;
  let offset = LEGACY_HEADER.length;
  const ciphertextLength = bytes.length - offset - p.saltLength - p.ivLength;
  if (ciphertextLength < 16 || ciphertextLength % 16 !== 0) {
    throw malformed(name, 'its encrypted data has the wrong length (truncated?)');
  }
  const salt = bytes.subarray(offset, (offset += p.saltLength));
  const iv = bytes.subarray(offset, (offset += p.ivLength));
  const key = await pbkdf2Async(password, salt, p.iterations, p.keyLength, 'sha1');
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([decipher.update(bytes.subarray(offset)), decipher.final()]);
  } catch {
    throw wrongPassword(name);
  } finally {
    key.fill(0);
  }
}

const TYPES: Partial<Record<number, OtpType>> = { 1: 'hotp', 2: 'totp', 4: 'steam' };
const UNSUPPORTED_TYPES: Partial<Record<number, string>> = { 3: 'mOTP', 5: 'Yandex' };
const ALGORITHMS: Partial<Record<number, Algorithm>> = { 0: 'SHA1', 1: 'SHA256', 2: 'SHA512' };

function readBackup(
  backup: Record<string, unknown>,
  sourceName: string,
): { entries: ImportedEntry[]; skipped: SkippedEntry[] } {
  assertEntryCount((backup.Authenticators as unknown[]).length);
  const tagsBySecret = readCategories(backup);
  const authenticators = (backup.Authenticators as unknown[])
    .map((item, index) => ({ item, index }))
    .sort((a, b) => ranking(a.item) - ranking(b.item) || a.index - b.index);
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { item, index } of authenticators) {
    if (!isRecord(item)) {
      skipped.push({
        name: `Authenticator ${index + 1}`,
        code: 'IMPORT_MALFORMED',
        message: `Authenticator ${index + 1} in "${sourceName}" is not an authenticator record.`,
      });
      continue;
    }
    const issuer = typeof item.Issuer === 'string' ? item.Issuer : '';
    const account = typeof item.Username === 'string' ? item.Username : '';
    const name =
      issuer !== ''
        ? `${issuer}:${account}`
        : account !== ''
          ? account
          : `Authenticator ${index + 1}`;
    const typeCode = typeof item.Type === 'number' ? item.Type : 2;
    const type = TYPES[typeCode];
    if (type === undefined) {
      const known = UNSUPPORTED_TYPES[typeCode];
      skipped.push({
        name,
        code: 'TYPE_UNSUPPORTED',
        message:
          known !== undefined
            ? `This is a ${known} account, which Chronokey cannot make codes for.`
            : `This account is of a kind Chronokey does not know (Type ${String(typeCode).slice(0, 12)}).`,
      });
      continue;
    }
    const defaulted: ImportedEntry['defaulted'] = [];
    let algorithm: Algorithm | undefined;
    if (typeof item.Algorithm === 'number') {
      algorithm = ALGORITHMS[item.Algorithm];
      if (algorithm === undefined) {
        skipped.push({
          name,
          code: 'ALGORITHM_UNSUPPORTED',
          message: `This account uses an algorithm Chronokey does not know (Algorithm ${item.Algorithm}).`,
        });
        continue;
      }
    } else if (type !== 'steam') {
      defaulted.push('algorithm');
    }
    const digits = finiteNumber(item.Digits);
    const period = finiteNumber(item.Period);
    const counter = finiteNumber(item.Counter);
    if (digits === undefined && type !== 'steam') defaulted.push('digits');
    if (period === undefined && type === 'totp') defaulted.push('period');
    if (counter === undefined && type === 'hotp') defaulted.push('counter');
    const secret = typeof item.Secret === 'string' ? item.Secret : '';
    try {
      entries.push(
        entryFromFields(
          {
            type,
            issuer,
            account,
            secret,
            algorithm: type === 'steam' ? undefined : algorithm,
            digits: type === 'steam' ? undefined : digits,
            period: type === 'hotp' ? undefined : period,
            counter: type === 'hotp' ? counter : undefined,
            tags: tagsBySecret.get(secret) ?? [],
          },
          defaulted,
        ),
      );
    } catch (error) {
      if (!isChronokeyError(error)) throw error;
      skipped.push({ name, code: error.code, message: error.message });
    }
  }
  return { entries, skipped };
}

/** Category names by authenticator secret (the app's key for an authenticator). */
function readCategories(backup: Record<string, unknown>): Map<string, string[]> {
  const names = new Map<string, string>();
  if (Array.isArray(backup.Categories)) {
    for (const category of backup.Categories) {
      if (
        isRecord(category) &&
        typeof category.Id === 'string' &&
        typeof category.Name === 'string'
      ) {
        names.set(category.Id, category.Name);
      }
    }
  }
  const tags = new Map<string, string[]>();
  if (Array.isArray(backup.AuthenticatorCategories)) {
    for (const binding of backup.AuthenticatorCategories) {
      if (!isRecord(binding) || typeof binding.AuthenticatorSecret !== 'string') continue;
      const name =
        typeof binding.CategoryId === 'string' ? names.get(binding.CategoryId) : undefined;
      if (name === undefined) continue;
      const list = tags.get(binding.AuthenticatorSecret) ?? [];
      list.push(name);
      tags.set(binding.AuthenticatorSecret, list);
    }
  }
  return tags;
}

function ranking(item: unknown): number {
  return isRecord(item) && typeof item.Ranking === 'number' && Number.isFinite(item.Ranking)
    ? item.Ranking
    : 0;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function wrongPassword(name: string): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_WRONG_PASSWORD',
    `The password does not open "${name}" (or the file is damaged). Check the backup password ` +
      'and try again.',
  );
}

function malformed(name: string, what: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_MALFORMED',
    `"${name}" cannot be read as an Authenticator Pro backup: ${what}. Make a new backup in ` +
      'Authenticator Pro (Stratum).',
    cause === undefined ? undefined : { cause },
  );
}
