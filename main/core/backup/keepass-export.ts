import { createHash } from 'node:crypto';
import type { Account } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { kdbxweb } from '../import/formats/kdbx-engine';
import { formatOtpauthUri } from '../otp/otpauth-uri';

/**
 * A KeePassXC database (KDBX 4, Argon2id, AES-256): one entry per account, in the vault's order.
 * Title is the issuer (the account name when there is none), UserName the account, `otp` the
 * account's otpauth:// link as KeePassXC reads it (Steam as a totp link with `encoder=steam`),
 * the note in Notes, and the account's tags as KeePass tags. HOTP accounts also get KeePass 2's
 * own `HmacOtp-Secret-Base32` and `HmacOtp-Counter`, since KeePassXC shows only TOTP.
 */

/** KeePassXC's defaults for a new database's Argon2id: 64 MiB; passes kept to about a second. */
export const KDBX_EXPORT_KDF = { memoryBytes: 64 * 1024 * 1024, passes: 10, parallelism: 2 };

/** What an entry of the exported database says, for comparing a file read back with the vault. */
export interface KeePassExportEntry {
  title: string;
  username: string;
  otp: string;
  notes: string;
  tags: string[];
}

export function keePassEntries(accounts: readonly Account[]): KeePassExportEntry[] {
  return accounts.map((account) => ({
    title: account.issuer !== '' ? account.issuer : account.account,
    username: account.account,
    otp: keePassXcLink(account),
    notes: account.note ?? '',
    tags: [...account.tags],
  }));
}

/** The account's link as KeePassXC writes it: Steam is a totp link with `encoder=steam`. */
export function keePassXcLink(account: Account): string {
  if (account.type !== 'steam') return formatOtpauthUri(account);
  return `${formatOtpauthUri({ ...account, type: 'totp' })}&encoder=steam`;
}

export function keePassEntriesHash(entries: readonly KeePassExportEntry[]): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

export async function encryptKeePassDatabase(
  accounts: readonly Account[],
  password: string,
): Promise<Buffer> {
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
  const db = kdbxweb.Kdbx.create(credentials, 'Chronokey');
  db.setVersion(4);
  db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  const params = db.header.kdfParameters!;
  const { UInt32, UInt64 } = kdbxweb.VarDictionary.ValueType;
  params.set('M', UInt64, kdbxweb.Int64.from(KDBX_EXPORT_KDF.memoryBytes));
  params.set('I', UInt64, kdbxweb.Int64.from(KDBX_EXPORT_KDF.passes));
  params.set('P', UInt32, KDBX_EXPORT_KDF.parallelism);
  const group = db.getDefaultGroup();
  accounts.forEach((account, index) => {
    const fields = keePassEntries([account])[0]!;
    const entry = db.createEntry(group);
    entry.fields.set('Title', fields.title);
    entry.fields.set('UserName', fields.username);
    entry.fields.set('Password', kdbxweb.ProtectedValue.fromString(''));
    entry.fields.set('otp', kdbxweb.ProtectedValue.fromString(fields.otp));
    entry.fields.set('Notes', fields.notes);
    if (account.type === 'hotp') {
      entry.fields.set('HmacOtp-Secret-Base32', kdbxweb.ProtectedValue.fromString(account.secret));
      entry.fields.set('HmacOtp-Counter', String(account.counter));
    }
    entry.tags = fields.tags;
    // Entries keep the vault's order when KeePassXC sorts by creation time.
    const created = new Date(account.createdAt + index);
    entry.times.creationTime = created;
    entry.times.lastModTime = created;
  });
  return Buffer.from(await db.save());
}

/** Opens an exported database again and lists its entries, to compare with what was written. */
export async function readKeePassDatabase(
  bytes: Uint8Array,
  password: string,
): Promise<KeePassExportEntry[]> {
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  let db: kdbxweb.Kdbx;
  try {
    db = await kdbxweb.Kdbx.load(
      buffer,
      new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password)),
    );
  } catch {
    throw new ChronokeyError(
      'BACKUP_CORRUPT',
      'The KeePass database just written could not be opened again.',
    );
  }
  const text = (value: string | kdbxweb.ProtectedValue | undefined) =>
    value === undefined ? '' : typeof value === 'string' ? value : value.getText();
  return db.getDefaultGroup().entries.map((entry) => ({
    title: text(entry.fields.get('Title')),
    username: text(entry.fields.get('UserName')),
    otp: text(entry.fields.get('otp')),
    notes: text(entry.fields.get('Notes')),
    tags: [...entry.tags],
  }));
}
