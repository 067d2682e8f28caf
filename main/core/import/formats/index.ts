import { decodeQrCodes, decodeQrCodesFromRgba } from '../../qr';
import type { ImportEngines } from '../pipeline';
import type { ImportFormat } from '../types';
import { aegisFormat } from './aegis';
import { bitwardenFormat } from './bitwarden';
import { chronokeyBackupFormat } from './chronokey-backup';
import { freeOtpPlusFormat } from './freeotp-plus';
import { decodeMigrationUri } from './google-migration';
import { twoFasFormat } from './twofas';

/**
 * The backup formats, tried in this order on each input's content (never its file name): most
 * specific first. Formats recognised by magic bytes or a distinctive header come first, then
 * JSON formats by their own top-level fields, and the loosest last. Plain text holding
 * otpauth:// and otpauth-migration:// links is read after all of them (text-format.ts).
 */
export const importFormats: readonly ImportFormat[] = [
  // Magic bytes ("CHRONOKB", docs/backup-format.md).
  chronokeyBackupFormat,
  // JSON with `header` and `db`.
  aegisFormat,
  // JSON with `services` / `servicesEncrypted` and a schema version.
  twoFasFormat,
  // JSON with `tokens`.
  freeOtpPlusFormat,
  // JSON with `items` holding `login.totp` (also matches other Bitwarden-shaped exports).
  bitwardenFormat,
];

export const importEngines: ImportEngines = {
  formats: importFormats,
  readMigration: decodeMigrationUri,
  decodeQrCodes,
  decodeQrCodesFromRgba,
};
