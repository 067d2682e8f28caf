import { ChronokeyError } from '../../../../shared/errors';
import { bytesToBase32 } from '../../otp/base32';
import { entryFromSourceFields } from '../entry';
import type {
  DecodeOptions,
  DecodedSource,
  ImportFormat,
  ImportedEntry,
  SkippedEntry,
  SniffedInput,
} from '../types';
import { assertEntryCount } from '../limits';
import {
  collectEntries,
  decodeBase64,
  decodeHex,
  entryMalformed,
  entryName,
  malformed,
  passwordRequired,
  tagNames,
} from './app-backup-json';
import { KdfOutOfBounds, checkKdfBounds, kdbxweb } from './kdbx-engine';
import { entryFromTotpField } from './totp-field';

/**
 * KeePass and KeePassXC databases (`.kdbx`, KDBX 3.1 and 4: AES or ChaCha20, AES-KDF, Argon2d
 * or Argon2id), opened with kdbxweb and the password alone (key files and hardware keys are not
 * supported, and the error says so). Each entry's key, in the first of these that it has:
 *
 * - `otp`: KeePassXC's otpauth:// link (Steam as `encoder=steam`), or the KeeOtp plugin's
 *   `key=BASE32&size=6&step=30&type=Totp&otpHashMode=Sha256&counter=0`;
 * - KeePass 2.47+'s `TimeOtp-Secret` (the key as UTF-8 text), `-Secret-Hex`, `-Secret-Base32`
 *   or `-Secret-Base64`, with `TimeOtp-Length`, `TimeOtp-Period` and `TimeOtp-Algorithm`
 *   (`HMAC-SHA-1`, `HMAC-SHA-256`, `HMAC-SHA-512`);
 * - KeePass's `HmacOtp-Secret…` with `HmacOtp-Counter` (HOTP, 6 digits);
 * - KeePassXC 2.5's older `TOTP Seed` with `TOTP Settings` ("30;6", or "30;S" for Steam).
 *
 * Title and UserName name the account; tags and the groups it sits in (below the root) become
 * tags. Entries in the recycle bin are listed as skipped.
 */

const LABEL = 'KeePass database';
const WHAT = 'KeePass database';
const SIGNATURE = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];

export const keePassFormat: ImportFormat = {
  id: 'keepass',
  label: LABEL,
  detect: (input) => isKdbx(input.bytes),
  isEncrypted: () => true,
  decode: decodeKeePass,
};

function isKdbx(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && SIGNATURE.every((byte, at) => bytes[at] === byte);
}

type Entry = kdbxweb.KdbxEntry;

async function decodeKeePass(input: SniffedInput, options: DecodeOptions): Promise<DecodedSource> {
  if (!isKdbx(input.bytes)) throw malformed(input.name, `this is not a ${WHAT}.`);
  try {
    checkKdfBounds(input.bytes);
  } catch (error) {
    if (error instanceof KdfOutOfBounds) throw absurdKdf(input.name, error);
    throw error;
  }
  if (options.password === undefined) throw passwordRequired(input.name, WHAT);
  const db = await open(input, options.password);
  const recycleBin = db.meta.recycleBinUuid;
  const inBin = (entry: Entry) => {
    for (let group = entry.parentGroup; group !== undefined; group = group.parentGroup) {
      if (recycleBin !== undefined && group.uuid.equals(recycleBin)) return true;
    }
    return false;
  };
  const withKeys: Entry[] = [];
  const binned: SkippedEntry[] = [];
  for (const group of db.groups) {
    for (const entry of group.allEntries()) {
      if (!hasKey(entry)) continue;
      assertEntryCount(withKeys.length + binned.length + 1);
      if (inBin(entry)) {
        binned.push({
          name: nameOf(entry, withKeys.length + binned.length),
          code: 'ITEM_TRASHED',
          message:
            'This entry is in the recycle bin, so it was not imported. Restore it in KeePass to import it.',
        });
      } else {
        withKeys.push(entry);
      }
    }
  }
  const { entries, skipped } = collectEntries(withKeys, nameOf, convertEntry);
  return {
    format: 'keepass',
    label: `${LABEL} (KDBX ${db.header.versionMajor})`,
    entries,
    skipped: [...skipped, ...binned],
  };
}

async function open(input: SniffedInput, password: string): Promise<kdbxweb.Kdbx> {
  const bytes = input.bytes;
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
  try {
    return await kdbxweb.Kdbx.load(buffer, credentials);
  } catch (error) {
    if (error instanceof KdfOutOfBounds) throw absurdKdf(input.name, error);
    if (!(error instanceof kdbxweb.KdbxError)) {
      throw malformed(input.name, `the ${WHAT} is damaged or cut short.`);
    }
    switch (error.code) {
      case kdbxweb.Consts.ErrorCodes.InvalidKey:
        throw new ChronokeyError(
          'IMPORT_WRONG_PASSWORD',
          `${input.name}: the password does not open this ${WHAT}. Check it and try again. ` +
            'If the database also needs a key file or a hardware key, Chronokey cannot open it: ' +
            'in KeePassXC, save a copy protected by a password only, import that, then delete it.',
        );
      case kdbxweb.Consts.ErrorCodes.InvalidVersion:
        throw malformed(
          input.name,
          `this ${WHAT} is of a version Chronokey cannot read (it reads KDBX 3.1 and 4).`,
        );
      case kdbxweb.Consts.ErrorCodes.Unsupported:
        throw malformed(
          input.name,
          `this ${WHAT} uses a feature Chronokey cannot read (${error.message.slice(0, 80)}).`,
        );
      default:
        throw malformed(input.name, `the ${WHAT} is damaged or cut short.`);
    }
  }
}

function absurdKdf(inputName: string, error: KdfOutOfBounds): ChronokeyError {
  return malformed(
    inputName,
    `the ${WHAT} asks for ${error.detail}, far beyond what KeePass uses, so Chronokey did not try it.`,
  );
}

function field(entry: Entry, name: string): string | undefined {
  const value = entry.fields.get(name);
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.getText();
  return text.trim() === '' ? undefined : text.trim();
}

function nameOf(entry: Entry, index: number): string {
  return entryName(field(entry, 'Title'), field(entry, 'UserName'), `Entry ${index + 1}`);
}

const TIME_SECRETS = [
  'TimeOtp-Secret',
  'TimeOtp-Secret-Hex',
  'TimeOtp-Secret-Base32',
  'TimeOtp-Secret-Base64',
];
const HMAC_SECRETS = [
  'HmacOtp-Secret',
  'HmacOtp-Secret-Hex',
  'HmacOtp-Secret-Base32',
  'HmacOtp-Secret-Base64',
];

function hasKey(entry: Entry): boolean {
  return ['otp', 'TOTP Seed', ...TIME_SECRETS, ...HMAC_SECRETS].some(
    (name) => field(entry, name) !== undefined,
  );
}

/** The groups an entry sits in, below the root, and its own tags. */
function tagsOf(entry: Entry): string[] {
  const groups: string[] = [];
  for (let group = entry.parentGroup; group?.parentGroup !== undefined; group = group.parentGroup) {
    if (group.name !== undefined) groups.unshift(group.name);
  }
  return tagNames([...groups, ...entry.tags]);
}

function convertEntry(entry: Entry): ImportedEntry {
  const names = {
    title: field(entry, 'Title') ?? '',
    username: field(entry, 'UserName') ?? '',
    tags: tagsOf(entry),
  };
  const otp = field(entry, 'otp');
  if (otp !== undefined) {
    if (/^otpauth:\/\//i.test(otp)) return entryFromTotpField(otp, names);
    return keeOtp(otp, names);
  }
  const base = { issuer: names.title, account: names.username, tags: names.tags };
  const timeSecret = secretOf(entry, 'TimeOtp');
  if (timeSecret !== undefined) {
    return entryFromSourceFields({
      ...base,
      type: 'totp',
      secret: timeSecret,
      digits: wholeNumber(field(entry, 'TimeOtp-Length'), 'TimeOtp-Length') ?? 6,
      period: wholeNumber(field(entry, 'TimeOtp-Period'), 'TimeOtp-Period') ?? 30,
      algorithm: hmacAlgorithm(field(entry, 'TimeOtp-Algorithm')),
    });
  }
  const hmacSecret = secretOf(entry, 'HmacOtp');
  if (hmacSecret !== undefined) {
    return entryFromSourceFields({
      ...base,
      type: 'hotp',
      secret: hmacSecret,
      digits: 6,
      algorithm: 'SHA1',
      counter: wholeNumber(field(entry, 'HmacOtp-Counter'), 'HmacOtp-Counter') ?? 0,
    });
  }
  // KeePassXC before 2.6: "TOTP Seed" and "TOTP Settings" = "period;digits" or "period;S".
  const seed = field(entry, 'TOTP Seed') ?? '';
  const [period, digits] = (field(entry, 'TOTP Settings') ?? '30;6').split(';');
  const steam = digits?.trim().toUpperCase() === 'S';
  return entryFromSourceFields({
    ...base,
    type: steam ? 'steam' : 'totp',
    secret: seed,
    algorithm: steam ? undefined : 'SHA1',
    digits: steam ? undefined : (wholeNumber(digits, 'TOTP Settings') ?? 6),
    period: wholeNumber(period, 'TOTP Settings') ?? 30,
  });
}

/** The secret under one of the four names of KeePass's OTP scheme, as base32. */
function secretOf(entry: Entry, scheme: 'TimeOtp' | 'HmacOtp'): string | undefined {
  const utf8 = field(entry, `${scheme}-Secret`);
  if (utf8 !== undefined) return bytesToBase32(new TextEncoder().encode(utf8));
  const hex = field(entry, `${scheme}-Secret-Hex`);
  if (hex !== undefined) {
    const bytes = decodeHex(hex.replace(/\s+/g, ''));
    if (bytes === null) throw entryMalformed(`Its ${scheme}-Secret-Hex is not hexadecimal.`);
    return bytesToBase32(bytes);
  }
  const base32 = field(entry, `${scheme}-Secret-Base32`);
  if (base32 !== undefined) return base32;
  const base64 = field(entry, `${scheme}-Secret-Base64`);
  if (base64 !== undefined) {
    const bytes = decodeBase64(base64);
    if (bytes === null) throw entryMalformed(`Its ${scheme}-Secret-Base64 is not base64.`);
    return bytesToBase32(bytes);
  }
  return undefined;
}

function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\s*[0-9]{1,10}\s*$/.test(value))
    throw entryMalformed(`Its ${name} is not a whole number.`);
  return Number(value);
}

/** KeePass's "HMAC-SHA-256" as the link parser's "SHA256" (unknown names are left to it). */
function hmacAlgorithm(value: string | undefined): string {
  if (value === undefined) return 'SHA1';
  return value
    .toUpperCase()
    .replace(/^HMAC-/, '')
    .replace(/-/g, '');
}

/** The KeeOtp plugin's `key=…&size=…&step=…&type=…&otpHashMode=…&counter=…`. */
function keeOtp(
  value: string,
  names: { title: string; username: string; tags: string[] },
): ImportedEntry {
  const query = new URLSearchParams(value);
  const key = query.get('key');
  if (key === null)
    throw entryMalformed(
      'Its otp field is neither an otpauth:// link nor KeeOtp settings (key=…).',
    );
  const type = (query.get('type') ?? 'Totp').toLowerCase();
  if (type !== 'totp' && type !== 'hotp') {
    throw new ChronokeyError(
      'TYPE_UNSUPPORTED',
      `Its otp field is of type "${type.slice(0, 20)}"; Chronokey reads TOTP and HOTP.`,
    );
  }
  return entryFromSourceFields({
    type,
    issuer: names.title,
    account: names.username,
    tags: names.tags,
    secret: key,
    digits: wholeNumber(query.get('size') ?? '6', 'size'),
    period: type === 'totp' ? wholeNumber(query.get('step') ?? '30', 'step') : undefined,
    algorithm: (query.get('otpHashMode') ?? 'Sha1').toUpperCase(),
    counter: type === 'hotp' ? wholeNumber(query.get('counter') ?? '0', 'counter') : undefined,
  });
}
