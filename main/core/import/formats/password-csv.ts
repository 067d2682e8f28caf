import Papa from 'papaparse';
import type { DecodedSource, ImportFormat, SniffedInput } from '../types';
import { collectEntries, entryName, malformed, tagNames } from './app-backup-json';
import { entryFromTotpField } from './totp-field';

/**
 * The CSV exports of password managers that keep an authenticator key with each login, read with
 * papaparse (quotes, doubled quotes, line breaks inside fields, a byte-order mark):
 *
 * - Bitwarden (`.csv`): `folder,favorite,type,name,notes,fields,reprompt,login_uri,
 *   login_username,login_password,login_totp`; `login_totp` holds an otpauth:// link, a bare
 *   base32 secret or `steam://SECRET`; `favorite` is 1; the folder becomes a tag.
 * - Apple Passwords (and Safari / iCloud Keychain): `Title,URL,Username,Password,Notes,OTPAuth`;
 *   `OTPAuth` holds an otpauth:// link.
 *
 * Rows without a key are logins, not accounts, and are passed over. The header row decides the
 * format, never the file name.
 */

type Row = Record<string, string | undefined>;

interface CsvLayout {
  id: string;
  label: string;
  /** Header names (lower case) that must all be present. */
  required: readonly string[];
  key: string;
  title: string;
  username: string;
  folder?: string;
  favourite?: string;
}

const BITWARDEN: CsvLayout = {
  id: 'bitwarden-csv',
  label: 'Bitwarden export (CSV)',
  required: ['name', 'login_username', 'login_totp'],
  key: 'login_totp',
  title: 'name',
  username: 'login_username',
  folder: 'folder',
  favourite: 'favorite',
};

const APPLE: CsvLayout = {
  id: 'apple-passwords-csv',
  label: 'Apple Passwords export (CSV)',
  required: ['title', 'username', 'otpauth'],
  key: 'otpauth',
  title: 'title',
  username: 'username',
};

/** The header row's names, lower case, when the text starts like a CSV file. */
function headerNames(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.length > 4096) return [];
  return firstLine.split(',').map((name) => name.trim().replace(/^"|"$/g, '').toLowerCase());
}

function matches(layout: CsvLayout, input: SniffedInput): boolean {
  if (input.text === null || input.json !== undefined) return false;
  const names = headerNames(input.text);
  return layout.required.every((name) => names.includes(name));
}

function csvFormat(layout: CsvLayout): ImportFormat {
  return {
    id: layout.id,
    label: layout.label,
    detect: (input) => matches(layout, input),
    isEncrypted: () => false,
    decode: async (input) => decodeCsv(layout, input),
  };
}

function decodeCsv(layout: CsvLayout, input: SniffedInput): DecodedSource {
  if (!matches(layout, input) || input.text === null) {
    throw malformed(input.name, `this is not a ${layout.label}.`);
  }
  const parsed = Papa.parse<Row>(input.text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (name) => name.trim().toLowerCase(),
  });
  // A row whose quotes never close swallows the rest of the file: say so, import nothing.
  const broken = parsed.errors.find((error) => error.type === 'Quotes');
  if (broken !== undefined) {
    const row = broken.row === undefined ? '' : ` (row ${broken.row + 2})`;
    throw malformed(
      input.name,
      `a quoted field is never closed${row}, so the rows cannot be told apart.`,
    );
  }
  const rows = parsed.data.filter((row) => (row[layout.key] ?? '').trim() !== '');
  const nameOf = (row: Row, index: number) =>
    entryName(row[layout.title], row[layout.username], `Row ${index + 1}`);
  const found = collectEntries(rows, nameOf, (row) =>
    entryFromTotpField(row[layout.key] ?? '', {
      title: row[layout.title] ?? '',
      username: row[layout.username] ?? '',
      tags: layout.folder === undefined ? [] : tagNames([row[layout.folder] ?? '']),
      favourite: layout.favourite !== undefined && (row[layout.favourite] ?? '').trim() === '1',
    }),
  );
  return { format: layout.id, label: layout.label, ...found };
}

export const bitwardenCsvFormat = csvFormat(BITWARDEN);
export const applePasswordsCsvFormat = csvFormat(APPLE);
