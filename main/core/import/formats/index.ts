import { readQrCodes, readQrCodesFromRgba } from '../../qr';
import type { ImportEngines } from '../pipeline';
import type { ImportFormat } from '../types';
import { aegisFormat } from './aegis';
import { andOtpFormat } from './andotp';
import { authenticatorProFormat } from './authenticator-pro';
import { bitwardenFormat } from './bitwarden';
import { chronokeyBackupFormat } from './chronokey-backup';
import { enteFormat } from './ente';
import { freeOtpPlusFormat } from './freeotp-plus';
import { decodeMigrationUri } from './google-migration';
import { keePassFormat } from './keepass';
import { lastPassFormat } from './lastpass';
import { onePasswordFormat } from './onepassword';
import { applePasswordsCsvFormat, bitwardenCsvFormat } from './password-csv';
import { protonAuthenticatorFormat } from './proton-authenticator';
import { protonPassFormat } from './proton-pass';
import { twoFasFormat } from './twofas';

/**
 * The backup formats, tried in this order on each input's content (never its file name): most
 * specific first. Formats recognised by magic bytes or a distinctive header come first, then
 * JSON formats by their own top-level fields, and the loosest test (andOTP's encrypted files
 * are bare binary with only a plausible iteration count to go by) last. Plain text holding
 * otpauth:// and otpauth-migration:// links (WinAuth, KeePassXC, Ente's and FreeOTP+'s plain
 * exports, Google's export links) is read after all of them (text-format.ts).
 */
export const importFormats: readonly ImportFormat[] = [
  // Magic bytes ("CKBACKUP…").
  chronokeyBackupFormat,
  // KDBX's signature (03 D9 A2 9A 67 FB 4B B5).
  keePassFormat,
  // Zip archives holding `export.data` (1PUX) or `Proton Pass/data.json`.
  onePasswordFormat,
  protonPassFormat,
  // "AUTHENTICATORPRO" / "AuthenticatorPro" header, or JSON with `Authenticators`.
  authenticatorProFormat,
  // JSON with `header` and `db`.
  aegisFormat,
  // JSON with `services` / `servicesEncrypted`.
  twoFasFormat,
  // JSON with Ente's key derivation parameters and encrypted data.
  enteFormat,
  // JSON with `tokens`.
  freeOtpPlusFormat,
  // JSON with `items` holding `login.totp`.
  bitwardenFormat,
  // JSON with `accounts` holding `issuerName` / `timeStep`, or LastPass's device fields.
  lastPassFormat,
  // JSON with `entries` holding `content.entry_type`, or `{version, salt, content}`.
  protonAuthenticatorFormat,
  // CSV whose header row names `login_totp` (Bitwarden) or `OTPAuth` (Apple Passwords).
  bitwardenCsvFormat,
  applePasswordsCsvFormat,
  // A JSON array of entries with `secret` and `label`, or binary with an iteration count.
  andOtpFormat,
];

export const importEngines: ImportEngines = {
  formats: importFormats,
  readMigration: decodeMigrationUri,
  readQrCodes,
  readQrCodesFromRgba,
};
