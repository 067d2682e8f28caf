import { z } from 'zod';
import { DEFAULT_GLOBAL_SHORTCUT, isGlobalAccelerator } from './accelerator';

/** The kinds of one-time password Chronokey computes. Steam Guard is TOTP with its own encoding. */
export const OtpType = z.enum(['totp', 'hotp', 'steam']);
export type OtpType = z.infer<typeof OtpType>;

export const Algorithm = z.enum(['SHA1', 'SHA256', 'SHA512']);
export type Algorithm = z.infer<typeof Algorithm>;

export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;
/** Steam Guard codes are always 5 characters from this alphabet. */
export const STEAM_DIGITS = 5;
export const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';
export const DEFAULT_PERIOD = 30;
export const MAX_NOTE_LENGTH = 4096;

/** Something worth telling the user about an account, kept with it (e.g. issuer mismatch). */
export const AccountWarning = z.object({
  code: z.string().max(64),
  message: z.string().max(500),
});
export type AccountWarning = z.infer<typeof AccountWarning>;

/**
 * The OTP parameters of an account: exactly what an otpauth:// link carries.
 * `secret` is normalised base32 (upper case, no spaces, no padding).
 * `period` matters for totp and steam, `counter` for hotp; both are always present.
 */
export const OtpParams = z.object({
  type: OtpType,
  issuer: z.string().max(512),
  account: z.string().max(512),
  secret: z.string().min(1).max(1024),
  algorithm: Algorithm,
  digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS),
  period: z.number().int().positive().max(2_147_483_647),
  counter: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type OtpParams = z.infer<typeof OtpParams>;

/** An account as the vault stores it (with its secret). Never crosses IPC whole. */
export const Account = OtpParams.extend({
  id: z.string().min(1).max(64),
  tags: z.array(z.string().min(1).max(64)).max(64),
  favourite: z.boolean(),
  createdAt: z.number().int().nonnegative(),
  lastUsedAt: z.number().int().nonnegative().nullable(),
  warnings: z.array(AccountWarning).max(32),
  /** The person's own words about the account (recovery hints, which phone); absent when none. */
  note: z.string().max(MAX_NOTE_LENGTH).optional(),
});
export type Account = z.infer<typeof Account>;

/** What the renderer and `list --json` see: everything but the secret. */
export const AccountView = Account.omit({ secret: true });
export type AccountView = z.infer<typeof AccountView>;

export function toAccountView(account: Account): AccountView {
  const { secret: _secret, ...view } = account;
  return view;
}

export const Theme = z.enum(['system', 'light', 'dark']);
export const SortOrder = z.enum(['manual', 'name', 'recent']);

/** Automatic backups: off by default; after each change (debounced) or daily, into `folder`. */
export const AutoBackupSettings = z.object({
  schedule: z.enum(['off', 'on-change', 'daily']),
  /** The folder the user picked; null until they do (no backup is written without one). */
  folder: z.string().min(1).max(4096).nullable(),
  /** How many automatic backups the folder keeps; the oldest beyond this are deleted. */
  keep: z.number().int().min(1).max(100),
});
export type AutoBackupSettings = z.infer<typeof AutoBackupSettings>;
export const DEFAULT_AUTO_BACKUP: AutoBackupSettings = { schedule: 'off', folder: null, keep: 10 };

export const Settings = z.object({
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  clipboardClearSeconds: z.number().int().min(0).max(3600),
  theme: Theme,
  privacyMode: z.boolean(),
  showNextCode: z.boolean(),
  sortOrder: SortOrder,
  /** Start Chronokey when the user logs in (off unless the user turns it on). */
  launchAtLogin: z.boolean(),
  /** Keep the window out of screenshots and screen sharing (macOS and Windows). */
  contentProtection: z.boolean(),
  /** A system-wide shortcut that shows the search, e.g. "CmdOrCtrl+Shift+K"; '' for none. */
  globalShortcut: z
    .string()
    .max(64)
    .refine((value) => value === '' || isGlobalAccelerator(value), {
      message: 'That shortcut needs a modifier such as Ctrl, Alt or ⌘, and one key.',
    }),
  autoBackup: AutoBackupSettings,
});
export type Settings = z.infer<typeof Settings>;

/**
 * Settings as the vault stores them. Fields added after the first release take their default
 * when a vault written before them lacks them (`Settings` itself has no defaults, so a partial
 * `settings.update` never resets what it does not name).
 */
export const StoredSettings = Settings.extend({
  launchAtLogin: Settings.shape.launchAtLogin.default(false),
  contentProtection: Settings.shape.contentProtection.default(true),
  globalShortcut: Settings.shape.globalShortcut.default(DEFAULT_GLOBAL_SHORTCUT),
  autoBackup: AutoBackupSettings.default(DEFAULT_AUTO_BACKUP),
});

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  theme: 'system',
  privacyMode: false,
  showNextCode: true,
  sortOrder: 'manual',
  launchAtLogin: false,
  contentProtection: true,
  globalShortcut: DEFAULT_GLOBAL_SHORTCUT,
  autoBackup: DEFAULT_AUTO_BACKUP,
};

/**
 * The key the automatic-backup password gave (scrypt parameters, salt, 32-byte key, base64),
 * kept inside the encrypted vault so backups run without asking; never crosses IPC.
 */
export const StoredBackupKey = z.object({
  n: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string().max(128),
  key: z.string().max(128),
});
export type StoredBackupKey = z.infer<typeof StoredBackupKey>;

/**
 * The most accounts one vault holds (far beyond any person's), so that every operation, export
 * and backup format stays within bounds it can be tested at. Changes past it are refused.
 */
export const MAX_ACCOUNTS = 100_000;

/**
 * In a time-based code's last this-many milliseconds, copying takes the next code instead: the
 * current one would expire before it reaches the site.
 */
export const COPY_NEXT_WITHIN_MS = 3_000;

/** A code as main hands it out: `validUntil` is unix milliseconds (absent for HOTP). */
export const CodeView = z.object({
  id: z.string(),
  code: z.string(),
  /** HOTP: the counter this code is for. */
  counter: z.number().int().nonnegative().optional(),
  validFrom: z.number().int().optional(),
  validUntil: z.number().int().optional(),
  next: z.object({ code: z.string(), validUntil: z.number().int() }).optional(),
});
export type CodeView = z.infer<typeof CodeView>;
