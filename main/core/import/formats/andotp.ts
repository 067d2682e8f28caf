import { createDecipheriv, createHash, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import type { OtpType } from '../../../../shared/domain';
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
 * andOTP's backups. Plain (`otp_accounts.json`): a JSON array of
 *   {secret, issuer, label, digits, type: TOTP|HOTP|MOTP|STEAM, algorithm, thumbnail, last_used,
 *    used_frequency, period (TOTP only), counter (HOTP only), tags: [...]}.
 * Encrypted (`otp_accounts.json.aes`), as andOTP's BackupHelper writes it:
 *   4-byte big-endian PBKDF2 iteration count (andOTP picks 140,000–160,000) ‖ 12-byte salt ‖
 *   12-byte IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag,
 * key = PBKDF2-HMAC-SHA1(UTF-8 password, salt, iterations, 32 bytes). The old format (before
 * andOTP 0.6.3) is 12-byte IV ‖ ciphertext ‖ tag with key = SHA-256(password); it has no header
 * to recognise it by, so it is tried only when a file that looks like the new format does not
 * open with the new one.
 */

const LABEL_PLAIN = 'andOTP backup';
const LABEL_ENCRYPTED = 'andOTP backup (encrypted)';
const ITERATIONS_LENGTH = 4;
const SALT_LENGTH = 12;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
/** andOTP's own range is 140k–160k; anything outside this is not an andOTP file (or a trap). */
const MIN_ITERATIONS = 1000;
const MAX_ITERATIONS = 10_000_000;

const pbkdf2Async = promisify(pbkdf2);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikePlainBackup(json: unknown): json is unknown[] {
  return (
    Array.isArray(json) &&
    json.length > 0 &&
    json.every((item) => isRecord(item) && typeof item.secret === 'string' && 'label' in item)
  );
}

/** Binary (not text), long enough, and starting with a believable iteration count. */
function looksEncrypted(input: SniffedInput): boolean {
  if (input.text !== null) return false;
  const bytes = input.bytes;
  if (bytes.length < ITERATIONS_LENGTH + SALT_LENGTH + IV_LENGTH + TAG_LENGTH) return false;
  const iterations = readIterations(bytes);
  return iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS;
}

function readIterations(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
}

export const andOtpFormat: ImportFormat = {
  id: 'andotp',
  label: LABEL_PLAIN,
  detect: (input) => looksLikePlainBackup(input.json) || looksEncrypted(input),
  isEncrypted: (input) => !looksLikePlainBackup(input.json) && looksEncrypted(input),
  decode: decodeAndOtp,
};

async function decodeAndOtp(input: SniffedInput, options: DecodeOptions): Promise<DecodedSource> {
  if (looksLikePlainBackup(input.json)) {
    return { format: 'andotp', label: LABEL_PLAIN, ...readAccounts(input.json, input.name) };
  }
  if (!looksEncrypted(input)) throw malformed(input.name, 'it is not an andOTP backup');
  if (options.password === undefined || options.password === '') {
    throw new ChronokeyError(
      'IMPORT_PASSWORD_REQUIRED',
      `"${input.name}" is an encrypted andOTP backup. Enter the backup password set in andOTP.`,
    );
  }
  const plaintext =
    (await openNewFormat(input.bytes, options.password)) ??
    openOldFormat(input.bytes, options.password);
  if (plaintext === undefined) {
    throw new ChronokeyError(
      'IMPORT_WRONG_PASSWORD',
      `The password does not open "${input.name}" (or the file is damaged). Check andOTP's ` +
        'backup password and try again.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch (error) {
    throw malformed(input.name, 'its decrypted content is not JSON', error);
  }
  if (!Array.isArray(json)) throw malformed(input.name, 'its content is not a list of accounts');
  return { format: 'andotp', label: LABEL_ENCRYPTED, ...readAccounts(json, input.name) };
}

async function openNewFormat(bytes: Uint8Array, password: string): Promise<Buffer | undefined> {
  const iterations = readIterations(bytes);
  let offset = ITERATIONS_LENGTH;
  const salt = bytes.subarray(offset, (offset += SALT_LENGTH));
  const iv = bytes.subarray(offset, (offset += IV_LENGTH));
  const sealed = bytes.subarray(offset);
  const key = await pbkdf2Async(password, salt, iterations, KEY_LENGTH, 'sha1');
  return openGcm(key, iv, sealed);
}

function openOldFormat(bytes: Uint8Array, password: string): Buffer | undefined {
  const key = createHash('sha256').update(password, 'utf8').digest();
  return openGcm(key, bytes.subarray(0, IV_LENGTH), bytes.subarray(IV_LENGTH));
}

function openGcm(key: Buffer, iv: Uint8Array, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < TAG_LENGTH) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

const TYPES: Partial<Record<string, OtpType>> = { TOTP: 'totp', HOTP: 'hotp', STEAM: 'steam' };

function readAccounts(
  items: unknown[],
  sourceName: string,
): { entries: ImportedEntry[]; skipped: SkippedEntry[] } {
  assertEntryCount(items.length);
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  items.forEach((item, index) => {
    if (!isRecord(item)) {
      skipped.push({
        name: `Account ${index + 1}`,
        code: 'IMPORT_MALFORMED',
        message: `Account ${index + 1} in "${sourceName}" is not an andOTP account record.`,
      });
      return;
    }
    const issuer = typeof item.issuer === 'string' ? item.issuer : '';
    const account = typeof item.label === 'string' ? item.label : '';
    const name = issuer !== '' ? `${issuer}:${account}` : account || `Account ${index + 1}`;
    const rawType = typeof item.type === 'string' ? item.type.toUpperCase() : 'TOTP';
    const type = TYPES[rawType];
    if (type === undefined) {
      skipped.push({
        name,
        code: 'TYPE_UNSUPPORTED',
        message:
          rawType === 'MOTP'
            ? 'This is a mOTP account, which Chronokey cannot make codes for.'
            : `This account is of type "${rawType.slice(0, 20)}", which Chronokey does not know.`,
      });
      return;
    }
    const defaulted: ImportedEntry['defaulted'] = [];
    const digits = wholeNumber(item.digits);
    const period = wholeNumber(item.period);
    const counter = wholeNumber(item.counter);
    const algorithm = typeof item.algorithm === 'string' ? item.algorithm : undefined;
    if (algorithm === undefined) defaulted.push('algorithm');
    if (digits === undefined && type !== 'steam') defaulted.push('digits');
    if (period === undefined && type === 'totp') defaulted.push('period');
    if (counter === undefined && type === 'hotp') defaulted.push('counter');
    if (!('issuer' in item)) defaulted.push('issuer');
    try {
      entries.push(
        entryFromFields(
          {
            type,
            issuer,
            account,
            secret: typeof item.secret === 'string' ? item.secret : '',
            algorithm,
            digits: type === 'steam' ? undefined : digits,
            period: type === 'hotp' ? undefined : period,
            counter: type === 'hotp' ? counter : undefined,
            tags: Array.isArray(item.tags)
              ? item.tags.filter((tag): tag is string => typeof tag === 'string')
              : [],
          },
          defaulted,
        ),
      );
    } catch (error) {
      if (!isChronokeyError(error)) throw error;
      skipped.push({ name, code: error.code, message: error.message });
    }
  });
  return { entries, skipped };
}

/** A JSON number, or undefined when absent; the link parser rejects fractions and negatives. */
function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function malformed(name: string, what: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_MALFORMED',
    `"${name}" cannot be read as an andOTP backup: ${what}. Make a new backup in andOTP.`,
    cause === undefined ? undefined : { cause },
  );
}
