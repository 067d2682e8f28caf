import type { ResetOptions } from './bridge/server';
import type { App } from './fixtures';
import { THREE, expect, label, screenshotPath, test } from './fixtures';

/**
 * Each main screen in light and dark, with 0, 3 and 200 accounts: an axe-core scan (no serious
 * or critical violation) and a PNG for reviewers (.test-results/screenshots/; the committed
 * test/e2e/screenshots/ with `npm run screenshots`).
 */

const PASSWORD = 'screenshot password';

async function shoot(app: App, name: string): Promise<void> {
  await app.page.screenshot({
    path: screenshotPath(`${name}.png`),
    animations: 'disabled',
    caret: 'hide',
  });
}

interface Screen {
  name: string;
  setup: ResetOptions;
  /** Brings the page to the screen and waits until it is fully drawn. */
  reach(app: App): Promise<void>;
}

const screens: Screen[] = [
  {
    name: 'first-run',
    setup: { vault: null },
    reach: async ({ page }) => {
      await expect(page.getByRole('heading', { name: 'Welcome to Chronokey' })).toBeVisible();
    },
  },
  {
    name: 'unlock',
    setup: { vault: { useKeychain: false, password: PASSWORD, locked: true }, accounts: THREE },
    reach: async ({ page }) => {
      await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
    },
  },
  {
    name: 'main-0-accounts',
    setup: { vault: { useKeychain: true } },
    reach: async ({ page }) => {
      await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    },
  },
  {
    name: 'main-3-accounts',
    setup: { vault: { useKeychain: true }, accounts: THREE },
    reach: async (app) => {
      await expect(app.code(label(THREE[2]!))).toBeVisible();
    },
  },
  {
    name: 'main-200-accounts',
    setup: { vault: { useKeychain: true }, accountCount: 200 },
    reach: async (app) => {
      await expect(app.accountList().getByRole('listitem').first()).toBeVisible();
      await expect(
        app
          .accountList()
          .getByLabel(/^Code \d+$/)
          .first(),
      ).toBeVisible();
    },
  },
  {
    name: 'add-account',
    setup: { vault: { useKeychain: true }, accounts: THREE },
    reach: async ({ page }) => {
      await page.getByRole('button', { name: 'Add account' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add account' });
      await dialog.getByRole('tab', { name: 'Enter manually' }).click();
      await dialog.getByRole('button', { name: 'Advanced' }).click();
      await expect(dialog.getByRole('spinbutton', { name: 'Digits' })).toBeVisible();
    },
  },
  {
    name: 'edit-account',
    setup: { vault: { useKeychain: true }, accounts: THREE },
    reach: async (app) => {
      const { page } = app;
      await app.rowAction(label(THREE[0]!), 'Edit…');
      await expect(page.getByRole('dialog', { name: 'Edit account' })).toBeVisible();
    },
  },
  {
    name: 'delete-confirm',
    setup: { vault: { useKeychain: true }, accounts: THREE },
    reach: async (app) => {
      const { page } = app;
      await app.rowAction(label(THREE[1]!), 'Delete…');
      await expect(
        page.getByRole('alertdialog', { name: `Delete ${label(THREE[1]!)}?` }),
      ).toBeVisible();
    },
  },
  {
    name: 'settings',
    setup: { vault: { useKeychain: true }, accounts: THREE },
    reach: async ({ page }) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} screens`, () => {
    for (const screen of screens) {
      test(`${screen.name} (${scheme}): accessible, screenshot written`, async ({ app, page }) => {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await app.open(screen.setup);
        await screen.reach(app);
        await app.expectAccessible(`${screen.name} (${scheme})`);
        await shoot(app, `${screen.name}-${scheme}`);
      });
    }
  });
}
