import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import { THREE, expect, label, test } from './fixtures';

/**
 * The main screen at every width from a phone-sized 360 px to 1920 px, light and dark: every
 * account's name stays visible, nothing overflows the window (no sideways scroll, no button off
 * screen), and the codes of every kind line up in one column.
 */

const SHOTS = path.join(process.cwd(), '.test-results', 'screenshots');

const MIXED: SeedAccount[] = [
  ...THREE,
  {
    ...seedAccount(3),
    issuer: 'Northwind Bank',
    account: 'a.very.long.address.for.the.account@example-company.com',
    type: 'hotp',
    counter: 4,
    tags: ['finance', 'household', 'important'],
  },
  { ...seedAccount(4), issuer: 'Steam', account: 'gamer', type: 'steam', digits: 5, tags: [] },
  { ...seedAccount(5), digits: 8, tags: ['work'] },
];

for (const width of [360, 400, 640, 960, 1920]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`at ${width} px (${theme}) names stay visible, nothing overflows, codes line up`, async ({
      app,
      page,
    }) => {
      await page.setViewportSize({ width, height: width < 500 ? 640 : 800 });
      await page.emulateMedia({ colorScheme: theme });
      await app.open({ vault: { useKeychain: true }, accounts: MIXED });
      await expect(app.code(label(MIXED[5]!))).toBeVisible();

      // Nothing sticks out of the window: no sideways scrolling, every toolbar button inside.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      for (const button of await page.locator('.toolbar button').all()) {
        const box = await button.boundingBox();
        expect(box, 'toolbar button').not.toBeNull();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      }

      // Every name has real room (at least ~7 characters), and its full text as a tooltip.
      for (const account of MIXED) {
        const names = app.row(label(account)).locator('.account-names');
        const box = await names.boundingBox();
        expect(box!.width, `${account.issuer} name width`).toBeGreaterThanOrEqual(64);
        await expect(names).toHaveAttribute('title', new RegExp(account.issuer));
      }

      // Codes of every type end at the same x: one column.
      const rights: number[] = [];
      for (const code of await page.locator('.code-value').all()) {
        const box = await code.boundingBox();
        rights.push(Math.round(box!.x + box!.width));
      }
      expect(new Set(rights).size, `code columns ${rights.join(', ')}`).toBe(1);

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({
        path: path.join(SHOTS, `main-${width}-${theme}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    });
  }
}

test('a long e-mail stays inside the delete dialog', async ({ app, page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await app.open({ vault: { useKeychain: true }, accounts: MIXED });
  const row = app.row(label(MIXED[3]!));
  await row.getByRole('button', { name: /More actions/ }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  const box = await dialog.boundingBox();
  for (const part of await dialog.locator('h2, p, button').all()) {
    const inner = await part.boundingBox();
    expect(inner!.x + inner!.width).toBeLessThanOrEqual(box!.x + box!.width);
  }
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'delete-360.png'), animations: 'disabled' });
});
