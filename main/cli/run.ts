import { toErrorShape } from '../../shared/errors';
import { inspectVault } from '../core/vault/vault';
import { systemClock } from '../core/ports';
import { VaultSession } from '../core/session';
import {
  addCommand,
  codeCommand,
  listCommand,
  nextCommand,
  removeCommand,
} from './account-commands';
import type { CliIo } from './cli-io';
import type { Globals } from './context';
import {
  asksForHelp,
  openCore,
  parseCommand,
  splitGlobals,
  vaultNeedsPassword,
  warnIfRolledBack,
} from './context';
import { runExport } from './export-command';
import { runImport } from './import-command';
import { initCommand } from './init-command';
import { printError } from './output';
import { promptPassword } from './password';
import { newCommand, verifyCommand } from './secret-commands';
import { followCommand } from './follow-command';
import { syncCommand } from './sync-command';
import { COMMAND_HELP, USAGE, UsageError, isCommand } from './usage';
import type { CommandName } from './usage';

export type { CliIo } from './cli-io';

type CommandRunner = (args: string[], globals: Globals, io: CliIo) => Promise<number>;

const COMMANDS: Record<CommandName, CommandRunner> = {
  init: initCommand,
  add: addCommand,
  list: listCommand,
  code: codeCommand,
  next: nextCommand,
  remove: removeCommand,
  new: newCommand,
  verify: verifyCommand,
  import: importCommand,
  export: exportCommand,
  sync: syncCommand,
  follow: followCommand,
};

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage. */
export async function runCli(io: CliIo): Promise<number> {
  let json = io.argv.includes('--json');
  try {
    const { command, rest, globals } = splitGlobals(io.argv);
    json = globals.json || rest.includes('--json');
    if (globals.version) {
      io.stdout.write(`${readVersion()}\n`);
      return 0;
    }
    if (globals.help || command === undefined || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      io.stdout.write(topic !== undefined && isCommand(topic) ? `${COMMAND_HELP[topic]}\n` : USAGE);
      return command === undefined && !globals.help ? 2 : 0;
    }
    if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);
    if (asksForHelp(rest)) {
      io.stdout.write(`${COMMAND_HELP[command]}\n`);
      return 0;
    }
    return await COMMANDS[command](rest, globals, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const message = `${(error as Error).message.replace(/\.$/, '')}. Run "chronokey --help" for help.`;
      printError(io, json, 'USAGE', message);
      return 2;
    }
    const shape = toErrorShape(error);
    // Only the kind of an unexpected error, never its text: it could quote what a file holds.
    const detail =
      shape.code === 'INTERNAL' && error instanceof Error
        ? ` (${io.env.CHRONOKEY_DEBUG ? (error.stack ?? error.message) : error.name})`
        : '';
    printError(io, json, shape.code, `${shape.message}${detail}`);
    return 1;
  }
}

async function importCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
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
}

async function exportCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, values, positionals } = parseCommand(
    args,
    globals,
    io,
    { format: { type: 'string' }, force: { type: 'boolean' } },
    { min: 1, max: 1, names: 'one PATH to write' },
  );
  const deps = { dir: context.dir, keychain: context.keychain };
  return runExport({
    target: positionals[0]!,
    format: typeof values.format === 'string' ? values.format : undefined,
    force: values.force === true,
    vaultDir: context.dir,
    json: context.json,
    passwordStdin: context.passwordStdin,
    io,
    vaultNeedsPassword: () => vaultNeedsPassword(context),
    prompt: (question) => promptPassword(io.stdin, process.stderr, question),
    readAccounts: async (password) => {
      const session = new VaultSession(deps, systemClock);
      await session.unlock(password);
      warnIfRolledBack(session, context);
      try {
        return structuredClone((await session.content()).accounts);
      } finally {
        session.lock();
      }
    },
  });
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function readVersion(): string {
  return typeof __CHRONOKEY_VERSION__ === 'string' ? __CHRONOKEY_VERSION__ : 'development';
}

declare const __CHRONOKEY_VERSION__: string | undefined;
