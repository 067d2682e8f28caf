import { parseOtpauthUri } from '../../otp/otpauth-uri';
import { entryFromFields } from '../entry';
import type { ImportedEntry } from '../types';

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
