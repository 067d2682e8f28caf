import os from 'node:os';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import type { Channel, ChannelInput, ChannelOutput, Handlers } from '../../shared/contract';
import type { Account, AccountView, Algorithm, CodeView } from '../../shared/domain';
import { Algorithm as AlgorithmSchema, DEFAULT_PERIOD } from '../../shared/domain';
import { ChronokeyError, toErrorShape } from '../../shared/errors';
import { displayName, matchAccounts } from '../core/accounts';
import { dispatch } from '../core/dispatch';
import { createHandlers } from '../core/handlers';
import { randomSecret } from '../core/otp/base32';
import { verifyCode } from '../core/otp/generate';
import { formatOtpauthUri, parseOtpauthUri } from '../core/otp/otpauth-uri';
import { defaultVaultDir } from '../core/paths';
import type { Clock } from '../core/ports';
import { systemClock } from '../core/ports';
import { VaultSession } from '../core/session';
import type { KeychainPort } from '../core/vault/keychain';
import { createKeytarKeychain } from '../core/vault/keychain';
import { inspectVault } from '../core/vault/vault';
import { runImport } from './import-command';
import { runExport } from './export-command';
import { promptPassword, readFirstLine } from './password';
import { USAGE, UsageError } from './usage';

export interface CliIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  keychain?: KeychainPort;
  platform?: NodeJS.Platform;
  home?: string;
}

interface Context {
  io: CliIo;
  json: boolean;
  dir: string;
  passwordStdin: boolean;
  keychain: KeychainPort;
}

/** Options every command also accepts after its name, for convenience. */
const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'vault-dir': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage. */
export async function runCli(io: CliIo): Promise<number> {
  try {
    const { command, rest, globals } = splitGlobals(io.argv);
    if (globals.version) {
      io.stdout.write(`${readVersion()}\n`);
      return 0;
    }
    if (globals.help || command === undefined || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined && !globals.help ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, globals, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`USAGE: ${(error as Error).message}. Run "chronokey --help" for help.\n`);
      return 2;
    }
    const shape = toErrorShape(error);
    const detail = shape.code === 'INTERNAL' && error instanceof Error ? ` (${error.message})` : '';
    io.stderr.write(`${shape.code}: ${oneLine(shape.message)}${detail}\n`);
    return 1;
  }
}

interface Globals {
  json: boolean;
  vaultDir?: string;
  passwordStdin: boolean;
  help: boolean;
  version: boolean;
}

function splitGlobals(argv: readonly string[]): {
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

type CommandRunner = (args: string[], globals: Globals, io: CliIo) => Promise<number>;

/** Parses a command's own arguments and builds the context shared by every command. */
function parseCommand<
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

const COMMANDS: Record<string, CommandRunner> = {
  async init(args, globals, io) {
    const { context, values } = parseCommand(
      args,
      globals,
      io,
      { 'no-keychain': { type: 'boolean' } },
      {
        min: 0,
        max: 0,
        names: '',
      },
    );
    const wantKeychain = values['no-keychain'] !== true;
    const keychainAvailable = wantKeychain && (await context.keychain.isAvailable());
    let password: string | undefined;
    if (context.passwordStdin) password = await readFirstLine(io.stdin);
    else if (!keychainAvailable && io.stdin.isTTY) {
      password = await askNewPassword(context, wantKeychain);
    }
    if (!wantKeychain && password === undefined) {
      throw new ChronokeyError(
        'VAULT_PASSWORD_REQUIRED',
        'A vault without the keychain needs a password: give it with --password-stdin.',
      );
    }
    const session = new VaultSession({ dir: context.dir, keychain: context.keychain }, systemClock);
    // Without a reachable keychain a password is required; createVault says why if none was given.
    await session.create({
      useKeychain: wantKeychain && (keychainAvailable || password === undefined),
      password,
    });
    const status = await session.status();
    session.lock();
    if (context.json) {
      print(context, { dir: context.dir, slots: status.slots });
    } else {
      const how = status.slots.map((slot) =>
        slot === 'keychain' ? 'the system keychain' : 'your password',
      );
      io.stdout.write(`Created a vault in ${context.dir}, unlocked by ${how.join(' or ')}.\n`);
      if (wantKeychain && !keychainAvailable) {
        io.stderr.write(
          'Note: no system keychain could be reached, so the vault is protected by your password only.\n',
        );
      }
    }
    return 0;
  },

  async add(args, globals, io) {
    const { context, positionals } = parseCommand(
      args,
      globals,
      io,
      {},
      {
        min: 1,
        max: 1,
        names: 'one otpauth:// link',
      },
    );
    // Check the link before touching the vault, so bad input never opens or changes it.
    parseOtpauthUri(positionals[0]!);
    const core = await openCore(context);
    const view = await call(core.handlers, 'accounts.add', { uri: positionals[0]! });
    if (context.json) print(context, cliView(view));
    else io.stdout.write(`Added ${displayName(view)} (id ${view.id}).\n`);
    return 0;
  },

  async import(args, globals, io) {
    const { context, values, positionals } = parseCommand(
      args,
      globals,
      io,
      { 'dry-run': { type: 'boolean' } },
      { min: 1, max: 1, names: 'one PATH (or - for standard input)' },
    );
    return runImport({
      target: positionals[0]!,
      dryRun: values['dry-run'] === true,
      json: context.json,
      passwordStdin: context.passwordStdin,
      io,
      vaultNeedsPassword: () => vaultNeedsPassword(context),
      vaultExists: async () =>
        (await inspectVault({ dir: context.dir, keychain: context.keychain })).exists,
      prompt: (question) => promptPassword(io.stdin, process.stderr, question),
      openHandlers: async (password) =>
        (await openCore(context, systemClock, async () => password)).handlers,
    });
  },

  async export(args, globals, io) {
    const { context, values, positionals } = parseCommand(
      args,
      globals,
      io,
      { format: { type: 'string' } },
      { min: 1, max: 1, names: 'one PATH to write' },
    );
    const deps = { dir: context.dir, keychain: context.keychain };
    return runExport({
      target: positionals[0]!,
      format: typeof values.format === 'string' ? values.format : undefined,
      json: context.json,
      passwordStdin: context.passwordStdin,
      io,
      vaultNeedsPassword: async () => {
        const info = await inspectVault(deps);
        if (!info.exists || !info.slots.includes('password')) return false;
        return !(info.slots.includes('keychain') && (await context.keychain.isAvailable()));
      },
      prompt: (question) => promptPassword(io.stdin, process.stderr, question),
      readAccounts: async (password) => {
        const session = new VaultSession(deps, systemClock);
        await session.unlock(password);
        warnIfRolledBack(session, io);
        try {
          return structuredClone((await session.content()).accounts);
        } finally {
          session.lock();
        }
      },
    });
  },

  async list(args, globals, io) {
    const { context } = parseCommand(args, globals, io, {}, { min: 0, max: 0, names: '' });
    const core = await openCore(context);
    const views = await call(core.handlers, 'accounts.list', undefined);
    if (context.json) print(context, views.map(cliView));
    else if (views.length === 0) io.stdout.write(NO_ACCOUNTS);
    else {
      for (const view of views) {
        const detail = view.type === 'hotp' ? `counter ${view.counter}` : `${view.period}s`;
        io.stdout.write(
          `${view.id.slice(0, 8)}  ${view.type.padEnd(5)}  ${displayName(view)}  (${view.algorithm}, ${view.digits} digits, ${detail})\n`,
        );
      }
    }
    return 0;
  },

  async code(args, globals, io) {
    const { context, values, positionals } = parseCommand(
      args,
      globals,
      io,
      { at: { type: 'string' } },
      {
        min: 0,
        max: 1,
        names: 'at most one QUERY',
      },
    );
    const clock = clockAt(values.at);
    const core = await openCore(context, clock);
    const accounts = (await core.session.content()).accounts;
    const chosen =
      positionals[0] === undefined ? accounts : requireMatches(accounts, positionals[0]);
    const codes = new Map(
      (await call(core.handlers, 'codes.current', undefined)).map((code) => [code.id, code]),
    );
    const rows = chosen.map((account) => ({ account, code: codes.get(account.id)! }));
    if (context.json) {
      print(
        context,
        rows.map(({ account, code }) => ({ ...cliView(account), ...cliCode(code) })),
      );
    } else if (rows.length === 0) io.stdout.write(NO_ACCOUNTS);
    else {
      const width = Math.max(...rows.map(({ code }) => code.code.length));
      for (const { account, code } of rows) {
        const left =
          code.validUntil === undefined
            ? `counter ${account.counter}`
            : `${Math.ceil((code.validUntil - clock.now()) / 1000)}s left`;
        io.stdout.write(`${code.code.padEnd(width)}  ${displayName(account)}  (${left})\n`);
      }
    }
    return 0;
  },

  async next(args, globals, io) {
    const { context, core, account } = await openOneAccount(args, globals, io);
    const code = await call(core.handlers, 'codes.hotpNext', { id: account.id });
    const view = { ...cliView(account), counter: account.counter + 1 };
    if (context.json) print(context, { ...view, ...cliCode(code) });
    else io.stdout.write(`${code.code}  ${displayName(account)}  (counter ${view.counter})\n`);
    return 0;
  },

  async remove(args, globals, io) {
    const { context, core, account } = await openOneAccount(args, globals, io);
    await call(core.handlers, 'accounts.remove', { id: account.id });
    if (context.json) print(context, { removed: cliView(account) });
    else io.stdout.write(`Removed ${displayName(account)}.\n`);
    return 0;
  },

  async new(args, globals, io) {
    const { context, values } = parseCommand(
      args,
      globals,
      io,
      {
        issuer: { type: 'string' },
        account: { type: 'string' },
        algorithm: { type: 'string' },
        digits: { type: 'string' },
        period: { type: 'string' },
        'no-add': { type: 'boolean' },
      },
      { min: 0, max: 0, names: '' },
    );
    if (typeof values.issuer !== 'string' || typeof values.account !== 'string') {
      throw new UsageError('new needs --issuer and --account');
    }
    const algorithm = parseAlgorithm(values.algorithm);
    const secret = randomSecret(SECRET_BYTES[algorithm]);
    // Build the link and parse it back: the parser checks digits and period like any link.
    const query = new URLSearchParams({
      secret,
      issuer: values.issuer.trim(),
      algorithm,
      digits: typeof values.digits === 'string' ? values.digits : '6',
      period: typeof values.period === 'string' ? values.period : String(DEFAULT_PERIOD),
    });
    const draft = `otpauth://totp/${encodeURIComponent(values.issuer.trim())}:${encodeURIComponent(values.account.trim())}?${query}`;
    const { warnings: _warnings, ...params } = parseOtpauthUri(draft);
    const uri = formatOtpauthUri(params);
    let added: AccountView | undefined;
    if (values['no-add'] !== true) {
      const core = await openCore(context);
      added = await call(core.handlers, 'accounts.add', { uri });
    }
    if (context.json) {
      print(context, { secret, uri, ...(added && { account: cliView(added) }) });
    } else {
      const qr = await QRCode.toString(uri, {
        type: 'terminal',
        small: true,
        errorCorrectionLevel: 'M',
      });
      io.stdout.write(`Secret: ${secret}\nLink:   ${uri}\n\n${qr}\n`);
      io.stdout.write(
        added
          ? `Added ${displayName(added)} (id ${added.id}).\n`
          : 'Not added to the vault (--no-add).\n',
      );
    }
    return 0;
  },

  async verify(args, globals, io) {
    const { context, values, positionals } = parseCommand(
      args,
      globals,
      io,
      { window: { type: 'string' }, at: { type: 'string' } },
      { min: 2, max: 2, names: 'QUERY and CODE' },
    );
    const window =
      typeof values.window === 'string'
        ? parseWholeNumber(values.window, '--window', 1000)
        : undefined;
    const clock = clockAt(values.at);
    const core = await openCore(context, clock);
    const account = requireOne((await core.session.content()).accounts, positionals[0]!);
    const result = verifyCode(account, positionals[1]!, {
      nowMs: clock.now(),
      ...(window !== undefined && { window }),
    });
    if (context.json) print(context, { id: account.id, ...result });
    else if (result.valid) io.stdout.write(`Valid code for ${displayName(account)}.\n`);
    if (!result.valid && !context.json) {
      io.stderr.write(`CODE_INVALID: That code is not valid for ${displayName(account)} now.\n`);
    }
    return result.valid ? 0 : 1;
  },
};

const NO_ACCOUNTS =
  "No accounts yet. Add one with: chronokey add 'otpauth://totp/Issuer:you?secret=...'\n";

/** Keys as long as the hash's output, as RFC 4226 and RFC 6238 recommend. */
const SECRET_BYTES: Record<Algorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

/** For commands that act on exactly one account, named by their only argument (a QUERY). */
async function openOneAccount(args: string[], globals: Globals, io: CliIo) {
  const { context, positionals } = parseCommand(
    args,
    globals,
    io,
    {},
    {
      min: 1,
      max: 1,
      names: 'one QUERY',
    },
  );
  const core = await openCore(context);
  const account = requireOne((await core.session.content()).accounts, positionals[0]!);
  return { context, core, account };
}

async function openCore(
  context: Context,
  clock: Clock = systemClock,
  password: () => Promise<string | undefined> = () => passwordFor(context),
) {
  const deps = { dir: context.dir, keychain: context.keychain };
  const session = new VaultSession(deps, clock);
  await session.unlock(await password());
  warnIfRolledBack(session, context.io);
  return { session, handlers: createHandlers({ session, clock }) };
}

/** An older vault file than the one last seen here opened: say so on every command. */
function warnIfRolledBack(session: VaultSession, io: CliIo): void {
  const rollback = session.vault().rollback();
  if (!rollback) return;
  io.stderr.write(
    `WARNING: VAULT_ROLLED_BACK: this vault file is older than the one Chronokey last saw here (version ${rollback.fileGeneration}, last seen ${rollback.lastSeenGeneration}): it may have been put back from a copy. Accounts removed since may be back; HOTP counters are kept at their highest. Open the app to keep this version, or restore the newer file.\n`,
  );
}

/**
 * The password to open with, or undefined to use the keychain: --password-stdin first, then the
 * keychain where the vault has a keychain slot, else a prompt on a terminal.
 */
async function passwordFor(context: Context): Promise<string | undefined> {
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
async function vaultNeedsPassword(context: Context): Promise<boolean> {
  const info = await inspectVault({ dir: context.dir, keychain: context.keychain });
  if (!info.exists || !info.slots.includes('password')) return false;
  return !(info.slots.includes('keychain') && (await context.keychain.isAvailable()));
}

async function askNewPassword(context: Context, keychainWanted: boolean): Promise<string> {
  if (keychainWanted) {
    process.stderr.write('No system keychain could be reached, so the vault needs a password.\n');
  }
  const first = await promptPassword(context.io.stdin, process.stderr, 'New vault password: ');
  const again = await promptPassword(context.io.stdin, process.stderr, 'Type it again: ');
  if (first !== again) {
    throw new ChronokeyError('PASSWORD_MISMATCH', 'The two passwords differ; nothing was created.');
  }
  return first;
}

/** Calls a handler through the contract, as the app does over IPC, and unwraps the result. */
async function call<C extends Channel>(
  handlers: Handlers,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new ChronokeyError(result.error.code, result.error.message);
  return result.value as ChannelOutput<C>;
}

function requireMatches(accounts: readonly Account[], query: string): Account[] {
  const matches = matchAccounts(accounts, query);
  if (matches.length === 0) {
    throw new ChronokeyError(
      'NO_MATCH',
      `No account matches "${query}". See your accounts with: chronokey list`,
    );
  }
  return matches;
}

function requireOne(accounts: readonly Account[], query: string): Account {
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

/** The fields scripts see for an account: never the secret; period or counter by type. */
function cliView(account: AccountView | Account) {
  return {
    id: account.id,
    issuer: account.issuer,
    account: account.account,
    type: account.type,
    algorithm: account.algorithm,
    digits: account.digits,
    ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
    tags: account.tags,
    favourite: account.favourite,
    warnings: account.warnings,
  };
}

function cliCode(code: CodeView) {
  return {
    code: code.code,
    ...(code.validUntil !== undefined && { validUntil: Math.floor(code.validUntil / 1000) }),
  };
}

function clockAt(at: string | boolean | undefined): Clock {
  if (typeof at !== 'string') return systemClock;
  const seconds = Number(at);
  if (at.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 1e11) {
    throw new UsageError(`--at needs a unix time in seconds, not "${at}"`);
  }
  const fixed = Math.round(seconds * 1000);
  return { now: () => fixed };
}

function parseWholeNumber(text: string, name: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`${name} needs a whole number from 0 to ${max}`);
  }
  return Number(text);
}

function parseAlgorithm(value: string | boolean | undefined): Algorithm {
  if (typeof value !== 'string') return 'SHA1';
  const result = AlgorithmSchema.safeParse(value.toUpperCase().replace('-', ''));
  if (!result.success) throw new UsageError('--algorithm must be SHA1, SHA256 or SHA512');
  return result.data;
}

function print(context: Context, value: unknown): void {
  context.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function readVersion(): string {
  return typeof __CHRONOKEY_VERSION__ === 'string' ? __CHRONOKEY_VERSION__ : 'development';
}

declare const __CHRONOKEY_VERSION__: string | undefined;
