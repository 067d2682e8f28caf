import { execFile } from 'node:child_process';
import type { ClockHealth } from '../../shared/contract';
import type { CommandResult } from '../core/clock-health';
import { CLOCK_COMMANDS, clockHealthFrom, clockPlatform } from '../core/clock-health';

/** How long the OS gets to answer before Chronokey gives up and shows no warning. */
export const CLOCK_COMMAND_TIMEOUT_MS = 3000;

/** Runs a command without a shell, with a timeout; never throws. */
export function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = CLOCK_COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8', maxBuffer: 64 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout, stderr, exitCode: 0 });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (failure.code === 'ENOENT') return resolve({ ok: false, reason: 'missing' });
        if (failure.killed) return resolve({ ok: false, reason: 'timeout', stdout, stderr });
        if (typeof failure.code === 'number') {
          return resolve({ ok: true, stdout, stderr, exitCode: failure.code });
        }
        resolve({ ok: false, reason: 'failed', stdout, stderr });
      },
    );
  });
}

/** The clock check for this system: asks its one command and reads the answer. */
export function createClockHealthCheck(options: {
  platform: NodeJS.Platform;
  now: () => number;
  run?: typeof runCommand;
}): () => Promise<ClockHealth> {
  const run = options.run ?? runCommand;
  return async () => {
    const platform = clockPlatform(options.platform);
    if (platform === null) {
      return {
        state: 'unknown',
        summary: 'Chronokey cannot check the clock on this system.',
        fix: [],
      };
    }
    const command = CLOCK_COMMANDS[platform];
    return clockHealthFrom(platform, await run(command.file, command.args), options.now());
  };
}
