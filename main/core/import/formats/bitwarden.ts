import { ChronokeyError } from '../../../../shared/errors';
import { parseOtpauthUri } from '../../otp/otpauth-uri';
import { entryFromFields } from '../entry';
import type { DecodedSource, ImportFormat, ImportedEntry, SniffedInput } from '../types';
import {
  collectEntries,
  entryName,
  isRecord,
  malformed,
  optionalText,
  tagNames,
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
const BARE_SECRET_DEFAULTS: ImportedEntry['defaulted'] = ['algorithm', 'digits', 'period'];

export const bitwardenFormat: ImportFormat = {
  id: 'bitwarden',
  label: 'Bitwarden export',
  detect: (input) => exportOf(input) !== null,
  // Neither kind of encrypted export can be opened here, so no password is asked for.
  isEncrypted: () => false,
  // async, so that every problem arrives as a rejected promise, never a synchronous throw.
  decode: async (input) => decodeBitwarden(input),
};

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

function decodeBitwarden(input: SniffedInput): DecodedSource {
  const data = exportOf(input);
  if (data === null) throw malformed(input.name, 'this is not a Bitwarden export.');
  if (data.encrypted === true) {
    throw new ChronokeyError(
      'IMPORT_UNSUPPORTED_ENCRYPTION',
      `${input.name}: this is an encrypted Bitwarden export, and Chronokey reads only ` +
        'unencrypted ones. In Bitwarden, export the vault again choosing the ".json" format ' +
        '(not ".json (Encrypted)"), import it, then delete the file.',
    );
  }
  if (!Array.isArray(data.items))
    throw malformed(input.name, 'the Bitwarden export has no list of items.');
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

  if (/^otpauth:\/\//i.test(totp)) {
    const { warnings, ...params } = parseOtpauthUri(totp);
    // A link without names takes the item's, which is how Bitwarden shows it.
    const entry = entryFromFields({
      ...params,
      issuer: params.issuer !== '' ? params.issuer : itemName,
      account: params.account !== '' ? params.account : username,
      tags,
      favourite,
    });
    return { ...entry, warnings: [...warnings, ...entry.warnings] };
  }
  const steam = /^steam:\/\/(.*)$/is.exec(totp);
  if (steam !== null) {
    return entryFromFields({
      type: 'steam',
      issuer: itemName !== '' ? itemName : 'Steam',
      account: username,
      secret: steam[1] ?? '',
      tags,
      favourite,
    });
  }
  return entryFromFields(
    { type: 'totp', issuer: itemName, account: username, secret: totp, tags, favourite },
    BARE_SECRET_DEFAULTS,
  );
}
