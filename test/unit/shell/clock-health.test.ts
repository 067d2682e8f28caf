import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLOCK_FIXES,
  EARLIEST_PLAUSIBLE_TIME,
  clockHealthFrom,
  clockNeedsWarning,
  readSystemsetup,
  readTimedatectl,
  readW32tm,
} from '../../../main/core/clock-health';
import { createClockHealthCheck, runCommand } from '../../../main/shell/clock-health';
import { createSystemHandlers } from '../../../main/core/system-handlers';

const NOW = Date.UTC(2026, 5, 1);
const done = (stdout: string, exitCode = 0) =>
  ({ ok: true, stdout, stderr: '', exitCode }) as const;

describe('clock health: reading what each system says', () => {
  it('Linux timedatectl', () => {
    expect(readTimedatectl('NTP=yes\nNTPSynchronized=yes\n').state).toBe('ok');
    expect(readTimedatectl('NTP=no\nNTPSynchronized=no\n').state).toBe('off');
    expect(readTimedatectl('NTP=yes\nNTPSynchronized=no\n').state).toBe('unsynced');
    expect(readTimedatectl('').state).toBe('unknown');
    expect(readTimedatectl('Failed to connect to bus').state).toBe('unknown');
  });

  it('macOS systemsetup, which may want an administrator', () => {
    expect(readSystemsetup('Network Time: On\n').state).toBe('ok');
    expect(readSystemsetup('Network Time: Off\n').state).toBe('off');
    expect(
      readSystemsetup('You need administrator access to run this tool... exiting!').state,
    ).toBe('unknown');
  });

  it('Windows w32tm, in any language', () => {
    const synced = [
      'Leap Indicator: 0(no warning)',
      'Stratum: 4 (secondary reference - syncd by (S)NTP)',
      'Source: time.windows.com,0x9',
    ].join('\r\n');
    expect(readW32tm(synced, 0).state).toBe('ok');
    const german = 'Sprungindikator: 3(nicht synchronisiert)\r\nQuelle: time.windows.com';
    expect(readW32tm(german, 0).state).toBe('unsynced');
    const cmos = 'Leap Indicator: 0(no warning)\r\nSource: Local CMOS Clock\r\n';
    expect(readW32tm(cmos, 0).state).toBe('unsynced');
    const stopped = 'The following error occurred: The service has not been started. (0x80070426)';
    expect(readW32tm(stopped, 1).state).toBe('off');
    expect(readW32tm('gibberish', 0).state).toBe('unknown');
  });

  it('says how to fix it, per system, only when something is wrong', () => {
    const off = clockHealthFrom('linux', done('NTP=no\nNTPSynchronized=no'), NOW);
    expect(off).toMatchObject({ state: 'off', fix: CLOCK_FIXES.linux });
    expect(off.fix.join(' ')).toContain('timedatectl set-ntp true');
    expect(clockHealthFrom('darwin', done('Network Time: Off'), NOW).fix.join(' ')).toContain(
      'Set time and date automatically',
    );
    expect(
      clockHealthFrom('win32', done('Leap Indicator: 3(not synchronized)', 0), NOW).fix,
    ).toEqual(CLOCK_FIXES.win32);
    expect(clockHealthFrom('linux', done('NTP=yes\nNTPSynchronized=yes'), NOW).fix).toEqual([]);
    expect(clockHealthFrom('linux', { ok: false, reason: 'missing' }, NOW).state).toBe('unknown');
    expect(clockHealthFrom('linux', { ok: false, reason: 'timeout' }, NOW).state).toBe('unknown');
  });

  it('knows a clock before Chronokey existed is wrong, whatever the OS says', () => {
    const health = clockHealthFrom(
      'linux',
      done('NTP=yes\nNTPSynchronized=yes'),
      EARLIEST_PLAUSIBLE_TIME - 86_400_000 * 400,
    );
    expect(health.state).toBe('wrong');
    expect(health.summary).toContain('2024-');
    expect(clockNeedsWarning(health)).toBe(true);
    expect(clockNeedsWarning({ state: 'unknown', summary: '', fix: [] })).toBe(true);
    expect(clockNeedsWarning({ state: 'unchecked', summary: '', fix: [] })).toBe(false);
    expect(clockNeedsWarning({ state: 'ok', summary: '', fix: [] })).toBe(false);
  });
});

describe('clock health: the adapter', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-clock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  it.runIf(process.platform !== 'win32')(
    'runs a command without a shell, with a timeout',
    async () => {
      expect(await runCommand(script('ok', 'echo NTPSynchronized=yes'), [])).toEqual({
        ok: true,
        stdout: 'NTPSynchronized=yes\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await runCommand(script('fails', 'echo no >&2; exit 3'), [])).toMatchObject({
        ok: true,
        exitCode: 3,
      });
      expect(await runCommand(script('slow', 'sleep 5'), [], 200)).toMatchObject({
        ok: false,
        reason: 'timeout',
      });
      expect(await runCommand(path.join(dir, 'absent'), [])).toEqual({
        ok: false,
        reason: 'missing',
      });
    },
  );

  it('asks the command for this system and reads it', async () => {
    const asked: string[] = [];
    const check = createClockHealthCheck({
      platform: 'linux',
      now: () => NOW,
      run: async (file, args) => {
        asked.push([file, ...args].join(' '));
        return done('NTP=yes\nNTPSynchronized=no\n');
      },
    });
    expect((await check()).state).toBe('unsynced');
    expect(asked).toEqual(['timedatectl show -p NTP -p NTPSynchronized']);
    const other = createClockHealthCheck({ platform: 'aix', now: () => NOW });
    expect((await other()).state).toBe('unknown');
  });

  it.runIf(process.platform === 'linux')('gives an answer on this very machine', async () => {
    const health = await createClockHealthCheck({ platform: 'linux', now: Date.now })();
    expect(['ok', 'off', 'unsynced', 'unknown']).toContain(health.state);
  });

  it('is served as system.clockHealth, one question to the OS at a time', async () => {
    let calls = 0;
    const handlers = createSystemHandlers({
      clockHealth: async () => {
        calls += 1;
        return { state: 'off', summary: 'off', fix: ['x'] };
      },
    });
    const [a, b] = await Promise.all([
      handlers['system.clockHealth'](),
      handlers['system.clockHealth'](),
    ]);
    expect(a).toEqual(b);
    expect(calls).toBe(1);
    await handlers['system.clockHealth']();
    expect(calls).toBe(2);
    // Without a port (CLI, test bridge): not checked, and no warning.
    const bare = createSystemHandlers();
    expect(clockNeedsWarning(await bare['system.clockHealth']())).toBe(false);
    expect(await bare['system.takePendingLink']()).toBeNull();
  });
});
