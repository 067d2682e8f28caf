import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Channel, ChannelInput, ChannelOutput, Handlers } from '../../shared/contract';
import type { Account } from '../../shared/domain';
import { ChronokeyError } from '../../shared/errors';
import { displayName, matchAccounts } from '../core/accounts';
import { dispatch } from '../core/dispatch';
import { VAULT_CHANGES, createHandlers } from '../core/handlers';
import { observeHandlers } from '../core/handler-observer';
import { defaultVaultDir } from '../core/paths';
import type { Clock } from '../core/ports';
import { systemClock } from '../core/ports';
import { VaultSession } from '../core/session';
import type { KeychainPort } from '../core/vault/keychain';
import { createKeytarKeychain } from '../core/vault/keychain';
import { inspectVault } from '../core/vault/vault';
import type { CliIo } from './cli-io';
import { printJson, printWarning } from './output';
import { promptPassword, readFirstLine } from './password';
import { syncAfterWrite } from './sync-after-write';
import { UsageError } from './usage';

/** What every command knows once its arguments are parsed. */
export interface Context {
  io: CliIo;
  json: boolean;
  dir: string;
  passwordStdin: boolean;
  keychain: KeychainPort;
}

/** Options given before the command. */
export interface Globals {
  json: boolean;
  vaultDir?: string;
  passwordStdin: boolean;
  help: boolean;
  version: boolean;
}

/** Options every command also accepts after its name, for convenience. */
const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'vault-dir': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function splitGlobals(argv: readonly string[]): {
  command: string | undefined;
  rest: string[];
  globals: Globals;
} {
  const globals: Globals = { json: false, passwordStdin: false, help: false, version: false };
  let index = 0;
  for (; index < argv.length; index++) {
    const arg = argv[index]!;
    if (!arg.startsWith('-')) break;
    if (arg === '--json') globals.json = true;
    else if (arg === '--password-stdin') globals.passwordStdin = true;
    else if (arg === '--help' || arg === '-h') globals.help = true;
    else if (arg === '--version' || arg === '-V') globals.version = true;
    else if (arg === '--vault-dir') {
      const value = argv[++index];
      if (value === undefined) throw new UsageError('--vault-dir needs a folder');
      globals.vaultDir = value;
    } else if (arg.startsWith('--vault-dir=')) globals.vaultDir = arg.slice('--vault-dir='.length);
    else throw new UsageError(`unknown option "${arg}"`);
  }
  return { command: argv[index], rest: argv.slice(index + 1), globals };
}

/** True when the command's own arguments ask for its help (before anything else is parsed). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Parses a command's own arguments and builds the context shared by every command. */
export function parseCommand<
  const O extends Record<string, { type: 'string' | 'boolean'; short?: string }>,
>(
  args: string[],
  globals: Globals,
  io: CliIo,
  options: O,
  positionals: { min: number; max: number; names: string },
) {
  const parsed = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, ...options },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new UsageError(
      positionals.max === 0
        ? 'this command takes no arguments'
        : `expected ${positionals.names}${count > positionals.max ? ' only' : ''}`,
    );
  }
  const vaultDirOption = typeof values['vault-dir'] === 'string' ? values['vault-dir'] : undefined;
  const context: Context = {
    io,
    json: globals.json || values.json === true,
    passwordStdin: globals.passwordStdin || values['password-stdin'] === true,
    dir:
      vaultDirOption ??
      globals.vaultDir ??
      defaultVaultDir(io.platform ?? process.platform, io.env, io.home ?? os.homedir()),
    keychain: io.keychain ?? createKeytarKeychain(),
  };
  return { context, values, positionals: parsed.positionals };
}

/** Opens the vault (password from stdin, the keychain or a prompt) behind the handler table. */
export async function openCore(
  context: Context,
  clock: Clock = systemClock,
  password: () => Promise<string | undefined> = () => passwordFor(context),
) {
  const deps = { dir: context.dir, keychain: context.keychain };
  const session = new VaultSession(deps, clock);
  await session.unlock(await password());
  warnIfRolledBack(session, context);
  // Every change a command makes is synced at once (when sync is set up), so the app on other
  // devices sees it; the pass runs on the real clock even under --at.
  const handlers = observeHandlers(createHandlers({ session, clock }), async (channel) => {
    if (VAULT_CHANGES.has(channel)) await syncAfterWrite(session, context, systemClock);
  });
  return { session, handlers };
}

/** An older vault file than the one last seen here opened: say so on every command. */
export function warnIfRolledBack(session: VaultSession, context: Context): void {
  const rollback = session.vault().rollback();
  if (!rollback) return;
  printWarning(
    context.io,
    context.json,
    'VAULT_ROLLED_BACK',
    `this vault file is older than the one Chronokey last saw here (version ${rollback.fileGeneration}, last seen ${rollback.lastSeenGeneration}): it may have been put back from a copy. Accounts removed since may be back; HOTP counters are kept at their highest. Open the app to keep this version, or restore the newer file.`,
  );
}

/**
 * The password to open with, or undefined to use the keychain: --password-stdin first, then the
 * keychain where the vault has a keychain slot, else a prompt on a terminal.
 */
export async function passwordFor(context: Context): Promise<string | undefined> {
  if (context.passwordStdin) return readFirstLine(context.io.stdin);
  if (!(await vaultNeedsPassword(context))) return undefined;
  if (context.io.stdin.isTTY) {
    return promptPassword(context.io.stdin, process.stderr, 'Vault password: ');
  }
  throw new ChronokeyError(
    'VAULT_PASSWORD_REQUIRED',
    'This vault is protected by a password: give it on the first line of standard input with --password-stdin.',
  );
}

/** True when the vault opens only with its password (no keychain slot that can be reached). */
export async function vaultNeedsPassword(context: Context): Promise<boolean> {
  const info = await inspectVault({ dir: context.dir, keychain: context.keychain });
  if (!info.exists || !info.slots.includes('password')) return false;
  return !(info.slots.includes('keychain') && (await context.keychain.isAvailable()));
}

/** Calls a handler through the contract, as the app does over IPC, and unwraps the result. */
export async function call<C extends Channel>(
  handlers: Handlers,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new ChronokeyError(result.error.code, result.error.message);
  return result.value as ChannelOutput<C>;
}

export function requireMatches(accounts: readonly Account[], query: string): Account[] {
  const matches = matchAccounts(accounts, query);
  if (matches.length === 0) {
    throw new ChronokeyError(
      'NO_MATCH',
      `No account matches "${query}". See your accounts with: chronokey list`,
    );
  }
  return matches;
}

export function requireOne(accounts: readonly Account[], query: string): Account {
  const matches = requireMatches(accounts, query);
  if (matches.length > 1) {
    const names = matches
      .slice(0, 5)
      .map((account) => `${displayName(account)} (${account.id.slice(0, 8)})`);
    throw new ChronokeyError(
      'AMBIGUOUS_QUERY',
      `"${query}" matches ${matches.length} accounts: ${names.join(', ')}${matches.length > 5 ? ', ...' : ''}. Use more of the name or the account id.`,
    );
  }
  return matches[0]!;
}

export function clockAt(at: string | boolean | undefined): Clock {
  if (typeof at !== 'string') return systemClock;
  const seconds = Number(at);
  if (at.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 1e11) {
    throw new UsageError(`--at needs a unix time in seconds, not "${at}"`);
  }
  const fixed = Math.round(seconds * 1000);
  return { now: () => fixed };
}

export function parseWholeNumber(text: string, name: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`${name} needs a whole number from 0 to ${max}`);
  }
  return Number(text);
}

export function print(context: Context, value: unknown): void {
  printJson(context.io, value);
}
