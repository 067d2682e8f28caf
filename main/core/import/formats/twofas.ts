import { entryFromSourceFields } from '../entry';
import type { DecodeOptions, DecodedSource, ImportFormat, SniffedInput } from '../types';
import {
  collectEntries,
  decodeBase64,
  entryMalformed,
  entryName,
  isRecord,
  malformed,
  openAesGcm,
  optionalNumber,
  optionalText,
  parseJsonBytes,
  passwordRequired,
  pbkdf2Sha256,
  skipped,
  tagNames,
  wrongPassword,
  type EntryOutcome,
  type JsonRecord,
} from './app-backup-json';

/**
 * 2FAS Authenticator's `.2fas` backup: `{services: [...], groups: [{id, name}], schemaVersion}`.
 * A password-protected backup leaves `services` empty and carries `servicesEncrypted` and
 * `reference`, each "base64(ciphertext ‖ 16-byte GCM tag):base64(salt):base64(iv)", encrypted
 * with AES-256-GCM under PBKDF2-HMAC-SHA256(password, salt, 10,000 iterations, 32 bytes).
 * `reference` encrypts a fixed text, so opening it proves the password before anything else.
 */

const PBKDF2_ITERATIONS = 10_000;
const GCM_TAG_BYTES = 16;

export const twoFasFormat: ImportFormat = {
  id: '2fas',
  label: '2FAS backup',
  detect: (input) => backupOf(input) !== null,
  isEncrypted: (input) => isEncryptedBackup(backupOf(input)),
  decode: decodeTwoFas,
};

function backupOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json)) return null;
  const hasServices = Array.isArray(json.services) || typeof json.servicesEncrypted === 'string';
  if (!hasServices) return null;
  if (typeof json.schemaVersion === 'number') return json;
  // Without a schema version, accept it only if its services look like 2FAS's.
  return Array.isArray(json.services) &&
    json.services.some((service) => isRecord(service) && isRecord(service.otp))
    ? json
    : null;
}

function isEncryptedBackup(backup: JsonRecord | null): boolean {
  return typeof backup?.servicesEncrypted === 'string' && backup.servicesEncrypted.trim() !== '';
}

async function decodeTwoFas(input: SniffedInput, options: DecodeOptions): Promise<DecodedSource> {
  const backup = backupOf(input);
  if (backup === null) throw malformed(input.name, 'this is not a 2FAS backup.');
  const encrypted = isEncryptedBackup(backup);
  const services = encrypted
    ? await decryptServices(input.name, backup, options.password)
    : backup.services;
  if (!Array.isArray(services))
    throw malformed(input.name, 'the 2FAS backup has no list of services.');
  const groupNames = new Map<string, string>();
  if (Array.isArray(backup.groups)) {
    for (const group of backup.groups) {
      if (isRecord(group) && typeof group.id === 'string' && typeof group.name === 'string') {
        groupNames.set(group.id, group.name);
      }
    }
  }
  const found = collectEntries(inAppOrder(services), nameOf, (service, index) =>
    convertService(service, index, groupNames),
  );
  return {
    format: '2fas',
    label: encrypted ? '2FAS backup (encrypted)' : '2FAS backup',
    ...found,
  };
}

/** The order the app shows (`order.position`), keeping file order where it says nothing. */
function inAppOrder(services: unknown[]): unknown[] {
  const position = (service: unknown): number => {
    const value = isRecord(service) && isRecord(service.order) ? service.order.position : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : Number.MAX_SAFE_INTEGER;
  };
  return services
    .map((service, index) => ({ service, index, at: position(service) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ service }) => service);
}

interface Sealed {
  data: Uint8Array;
  salt: Uint8Array;
  iv: Uint8Array;
}

function readSealed(value: unknown): Sealed | null {
  if (typeof value !== 'string') return null;
  const [data, salt, iv] = value.split(':').map((part) => decodeBase64(part));
  if (data === undefined || salt === undefined || iv === undefined) return null;
  if (data === null || salt === null || iv === null) return null;
  if (data.length < GCM_TAG_BYTES || salt.length === 0 || iv.length === 0) return null;
  return { data, salt, iv };
}

/** Opens "ciphertext‖tag" with the key; null when the tag does not verify. */
function open(key: Uint8Array, sealed: Sealed): Uint8Array | null {
  const cut = sealed.data.length - GCM_TAG_BYTES;
  return openAesGcm(key, sealed.iv, sealed.data.subarray(0, cut), sealed.data.subarray(cut));
}

async function decryptServices(
  inputName: string,
  backup: JsonRecord,
  password: string | undefined,
): Promise<unknown> {
  const services = readSealed(backup.servicesEncrypted);
  if (services === null)
    throw malformed(inputName, "the 2FAS backup's encrypted services are damaged.");
  if (password === undefined) throw passwordRequired(inputName, '2FAS backup');
  const keys = new Map<string, Uint8Array>();
  const keyFor = async (salt: Uint8Array): Promise<Uint8Array> => {
    const id = Buffer.from(salt).toString('hex');
    const known = keys.get(id);
    if (known !== undefined) return known;
    const key = await pbkdf2Sha256(password, salt, PBKDF2_ITERATIONS);
    keys.set(id, key);
    return key;
  };
  const reference = readSealed(backup.reference);
  const referenceOpened =
    reference !== null && open(await keyFor(reference.salt), reference) !== null;
  if (reference !== null && !referenceOpened) throw wrongPassword(inputName, '2FAS backup');
  const plain = open(await keyFor(services.salt), services);
  if (plain === null) {
    if (referenceOpened) {
      throw malformed(
        inputName,
        "the password is right but the 2FAS backup's services are damaged.",
      );
    }
    throw wrongPassword(inputName, '2FAS backup');
  }
  const list = parseJsonBytes(plain);
  if (!Array.isArray(list))
    throw malformed(inputName, 'the decrypted 2FAS services are not a list.');
  return list;
}

function nameOf(service: unknown, index: number): string {
  const record = isRecord(service) ? service : {};
  const otp = isRecord(record.otp) ? record.otp : {};
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return entryName(
    text(record.name) ?? text(otp.issuer),
    text(otp.account),
    `Service ${index + 1}`,
  );
}

function convertService(
  service: unknown,
  index: number,
  groupNames: Map<string, string>,
): EntryOutcome {
  if (!isRecord(service)) throw entryMalformed('This service is not an object.');
  const otp = isRecord(service.otp) ? service.otp : {};
  const tokenType = (optionalText(otp.tokenType, 'token type') ?? 'TOTP').trim().toUpperCase();
  const type =
    tokenType === 'TOTP' || tokenType === ''
      ? 'totp'
      : tokenType === 'HOTP'
        ? 'hotp'
        : tokenType === 'STEAM'
          ? 'steam'
          : undefined;
  if (type === undefined) {
    return skipped(
      nameOf(service, index),
      'TYPE_UNSUPPORTED',
      `This service's codes are of type "${tokenType.slice(0, 40)}"; Chronokey supports TOTP, ` +
        'HOTP and Steam codes.',
    );
  }
  const name = optionalText(service.name, 'name')?.trim();
  const issuer = name !== undefined && name !== '' ? name : optionalText(otp.issuer, 'issuer');
  const algorithm = optionalText(otp.algorithm, 'algorithm');
  const digits = optionalNumber(otp.digits, 'digits');
  const period = optionalNumber(otp.period, 'period');
  const counter = optionalNumber(otp.counter, 'counter');
  const account = optionalText(otp.account, 'account');
  const groupId = optionalText(service.groupId, 'group');
  const group = groupId === undefined ? undefined : groupNames.get(groupId);
  return entryFromSourceFields({
    type,
    issuer,
    account: account !== undefined && account.trim() !== '' ? account : accountFromLabel(otp.label),
    secret: optionalText(service.secret, 'secret') ?? '',
    algorithm,
    digits,
    period,
    counter,
    tags: tagNames(group === undefined ? [] : [group]),
  });
}

/** `otp.label` is "Issuer:account" as the QR code said; used only when `account` is missing. */
function accountFromLabel(label: unknown): string | undefined {
  if (typeof label !== 'string') return undefined;
  const at = label.indexOf(':');
  return at === -1 ? label : label.slice(at + 1);
}
