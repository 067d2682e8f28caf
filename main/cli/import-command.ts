import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  Handlers,
  ImportItem,
  ImportPreview,
} from '../../shared/contract';
import { ChronokeyError } from '../../shared/errors';
import { displayName } from '../core/accounts';
import { dispatch } from '../core/dispatch';
import { importEngines } from '../core/import/formats';
import { ImportPipeline, needsPasswordToRead } from '../core/import/pipeline';
import { systemClock } from '../core/ports';
import { importFileError } from '../core/import/file-errors';
import { MAX_INPUT_BYTES } from '../core/import/sniff';
import { readRegularFile } from '../core/files/read-regular-file';
import type { CliIo } from './cli-io';
import { printJson } from './output';
import { UsageError } from './usage';

export interface ImportCommand {
  target: string;
  dryRun: boolean;
  json: boolean;
  passwordStdin: boolean;
  io: CliIo;
  /** True when opening the vault takes its password (no usable keychain slot). */
  vaultNeedsPassword(): Promise<boolean>;
  vaultExists(): Promise<boolean>;
  /** Asks on the terminal without echo. */
  prompt(question: string): Promise<string>;
  /** Opens the vault (with its password when given) and returns the handler table. */
  openHandlers(vaultPassword: string | undefined): Promise<Handlers>;
}

/**
 * `chronokey import PATH|-`: reads a text file of links, an image or a backup through the same
 * pipeline and preview as the app, then adds everything picked by default (duplicates are not)
 * in one atomic write, unless --dry-run. With --password-stdin, standard input holds the
 * passwords needed, one per line and in this order: the backup's (only if it is encrypted), then
 * the vault's (only if the vault cannot be opened by the keychain).
 */
export async function runImport(command: ImportCommand): Promise<number> {
  const { io, target } = command;
  if (target === '-' && command.passwordStdin) {
    throw new UsageError(
      '--password-stdin cannot be used when the import itself is read from standard input (-)',
    );
  }
  const input = await readTarget(target, io);
  const lines = command.passwordStdin ? await readLines(io.stdin) : [];
  const interactive = target !== '-' && io.stdin.isTTY === true;

  const encrypted = needsPasswordToRead(input, importEngines.formats);
  let backupPassword: string | undefined;
  if (encrypted !== null) {
    backupPassword = lines.shift();
    if (backupPassword === undefined && interactive) {
      backupPassword = await command.prompt(`Password for ${input.name}: `);
    }
    if (backupPassword === undefined || backupPassword === '') {
      throw new ChronokeyError(
        'IMPORT_PASSWORD_REQUIRED',
        `"${input.name}" is an encrypted ${encrypted}: give its password on the first line of standard input with --password-stdin.`,
      );
    }
  }
  // --dry-run needs no vault: without one, nothing is marked as already in it.
  const standalone = command.dryRun && !(await command.vaultExists());
  let vaultPassword: string | undefined;
  if (!standalone && (await command.vaultNeedsPassword())) {
    vaultPassword = lines.shift();
    if (vaultPassword === undefined && interactive) {
      vaultPassword = await command.prompt('Vault password: ');
    }
    if (vaultPassword === undefined || vaultPassword === '') {
      throw new ChronokeyError(
        'VAULT_PASSWORD_REQUIRED',
        `This vault is protected by a password: with --password-stdin, give it on the ${encrypted === null ? 'first' : 'second'} line of standard input (after the backup's password, if the backup is encrypted).`,
      );
    }
  }

  const calls = standalone
    ? withoutVault()
    : throughHandlers(await command.openHandlers(vaultPassword));
  let preview = await calls.addFiles({
    files: [{ name: input.name, base64: Buffer.from(input.bytes).toString('base64') }],
  });
  for (const pending of preview.needsPassword) {
    if (backupPassword === undefined) break;
    preview = await calls.unlock({
      previewId: preview.id,
      source: pending.source,
      password: backupPassword,
    });
  }
  if (preview.items.length === 0) {
    await calls.cancel({ previewId: preview.id });
    throw nothingFound(preview, input.name);
  }

  const chosen = preview.items.filter((item) => item.selected);
  let added = 0;
  if (!command.dryRun && chosen.length > 0) {
    const result = await calls.commit({
      previewId: preview.id,
      keys: chosen.map((item) => item.key),
    });
    added = result.added.length;
  } else {
    await calls.cancel({ previewId: preview.id });
  }
  const skipped = [
    ...preview.skipped,
    ...preview.items
      .filter((item) => !item.selected)
      .map((item) => {
        const mark = item.marks.find((m) => m.code.startsWith('DUPLICATE'));
        return {
          source: item.source,
          name: displayName(item),
          code: mark?.code ?? 'NOT_SELECTED',
          message: mark?.message ?? 'Not picked.',
        };
      }),
  ];
  if (command.json) {
    printJson(io, {
      accounts: preview.items.map(cliItem),
      skipped,
      errors: preview.errors,
      batches: preview.batches,
      added,
      dryRun: command.dryRun,
    });
  } else {
    io.stdout.write(describe(preview, input.name));
    io.stdout.write(
      command.dryRun
        ? `Dry run: ${count(chosen.length, 'account')} would be added; nothing was changed.\n`
        : `Added ${count(added, 'account')}.\n`,
    );
  }
  return 0;
}

/** The fields scripts see for a found account: never its secret; period or counter by type. */
function cliItem(item: ImportItem) {
  return {
    source: item.source,
    issuer: item.issuer,
    account: item.account,
    type: item.type,
    algorithm: item.algorithm,
    digits: item.digits,
    ...(item.type === 'hotp' ? { counter: item.counter } : { period: item.period }),
    tags: item.tags,
    marks: item.marks,
    selected: item.selected,
  };
}

function describe(preview: ImportPreview, name: string): string {
  const out: string[] = [`Found ${count(preview.items.length, 'account')} in ${name}:`];
  for (const item of preview.items) {
    const detail = item.type === 'hotp' ? `counter ${item.counter}` : `${item.period}s`;
    out.push(
      `  ${item.selected ? '+' : '-'} ${displayName(item)}  (${item.type}, ${item.algorithm}, ${item.digits} digits, ${detail})`,
    );
    for (const mark of item.marks) out.push(`      ${mark.code}: ${mark.message}`);
  }
  for (const batch of preview.batches) {
    const missing = batch.size - batch.scanned;
    out.push(
      `Google Authenticator export: ${batch.scanned} of ${batch.size} codes read` +
        (missing > 0 ? ` (import the other ${count(missing, 'code')} too).` : '.'),
    );
  }
  if (preview.skipped.length > 0) {
    out.push('Cannot be imported:');
    for (const entry of preview.skipped) {
      out.push(`  ${entry.name}: ${entry.code}: ${entry.message}`);
    }
  }
  if (preview.errors.length > 0) {
    out.push('Problems:');
    for (const error of preview.errors) {
      out.push(`  ${named(error.source, error.message)}${error.code}: ${error.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Nothing could be read: the first problem, as the one stderr line. */
function nothingFound(preview: ImportPreview, name: string): ChronokeyError {
  const [first, ...rest] = preview.errors;
  if (first) {
    const more =
      rest.length > 0 ? ` (${count(rest.length, 'more problem')} not shown; see --json)` : '';
    return new ChronokeyError(
      first.code,
      `${named(first.source, first.message)}${first.message}${more}`,
    );
  }
  if (preview.skipped.length > 0) {
    const names = preview.skipped.slice(0, 3).map((entry) => `${entry.name} (${entry.message})`);
    return new ChronokeyError(
      'IMPORT_NOTHING_IMPORTABLE',
      `"${name}" holds no account Chronokey can import: ${names.join('; ')}.`,
    );
  }
  return new ChronokeyError('IMPORT_NOTHING_FOUND', `No accounts were found in "${name}".`);
}

async function readTarget(target: string, io: CliIo): Promise<{ name: string; bytes: Uint8Array }> {
  if (target === '-') {
    return { name: 'standard input', bytes: await readAll(io.stdin, MAX_INPUT_BYTES + 1) };
  }
  try {
    return { name: target, bytes: new Uint8Array(await readRegularFile(target, MAX_INPUT_BYTES)) };
  } catch (error) {
    throw importFileError(target, error);
  }
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    chunks.push(buffer);
    if (size >= limit) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The lines of standard input (passwords), without their line ends. */
async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const text = Buffer.from(await readAll(stream, 1024 * 1024)).toString('utf8');
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type ImportCalls = {
  addFiles(input: ChannelInput<'import.addFiles'>): Promise<ImportPreview>;
  unlock(input: ChannelInput<'import.unlock'>): Promise<ImportPreview>;
  commit(input: ChannelInput<'import.commit'>): Promise<ChannelOutput<'import.commit'>>;
  cancel(input: ChannelInput<'import.cancel'>): Promise<unknown>;
};

/** The import channels through the contract, as the app calls them. */
function throughHandlers(handlers: Handlers): ImportCalls {
  return {
    addFiles: (input) => call(handlers, 'import.addFiles', input),
    unlock: (input) => call(handlers, 'import.unlock', input),
    commit: (input) => call(handlers, 'import.commit', input),
    cancel: (input) => call(handlers, 'import.cancel', input),
  };
}

/** The same pipeline with no vault behind it (a dry run before `chronokey init`). */
function withoutVault(): ImportCalls {
  const pipeline = new ImportPipeline({ engines: importEngines, clock: systemClock });
  const vault = { owner: pipeline, accounts: [] };
  return {
    addFiles: ({ files }) =>
      pipeline.addInputs(
        undefined,
        files.map((file) => ({ name: file.name, bytes: Buffer.from(file.base64, 'base64') })),
        vault,
      ),
    unlock: ({ previewId, source, password }) =>
      pipeline.unlock(previewId, source, password, vault),
    commit: async () => {
      throw new Error('a dry run without a vault commits nothing');
    },
    cancel: async ({ previewId }) => pipeline.cancel(previewId),
  };
}

async function call<C extends Channel>(
  handlers: Handlers,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new ChronokeyError(result.error.code, result.error.message);
  return result.value as ChannelOutput<C>;
}

/** "source: " when the message does not name its source itself (the link parser's do not). */
function named(source: string, message: string): string {
  return message.includes(source) ? '' : `${source}: `;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
