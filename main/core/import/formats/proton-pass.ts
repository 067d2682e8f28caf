import { ChronokeyError } from '../../../../shared/errors';
import type { DecodedSource, ImportFormat, ImportedEntry, SniffedInput } from '../types';
import {
  entryName,
  isRecord,
  malformed,
  parseJsonBytes,
  tagNames,
  type JsonRecord,
} from './app-backup-json';
import { collectItemKeys, entryFromTotpField } from './totp-field';
import { isZip, readZippedFile, zipEntryNames } from './zip-archive';

/**
 * Proton Pass's export: `Proton Pass/data.json` inside a zip (or that JSON on its own):
 * `{version, userId, encrypted: false, vaults: {<shareId>: {name, items: [...]}}}`. An item's
 * `data.type` is "login" for logins; `data.metadata.name` is its title, `data.content` holds
 * `itemUsername`, `itemEmail` and `totpUri` (an otpauth:// link or a bare secret), and
 * `data.extraFields[]` may add fields of `type: "totp"` with `data.totpUri`. Every key is an
 * account. `state` 2 is the trash (listed as skipped); `pinned` is a favourite. The vault's name
 * is a tag when the export holds more than one vault. A PGP-encrypted export (`data.pgp`) is
 * refused with a clear error.
 */

const LABEL = 'Proton Pass export';
const TRASHED = 2;
const isDataJson = (name: string) => /(^|\/)data\.json$/.test(name);
const isDataPgp = (name: string) => /(^|\/)data\.pgp$/.test(name);

export const protonPassFormat: ImportFormat = {
  id: 'proton-pass',
  label: LABEL,
  detect: (input) => {
    if (isZip(input.bytes)) {
      const names = zipEntryNames(input.bytes) ?? [];
      return names.some(
        (name) => name.startsWith('Proton Pass/') && (isDataJson(name) || isDataPgp(name)),
      );
    }
    return exportOf(input.json) !== null;
  },
  isEncrypted: () => false,
  decode: async (input) => decodeProtonPass(input),
};

function exportOf(json: unknown): JsonRecord | null {
  if (!isRecord(json) || !isRecord(json.vaults) || typeof json.encrypted !== 'boolean') return null;
  return json;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function decodeProtonPass(input: SniffedInput): DecodedSource {
  let json = input.json;
  if (isZip(input.bytes)) {
    if ((zipEntryNames(input.bytes) ?? []).some(isDataPgp)) {
      throw new ChronokeyError(
        'IMPORT_UNSUPPORTED_ENCRYPTION',
        `${input.name}: this Proton Pass export is encrypted with PGP, and Chronokey reads only ` +
          'unencrypted ones. In Proton Pass, export again choosing the ZIP or JSON format ' +
          'without encryption, import it, then delete the file.',
      );
    }
    json = parseJsonBytes(readZippedFile(input, isDataJson, LABEL).bytes);
  }
  const data = exportOf(json);
  if (data === null)
    throw malformed(input.name, `the ${LABEL}'s data.json is not the JSON Proton Pass writes.`);
  if (data.encrypted === true) {
    throw new ChronokeyError(
      'IMPORT_UNSUPPORTED_ENCRYPTION',
      `${input.name}: this Proton Pass export is encrypted, and Chronokey reads only unencrypted ones. Export again without encryption.`,
    );
  }
  const vaults = Object.values(data.vaults as JsonRecord).filter(isRecord);
  // Each item with its vault's name, a tag only when the export holds more than one vault.
  const items = vaults.flatMap((vault) =>
    (Array.isArray(vault.items) ? vault.items : [])
      .filter(isRecord)
      .map((item) => ({ item, vault: vaults.length > 1 ? text(vault.name) : '' })),
  );
  const found = collectItemKeys(
    items,
    ({ item }) => totpValues(item),
    ({ item }) =>
      item.state === TRASHED
        ? {
            code: 'ITEM_TRASHED',
            message:
              'This item is in the Proton Pass trash, so it was not imported. Restore it there and export again to import it.',
          }
        : null,
    ({ item }, index) => itemName(item, index),
    (totp, { item, vault }): ImportedEntry => {
      const itemData = isRecord(item.data) ? item.data : {};
      const metadata = isRecord(itemData.metadata) ? itemData.metadata : {};
      return entryFromTotpField(totp, {
        title: text(metadata.name),
        username: username(item),
        tags: tagNames(vault === '' ? [] : [vault]),
        favourite: item.pinned === true,
      });
    },
  );
  return { format: 'proton-pass', label: LABEL, ...found };
}

function itemName(item: JsonRecord, index: number): string {
  const itemData = isRecord(item.data) ? item.data : {};
  const metadata = isRecord(itemData.metadata) ? itemData.metadata : {};
  return entryName(text(metadata.name), username(item), `Item ${index + 1}`);
}

function username(item: JsonRecord): string {
  const itemData = isRecord(item.data) ? item.data : {};
  const content = isRecord(itemData.content) ? itemData.content : {};
  const name = text(content.itemUsername).trim();
  return name !== '' ? name : text(content.itemEmail);
}

/** The login's key, then any extra TOTP fields, in the order Proton Pass shows them. */
function totpValues(item: JsonRecord): string[] {
  const itemData = isRecord(item.data) ? item.data : {};
  if (itemData.type !== 'login') return [];
  const values: string[] = [];
  const content = isRecord(itemData.content) ? itemData.content : {};
  if (typeof content.totpUri === 'string' && content.totpUri.trim() !== '')
    values.push(content.totpUri);
  if (Array.isArray(itemData.extraFields)) {
    for (const field of itemData.extraFields) {
      if (!isRecord(field) || field.type !== 'totp' || !isRecord(field.data)) continue;
      const uri = field.data.totpUri;
      if (typeof uri === 'string' && uri.trim() !== '') values.push(uri);
    }
  }
  return values;
}
