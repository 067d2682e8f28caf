import type { ClockHealth } from '../../shared/contract';

/**
 * Clock health: TOTP codes are computed from the system clock, so a clock that drifts makes
 * every code wrong. Chronokey asks the operating system whether it keeps its time synchronised
 * (a local command, never a network time server) and, if not, says how to turn it on.
 * This file is pure: it names the command for each system and reads its output.
 */

export type ClockPlatform = 'linux' | 'darwin' | 'win32';

/** What running a command gave: its output, or why it could not run. */
export type CommandResult =
  | { ok: true; stdout: string; stderr: string; exitCode: number }
  | { ok: false; reason: 'missing' | 'timeout' | 'failed'; stdout?: string; stderr?: string };

export interface ClockCommand {
  file: string;
  args: string[];
}

/** The one read-only command asked on each system. */
export const CLOCK_COMMANDS: Record<ClockPlatform, ClockCommand> = {
  linux: { file: 'timedatectl', args: ['show', '-p', 'NTP', '-p', 'NTPSynchronized'] },
  darwin: { file: '/usr/sbin/systemsetup', args: ['-getusingnetworktime'] },
  win32: { file: 'w32tm', args: ['/query', '/status'] },
};

/** How to turn time synchronisation on, in the words each system uses. */
export const CLOCK_FIXES: Record<ClockPlatform, string[]> = {
  linux: [
    'Turn on automatic time in your desktop’s settings (Date & Time → Automatic Date & Time),',
    'or run `timedatectl set-ntp true` in a terminal (it asks for your password).',
  ],
  darwin: [
    'Open System Settings → General → Date & Time.',
    'Turn on “Set time and date automatically”.',
  ],
  win32: [
    'Open Settings → Time & language → Date & time.',
    'Turn on “Set time automatically”, then select “Sync now”.',
  ],
};

/** Before this, the clock is certainly wrong: Chronokey did not exist yet (2026-01-01 UTC). */
export const EARLIEST_PLAUSIBLE_TIME = Date.UTC(2026, 0, 1);

type Verdict = Pick<ClockHealth, 'state' | 'summary'>;

const UNKNOWN: Verdict = {
  state: 'unknown',
  summary: 'Chronokey could not ask this system whether its clock is synchronised.',
};

/** `timedatectl show -p NTP -p NTPSynchronized` prints `NTP=yes` and `NTPSynchronized=no`. */
export function readTimedatectl(stdout: string): Verdict {
  const values = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(\w+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!.trim().toLowerCase());
  }
  const synchronised = values.get('NTPSynchronized');
  const enabled = values.get('NTP');
  if (synchronised === 'yes') {
    return { state: 'ok', summary: 'The system clock is synchronised with network time.' };
  }
  if (enabled === 'no') {
    return { state: 'off', summary: 'Automatic time (network time synchronisation) is off.' };
  }
  if (synchronised === 'no') {
    return {
      state: 'unsynced',
      summary: 'The system clock is not synchronised with network time yet.',
    };
  }
  return UNKNOWN;
}

/** `systemsetup -getusingnetworktime` prints `Network Time: On` (or Off); it may need admin. */
export function readSystemsetup(stdout: string): Verdict {
  const match = /Network Time:\s*(On|Off)\b/i.exec(stdout);
  if (!match) return UNKNOWN;
  return match[1]!.toLowerCase() === 'on'
    ? { state: 'ok', summary: 'macOS sets the time automatically.' }
    : { state: 'off', summary: 'macOS does not set the time automatically.' };
}

/**
 * `w32tm /query /status`. Its labels are translated, so this reads what is not: the leap
 * indicator's number on the first line (3 = not synchronised) and the source's name.
 * The service not running is error 0x80070426.
 */
export function readW32tm(stdout: string, exitCode: number): Verdict {
  if (/0x80070426/i.test(stdout)) {
    return { state: 'off', summary: 'The Windows Time service is not running.' };
  }
  if (exitCode !== 0) return UNKNOWN;
  const leap = /^[^\r\n:]*:\s*([0-3])\s*\(/m.exec(stdout);
  if (!leap) return UNKNOWN;
  if (/Local CMOS Clock|Free-running System Clock/i.test(stdout)) {
    return {
      state: 'unsynced',
      summary: 'Windows keeps time from its own hardware clock, not from network time.',
    };
  }
  if (leap[1] === '3') {
    return { state: 'unsynced', summary: 'Windows has not synchronised its clock yet.' };
  }
  return { state: 'ok', summary: 'Windows synchronises its clock with network time.' };
}

/** Reads a command's result for `platform` into the verdict the window shows. */
export function clockHealthFrom(
  platform: ClockPlatform,
  result: CommandResult,
  now: number,
): ClockHealth {
  const fix = CLOCK_FIXES[platform];
  if (now < EARLIEST_PLAUSIBLE_TIME) {
    return {
      state: 'wrong',
      summary: `The system clock says ${new Date(now).toISOString().slice(0, 10)}, which cannot be right, so codes will be wrong.`,
      fix,
    };
  }
  let verdict: Verdict = UNKNOWN;
  if (platform === 'win32') {
    // w32tm reports a stopped service through its output and a non-zero exit code.
    const stdout = result.stdout ?? '';
    verdict = readW32tm(stdout, result.ok ? result.exitCode : 1);
  } else if (result.ok && result.exitCode === 0) {
    verdict =
      platform === 'linux' ? readTimedatectl(result.stdout) : readSystemsetup(result.stdout);
  }
  // When the OS cannot tell, the same steps let the user check the setting by hand.
  return { ...verdict, fix: verdict.state === 'ok' ? [] : fix };
}

/** Which of our platforms this is, or null where Chronokey has no check. */
export function clockPlatform(platform: string): ClockPlatform | null {
  return platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : null;
}

export { clockNeedsWarning } from '../../shared/clock-health';
