import os from 'node:os';
import { ChronokeyError } from '../../shared/errors';
import type { SyncStatus } from '../../shared/contract';
import { requireStrongPassword } from '../core/password-policy';
import { systemClock } from '../core/ports';
import type { VaultSession } from '../core/session';
import { joinSync, leaveSync, setUpSync } from '../core/sync/sync-admin';
import { syncErrors } from '../core/sync/sync-errors';
import { syncPaths } from '../core/sync/sync-folder';
import { runSyncPass, type SyncPassOutcome } from '../core/sync/sync-pass';
import { summariseChanges } from '../core/sync/sync-report';
import type { CliIo } from './cli-io';
import type { Context, Globals } from './context';
import { openCore, parseCommand, print, vaultNeedsPassword } from './context';
import { passDeps, pendingError, refusedLine } from './sync-after-write';
import { promptPassword, readLines } from './password';
import { UsageError } from './usage';

/**
 * `chronokey sync setup DIR | join DIR | status | now | leave`: the same sync folder the app
 * uses (docs/sync-format.md), and the pass every writing command runs after its change.
 */

const SUBCOMMANDS = ['setup', 'join', 'status', 'now', 'leave'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export async function syncCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(
      sub === undefined
        ? 'sync needs one of: setup DIR, join DIR, status, now, leave'
        : `unknown sync command "${sub}" (setup, join, status, now or leave)`,
    );
  }
  const command = sub as Subcommand;
  const needsFolder = command === 'setup' || command === 'join';
  const { context, values, positionals } = parseCommand(
    rest,
    globals,
    io,
    { name: { type: 'string' }, yes: { type: 'boolean' } },
    needsFolder ? { min: 1, max: 1, names: 'one folder DIR' } : { min: 0, max: 0, names: '' },
  );
  if (!needsFolder && values.name !== undefined)
    throw new UsageError('--name is for setup and join');
  if (command !== 'now' && values.yes !== undefined) throw new UsageError('--yes is for sync now');

  // Standard input with --password-stdin: the sync password (setup, join), then the vault's.
  let syncPassword: string | undefined;
  let vaultPassword: string | undefined;
  if (context.passwordStdin) {
    const needsVault = await vaultNeedsPassword(context);
    const lines = await readLines(io.stdin, (needsFolder ? 1 : 0) + (needsVault ? 1 : 0));
    if (needsFolder) syncPassword = lines.shift();
    if (needsVault) vaultPassword = lines.shift();
    if ((needsFolder && !syncPassword) || (needsVault && !vaultPassword)) {
      throw new ChronokeyError(
        'PASSWORD_EMPTY',
        needsFolder
          ? 'Write the sync password, then the vault password if it has one, one per line on standard input.'
          : 'Write the vault password as the first line of standard input.',
      );
    }
  }
  const core = await openCore(context, systemClock, async () =>
    context.passwordStdin ? vaultPassword : promptedVaultPassword(context),
  );
  const deps = passDeps(core.session, systemClock);
  const sync = (await core.session.content()).sync;

  if (needsFolder) {
    const folder = positionals[0]!;
    const deviceName =
      typeof values.name === 'string'
        ? values.name.trim()
        : os.hostname().trim() || 'This computer';
    if (deviceName === '' || deviceName.length > 64)
      throw new UsageError('--name needs 1 to 64 characters');
    if (command === 'setup') {
      const password = syncPassword ?? (await promptNew(context));
      await requireStrongPassword(password, 'sync');
      await setUpSync(deps, { folder, password, deviceName });
    } else {
      const password = syncPassword ?? (await prompt(context, 'Sync password: '));
      await joinSync(deps, { folder, password, deviceName });
    }
    const outcome = await runSyncPass(deps);
    report(context, outcome, await statusOf(core.session));
    return 0;
  }
  if (command === 'status') {
    const status = await statusOf(core.session);
    if (context.json) print(context, status);
    else io.stdout.write(describeStatus(status));
    return 0;
  }
  if (!sync) throw syncErrors.notSetUp();
  if (command === 'leave') {
    await leaveSync(deps);
    if (context.json) print(context, { state: 'off' });
    else io.stdout.write('Stopped syncing on this device. Its accounts stay in this vault.\n');
    return 0;
  }
  const outcome = await runSyncPass(deps, { allowRemovals: values.yes === true });
  report(context, outcome, await statusOf(core.session));
  return 0;
}

async function promptedVaultPassword(context: Context): Promise<string | undefined> {
  if (!(await vaultNeedsPassword(context))) return undefined;
  return prompt(context, 'Vault password: ');
}

async function prompt(context: Context, question: string): Promise<string> {
  if (!context.io.stdin.isTTY) {
    throw new ChronokeyError(
      'PASSWORD_REQUIRED',
      'Give the password on standard input with --password-stdin (the sync password first, then the vault password if it has one).',
    );
  }
  return promptPassword(context.io.stdin, process.stderr, question);
}

async function promptNew(context: Context): Promise<string> {
  const first = await prompt(context, 'New sync password: ');
  const second = await prompt(context, 'Type it again: ');
  if (first !== second)
    throw new ChronokeyError('PASSWORD_MISMATCH', 'The two passwords differ; nothing was changed.');
  return first;
}

type CliSyncStatus = Pick<SyncStatus, 'folder' | 'deviceName' | 'devices'> & {
  state: 'off' | 'on';
};

async function statusOf(session: VaultSession): Promise<CliSyncStatus> {
  const sync = (await session.content()).sync;
  if (!sync) return { state: 'off', folder: null, deviceName: null, devices: [] };
  return {
    state: 'on',
    folder: syncPaths(sync.folder).root,
    deviceName: sync.deviceName,
    devices: [
      { id: sync.deviceId, name: sync.deviceName, lastSeen: sync.lastPassAt, thisDevice: true },
      ...Object.entries(sync.devices).map(([id, device]) => ({
        id,
        name: device.name,
        lastSeen: device.writtenAt,
        thisDevice: false,
      })),
    ],
  };
}

function describeStatus(status: CliSyncStatus): string {
  if (status.state === 'off') return 'Sync is not set up on this device.\n';
  const lines = [`Syncing through ${status.folder} as "${status.deviceName}".`, 'Devices:'];
  for (const device of status.devices) {
    const seen = device.lastSeen === null ? 'not yet' : new Date(device.lastSeen).toISOString();
    lines.push(`  ${device.name}${device.thisDevice ? ' (this device)' : ''}  last synced ${seen}`);
  }
  return `${lines.join('\n')}\n`;
}

function report(context: Context, outcome: SyncPassOutcome, status: CliSyncStatus): void {
  if (outcome.pending) throw pendingError(outcome.pending);
  const summary =
    outcome.changes && status.state === 'on'
      ? summariseChanges(outcome.changes, outcome.names, status.devices[0]!.id)
      : null;
  if (context.json) {
    print(context, {
      ...status,
      changes: summary,
      refused: outcome.refused.map(({ file, deviceName, reason, message }) => ({
        file,
        device: deviceName,
        reason,
        message,
      })),
      clockAhead: outcome.clockAhead.map((id) => outcome.names[id] ?? id),
    });
    return;
  }
  const out: string[] = [];
  if (summary) {
    const parts: string[] = [];
    const say = (list: { device: string; count: number }[], verb: string) => {
      for (const { device, count } of list)
        parts.push(`${count} ${count === 1 ? 'account' : 'accounts'} ${verb} ${device}`);
    };
    say(summary.added, 'added from');
    say(summary.updated, 'changed on');
    say(summary.removed, 'removed on');
    say(summary.restored, 'brought back by');
    if (summary.joined > 0)
      parts.push(`${summary.joined} duplicate${summary.joined === 1 ? '' : 's'} joined`);
    out.push(`Synced: ${parts.join('; ')}.`);
  } else {
    out.push('Synced: nothing new.');
  }
  for (const refusal of outcome.refused)
    out.push(refusedLine(refusal.deviceName, refusal.file, refusal.message));
  for (const id of outcome.clockAhead) {
    out.push(
      `${outcome.names[id] ?? 'A device'}'s clock is more than a day ahead: its newest changes were not taken. Set its clock right.`,
    );
  }
  context.io.stdout.write(`${out.join('\n')}\n`);
}
