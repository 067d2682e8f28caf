import type { ClockHealth, Handlers, SystemInfo } from '../../shared/contract';

/** What the `system.*` channels need from the composition root; each has a safe default. */
export interface SystemPorts {
  /** Asks the OS about its clock (main/shell/clock-health.ts). */
  clockHealth?: () => Promise<ClockHealth>;
  /** What this system supports and whether the global shortcut is registered. */
  info?: () => SystemInfo;
  /** The otpauth:// link waiting for the add flow, taken once. */
  takePendingLink?: () => string | null;
  /** Asks for screen-capture protection while secrets show; returns whether the window has it. */
  protectScreen?: (enabled: boolean) => boolean;
}

type SystemChannel =
  'system.clockHealth' | 'system.info' | 'system.takePendingLink' | 'system.protectScreen';

const NOT_CHECKED: ClockHealth = {
  state: 'unchecked',
  summary: 'Chronokey does not check the system clock here.',
  fix: [],
};

const NO_SYSTEM: SystemInfo = {
  platform: 'other',
  contentProtectionSupported: false,
  launchAtLoginSupported: false,
  globalShortcutActive: false,
};

/**
 * The `system.*` handlers, spread into `createHandlers`. The CLI and the browser test bridge
 * have no system integration and get the defaults: clock not checked, nothing supported, no
 * link waiting.
 */
export function createSystemHandlers(ports: SystemPorts = {}): Pick<Handlers, SystemChannel> {
  let lastHealth: Promise<ClockHealth> | null = null;
  return {
    'system.clockHealth': () => {
      if (!ports.clockHealth) return Promise.resolve(NOT_CHECKED);
      // One question to the OS at a time; the next call asks again.
      lastHealth ??= ports.clockHealth().finally(() => {
        lastHealth = null;
      });
      return lastHealth;
    },
    'system.info': async () => ports.info?.() ?? NO_SYSTEM,
    'system.takePendingLink': async () => {
      const uri = ports.takePendingLink?.() ?? null;
      return uri === null ? null : { uri };
    },
    'system.protectScreen': async ({ enabled }) => ({
      protected: ports.protectScreen?.(enabled) ?? false,
    }),
  };
}
