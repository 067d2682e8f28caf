import { resolve } from 'node:path';
import { ChronokeyError } from '../../shared/errors';
import type { FollowReport } from '../../shared/follow-state';
import { runFollowPass, resolveMissing } from '../core/follow/follow-pass';
import { addFollow, removeFollow } from '../core/follow/follow-service';
import { importEngines } from '../core/import/formats';
import { systemClock } from '../core/ports';
import type { VaultSession } from '../core/session';
import type { CliIo } from './cli-io';
import type { Context, Globals } from './context';
import { openCore, parseCommand, print, vaultNeedsPassword } from './context';
import { promptPassword, readLines } from './password';
import { syncAfterWrite } from './sync-after-write';
import { UsageError } from './usage';

/**
 * `chronokey follow add DIR | remove DIR | now | status | keep DIR | drop DIR`: the folders of
 * another app's automatic backups this vault keeps up with (docs/follow.md), as in the app.
 */

const SUBCOMMANDS = ['add', 'remove', 'now', 'status', 'keep', 'drop'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export async function followCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(
      sub === undefined
        ? 'follow needs one of: add DIR, remove DIR, now, status, keep DIR, drop DIR'
        : `unknown follow command "${sub}" (add, remove, now, status, keep or drop)`,
    );
  }
  const command = sub as Subcommand;
  const needsFolder = command !== 'now' && command !== 'status';
  const { context, positionals } = parseCommand(
    rest,
    globals,
    io,
    {},
    needsFolder ? { min: 1, max: 1, names: 'one folder DIR' } : { min: 0, max: 0, names: '' },
  );
  // Standard input with --password-stdin: the backups' password (add), then the vault's.
  let backupPassword: string | undefined;
  let vaultPassword: string | undefined;
  if (context.passwordStdin) {
    const needsVault = await vaultNeedsPassword(context);
    const lines = await readLines(io.stdin, (command === 'add' ? 1 : 0) + (needsVault ? 1 : 0));
    if (command === 'add') backupPassword = lines.shift();
    if (needsVault) vaultPassword = lines.shift();
  }
  const core = await openCore(context, systemClock, async () => {
    if (context.passwordStdin) return vaultPassword;
    if (!(await vaultNeedsPassword(context))) return undefined;
    return prompt(context, 'Vault password: ');
  });
  const session = core.session;
  const folder = needsFolder ? resolve(positionals[0]!) : null;

  if (command === 'add') {
    const password =
      backupPassword ??
      (context.io.stdin.isTTY
        ? await prompt(context, 'Password of the backups (empty if they are not encrypted): ')
        : '');
    const id = await addFollow(session, folder!, password === '' ? null : password);
    const report = await pass(session, id, true);
    await afterChange(session, context, report);
    return show(context, session, [report]);
  }
  if (command === 'status') return show(context, session, []);
  if (command === 'now') {
    const follows = (await session.content()).follows ?? [];
    if (follows.length === 0) throw notFollowing();
    const reports: FollowReport[] = [];
    for (const follow of follows) reports.push(await pass(session, follow.id, true));
    for (const report of reports) await afterChange(session, context, report);
    return show(context, session, reports);
  }
  const id = await idOf(session, folder!);
  if (command === 'remove') {
    await removeFollow(session, id);
    if (context.json) print(context, { removed: folder });
    else io.stdout.write(`No longer following ${folder}. The accounts it brought stay.\n`);
    return 0;
  }
  // keep / drop: the answer to "Removed on the phone?".
  const removed = await session.update((draft) => resolveMissing(draft, id, command === 'drop'));
  if (removed > 0) await syncAfterWrite(session, context, systemClock);
  if (context.json) print(context, { removed });
  else {
    io.stdout.write(
      command === 'drop'
        ? `Removed ${removed} ${removed === 1 ? 'account' : 'accounts'} the phone no longer has.\n`
        : 'Kept them; Chronokey will not ask about them again.\n',
    );
  }
  return 0;
}

function notFollowing(): ChronokeyError {
  return new ChronokeyError(
    'FOLLOW_NONE',
    'No folder is followed. Add one with "chronokey follow add DIR".',
  );
}

async function idOf(session: VaultSession, folder: string): Promise<string> {
  const follow = ((await session.content()).follows ?? []).find(
    (candidate) => candidate.folder === folder,
  );
  if (!follow) throw new ChronokeyError('FOLLOW_UNKNOWN', `"${folder}" is not followed.`);
  return follow.id;
}

function pass(session: VaultSession, id: string, force: boolean): Promise<FollowReport> {
  return runFollowPass(
    {
      vault: { content: () => session.content(), update: (change) => session.update(change) },
      engines: importEngines,
      clock: systemClock,
    },
    id,
    { force },
  );
}

async function afterChange(
  session: VaultSession,
  context: Context,
  report: FollowReport,
): Promise<void> {
  if (report.added + report.changed > 0) await syncAfterWrite(session, context, systemClock);
}

async function prompt(context: Context, question: string): Promise<string> {
  if (!context.io.stdin.isTTY) {
    throw new ChronokeyError(
      'PASSWORD_REQUIRED',
      'Give the passwords on standard input with --password-stdin (the backups’ first, then the vault’s if it has one).',
    );
  }
  return promptPassword(context.io.stdin, process.stderr, question);
}

/** "Aegis vault (encrypted) of 2026-12-01 10:22: 2 new, 1 changed" for each followed folder. */
export function describeReport(report: FollowReport): string {
  if (report.problem) return `${report.problem.code}: ${report.problem.message}`;
  if (report.waiting) return `${report.file} is still being copied in; try again in a moment.`;
  const when =
    report.backupAt === null
      ? ''
      : ` of ${new Date(report.backupAt).toISOString().slice(0, 16).replace('T', ' ')}`;
  const parts = [`${report.added} new`, `${report.changed} changed`];
  if (report.missing > 0)
    parts.push(`${report.missing} removed on the phone? (follow keep|drop DIR)`);
  return `${report.app ?? 'Backup'}${when}: ${parts.join(', ')}`;
}

async function show(
  context: Context,
  session: VaultSession,
  reports: FollowReport[],
): Promise<number> {
  const follows = (await session.content()).follows ?? [];
  const view = follows.map((follow) => ({
    folder: follow.folder,
    hasPassword: follow.password !== null,
    file: follow.last?.file ?? null,
    last: follow.last,
    missing: follow.missing.map((key) => follow.seen[key]?.label ?? 'An account'),
  }));
  if (context.json) {
    print(context, { follows: view });
  } else if (view.length === 0) {
    context.io.stdout.write('No folder is followed.\n');
  } else {
    const lines: string[] = [];
    for (const follow of view) {
      lines.push(follow.folder);
      lines.push(
        `  ${follow.last ? describeReport(follow.last) : 'Not read yet.'}${follow.file && !follow.last?.problem ? ` (${follow.file})` : ''}`,
      );
      for (const name of follow.missing) lines.push(`  removed on the phone? ${name}`);
    }
    context.io.stdout.write(`${lines.join('\n')}\n`);
  }
  // A problem of a pass just run is an error of the command.
  return reports.some((report) => report.problem !== null) ? 1 : 0;
}
