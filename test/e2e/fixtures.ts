import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { BridgeControl } from './bridge/control';
import { spawnBridge } from './bridge/control';
import type { ResetOptions } from './bridge/server';
import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import {
  referenceBase32Decode,
  referenceHotp,
  referenceSteam,
  referenceTotp,
} from '../unit/core/otp/reference-otp';

export { expect };

/** The app in one page: a fresh vault in the bridge, the page's clock pinned to the bridge's. */
export class App {
  constructor(
    readonly page: Page,
    readonly bridge: BridgeControl,
  ) {}

  /** Resets the bridge (fresh vault folder), then loads the renderer with `window.chronokey`. */
  async open(options: ResetOptions = {}): Promise<void> {
    await this.bridge.reset(options);
    await this.page.clock.setFixedTime(await this.bridge.now());
    await this.page.addInitScript({ content: await this.bridge.clientScript() });
    await this.page.goto(this.bridge.url);
  }

  /** Reloads the page (same vault, same bridge state), as a restarted window would. */
  async reload(): Promise<void> {
    await this.page.reload();
  }

  /** Moves main's clock (firing its due timers, e.g. the clipboard clear) and the page's. */
  async advance(ms: number): Promise<number> {
    const now = await this.bridge.advance(ms);
    await this.page.clock.setFixedTime(now);
    return now;
  }

  async setTime(time: number): Promise<void> {
    await this.bridge.setTime(time);
    await this.page.clock.setFixedTime(time);
  }

  accountList() {
    return this.page.getByRole('list', { name: 'Accounts' });
  }

  row(label: string) {
    return this.accountList().getByRole('listitem', {
      name: new RegExp(`^${escapeRegExp(label)}`),
    });
  }

  /** Picks an action from a row's "⋯" menu ("Edit…", "Delete…", "Show QR code…", "Move up"). */
  async rowAction(label: string, action: string | RegExp): Promise<void> {
    await this.row(label)
      .getByRole('button', { name: /^More actions for / })
      .click();
    await this.page.getByRole('menuitem', { name: action }).click();
  }

  /** The code a row shows, as its "Code 123456" label says. */
  code(label: string) {
    return this.row(label).getByLabel(/^Code \S+$/);
  }

  /** The list shows exactly these rows, in this order (names start with "issuer account"). */
  async expectOrder(labels: string[]): Promise<void> {
    const items = this.accountList().getByRole('listitem');
    await expect(items).toHaveCount(labels.length);
    for (const [index, name] of labels.entries()) {
      await expect(items.nth(index)).toHaveAccessibleName(new RegExp(`^${escapeRegExp(name)}`));
    }
  }

  /** No serious or critical axe-core violation on what the page shows now. */
  async expectAccessible(screen: string): Promise<void> {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const bad = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    const summary = bad.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .slice(0, 5)
          .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
          .join('\n'),
    );
    expect(summary, `axe violations on the ${screen} screen`).toEqual([]);
  }
}

/**
 * Where a screenshot for reviewers goes: .test-results/screenshots/ (git-ignored) on every run,
 * so running the tests leaves the checkout clean; the committed test/e2e/screenshots/ only under
 * `npm run screenshots` (scripts/screenshots.mjs sets CHRONOKEY_UPDATE_SCREENSHOTS=1).
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.CHRONOKEY_UPDATE_SCREENSHOTS === '1'
      ? path.join(import.meta.dirname, 'screenshots')
      : path.join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
  return path.join(dir, name);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The code an account shows at `nowMs`, computed by the independent reference implementation. */
export function expectedCode(account: SeedAccount, nowMs: number, counter = account.counter) {
  const key = referenceBase32Decode(account.secret);
  const algorithm = account.algorithm.toLowerCase();
  if (account.type === 'hotp') return referenceHotp(key, algorithm, account.digits, counter);
  if (account.type === 'steam') return referenceSteam(key, Math.floor(nowMs / 1000));
  return referenceTotp(key, algorithm, account.digits, account.period, Math.floor(nowMs / 1000));
}

/** "123456" → "123 456", the way the list groups codes for reading (6 and 8 digits here). */
export function grouped(code: string): string {
  if (code.length === 6) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 8) return `${code.slice(0, 4)} ${code.slice(4)}`;
  return code;
}

export const label = (account: SeedAccount): string => `${account.issuer} ${account.account}`;

/** Three everyday accounts used across the suites. */
export const THREE: SeedAccount[] = [
  { ...seedAccount(0), tags: ['work', 'dev'] },
  { ...seedAccount(1), tags: ['personal'] },
  { ...seedAccount(6), tags: ['finance'] },
];

export const test = base.extend<{ app: App }, { bridge: BridgeControl }>({
  bridge: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const bridge = await spawnBridge(process.env.CHRONOKEY_E2E_RENDERER_DIR ?? 'dist/renderer');
      await use(bridge.control);
      await bridge.stop();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, bridge }, use) => {
    await use(new App(page, bridge));
  },
});
