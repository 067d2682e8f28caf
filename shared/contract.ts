import { z } from 'zod';
import {
  AccountView,
  Algorithm,
  AutoBackupSettings,
  CodeView,
  MAX_NOTE_LENGTH,
  OtpType,
  Settings,
} from './domain';
import { ErrorShape } from './errors';

/**
 * The one IPC contract: one schema pair per channel. Main validates every input with it,
 * the preload builds one named method per channel from it, and the CLI and the browser test
 * bridge serve the same handler table. Adding a channel is one edit here plus its handler.
 */

const Password = z.string().min(1).max(1024);
const Id = z.string().min(1).max(64);

export const KeySlot = z.enum(['keychain', 'password']);

export const VaultStatus = z.object({
  state: z.enum(['missing', 'locked', 'unlocked']),
  slots: z.array(KeySlot),
  keychainAvailable: z.boolean(),
  /**
   * While unlocked: the vault file in place is older than one this computer saw before (a copy
   * put back, a sync engine's history): accounts removed since may be back. HOTP counters are
   * kept at the highest seen. Cleared by `vault.acknowledgeRollback`.
   */
  rollback: z
    .object({ fileGeneration: z.number().int(), lastSeenGeneration: z.number().int() })
    .nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

const SyncChangeCounts = z.array(z.object({ device: z.string(), count: z.number().int() }));

/**
 * Sync as the window shows it (docs/sync-format.md). `state`: `off` (not set up), `idle`,
 * `syncing`, `needs-password` (another device replaced the sync key: `sync.enterPassword`),
 * `waiting` (removals wait for `sync.resolveRemovals`), `problem` (the folder could not be
 * used; tried again every 30 s). Device names and account names only: never a secret.
 */
export const SyncStatus = z.object({
  state: z.enum(['off', 'idle', 'syncing', 'needs-password', 'waiting', 'problem']),
  /** The `Chronokey Sync` folder. */
  folder: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** The computer's name, offered as this device's name when setting up or joining. */
  suggestedDeviceName: z.string(),
  lastSyncAt: z.number().int().nullable(),
  devices: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** When it last wrote its replica (this device: when it last synced). */
      lastSeen: z.number().int().nullable(),
      thisDevice: z.boolean(),
    }),
  ),
  problem: ErrorShape.nullable(),
  /** Replica files refused in the last pass, each with the device it names (when readable). */
  refused: z.array(
    z.object({ file: z.string(), device: z.string().nullable(), message: z.string() }),
  ),
  /** Devices whose clock is more than 24 hours ahead: their newest edits were not taken. */
  clockAhead: z.array(z.string()),
  pending: z
    .object({
      count: z.number().int(),
      total: z.number().int(),
      devices: z.array(z.string()),
      /** The accounts that would go (the first 100). */
      accounts: z.array(z.string()),
    })
    .nullable(),
  /** The last pass that changed what this device shows. */
  last: z
    .object({
      at: z.number().int(),
      added: SyncChangeCounts,
      updated: SyncChangeCounts,
      removed: SyncChangeCounts,
      restored: SyncChangeCounts,
      joined: z.number().int(),
    })
    .nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * The folders of another app's automatic backups this vault follows (docs/follow.md), with what
 * each one's last pass did and the accounts its newest backup no longer holds ("Removed on the
 * phone?"). Names only, never a secret or a password.
 */
export const FollowStatus = z.object({
  follows: z.array(
    z.object({
      id: z.string(),
      folder: z.string(),
      hasPassword: z.boolean(),
      last: z
        .object({
          at: z.number(),
          file: z.string().nullable(),
          app: z.string().nullable(),
          backupAt: z.number().nullable(),
          added: z.number(),
          changed: z.number(),
          missing: z.number(),
          waiting: z.boolean(),
          problem: z.object({ code: z.string(), message: z.string() }).nullable(),
        })
        .nullable(),
      /** "Issuer:account" of the accounts the phone removed (at most 100 listed). */
      missing: z.array(z.string()),
      missingCount: z.number(),
    }),
  ),
  /** A pass is running. */
  busy: z.boolean(),
});
export type FollowStatus = z.infer<typeof FollowStatus>;

const SyncDeviceName = z.string().trim().min(1).max(64);

/** Fields for adding an account by hand; the core normalises and checks them like a link. */
export const ManualAccount = z.object({
  type: OtpType,
  issuer: z.string().max(512),
  account: z.string().max(512),
  secret: z.string().max(1024),
  algorithm: Algorithm,
  digits: z.number().int(),
  period: z.number().int(),
  counter: z.number().int(),
});
export type ManualAccount = z.infer<typeof ManualAccount>;

/**
 * What the window may change in the settings: everything but the automatic backups' folder,
 * which only main's own folder dialog sets (`backup.chooseFolder`), so that a compromised
 * window cannot have every account written to a folder of its choosing.
 */
export const SettingsChanges = Settings.extend({
  autoBackup: AutoBackupSettings.omit({ folder: true }).partial(),
}).partial();

export const AccountChanges = z
  .object({
    issuer: z.string().max(512),
    account: z.string().max(512),
    tags: z.array(z.string().trim().min(1).max(64)).max(64),
    favourite: z.boolean(),
    /** '' removes the note. */
    note: z.string().max(MAX_NOTE_LENGTH),
  })
  .partial();

/** Import (see main/core/import): every source goes through one preview before the vault. */
export const ImportMark = z.object({
  /**
   * DUPLICATE (of a vault account), DUPLICATE_IN_IMPORT, ISSUER_MISMATCH, SHORT_SECRET,
   * UNUSUAL_DIGITS, UNUSUAL_PERIOD, DEFAULTED (one mark naming every defaulted field).
   */
  code: z.string().max(64),
  message: z.string().max(1000),
});
export type ImportMark = z.infer<typeof ImportMark>;

export const ImportItem = z.object({
  /** Stable within its preview; what `import.commit` selects. */
  key: z.string().max(64),
  /** The input it came from, as the user would call it (file name, "Pasted text", "Display 1"). */
  source: z.string().max(512),
  type: OtpType,
  issuer: z.string(),
  account: z.string(),
  algorithm: Algorithm,
  digits: z.number().int(),
  period: z.number().int(),
  counter: z.number().int(),
  tags: z.array(z.string()),
  marks: z.array(ImportMark),
  /** Picked by default: everything but duplicates of accounts already in the vault. */
  selected: z.boolean(),
});
export type ImportItem = z.infer<typeof ImportItem>;

export const ImportPreview = z.object({
  id: z.string().max(64),
  items: z.array(ImportItem),
  /** Entries a source holds that cannot be imported (e.g. an MD5 account), listed not dropped. */
  skipped: z.array(
    z.object({ source: z.string(), name: z.string(), code: z.string(), message: z.string() }),
  ),
  /** Inputs that could not be read at all, each with what was wrong. */
  errors: z.array(z.object({ source: z.string(), code: z.string(), message: z.string() })),
  /** Encrypted backups waiting for their password (`import.unlock`). */
  needsPassword: z.array(z.object({ source: z.string(), label: z.string() })),
  /** Multi-part exports (Google Authenticator): "2 of 3 codes scanned". */
  batches: z.array(
    z.object({ id: z.number().int(), scanned: z.number().int(), size: z.number().int() }),
  ),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** A file's bytes in base64, so every transport (IPC, the test bridge, the CLI) carries them alike. */
export const ImportFile = z.object({
  name: z.string().max(512),
  base64: z.string().max(96 * 1024 * 1024),
});

const PreviewId = z.string().max(64);

/** Backups and transfer out (see main/core/backup and docs/backup-format.md). */
export const ExportFormat = z.enum(['chronokey', 'aegis', 'otpauth', 'kdbx']);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const ExportResult = z.object({
  path: z.string(),
  /** True only when the file on disk was read back, decrypted and matched the vault. */
  verified: z.boolean(),
  accounts: z.number().int(),
});
export type ExportResult = z.infer<typeof ExportResult>;
export const TransferQr = z.object({
  svg: z.string(),
  /** "code 2 of 3": 1-based. */
  index: z.number().int(),
  total: z.number().int(),
});

/** The last automatic backup (success or failure, never hidden) and whether a password is set. */
export const AutoBackupStatus = z.object({
  hasPassword: z.boolean(),
  last: z
    .union([
      z.object({
        ok: z.literal(true),
        at: z.number().int(),
        path: z.string(),
        accounts: z.number().int(),
      }),
      z.object({
        ok: z.literal(false),
        at: z.number().int(),
        code: z.string(),
        message: z.string(),
      }),
    ])
    .nullable(),
});
export type AutoBackupStatus = z.infer<typeof AutoBackupStatus>;

/** What the operating system says about its clock (see main/core/clock-health.ts). */
export const ClockHealth = z.object({
  /**
   * ok: the system keeps its time synchronised. off: synchronisation is turned off.
   * unsynced: it is on but has not succeeded. wrong: the clock is before Chronokey was built.
   * unknown: the system could not be asked or its answer could not be read (no tool, no
   * permission, timed out): a softer warning, since codes may be wrong. unchecked: nothing here
   * checks the clock (the CLI, the test bridge): no warning.
   */
  state: z.enum(['ok', 'off', 'unsynced', 'wrong', 'unknown', 'unchecked']),
  /** One plain sentence about what was found. */
  summary: z.string().max(500),
  /** How to turn time synchronisation on, step by step, for this system. */
  fix: z.array(z.string().max(500)).max(10),
});
export type ClockHealth = z.infer<typeof ClockHealth>;

/** What this system supports, so settings offer only what works here. */
export const SystemInfo = z.object({
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  /** macOS and Windows can keep a window out of screen capture; Linux cannot. */
  contentProtectionSupported: z.boolean(),
  launchAtLoginSupported: z.boolean(),
  /** Whether the configured global shortcut is registered (false: another app holds it). */
  globalShortcutActive: z.boolean(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const contract = {
  'vault.status': { input: z.void(), output: VaultStatus },
  'vault.create': {
    input: z.object({ useKeychain: z.boolean(), password: Password.optional() }),
    output: VaultStatus,
  },
  'vault.unlock': { input: z.object({ password: Password.optional() }), output: VaultStatus },
  'vault.lock': { input: z.void(), output: VaultStatus },
  /** Sets the master password; changing one needs the current password too. */
  'vault.setPassword': {
    input: z.object({ password: Password, currentPassword: Password.optional() }),
    output: VaultStatus,
  },
  'vault.removePassword': {
    input: z.object({ currentPassword: Password }),
    output: VaultStatus,
  },
  /** Turning the keychain on or off needs the master password (a password-only vault has one). */
  'vault.setKeychain': {
    input: z.object({ enabled: z.boolean(), currentPassword: Password }),
    output: VaultStatus,
  },
  /** The person saw the rollback warning: keep this file, written as the newest generation. */
  'vault.acknowledgeRollback': { input: z.void(), output: VaultStatus },

  'accounts.list': { input: z.void(), output: z.array(AccountView) },
  'accounts.add': { input: z.object({ uri: z.string().max(8192) }), output: AccountView },
  'accounts.create': { input: ManualAccount, output: AccountView },
  'accounts.update': { input: z.object({ id: Id, changes: AccountChanges }), output: AccountView },
  'accounts.remove': { input: z.object({ id: Id }), output: z.object({ undoToken: z.string() }) },
  'accounts.undoRemove': {
    input: z.object({ undoToken: z.string().max(128) }),
    output: AccountView,
  },
  /**
   * Accounts removed in this unlocked session that can still be brought back (newest first),
   * each until `until` (kept in main's memory only: gone when the vault locks).
   */
  'accounts.recentlyDeleted': {
    input: z.void(),
    output: z.array(
      z.object({
        undoToken: z.string(),
        account: AccountView,
        removedAt: z.number().int(),
        until: z.number().int(),
      }),
    ),
  },
  'accounts.reorder': {
    input: z.object({ ids: z.array(Id).max(100_000) }),
    output: z.array(AccountView),
  },

  'codes.current': { input: z.void(), output: z.array(CodeView) },
  'codes.hotpNext': { input: z.object({ id: Id }), output: CodeView },
  /**
   * Copies a code to the clipboard (main writes it). `which` is `current`, `next`, or `auto`
   * (the default): the current code, except in a time-based code's last seconds
   * (COPY_NEXT_WITHIN_MS), when the next one is copied, since the current one would expire on
   * its way to the site. The answer says which was copied and when the clipboard clears.
   */
  'codes.copy': {
    input: z.object({ id: Id, which: z.enum(['auto', 'current', 'next']).default('auto') }),
    output: z.object({
      clearsAt: z.number().int().nullable(),
      copied: z.enum(['current', 'next']),
      /** For `next`: when that code becomes the current one (unix ms). */
      validFrom: z.number().int().optional(),
    }),
  },

  'settings.get': { input: z.void(), output: Settings },
  'settings.update': { input: SettingsChanges, output: Settings },

  /** Asks the OS whether its clock is synchronised (never a network time server). */
  'system.clockHealth': { input: z.void(), output: ClockHealth },
  'system.info': { input: z.void(), output: SystemInfo },
  /** The otpauth:// link the user last opened with Chronokey, once; null when none waits. */
  'system.takePendingLink': {
    input: z.void(),
    output: z.object({ uri: z.string().max(8192) }).nullable(),
  },
  /**
   * Keeps the window out of screenshots and screen sharing for a moment (while transfer QR codes
   * show), whatever the setting; `enabled: false` falls back to the setting. Answers whether the
   * window is protected now (false where the system cannot, e.g. Linux).
   */
  'system.protectScreen': {
    input: z.object({ enabled: z.boolean() }),
    output: z.object({ protected: z.boolean() }),
  },

  /** Each `import.add*` starts a preview, or adds to the one named (e.g. the next Google batch). */
  'import.addText': {
    input: z.object({ previewId: PreviewId.optional(), text: z.string().max(4 * 1024 * 1024) }),
    output: ImportPreview,
  },
  'import.addFiles': {
    input: z.object({
      previewId: PreviewId.optional(),
      files: z.array(ImportFile).min(1).max(100),
    }),
    output: ImportPreview,
  },
  /** Main shows the system's open dialog; `null` when the user cancels. */
  'import.openFiles': {
    input: z.object({ previewId: PreviewId.optional() }),
    output: ImportPreview.nullable(),
  },
  /** Captures every display in memory (never written anywhere) and reads the QR codes on them. */
  'import.scanScreen': {
    input: z.object({ previewId: PreviewId.optional() }),
    output: ImportPreview,
  },
  'import.unlock': {
    input: z.object({ previewId: PreviewId, source: z.string().max(512), password: Password }),
    output: ImportPreview,
  },
  /** Adds the chosen items in one atomic vault write: all of them or none. */
  'import.commit': {
    input: z.object({
      previewId: PreviewId,
      keys: z.array(z.string().max(64)).max(100_000),
      /** `replace`: the chosen items become all the vault's accounts (a restore), in one write. */
      mode: z.enum(['merge', 'replace']).default('merge'),
    }),
    output: z.object({ added: z.array(AccountView) }),
  },
  'import.cancel': { input: z.object({ previewId: PreviewId }), output: z.null() },

  /** Main shows the save dialog, writes the file and checks it; `null` when the user cancels. */
  'backup.export': {
    input: z.object({ format: ExportFormat, password: Password.optional() }),
    output: ExportResult.nullable(),
  },
  /**
   * Main shows the folder picker for automatic backups and saves the folder chosen in the
   * settings (the only way to set it); the new settings, or `null` when the user cancels.
   */
  'backup.chooseFolder': { input: z.void(), output: Settings.nullable() },
  /**
   * The automatic backups' password: only the key it gives is kept, inside the vault. Needs the
   * vault's master password when the vault has one.
   */
  'backup.setAutoPassword': {
    input: z.object({ password: Password, vaultPassword: Password.optional() }),
    output: AutoBackupStatus,
  },
  'backup.autoStatus': { input: z.void(), output: AutoBackupStatus },
  /** Writes an automatic backup now (with the saved settings and key) and says how it went. */
  'backup.runNow': { input: z.void(), output: AutoBackupStatus },

  'sync.status': { input: z.void(), output: SyncStatus },
  /**
   * Main shows the folder picker and remembers the folder for `sync.setup` or `sync.join` (the
   * only way to name one, so a compromised window cannot send the accounts elsewhere);
   * `null` when the person cancels. `holdsSync`: it already holds a sync (join it).
   */
  'sync.chooseFolder': {
    input: z.object({ purpose: z.enum(['setup', 'join']) }),
    output: z.object({ path: z.string(), holdsSync: z.boolean() }).nullable(),
  },
  /** Sets up sync in the chosen folder with a new sync password (the strength floor applies). */
  'sync.setup': {
    input: z.object({
      password: Password,
      deviceName: SyncDeviceName,
      vaultPassword: Password.optional(),
    }),
    output: SyncStatus,
  },
  /** Joins the sync in the chosen folder with its sync password. */
  'sync.join': {
    input: z.object({
      password: Password,
      deviceName: SyncDeviceName,
      vaultPassword: Password.optional(),
    }),
    output: SyncStatus,
  },
  'sync.now': { input: z.void(), output: SyncStatus },
  /** Removals waiting for the person: apply them, or keep those accounts (everywhere). */
  'sync.resolveRemovals': { input: z.object({ apply: z.boolean() }), output: SyncStatus },
  /** Wraps the sync key with a new sync password; other devices keep syncing unasked. */
  'sync.changePassword': {
    input: z.object({ password: Password, vaultPassword: Password.optional() }),
    output: SyncStatus,
  },
  /** Removes another device for good: a new sync key under a new sync password. */
  'sync.removeDevice': {
    input: z.object({
      deviceId: z.string().regex(/^[0-9a-f]{32}$/),
      password: Password,
      vaultPassword: Password.optional(),
    }),
    output: SyncStatus,
  },
  /** After another device replaced the sync key: the sync password opens the new one. */
  'sync.enterPassword': { input: z.object({ password: Password }), output: SyncStatus },
  /** Stops syncing on this device; its accounts stay. */
  'sync.leave': { input: z.void(), output: SyncStatus },

  'follow.status': { input: z.void(), output: FollowStatus },
  /**
   * Main shows the folder picker and remembers the folder for `follow.add` (the only way to name
   * one); `null` when the person cancels.
   */
  'follow.chooseFolder': { input: z.void(), output: z.object({ path: z.string() }).nullable() },
  /**
   * Follows the chosen folder, with the backups' password when they are encrypted (kept inside
   * the vault), and reads its newest backup at once.
   */
  'follow.add': { input: z.object({ password: Password.optional() }), output: FollowStatus },
  /** A new password for a followed folder's backups (reads the newest backup again). */
  'follow.setPassword': {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), password: Password }),
    output: FollowStatus,
  },
  /** Stops following a folder; the accounts it brought stay. */
  'follow.remove': {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
    output: FollowStatus,
  },
  /** Reads every followed folder's newest backup now. */
  'follow.now': { input: z.void(), output: FollowStatus },
  /** "Removed on the phone?": remove those accounts here, or keep them and stop asking. */
  'follow.resolveMissing': {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), remove: z.boolean() }),
    output: FollowStatus,
  },
  /**
   * Google Authenticator export QR codes (at most 10 accounts each) of all or the chosen
   * accounts, after the person confirms in a dialog main draws (TRANSFER_NOT_CONFIRMED if not).
   */
  'transfer.migrationQrs': {
    input: z.object({ ids: z.array(Id).max(100_000).optional() }),
    output: z.object({
      codes: z.array(TransferQr),
      /** Accounts the Google format cannot carry (Steam, other periods or digits), with why. */
      skipped: z.array(z.object({ id: z.string(), name: z.string(), reason: z.string() })),
    }),
  },
  /** One account's own otpauth:// QR code, after the person confirms in main's dialog. */
  'transfer.accountQr': {
    input: z.object({ id: Id }),
    output: z.object({ svg: z.string() }),
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

/** What a caller passes (before parsing) and what a handler receives (after parsing). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type HandlerInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** The handler table the core implements once and main, the CLI and the test bridge serve. */
export type Handlers = {
  [C in Channel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
};

type Namespace<C extends string> = C extends `${infer N}.${string}` ? N : never;
type Method<C extends string> = C extends `${string}.${infer M}` ? M : never;
type Call<C extends Channel> = [ChannelInput<C>] extends [void]
  ? () => Promise<Result<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

/**
 * Events main pushes to the renderer, one schema per event. Each reaches the renderer through
 * exactly one named subscription on `window.chronokey.events` (see `eventSubscriptions`):
 *
 * - `vault.locked` `{ reason }`: main locked the vault (menu Lock, idle timeout, system suspend,
 *   screen lock). The renderer shows the lock screen; it need not call `vault.lock` itself.
 * - `ui.focusSearch` `{}`: the Find menu item (Ctrl/Cmd+F): focus the search box.
 * - `ui.addAccount` `{}`: the Add Account menu item (Ctrl/Cmd+N): open the Add account dialog.
 * - `ui.openSettings` `{}`: the Settings menu item (Ctrl/Cmd+,): open the Settings dialog.
 * - `ui.addLink` `{ uri }`: an otpauth:// link was opened with Chronokey (a click in a browser or
 *   another app): open the add flow with it. The renderer takes it with `system.takePendingLink`.
 *
 * A transport (the preload over IPC, the browser test bridge over its loopback connection)
 * delivers a payload to listeners only after parsing it with the event's schema, and never
 * passes its own event object through.
 */
/** `error`: something needed to decide about auto-lock failed, so the vault locked to be safe. */
export const LockReason = z.enum(['manual', 'idle', 'suspend', 'screen-lock', 'error']);
export type LockReason = z.infer<typeof LockReason>;

export const events = {
  'vault.locked': z.object({ reason: LockReason }),
  'ui.focusSearch': z.object({}),
  'ui.addAccount': z.object({}),
  'ui.openSettings': z.object({}),
  /** An otpauth:// link was opened with Chronokey: open the add flow with it. */
  'ui.addLink': z.object({ uri: z.string().max(8192) }),
  /** An automatic backup was written or failed: the window shows it (failures are never hidden). */
  'backup.auto': AutoBackupStatus,
  /** A sync pass ran, or sync's state changed: the window updates its indicator and list. */
  'sync.status': SyncStatus,
  /** A follow pass ran: the window updates the followed folders and says what changed. */
  'follow.status': FollowStatus,
  /** Long imports (many files, large exports, screen scans) report how far they are. */
  'import.progress': z.object({
    done: z.number().int(),
    total: z.number().int(),
    stage: z.string().max(200),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** The IPC channel an event travels on: kept apart from the invoke channels by its prefix. */
export const eventChannel = (name: EventName): string => `event:${name}`;

/** `window.chronokey.events.<method>(listener)` → unsubscribe, one method per event. */
export const eventSubscriptions = {
  onVaultLocked: 'vault.locked',
  onFocusSearch: 'ui.focusSearch',
  onAddAccount: 'ui.addAccount',
  onOpenSettings: 'ui.openSettings',
  onAddLink: 'ui.addLink',
  onImportProgress: 'import.progress',
  onAutoBackup: 'backup.auto',
  onSyncStatus: 'sync.status',
  onFollowStatus: 'follow.status',
} as const satisfies Record<string, EventName>;

export type ChronokeyEvents = {
  [M in keyof typeof eventSubscriptions]: (
    listener: (payload: EventPayload<(typeof eventSubscriptions)[M]>) => void,
  ) => () => void;
};

/** How a transport delivers events: calls `listener` with the raw payload; returns unsubscribe. */
export type Subscribe = (name: EventName, listener: (payload: unknown) => void) => () => void;

/** `window.chronokey`: one named method per channel, grouped by namespace, e.g. `accounts.list()`. */
export type ChronokeyApi = {
  [N in Namespace<Channel>]: {
    [C in Channel as Namespace<C> extends N ? Method<C> : never]: Call<C>;
  };
} & { events: ChronokeyEvents };

/**
 * Builds the named-method API from the channel list around one transport function.
 * The preload passes `ipcRenderer.invoke`; the browser tests pass their loopback bridge.
 * The transport is never exposed itself: callers can only reach the channels listed here.
 * `subscribe` delivers main's events; payloads that do not match their schema are dropped.
 */
export function buildApi(
  send: (channel: Channel, input: unknown) => Promise<Result<unknown>>,
  subscribe: Subscribe,
): ChronokeyApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of channels) {
    const [namespace, method] = channel.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][method] = (input?: unknown) => send(channel, input);
  }
  const subscriptions: Record<string, unknown> = {};
  for (const [method, name] of Object.entries(eventSubscriptions)) {
    subscriptions[method] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${method} needs a function`);
      return subscribe(name, (payload) => {
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data);
      });
    };
  }
  api.events = subscriptions;
  return api as unknown as ChronokeyApi;
}

export const ResultShape = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShape }),
]);
