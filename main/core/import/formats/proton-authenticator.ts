import type { DecodeOptions, DecodedSource, ImportFormat, SniffedInput } from '../types';
import {
  argon2Key,
  collectEntries,
  decodeBase64,
  describeValue,
  entryMalformed,
  entryName,
  isRecord,
  malformed,
  openAesGcm,
  parseJsonBytes,
  passwordRequired,
  skipped,
  wrongPassword,
  type JsonRecord,
} from './app-backup-json';
import { entryFromTotpField } from './totp-field';

/**
 * Proton Authenticator's export: `{version: 1, entries: [{id, content: {uri, entry_type, name},
 * note}]}`, where `entry_type` is "Totp" (an otpauth:// link) or "Steam" (`steam://SECRET`) and
 * `name` is the title the app shows. With a password the file is `{version: 1, salt, content}`:
 * the key is Argon2id(password, 16-byte salt; 19 MiB, 2 passes, 1 lane), and `content` is
 * base64(12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag) with the associated data
 * "proton.authenticator.export.v1" (from the app's published source).
 */

const AAD = Buffer.from('proton.authenticator.export.v1', 'utf8');
const ARGON2 = { memoryKib: 19 * 1024, passes: 2, parallelism: 1 };
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const LABEL = 'Proton Authenticator export';
const WHAT = 'Proton Authenticator export';

export const protonAuthenticatorFormat: ImportFormat = {
  id: 'proton-authenticator',
  label: LABEL,
  detect: (input) => exportOf(input) !== null,
  isEncrypted: (input) => isSealed(exportOf(input)),
  decode: decodeProtonAuthenticator,
};

function isSealed(data: JsonRecord | null): boolean {
  return data !== null && typeof data.salt === 'string' && typeof data.content === 'string';
}

function exportOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json) || !('version' in json)) return null;
  if (isSealed(json) && Object.keys(json).length <= 4) return json;
  return Array.isArray(json.entries) &&
    json.entries.some(
      (entry) => isRecord(entry) && isRecord(entry.content) && 'entry_type' in entry.content,
    )
    ? json
    : null;
}

async function decodeProtonAuthenticator(
  input: SniffedInput,
  options: DecodeOptions,
): Promise<DecodedSource> {
  const data = exportOf(input);
  if (data === null) throw malformed(input.name, `this is not a ${LABEL}.`);
  const sealed = isSealed(data);
  const plain = sealed ? await open(input.name, data, options.password) : data;
  if (!isRecord(plain) || !Array.isArray(plain.entries)) {
    throw malformed(input.name, `the ${WHAT} has no list of entries.`);
  }
  const found = collectEntries(plain.entries, nameOf, (entry, index) => {
    if (!isRecord(entry) || !isRecord(entry.content))
      throw entryMalformed('This entry is not an object.');
    const { uri, entry_type: type, name } = entry.content;
    if (type !== 'Totp' && type !== 'Steam') {
      return skipped(
        nameOf(entry, index),
        'TYPE_UNSUPPORTED',
        `This entry is of type ${describeValue(type)}; Chronokey reads TOTP and Steam entries.`,
      );
    }
    if (typeof uri !== 'string') throw entryMalformed('Its link is missing.');
    return entryFromTotpField(uri, { title: typeof name === 'string' ? name : '', username: '' });
  });
  return {
    format: 'proton-authenticator',
    label: sealed ? `${LABEL} (encrypted)` : LABEL,
    ...found,
  };
}

function nameOf(entry: unknown, index: number): string {
  const content = isRecord(entry) && isRecord(entry.content) ? entry.content : {};
  return entryName(
    typeof content.name === 'string' ? content.name : undefined,
    undefined,
    `Entry ${index + 1}`,
  );
}

async function open(
  inputName: string,
  data: JsonRecord,
  password: string | undefined,
): Promise<unknown> {
  if (data.version !== 1) {
    throw malformed(
      inputName,
      `this ${WHAT} is of version ${describeValue(data.version, 20)}, and Chronokey reads version 1.`,
    );
  }
  const salt = decodeBase64(data.salt as string);
  const content = decodeBase64(data.content as string);
  if (
    salt === null ||
    salt.length !== 16 ||
    content === null ||
    content.length < NONCE_BYTES + TAG_BYTES
  ) {
    throw malformed(inputName, `the encrypted ${WHAT} is damaged.`);
  }
  if (password === undefined) throw passwordRequired(inputName, WHAT);
  const key = await argon2Key('argon2id', Buffer.from(password, 'utf8'), salt, ARGON2);
  const plain = openAesGcm(
    key,
    content.subarray(0, NONCE_BYTES),
    content.subarray(NONCE_BYTES, content.length - TAG_BYTES),
    content.subarray(content.length - TAG_BYTES),
    AAD,
  );
  if (plain === null) throw wrongPassword(inputName, WHAT);
  const inner = parseJsonBytes(plain);
  if (inner === undefined) throw malformed(inputName, `the decrypted ${WHAT} is not JSON.`);
  return inner;
}
