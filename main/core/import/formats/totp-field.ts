import { parseOtpauthUri } from '../../otp/otpauth-uri';
import { entryFromFields } from '../entry';
import { assertEntryCount } from '../limits';
import type { DecodedSource, ImportedEntry, SkippedEntry } from '../types';
import { collectEntries } from './app-backup-json';

/**
 * The one-time-password field of a password manager's item (Bitwarden's `login_totp`,
 * 1Password's TOTP field, Proton Pass's `totpUri`, Apple's `OTPAuth`, KeePassXC's `otp`): an
 * otpauth:// link, `steam://SECRET`, or a bare base32 secret. The item's own title and user name
 * stand in for names the field does not carry, which is how those apps show it.
 */
export interface ItemNames {
  /** The item's title ("GitHub"). */
  title: string;
  /** Its user name or e-mail. */
  username: string;
  tags?: readonly string[];
  favourite?: boolean;
}

const BARE_SECRET_DEFAULTS: ImportedEntry['defaulted'] = ['algorithm', 'digits', 'period'];

export function entryFromTotpField(value: string, item: ItemNames): ImportedEntry {
  const field = value.trim();
  const title = item.title.trim();
  const username = item.username.trim();
  const extra = { tags: item.tags ?? [], favourite: item.favourite ?? false };
  if (/^otpauth:\/\//i.test(field)) {
    const { warnings, ...params } = parseOtpauthUri(field);
    // A title that only repeats the link's account name is not an issuer.
    const issuer = params.issuer !== '' || title === params.account ? params.issuer : title;
    const entry = entryFromFields({
      ...params,
      issuer,
      account: params.account !== '' ? params.account : username,
      ...extra,
    });
    return { ...entry, warnings: [...warnings, ...entry.warnings] };
  }
  const steam = /^steam:\/\/(.*)$/is.exec(field);
  if (steam !== null) {
    return entryFromFields({
      type: 'steam',
      issuer: title !== '' ? title : 'Steam',
      account: username,
      secret: steam[1] ?? '',
      ...extra,
    });
  }
  return entryFromFields(
    { type: 'totp', issuer: title, account: username, secret: field, ...extra },
    BARE_SECRET_DEFAULTS,
  );
}

/** Why an item with keys is not imported (it is in the trash, or archived). */
export interface SetAside {
  code: string;
  message: string;
}

/**
 * The accounts of a password manager's items: every key of every item becomes an entry (an item
 * may hold several), items without a key are passed over, and items `setAside` names (trash,
 * archive) are listed as skipped after the entries that could not be read, never dropped.
 */
export function collectItemKeys<I>(
  items: Iterable<I>,
  keysOf: (item: I) => string[],
  setAside: (item: I) => SetAside | null,
  nameOf: (item: I, index: number) => string,
  convert: (key: string, item: I) => ImportedEntry,
): Pick<DecodedSource, 'entries' | 'skipped'> {
  const found: Array<{ key: string; item: I }> = [];
  const aside: SkippedEntry[] = [];
  for (const item of items) {
    const keys = keysOf(item);
    if (keys.length === 0) continue;
    assertEntryCount(found.length + aside.length + keys.length);
    const why = setAside(item);
    if (why !== null) {
      aside.push({ name: nameOf(item, found.length + aside.length), ...why });
      continue;
    }
    for (const key of keys) found.push({ key, item });
  }
  const { entries, skipped } = collectEntries(
    found,
    (entry, index) => nameOf(entry.item, index),
    (entry) => convert(entry.key, entry.item),
  );
  return { entries, skipped: [...skipped, ...aside] };
}
