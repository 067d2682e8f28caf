import type { Account, AccountView, CodeView } from '../../shared/domain';
import { ChronokeyError } from '../../shared/errors';
import { displayName } from '../core/accounts';
import { parseOtpauthUri } from '../core/otp/otpauth-uri';
import type { CliIo } from './cli-io';
import type { Globals } from './context';
import {
  call,
  clockAt,
  openCore,
  parseCommand,
  passwordFor,
  print,
  requireMatches,
  requireOne,
} from './context';
import { readLines } from './password';

/** add, list, code, next, remove: the commands on the accounts of a vault. */

export const NO_ACCOUNTS =
  "No accounts yet. Add one with: chronokey add 'otpauth://totp/Issuer:you?secret=...'\n";

export async function addCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, positionals } = parseCommand(
    args,
    globals,
    io,
    {},
    { min: 1, max: 1, names: 'one otpauth:// link (or - to read it from standard input)' },
  );
  let uri = positionals[0]!;
  let password: string | undefined;
  if (uri === '-') {
    // Read from stdin so the secret never shows in `ps` or the shell's history: the vault
    // password first when --password-stdin is given, then the link.
    const lines = await readLines(io.stdin, context.passwordStdin ? 2 : 1);
    if (context.passwordStdin) password = lines.shift();
    uri = (lines.shift() ?? '').trim();
    if (uri === '') {
      throw new ChronokeyError(
        'LINK_MISSING',
        context.passwordStdin
          ? 'No link was given: write the vault password, then the otpauth:// link, one per line, on standard input.'
          : 'No link was given: write the otpauth:// link as the first line of standard input.',
      );
    }
  }
  // Check the link before touching the vault, so bad input never opens or changes it.
  parseOtpauthUri(uri);
  const core = await openCore(
    context,
    undefined,
    password === undefined ? () => passwordFor(context) : async () => password,
  );
  const view = await call(core.handlers, 'accounts.add', { uri });
  if (context.json) print(context, cliView(view));
  else io.stdout.write(`Added ${displayName(view)} (id ${view.id}).\n`);
  return 0;
}

export async function listCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context } = parseCommand(args, globals, io, {}, { min: 0, max: 0, names: '' });
  const core = await openCore(context);
  const views = await call(core.handlers, 'accounts.list', undefined);
  if (context.json) print(context, views.map(cliView));
  else if (views.length === 0) io.stdout.write(NO_ACCOUNTS);
  else {
    let out = '';
    for (const view of views) {
      const detail = view.type === 'hotp' ? `counter ${view.counter}` : `${view.period}s`;
      out += `${view.id.slice(0, 8)}  ${view.type.padEnd(5)}  ${displayName(view)}  (${view.algorithm}, ${view.digits} digits, ${detail})\n`;
      if (out.length > 64 * 1024) {
        io.stdout.write(out);
        out = '';
      }
    }
    io.stdout.write(out);
  }
  return 0;
}

export async function codeCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, values, positionals } = parseCommand(
    args,
    globals,
    io,
    { at: { type: 'string' } },
    { min: 0, max: 1, names: 'at most one QUERY' },
  );
  const clock = clockAt(values.at);
  const core = await openCore(context, clock);
  const accounts = (await core.session.content()).accounts;
  const chosen = positionals[0] === undefined ? accounts : requireMatches(accounts, positionals[0]);
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
    // A loop, not Math.max(...rows): a spread of 100,000 arguments overflows the stack.
    let width = 0;
    for (const { code } of rows) width = Math.max(width, code.code.length);
    let out = '';
    for (const { account, code } of rows) {
      const left =
        code.validUntil === undefined
          ? `counter ${account.counter}`
          : `${Math.ceil((code.validUntil - clock.now()) / 1000)}s left`;
      out += `${code.code.padEnd(width)}  ${displayName(account)}  (${left})\n`;
      if (out.length > 64 * 1024) {
        io.stdout.write(out);
        out = '';
      }
    }
    io.stdout.write(out);
  }
  return 0;
}

export async function nextCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, core, account } = await openOneAccount(args, globals, io);
  const code = await call(core.handlers, 'codes.hotpNext', { id: account.id });
  // The counter main advanced to, not the one read before: another writer may have moved it too.
  const counter = code.counter ?? account.counter + 1;
  if (context.json) print(context, { ...cliView(account), counter, ...cliCode(code) });
  else io.stdout.write(`${code.code}  ${displayName(account)}  (counter ${counter})\n`);
  return 0;
}

export async function removeCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, core, account } = await openOneAccount(args, globals, io);
  await call(core.handlers, 'accounts.remove', { id: account.id });
  if (context.json) print(context, { removed: cliView(account) });
  else io.stdout.write(`Removed ${displayName(account)}.\n`);
  return 0;
}

/** For commands that act on exactly one account, named by their only argument (a QUERY). */
async function openOneAccount(args: string[], globals: Globals, io: CliIo) {
  const { context, positionals } = parseCommand(
    args,
    globals,
    io,
    {},
    { min: 1, max: 1, names: 'one QUERY' },
  );
  const core = await openCore(context);
  const account = requireOne((await core.session.content()).accounts, positionals[0]!);
  return { context, core, account };
}

/** The fields scripts see for an account: never the secret; period or counter by type. */
export function cliView(account: AccountView | Account) {
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

export function cliCode(code: CodeView) {
  return {
    code: code.code,
    ...(code.validUntil !== undefined && { validUntil: Math.floor(code.validUntil / 1000) }),
  };
}
