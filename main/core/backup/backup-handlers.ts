import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { ChannelOutput, HandlerInput } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { displayName } from '../accounts';
import {
  encodeMigrationPayloads,
  googleExportIncompatibility,
} from '../import/formats/google-migration';
import { formatOtpauthUri } from '../otp/otpauth-uri';
import { requireStrongPassword } from '../password-policy';
import type { Clock, ConfirmPort } from '../ports';
import type { VaultSession } from '../session';
import type { RandomBytes } from '../vault/key-slots';
import { nodeVaultFs, type VaultFs } from '../vault/vault-fs';
import { BACKUP_EXTENSION } from './backup-format';
import { exportAccounts, type ExportFormat } from './export';
import { checkExportTarget, isInside } from './export-files';

/** The system's save dialog (main's Electron adapter; the e2e bridge's test double). */
export interface SaveDialogPort {
  /** The path the user chose, or null when they cancelled. */
  chooseSavePath(options: { defaultName: string; format: ExportFormat }): Promise<string | null>;
}

/** The system's folder picker, for automatic backups. */
export interface FolderDialogPort {
  /** `title` says what the folder is for; null when the person cancels. */
  chooseFolder(options?: { title: string }): Promise<string | null>;
}

export interface BackupHandlerDeps {
  session: VaultSession;
  clock: Clock;
  fs?: VaultFs;
  random?: RandomBytes;
  saveDialog?: SaveDialogPort;
  folderDialog?: FolderDialogPort;
  /** Asks the person, in main's own dialog, before QR codes that carry secrets are made. */
  confirm?: ConfirmPort;
}

type BackupChannel =
  'backup.export' | 'backup.chooseFolder' | 'transfer.migrationQrs' | 'transfer.accountQr';

export type BackupHandlers = {
  [C in BackupChannel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
};

const EXTENSIONS: Record<ExportFormat, string> = {
  chronokey: BACKUP_EXTENSION,
  aegis: '.json',
  otpauth: '.txt',
  kdbx: '.kdbx',
};

/** Rendered in main, so a secret reaches the window only as the picture of its QR code. */
function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Backups and transfer out: the only handlers through which secrets leave the vault, each on an
 * explicit user action (an export the user saved, QR codes the user asked to show).
 */
export function createBackupHandlers(deps: BackupHandlerDeps): BackupHandlers {
  const fs = deps.fs ?? nodeVaultFs;
  const random = deps.random ?? randomBytes;
  const accounts = async (): Promise<Account[]> =>
    structuredClone((await deps.session.content()).accounts);

  return {
    'backup.export': async ({ format, password }) => {
      const list = await accounts();
      if (!deps.saveDialog) {
        throw new ChronokeyError(
          'DIALOG_UNAVAILABLE',
          'There is no save dialog here; use "chronokey export PATH".',
        );
      }
      if (format !== 'otpauth' && (password === undefined || password === '')) {
        throw new ChronokeyError(
          'BACKUP_PASSWORD_REQUIRED',
          'An encrypted export needs a password: type one (twice) to protect the file.',
        );
      }
      if (format !== 'otpauth' && password !== undefined) {
        await requireStrongPassword(password, 'export');
      }
      const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
      const path = await deps.saveDialog.chooseSavePath({
        defaultName: `chronokey-${format === 'chronokey' ? 'backup' : format}-${day}${EXTENSIONS[format]}`,
        format,
      });
      if (path === null) return null;
      // The save dialog asked before replacing a file; the vault's folder is never a target.
      await checkExportTarget(fs, path, { vaultDir: deps.session.dir, overwrite: true });
      return exportAccounts({ fs, now: () => deps.clock.now(), random }, list, format, path, {
        password,
      });
    },
    'backup.chooseFolder': async () => {
      deps.session.vault();
      if (!deps.folderDialog) {
        throw new ChronokeyError('DIALOG_UNAVAILABLE', 'There is no folder dialog here.');
      }
      const folder = await deps.folderDialog.chooseFolder();
      if (folder === null) return null;
      if (await isInside(deps.session.dir, folder)) {
        throw new ChronokeyError(
          'EXPORT_TARGET_IN_VAULT',
          "That folder is the vault's own folder (or inside it); choose another folder for the automatic backups.",
        );
      }
      // Saved here, from main's own dialog: the window cannot name a folder itself.
      return deps.session.update((draft) => {
        draft.settings.autoBackup = { ...draft.settings.autoBackup, folder };
        return draft.settings;
      });
    },
    'transfer.migrationQrs': async ({ ids }) => {
      const all = await accounts();
      const chosen = ids === undefined ? all : ids.map((id) => byId(all, id));
      const count = chosen.length === 1 ? 'this account' : `${chosen.length} accounts`;
      await confirmShowing(deps.confirm, {
        title: 'Show transfer QR codes',
        message: `Show the secret keys of ${count} as QR codes?`,
        detail:
          'Anyone who sees or photographs these codes can make your sign-in codes. Show them only to move your accounts to your phone, where no one is looking.',
        confirmLabel: 'Show QR codes',
      });
      const skipped: Array<{ id: string; name: string; reason: string }> = [];
      const fitting = chosen.filter((account) => {
        const reason = googleExportIncompatibility(account);
        if (reason !== undefined)
          skipped.push({ id: account.id, name: displayName(account), reason });
        return reason === undefined;
      });
      if (fitting.length === 0) {
        throw new ChronokeyError(
          'TRANSFER_NOTHING',
          chosen.length === 0
            ? 'There are no accounts to transfer.'
            : "None of these accounts can be moved with a Google Authenticator export; show each one's own QR code instead.",
        );
      }
      const links = encodeMigrationPayloads(fitting, { batchSize: 10 });
      const codes = await Promise.all(
        links.map(async (link, index) => ({
          svg: await qrSvg(link),
          index: index + 1,
          total: links.length,
        })),
      );
      return { codes, skipped };
    },
    'transfer.accountQr': async ({ id }) => {
      const account = byId(await accounts(), id);
      await confirmShowing(deps.confirm, {
        title: 'Show QR code',
        message: `Show the secret key of ${displayName(account).slice(0, 200)} as a QR code?`,
        detail:
          'Anyone who sees or photographs this code can make your sign-in codes for this account. Show it only to add the account to another app, where no one is looking.',
        confirmLabel: 'Show QR code',
      });
      // Only the picture goes to the window, never the link with its secret.
      return { svg: await qrSvg(formatOtpauthUri(account)) };
    },
  };
}

/** Goes ahead only when the person said yes in main's own dialog (never the window's word). */
async function confirmShowing(
  confirm: ConfirmPort | undefined,
  question: Parameters<ConfirmPort['confirm']>[0],
): Promise<void> {
  if (!confirm) {
    throw new ChronokeyError(
      'DIALOG_UNAVAILABLE',
      'There is no way to ask for confirmation here, so no QR code was made.',
    );
  }
  if (!(await confirm.confirm(question))) {
    throw new ChronokeyError('TRANSFER_NOT_CONFIRMED', 'No QR code was shown.');
  }
}

function byId(accounts: readonly Account[], id: string): Account {
  const account = accounts.find((candidate) => candidate.id === id);
  if (!account) {
    throw new ChronokeyError(
      'ACCOUNT_NOT_FOUND',
      'That account is not in the vault any more. It may have been removed in another window.',
    );
  }
  return account;
}
