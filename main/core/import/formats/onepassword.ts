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
 * 1Password's `.1pux` export (1Password 8: File → Export): a zip holding `export.attributes` and
 * `export.data`, the JSON `{accounts: [{attrs, vaults: [{attrs: {name}, items: [...]}]}]}`. An
 * item has `overview.title`, `overview.tags`, `favIndex` (above 0 when a favourite), `state`
 * ("active" or "archived"), `details.loginFields` (the field with `designation: "username"` is the
 * user name) and `details.sections[].fields[]`, where a one-time password field's value is
 * `{totp: "otpauth://…" or a bare secret}`. Every such field is an account. Archived items are
 * listed as skipped, never dropped silently.
 */

const LABEL = '1Password export (1PUX)';
const DATA_FILE = 'export.data';

export const onePasswordFormat: ImportFormat = {
  id: '1password',
  label: LABEL,
  detect: (input) => isZip(input.bytes) && (zipEntryNames(input.bytes) ?? []).includes(DATA_FILE),
  isEncrypted: () => false,
  decode: async (input) => decodeOnePux(input),
};

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function decodeOnePux(input: SniffedInput): DecodedSource {
  const { bytes } = readZippedFile(input, (name) => name === DATA_FILE, LABEL);
  const data = parseJsonBytes(bytes);
  if (!isRecord(data) || !Array.isArray(data.accounts)) {
    throw malformed(input.name, `the ${LABEL}'s ${DATA_FILE} is not the JSON 1Password writes.`);
  }
  const found = collectItemKeys(
    itemsOf(data.accounts),
    totpFields,
    (item) =>
      item.state === 'archived'
        ? {
            code: 'ITEM_ARCHIVED',
            message:
              'This item is archived in 1Password, so it was not imported. Restore it there and export again to import it.',
          }
        : null,
    itemName,
    (totp, item): ImportedEntry => {
      const overview = isRecord(item.overview) ? item.overview : {};
      const tags = Array.isArray(overview.tags)
        ? overview.tags.filter((tag) => typeof tag === 'string')
        : [];
      return entryFromTotpField(totp, {
        title: text(overview.title),
        username: username(item),
        tags: tagNames(tags),
        favourite: typeof item.favIndex === 'number' && item.favIndex > 0,
      });
    },
  );
  return { format: '1password', label: LABEL, ...found };
}

/** Every item of every vault of every account, in the export's order. */
function* itemsOf(accounts: unknown[]): Generator<JsonRecord> {
  for (const account of accounts) {
    if (!isRecord(account) || !Array.isArray(account.vaults)) continue;
    for (const vault of account.vaults) {
      if (!isRecord(vault) || !Array.isArray(vault.items)) continue;
      for (const raw of vault.items) {
        // Older exports wrap each item as {item: {...}}.
        const item = isRecord(raw) && isRecord(raw.item) ? raw.item : raw;
        if (isRecord(item)) yield item;
      }
    }
  }
}

function itemName(item: JsonRecord, index: number): string {
  const overview = isRecord(item.overview) ? item.overview : {};
  return entryName(text(overview.title), username(item), `Item ${index + 1}`);
}

function username(item: JsonRecord): string {
  const details = isRecord(item.details) ? item.details : {};
  if (Array.isArray(details.loginFields)) {
    for (const field of details.loginFields) {
      if (isRecord(field) && field.designation === 'username' && typeof field.value === 'string')
        return field.value;
    }
  }
  const overview = isRecord(item.overview) ? item.overview : {};
  return text(overview.subtitle);
}

/** The values of the item's one-time password fields, in the order 1Password shows them. */
function totpFields(item: JsonRecord): string[] {
  const details = isRecord(item.details) ? item.details : {};
  if (!Array.isArray(details.sections)) return [];
  const values: string[] = [];
  for (const section of details.sections) {
    if (!isRecord(section) || !Array.isArray(section.fields)) continue;
    for (const field of section.fields) {
      if (!isRecord(field) || !isRecord(field.value)) continue;
      const totp = field.value.totp;
      if (typeof totp === 'string' && totp.trim() !== '') values.push(totp);
    }
  }
  return values;
}
