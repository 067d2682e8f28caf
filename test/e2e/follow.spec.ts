import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, label, screenshotPath, test, THREE } from './fixtures';
import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import { DEFAULT_TEST_TIME } from './bridge/server';

/**
 * Following a phone app's automatic backups through the bridge: a folder where the test writes
 * successive 2FAS backups (2FAS's own JSON), followed from Settings → Sync. The second backup
 * renames one account and drops another: the window follows the rename and asks "Removed on the
 * phone?" before removing anything.
 */

function twoFasBackup(accounts: SeedAccount[]): string {
  return JSON.stringify({
    services: accounts.map((account, index) => ({
      name: account.issuer,
      secret: account.secret,
      otp: {
        account: account.account,
        digits: 6,
        period: 30,
        algorithm: 'SHA1',
        tokenType: 'TOTP',
      },
      order: { position: index },
    })),
    groups: [],
    schemaVersion: 4,
  });
}

/** A backup as the phone app names it, with a file time well before the bridge's clock. */
function writeBackup(folder: string, name: string, accounts: SeedAccount[], ageMs: number): void {
  const file = path.join(folder, name);
  writeFileSync(file, twoFasBackup(accounts));
  const when = new Date(DEFAULT_TEST_TIME - ageMs);
  utimesSync(file, when, when);
}

test('follows a folder of 2FAS backups: adds, renames, and asks before removing', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'chronokey-e2e-follow-'));
  try {
    const phoneOnly = seedAccount(3);
    // The phone has one of the vault's accounts and one of its own.
    writeBackup(folder, '2fas-backup-20201231100000.2fas', [THREE[0]!, phoneOnly], 60 * 60_000);
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await page.getByRole('button', { name: 'Settings' }).first().click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await app.bridge.willChooseFolder(folder);
    await settings.getByRole('button', { name: 'Follow backups in a folder…' }).click();
    const form = settings.getByRole('group', { name: 'Follow a folder' });
    await expect(form).toContainText(folder);
    // By keyboard: the password field has the focus, Enter follows (no password: plain backups).
    await expect(form.getByLabel('Password of the backups (if they are encrypted)')).toBeFocused();
    await page.keyboard.press('Enter');
    const followed = settings.getByRole('group', { name: `Followed folder ${folder}` });
    await expect(followed).toContainText('2FAS backup of');
    await expect(followed).toContainText('1 new');
    await expect(followed).toContainText('2fas-backup-20201231100000.2fas');
    await page.screenshot({ path: screenshotPath('follow-settings.png') });
    // The widest window, dark: the folder, its report and the buttons on their lines.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await followed.scrollIntoViewIfNeeded();
    await app.expectAccessible('followed folder (dark, 1920 px)');
    await page.screenshot({ path: screenshotPath('follow-settings-1920-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 960, height: 720 });

    // An hour later: the phone renamed its own account and no longer has the vault's.
    const renamed = { ...phoneOnly, account: 'renamed@example.com' };
    writeBackup(folder, '2fas-backup-20201231110000.2fas', [renamed], 30 * 60_000);
    await expect
      .poll(
        async () => {
          await app.advance(1_100);
          return followed.getByRole('group', { name: 'Removed on the phone?' }).count();
        },
        { timeout: 30_000, intervals: [500] },
      )
      .toBe(1);
    const missing = followed.getByRole('group', { name: 'Removed on the phone?' });
    await expect(missing).toContainText(`${THREE[0]!.issuer}:${THREE[0]!.account}`);
    await expect(followed).toContainText('1 changed');
    await page.setViewportSize({ width: 360, height: 720 });
    await missing
      .getByRole('button', { name: 'Keep them and stop asking' })
      .scrollIntoViewIfNeeded();
    const widths = await page.evaluate(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    );
    expect(widths).toEqual([360, 360]);
    await page.screenshot({ path: screenshotPath('follow-removed-on-phone-360.png') });
    await missing.getByRole('button', { name: 'Keep them and stop asking' }).click();
    await expect(settings.getByText('Those accounts were kept.')).toBeVisible();
    await page.setViewportSize({ width: 960, height: 720 });
    await page.keyboard.press('Escape');
    // Nothing was removed; the phone's account is there under its new name.
    for (const account of THREE) await expect(app.row(label(account))).toBeVisible();
    await expect(app.row(label(renamed))).toBeVisible();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
