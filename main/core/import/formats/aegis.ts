import { ChronokeyError } from '../../../../shared/errors';
import { entryFromSourceFields } from '../entry';
import type { DecodeOptions, DecodedSource, ImportFormat, SniffedInput } from '../types';
import {
  collectEntries,
  decodeBase64,
  decodeHex,
  entryMalformed,
  entryName,
  isRecord,
  malformed,
  openAesGcm,
  optionalNumber,
  optionalText,
  parseJsonBytes,
  passwordRequired,
  scryptKey,
  skipped,
  tagNames,
  wrongPassword,
  type EntryOutcome,
  type JsonRecord,
} from './app-backup-json';
import { MAX_PASSWORD_SLOTS } from '../limits';

/**
 * Aegis Authenticator's vault (docs/vault.md in beemdevelopment/Aegis): `{version, header, db}`.
 * Plain vaults have `header.slots = null` and `db` as an object; encrypted ones wrap a random
 * master key in slots (password slots: scrypt → AES-256-GCM) and hold `db` as base64
 * AES-256-GCM ciphertext with `header.params {nonce, tag}` in hex.
 */

const PASSWORD_SLOT = 1;
/** Far above Aegis's N=2^15, r=8, p=1; refuses parameters meant to exhaust memory or time. */
const MAX_SCRYPT_MEMORY = 128 * 1024 * 1024;
const MAX_SCRYPT_P = 4;

export const aegisFormat: ImportFormat = {
  id: 'aegis',
  label: 'Aegis vault',
  detect: (input) => vaultOf(input) !== null,
  isEncrypted: (input) => typeof vaultOf(input)?.db === 'string',
  decode: decodeAegis,
};

function vaultOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json) || !isRecord(json.header)) return null;
  if (!isRecord(json.db) && typeof json.db !== 'string') return null;
  return 'slots' in json.header || 'params' in json.header || typeof json.version === 'number'
    ? json
    : null;
}

async function decodeAegis(input: SniffedInput, options: DecodeOptions): Promise<DecodedSource> {
  const vault = vaultOf(input);
  if (vault === null) throw malformed(input.name, 'this is not an Aegis vault.');
  const encrypted = typeof vault.db === 'string';
  const db = encrypted ? await decryptDb(input.name, vault, options.password) : vault.db;
  if (!isRecord(db) || !Array.isArray(db.entries)) {
    throw malformed(input.name, 'the Aegis vault has no list of entries.');
  }
  const groupNames = readGroups(db.groups);
  const found = collectEntries(db.entries, nameOf, (entry, index) =>
    convertEntry(entry, index, groupNames),
  );
  return {
    format: 'aegis',
    label: encrypted ? 'Aegis vault (encrypted)' : 'Aegis vault',
    ...found,
  };
}

async function decryptDb(
  inputName: string,
  vault: JsonRecord,
  password: string | undefined,
): Promise<unknown> {
  const header = vault.header as JsonRecord;
  if (!Array.isArray(header.slots) || !isRecord(header.params)) {
    throw malformed(inputName, 'the Aegis vault is encrypted but its header has no key slots.');
  }
  const nonce = hexField(header.params.nonce);
  const tag = hexField(header.params.tag);
  const ciphertext = decodeBase64(vault.db as string);
  if (nonce === null || tag === null || ciphertext === null) {
    throw malformed(inputName, "the Aegis vault's encrypted contents are damaged.");
  }
  const passwordSlots = header.slots.filter(
    (slot): slot is JsonRecord => isRecord(slot) && slot.type === PASSWORD_SLOT,
  );
  if (passwordSlots.length === 0) {
    throw new ChronokeyError(
      'IMPORT_UNSUPPORTED_ENCRYPTION',
      `${inputName}: this Aegis vault can only be opened with the phone's biometrics or a raw ` +
        'key, not a password. In Aegis, export the vault again with a password.',
    );
  }
  if (passwordSlots.length > MAX_PASSWORD_SLOTS) {
    // Each slot costs a key derivation: a file must not make Chronokey spend minutes on them.
    throw new ChronokeyError(
      'IMPORT_TOO_MANY_SLOTS',
      `${inputName}: this Aegis vault has ${passwordSlots.length} password slots; Chronokey tries at most ${MAX_PASSWORD_SLOTS}. Export the vault again from Aegis.`,
    );
  }
  if (password === undefined) throw passwordRequired(inputName, 'Aegis vault');

  for (const slot of passwordSlots) {
    const masterKey = await openPasswordSlot(inputName, slot, password);
    if (masterKey === null) continue;
    const plain = openAesGcm(masterKey, nonce, ciphertext, tag);
    if (plain === null) {
      throw malformed(
        inputName,
        "the password is right but the Aegis vault's contents are damaged.",
      );
    }
    const db = parseJsonBytes(plain);
    if (db === undefined) throw malformed(inputName, 'the decrypted Aegis vault is not JSON.');
    return db;
  }
  throw wrongPassword(inputName, 'Aegis vault');
}

/** The master key from a password slot, or null when the password does not open it. */
async function openPasswordSlot(
  inputName: string,
  slot: JsonRecord,
  password: string,
): Promise<Uint8Array | null> {
  const { n, r, p } = slot;
  const salt = hexField(slot.salt);
  const wrapped = hexField(slot.key);
  const keyParams = isRecord(slot.key_params) ? slot.key_params : {};
  const nonce = hexField(keyParams.nonce);
  const tag = hexField(keyParams.tag);
  if (
    !isWhole(n) ||
    !isWhole(r) ||
    !isWhole(p) ||
    salt === null ||
    wrapped === null ||
    nonce === null ||
    tag === null
  ) {
    throw malformed(inputName, 'a password slot of the Aegis vault is incomplete.');
  }
  // scrypt needs N a power of two above 1; memory is 128·N·r bytes.
  if (
    n < 2 ||
    (n & (n - 1)) !== 0 ||
    r < 1 ||
    p < 1 ||
    p > MAX_SCRYPT_P ||
    128 * n * r > MAX_SCRYPT_MEMORY
  ) {
    throw malformed(
      inputName,
      `a password slot asks for unusable scrypt settings (N=${n}, r=${r}, p=${p}).`,
    );
  }
  const derived = await scryptKey(password, salt, { n, r, p });
  return openAesGcm(derived, nonce, wrapped, tag);
}

function hexField(value: unknown): Uint8Array | null {
  return typeof value === 'string' ? decodeHex(value) : null;
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Group uuid → name (db version 3). */
function readGroups(groups: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(groups)) return names;
  for (const group of groups) {
    if (isRecord(group) && typeof group.uuid === 'string' && typeof group.name === 'string') {
      names.set(group.uuid, group.name);
    }
  }
  return names;
}

function nameOf(entry: unknown, index: number): string {
  const record = isRecord(entry) ? entry : {};
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return entryName(text(record.issuer), text(record.name), `Entry ${index + 1}`);
}

function convertEntry(
  entry: unknown,
  index: number,
  groupNames: Map<string, string>,
): EntryOutcome {
  if (!isRecord(entry)) throw entryMalformed('This entry is not an object.');
  const rawType = optionalText(entry.type, 'type')?.toLowerCase();
  const info = entry.info;
  if (!isRecord(info)) throw entryMalformed('This entry has no OTP information ("info").');
  if (rawType === 'motp' || rawType === 'yandex') {
    return skipped(
      nameOf(entry, index),
      'TYPE_UNSUPPORTED',
      `This is a ${rawType === 'motp' ? 'mOTP' : 'Yandex'} entry; Chronokey supports TOTP, ` +
        'HOTP and Steam codes only, so it stays in Aegis.',
    );
  }
  if (rawType !== 'totp' && rawType !== 'hotp' && rawType !== 'steam') {
    return skipped(
      nameOf(entry, index),
      'TYPE_UNSUPPORTED',
      `This entry is of type "${(rawType ?? '').slice(0, 40)}"; Chronokey supports TOTP, HOTP and Steam codes.`,
    );
  }
  const secret = optionalText(info.secret, 'secret') ?? '';
  const algorithm = optionalText(info.algo, 'algorithm');
  const digits = optionalNumber(info.digits, 'digits');
  const period = optionalNumber(info.period, 'period');
  const counter = optionalNumber(info.counter, 'counter');
  return entryFromSourceFields({
    type: rawType,
    issuer: optionalText(entry.issuer, 'issuer'),
    account: optionalText(entry.name, 'name'),
    secret,
    algorithm,
    digits,
    period,
    counter,
    tags: tagNames(tagsOf(entry, groupNames)),
    favourite: entry.favorite === true,
  });
}

/** Vault version 3 lists group uuids in `groups`; versions 1–2 had one `group` name. */
function tagsOf(entry: JsonRecord, groupNames: Map<string, string>): string[] {
  const tags: string[] = [];
  if (Array.isArray(entry.groups)) {
    for (const uuid of entry.groups) {
      const name = typeof uuid === 'string' ? groupNames.get(uuid) : undefined;
      if (name !== undefined) tags.push(name);
    }
  }
  if (typeof entry.group === 'string') tags.push(entry.group);
  return tags;
}
