import { resolve } from 'node:path';
import { ChronokeyError } from '../../shared/errors';
import type { Account } from '../../shared/domain';
import { exportAccounts, type ExportFormat } from '../core/backup/export';
import { checkExportTarget } from '../core/backup/export-files';
import { OTPAUTH_WARNING } from '../core/backup/otpauth-export';
import { requireStrongPassword } from '../core/password-policy';
import { nodeVaultFs } from '../core/vault/vault-fs';
import type { CliIo } from './cli-io';
import { printWarning } from './output';
import { readLines } from './password';
import { UsageError } from './usage';

export interface ExportCommand {
  target: string;
  format: string | undefined;
  /** --force: replace an existing file (never a vault, never inside the vault's folder). */
  force: boolean;
  /** The vault's folder: nothing is ever exported into it. */
  vaultDir: string;
  json: boolean;
  passwordStdin: boolean;
  io: CliIo;
  /** True when opening the vault takes its password (no usable keychain slot). */
  vaultNeedsPassword(): Promise<boolean>;
  /** Asks on the terminal without echo. */
  prompt(question: string): Promise<string>;
  /** Opens the vault (with its password when given) and returns its accounts in order. */
  readAccounts(vaultPassword: string | undefined): Promise<Account[]>;
}

const FORMATS: readonly ExportFormat[] = ['chronokey', 'aegis', 'otpauth', 'kdbx'];

/**
 * `chronokey export PATH --format chronokey|aegis|otpauth|kdbx`: writes every account, verified (read
 * back, decrypted and compared), or exits 1 leaving no file. With --password-stdin, standard input
 * holds the passwords needed, one per line and in this order: the export's (every format but
 * otpauth), then the vault's (only if the vault cannot be opened by the keychain).
 */
export async function runExport(command: ExportCommand): Promise<number> {
  const { io } = command;
  const format = (command.format ?? 'chronokey') as ExportFormat;
  if (!FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be chronokey, aegis, kdbx or otpauth, not "${command.format}"`,
    );
  }
  const path = resolve(command.target);
  // Before any password is asked for or the vault opened: a refused target costs nothing.
  await checkExportTarget(nodeVaultFs, path, {
    vaultDir: command.vaultDir,
    overwrite: command.force,
  });
  const lines = command.passwordStdin ? await readLines(io.stdin, 2) : [];
  const interactive = !command.passwordStdin && io.stdin.isTTY === true;

  let exportPassword: string | undefined;
  if (format !== 'otpauth') {
    exportPassword = lines.shift();
    if (exportPassword === undefined && interactive) {
      exportPassword = await command.prompt('Password for the export: ');
      await requireStrongPassword(exportPassword, 'export');
      const again = await command.prompt('Type it again: ');
      if (again !== exportPassword) {
        throw new ChronokeyError(
          'PASSWORD_MISMATCH',
          'The two passwords differ; nothing was written.',
        );
      }
    }
    if (exportPassword === undefined || exportPassword === '') {
      throw new ChronokeyError(
        'BACKUP_PASSWORD_REQUIRED',
        'An encrypted export needs a password: give it on the first line of standard input with --password-stdin.',
      );
    }
    await requireStrongPassword(exportPassword, 'export');
  } else {
    printWarning(io, command.json, 'EXPORT_NOT_ENCRYPTED', `${path}: ${OTPAUTH_WARNING}`);
  }

  let vaultPassword: string | undefined;
  if (await command.vaultNeedsPassword()) {
    vaultPassword = lines.shift();
    if (vaultPassword === undefined && interactive)
      vaultPassword = await command.prompt('Vault password: ');
    if (vaultPassword === undefined || vaultPassword === '') {
      throw new ChronokeyError(
        'VAULT_PASSWORD_REQUIRED',
        `This vault is protected by a password: with --password-stdin, give it on the ${format === 'otpauth' ? 'first' : 'second'} line of standard input (after the export's password).`,
      );
    }
  }

  const accounts = await command.readAccounts(vaultPassword);
  const result = await exportAccounts(
    { fs: nodeVaultFs, now: () => Date.now() },
    accounts,
    format,
    path,
    {
      password: exportPassword,
    },
  );
  if (!result.verified) {
    throw new ChronokeyError(
      'BACKUP_NOT_VERIFIED',
      `The file written to "${path}" did not read back the same as the vault, so it was deleted. Check the disk or choose another folder.`,
    );
  }
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ ...result, format }, null, 2)}\n`);
  } else {
    const what = result.accounts === 1 ? '1 account' : `${result.accounts} accounts`;
    io.stdout.write(`Exported ${what} to ${path} (verified: read back and compared).\n`);
  }
  return 0;
}
