import type { OtpType } from '../../../shared/domain';
import { parseOtpauthUri } from '../otp/otpauth-uri';
import type { ImportedEntry } from './types';

/** Fields as another app stores them; absent ones take the Key URI format's defaults. */
export interface EntryFields {
  type: OtpType;
  issuer?: string | undefined;
  account?: string | undefined;
  /** Base32 (any case, spaces or padding allowed). Formats holding raw bytes encode them first. */
  secret: string;
  algorithm?: string | undefined;
  digits?: number | undefined;
  period?: number | undefined;
  counter?: number | undefined;
  tags?: readonly string[] | undefined;
  favourite?: boolean | undefined;
}

/**
 * Builds an entry from another app's fields by writing them as a link and reading it back, so
 * every source is checked by the one parser, with its error codes and sentences, exactly as a
 * pasted link or the manual form is. `defaulted` names what the source did not carry.
 */
export function entryFromFields(
  fields: EntryFields,
  defaulted: ImportedEntry['defaulted'] = [],
): ImportedEntry {
  const { warnings, ...params } = parseOtpauthUri(fieldsToUri(fields));
  return {
    params,
    tags: [...new Set((fields.tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== ''))],
    favourite: fields.favourite ?? false,
    defaulted,
    warnings,
  };
}

/** The fields that matter for this type and that the source left out (Chronokey defaults them). */
export function missingFields(fields: EntryFields): ImportedEntry['defaulted'] {
  const missing: ImportedEntry['defaulted'] = [];
  if (fields.type !== 'steam') {
    if (fields.algorithm === undefined) missing.push('algorithm');
    if (fields.digits === undefined) missing.push('digits');
  }
  if (fields.type === 'totp' && fields.period === undefined) missing.push('period');
  if (fields.type === 'hotp' && fields.counter === undefined) missing.push('counter');
  return missing;
}

/** An entry whose `defaulted` is every field the source left out (see missingFields). */
export function entryFromSourceFields(fields: EntryFields): ImportedEntry {
  return entryFromFields(fields, missingFields(fields));
}

/** The fields as an otpauth:// link (also used for the manual add form). */
export function fieldsToUri(fields: EntryFields): string {
  const issuer = (fields.issuer ?? '').trim();
  const account = (fields.account ?? '').trim();
  const query = new URLSearchParams({ secret: fields.secret });
  if (issuer !== '') query.set('issuer', issuer);
  if (fields.algorithm !== undefined) query.set('algorithm', fields.algorithm);
  if (fields.digits !== undefined) query.set('digits', String(fields.digits));
  if (fields.period !== undefined) query.set('period', String(fields.period));
  if (fields.type === 'hotp') query.set('counter', String(fields.counter ?? 0));
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://${fields.type}/${label}?${query.toString()}`;
}
