import { resolve } from 'node:path';
import { ChronokeyError } from '../../shared/errors';
import type { Account } from '../../shared/domain';
import { exportAccounts, type ExportFormat } from '../core/backup/export';
import { OTPAUTH_WARNING } from '../core/backup/otpauth-export';
import { nodeVaultFs } from '../core/vault/vault-fs';
import type { CliIo } from './run';
import { UsageError } from './usage';

export interface ExportCommand {
  target: string;
  format: string | undefined;
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

const FORMATS: readonly ExportFormat[] = ['chronokey', 'aegis', 'otpauth'];

/**
 * `chronokey export PATH --format chronokey|aegis|otpauth`: writes every account, verified (read
 * back, decrypted and compared), or exits 1 leaving no file. With --password-stdin, standard input
 * holds the passwords needed, one per line and in this order: the export's (chronokey and aegis
 * only), then the vault's (only if the vault cannot be opened by the keychain).
 */
export async function runExport(command: ExportCommand): Promise<number> {
  const { io } = command;
  const format = (command.format ?? 'chronokey') as ExportFormat;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be chronokey, aegis or otpauth, not "${command.format}"`);
  }
  const path = resolve(command.target);
  const lines = command.passwordStdin ? await readLines(io.stdin, 2) : [];
  const interactive = !command.passwordStdin && io.stdin.isTTY === true;

  let exportPassword: string | undefined;
  if (format !== 'otpauth') {
    exportPassword = lines.shift();
    if (exportPassword === undefined && interactive) {
      exportPassword = await command.prompt('Password for the export: ');
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
  } else {
    io.stderr.write(`WARNING: ${path}: ${OTPAUTH_WARNING}\n`);
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

/** Reads up to `max` lines from standard input (passwords given with --password-stdin). */
async function readLines(stream: NodeJS.ReadableStream, max: number): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.split('\n').length > max) break;
    if (text.length > 64 * 1024) break;
  }
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.slice(0, max);
}
