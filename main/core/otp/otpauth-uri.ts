import type { AccountWarning, Algorithm, OtpParams, OtpType } from '../../../shared/domain';
import { DEFAULT_PERIOD, MAX_DIGITS, MIN_DIGITS, STEAM_DIGITS } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { normalizeBase32Secret } from './base32';
import { decodePercentLeniently, hasBrokenEscape, toWellFormed } from './percent-decode';

/** What a link yields: its parameters plus anything the user should hear about. */
export type ParsedOtpauth = OtpParams & { warnings: AccountWarning[] };

/** Far beyond any real link (QR codes top out near 3 KB); refuse before doing any work. */
export const MAX_URI_LENGTH = 64 * 1024;
/** OtpParams' limit for issuer and account names. */
const MAX_NAME_LENGTH = 512;
const MAX_PERIOD_SECONDS = 2_147_483_647;

/**
 * otpauth://TYPE/LABEL?QUERY#FRAGMENT over the raw text. Not `new URL`: WHATWG URL treats
 * non-special schemes' hosts and paths in ways that lose or re-encode parts of the label.
 * The `/LABEL` part is optional because some generators emit `otpauth://totp?secret=…`.
 */
const OTPAUTH_PATTERN = /^otpauth:\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?(?:#.*)?$/is;

/**
 * Reads an otpauth:// link (Google's Key URI format, plus what real sites produce: lower-case
 * or spaced secrets, issuer in label or parameter, Steam links). Throws ChronokeyError with a
 * stable code for anything it cannot turn into a working account.
 */
export function parseOtpauthUri(text: string): ParsedOtpauth {
  if (text.length > MAX_URI_LENGTH) {
    throw new ChronokeyError(
      'URI_TOO_LONG',
      'This text is far too long to be an otpauth:// link. Copy just the link and try again.',
    );
  }
  const trimmed = text.trim();
  const match = OTPAUTH_PATTERN.exec(trimmed);
  if (match === null) throw notOtpauth(trimmed);
  const [, rawType = '', rawLabel = '', rawQuery = ''] = match;

  const query = readQuery(rawQuery);
  const secret = readSecret(query);
  const { issuer, account, warnings } = readNames(rawLabel, rawQuery, query);
  const type = readType(rawType, query, issuer);
  const isSteam = type === 'steam';

  return {
    type,
    issuer,
    account,
    secret,
    // Steam Guard is fixed at HMAC-SHA1 and 5 characters whatever the link claims.
    algorithm: isSteam ? 'SHA1' : readAlgorithm(query.get('algorithm')),
    digits: isSteam ? STEAM_DIGITS : readDigits(query.get('digits')),
    // HOTP has no period; keep the default so every OtpParams has one.
    period: type === 'hotp' ? DEFAULT_PERIOD : readPeriod(query.get('period')),
    counter: type === 'hotp' ? readCounter(query.get('counter')) : 0,
    warnings,
  };
}

/**
 * Writes an otpauth:// link that parseOtpauthUri reads back to the same parameters, and that
 * other authenticators understand (issuer in both label and parameter, as Google recommends).
 */
export function formatOtpauthUri(params: OtpParams): string {
  // encodeURIComponent throws on a lone surrogate; such a name is written as U+FFFD instead.
  const encode = (value: string): string => encodeURIComponent(toWellFormed(value));
  // A literal ':' separates issuer and account. With no issuer, a leading ':' keeps an account
  // that itself contains ':' (encoded as %3A, which also separates) from being split.
  const label =
    params.issuer !== ''
      ? `${encode(params.issuer)}:${encode(params.account)}`
      : params.account.includes(':')
        ? `:${encode(params.account)}`
        : encode(params.account);
  const query = [`secret=${encode(params.secret)}`];
  if (params.issuer !== '') query.push(`issuer=${encode(params.issuer)}`);
  query.push(`algorithm=${params.algorithm}`, `digits=${params.digits}`);
  if (params.type === 'hotp') query.push(`counter=${params.counter}`);
  else query.push(`period=${params.period}`);
  return `otpauth://${params.type}/${label}?${query.join('&')}`;
}

function notOtpauth(text: string): ChronokeyError {
  if (/^otpauth-migration:/i.test(text)) {
    return new ChronokeyError(
      'URI_NOT_OTPAUTH',
      'This is a Google Authenticator export (otpauth-migration://), which can hold several ' +
        'accounts. Import it as a Google Authenticator export instead of adding it as one link.',
    );
  }
  if (/^otpauth:/i.test(text)) {
    return new ChronokeyError(
      'URI_NOT_OTPAUTH',
      'This link starts with otpauth: but is not shaped like otpauth://totp/Name?secret=KEY. ' +
        'Copy the whole link again, or enter the secret key by hand.',
    );
  }
  return new ChronokeyError(
    'URI_NOT_OTPAUTH',
    'This is not an otpauth:// link. Copy the link the site shows next to its QR code, ' +
      'or enter the secret key by hand.',
  );
}

/** Query parameters with lower-cased names; the first occurrence of a name wins. */
function readQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const key = name.toLowerCase();
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

function readType(rawType: string, query: Map<string, string>, issuer: string): OtpType {
  const type = rawType.toLowerCase();
  if (type === 'totp') {
    // KeePassXC and others mark Steam accounts as TOTP with encoder=steam; WinAuth (and other
    // apps' "Steam" entries) as a 5-digit TOTP link from the issuer Steam, which those apps show
    // as Steam codes. Any other 5-digit link is still refused (readDigits).
    if (query.get('encoder')?.trim().toLowerCase() === 'steam') return 'steam';
    const steamIssuer = issuer.toLowerCase() === 'steam';
    return steamIssuer && query.get('digits')?.trim() === String(STEAM_DIGITS) ? 'steam' : 'totp';
  }
  if (type === 'hotp' || type === 'steam') return type;
  throw new ChronokeyError(
    'TYPE_UNSUPPORTED',
    type === ''
      ? 'The link does not say which kind of code it is (totp or hotp), so Chronokey cannot use it.'
      : `Chronokey understands totp, hotp and steam links, but this one is of type ${quote(rawType)}.`,
  );
}

function readSecret(query: Map<string, string>): string {
  const secret = query.get('secret');
  if (secret === undefined) {
    throw new ChronokeyError(
      'SECRET_MISSING',
      'The link has no secret key (no "secret=" part), so no codes can be made from it. ' +
        'Ask the site for a new QR code or enter the key by hand.',
    );
  }
  return normalizeBase32Secret(secret);
}

/** A parameter that is absent or blank means "use the default". */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function readAlgorithm(raw: string | undefined): Algorithm {
  const value = present(raw);
  if (value === undefined) return 'SHA1';
  const normalized = value.toUpperCase().replace(/-/g, '');
  if (normalized === 'SHA1' || normalized === 'SHA256' || normalized === 'SHA512') {
    return normalized;
  }
  throw new ChronokeyError(
    'ALGORITHM_UNSUPPORTED',
    `The link asks for the ${quote(value)} algorithm; Chronokey supports SHA1, SHA256 and SHA512.`,
  );
}

function readDigits(raw: string | undefined): number {
  const value = present(raw);
  if (value === undefined) return 6;
  const digits = parseWholeNumber(value);
  if (digits === undefined || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new ChronokeyError(
      'DIGITS_INVALID',
      `The link asks for codes with ${quote(value)} digits; Chronokey supports ${MIN_DIGITS} to ` +
        `${MAX_DIGITS} digits.`,
    );
  }
  return digits;
}

function readPeriod(raw: string | undefined): number {
  const value = present(raw);
  if (value === undefined) return DEFAULT_PERIOD;
  const period = parseWholeNumber(value);
  if (period === undefined || period < 1 || period > MAX_PERIOD_SECONDS) {
    throw new ChronokeyError(
      'PERIOD_INVALID',
      `The link says each code lasts ${quote(value)} seconds; that must be a whole number of ` +
        'seconds greater than zero (usually 30).',
    );
  }
  return period;
}

function readCounter(raw: string | undefined): number {
  const value = present(raw);
  if (value === undefined) {
    throw new ChronokeyError(
      'COUNTER_MISSING',
      'This counter-based (hotp) link has no "counter=" value, so Chronokey cannot tell which ' +
        'code comes next. Ask the site for a new link.',
    );
  }
  const counter = parseWholeNumber(value);
  if (counter === undefined || counter > Number.MAX_SAFE_INTEGER) {
    throw new ChronokeyError(
      'COUNTER_INVALID',
      `The link's counter ${quote(value)} is not a whole number from 0 to ` +
        `${Number.MAX_SAFE_INTEGER}. Ask the site for a new link.`,
    );
  }
  return counter;
}

/** Plain decimal digits only: no signs, decimals, exponents or hex that Number() would take. */
function parseWholeNumber(value: string): number | undefined {
  return /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

function readNames(
  rawLabel: string,
  rawQuery: string,
  query: Map<string, string>,
): { issuer: string; account: string; warnings: AccountWarning[] } {
  const { labelIssuer, account } = splitLabel(rawLabel);
  const parameterIssuer = query.get('issuer')?.trim() ?? '';
  const warnings: AccountWarning[] = [];
  const rawIssuer = /(?:^|&)issuer=([^&]*)/i.exec(rawQuery)?.[1] ?? '';
  if (hasBrokenEscape(rawLabel) || hasBrokenEscape(rawIssuer)) {
    warnings.push({
      code: 'LABEL_BAD_ESCAPE',
      message:
        "The link's name holds a % escape that is not valid text; Chronokey kept what it " +
        'could read as typed. Check the name and edit it if it looks wrong.',
    });
  }
  // The parameter wins: it is what Google specifies as authoritative and it cannot be confused
  // by a ':' inside the account name.
  const issuer = parameterIssuer !== '' ? parameterIssuer : labelIssuer;
  if (labelIssuer !== '' && parameterIssuer !== '' && labelIssuer !== parameterIssuer) {
    warnings.push({
      code: 'ISSUER_MISMATCH',
      message:
        `The link names the issuer "${clip(labelIssuer)}" in its label but ` +
        `"${clip(parameterIssuer)}" in its issuer parameter; Chronokey used "${clip(parameterIssuer)}".`,
    });
  }
  if (issuer.length > MAX_NAME_LENGTH || account.length > MAX_NAME_LENGTH) {
    throw new ChronokeyError(
      'LABEL_TOO_LONG',
      `The link's ${issuer.length > MAX_NAME_LENGTH ? 'issuer' : 'account'} name is longer than ` +
        `${MAX_NAME_LENGTH} characters. Check that the link was copied correctly.`,
    );
  }
  return { issuer, account, warnings };
}

/**
 * Splits `issuer:account` at the first literal ':'; if there is none, at the first '%3A' (the
 * spec allows either). Splitting before decoding keeps an encoded ':' inside an issuer intact.
 */
function splitLabel(rawLabel: string): { labelIssuer: string; account: string } {
  let at = rawLabel.indexOf(':');
  let separatorLength = 1;
  if (at === -1) {
    at = rawLabel.search(/%3A/i);
    separatorLength = 3;
  }
  const decode = (part: string): string => toWellFormed(decodePercentLeniently(part)).trim();
  if (at === -1) return { labelIssuer: '', account: decode(rawLabel) };
  return {
    labelIssuer: decode(rawLabel.slice(0, at)),
    account: decode(rawLabel.slice(at + separatorLength)),
  };
}

/** Quotes a value from a link for an error message without letting it run on. */
function quote(value: string): string {
  return `"${clip(value, 40)}"`;
}

function clip(value: string, max = 120): string {
  const characters = Array.from(value);
  return characters.length <= max ? value : `${characters.slice(0, max).join('')}…`;
}
