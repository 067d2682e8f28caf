import { entryFromSourceFields } from '../entry';
import type { DecodedSource, ImportFormat, SniffedInput } from '../types';
import {
  collectEntries,
  entryMalformed,
  entryName,
  isRecord,
  malformed,
  optionalNumber,
  optionalText,
  tagNames,
  type JsonRecord,
} from './app-backup-json';

/**
 * LastPass Authenticator's JSON export (Settings → Transfer accounts → Export to file):
 * `{version: 3, deviceId, deviceSecret, localDeviceId, deviceName, accounts: [...],
 * folders: [{id, name, isOpened}]}`. Each account: `issuerName` and `userName` (the person's
 * edits; `originalIssuerName` / `originalUserName` as the QR code said), `secret` (base32),
 * `algorithm`, `digits`, `timeStep`, `isFavorite`, `folderData: {folderId, position}`. Every
 * account is TOTP. Push-notification accounts (`pushNotification: true`) have no key to copy.
 */

export const lastPassFormat: ImportFormat = {
  id: 'lastpass',
  label: 'LastPass Authenticator export',
  detect: (input) => exportOf(input) !== null,
  isEncrypted: () => false,
  decode: async (input) => decodeLastPass(input),
};

function exportOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json) || !Array.isArray(json.accounts)) return null;
  if (typeof json.deviceSecret === 'string' || typeof json.localDeviceId === 'string') return json;
  return json.accounts.some(
    (account) => isRecord(account) && 'issuerName' in account && 'timeStep' in account,
  )
    ? json
    : null;
}

/** LastPass's own folders: the favourite flag and "everything else", not the person's tags. */
const BUILT_IN_FOLDERS = new Set(['Favorites', 'Other Accounts']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function nameOf(account: unknown, index: number): string {
  const record = isRecord(account) ? account : {};
  return entryName(
    text(record.issuerName) ?? text(record.originalIssuerName),
    text(record.userName) ?? text(record.originalUserName),
    `Account ${index + 1}`,
  );
}

function decodeLastPass(input: SniffedInput): DecodedSource {
  const data = exportOf(input);
  if (data === null) throw malformed(input.name, 'this is not a LastPass Authenticator export.');
  const folders = new Map<number, string>();
  if (Array.isArray(data.folders)) {
    for (const folder of data.folders) {
      if (isRecord(folder) && typeof folder.id === 'number' && typeof folder.name === 'string')
        folders.set(folder.id, folder.name);
    }
  }
  const accounts = inFolderOrder(data.accounts as unknown[]);
  const found = collectEntries(accounts, nameOf, (account) => {
    if (!isRecord(account)) throw entryMalformed('This account is not an object.');
    const folderId = isRecord(account.folderData) ? account.folderData.folderId : undefined;
    const folder = typeof folderId === 'number' ? folders.get(folderId) : undefined;
    return entryFromSourceFields({
      type: 'totp',
      issuer:
        text(optionalText(account.issuerName, 'issuer')) ??
        optionalText(account.originalIssuerName, 'issuer'),
      account:
        text(optionalText(account.userName, 'user name')) ??
        optionalText(account.originalUserName, 'user name'),
      secret: optionalText(account.secret, 'secret') ?? '',
      algorithm: optionalText(account.algorithm, 'algorithm'),
      digits: optionalNumber(account.digits, 'digits'),
      period: optionalNumber(account.timeStep, 'time step'),
      tags: tagNames(folder === undefined || BUILT_IN_FOLDERS.has(folder) ? [] : [folder]),
      favourite: account.isFavorite === true,
    });
  });
  return { format: 'lastpass', label: 'LastPass Authenticator export', ...found };
}

/** The app's order: by folder, then position in it; file order where it says nothing. */
function inFolderOrder(accounts: unknown[]): unknown[] {
  const place = (account: unknown): [number, number] => {
    const data = isRecord(account) && isRecord(account.folderData) ? account.folderData : {};
    const number = (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) ? value : Number.MAX_SAFE_INTEGER;
    return [number(data.folderId), number(data.position)];
  };
  return accounts
    .map((account, index) => ({ account, index, at: place(account) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.index - b.index)
    .map(({ account }) => account);
}
