import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { App, expect, label, screenshotPath, test, THREE } from './fixtures';
import { spawnBridge } from './bridge/control';
import { otpauthUri, seedAccount } from './bridge/seed';

/**
 * Sync without an engine: two bridges (two windows, two vaults, two devices) share one folder,
 * as two computers whose sync app has carried it. A change in one window appears in the other
 * without a reload: its watcher sees the other device's file and a pass merges it.
 */

const SYNC_PASSWORD = 'lantern orchard pebble cobalt drift';

async function openSyncSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('an account added in one window appears in the other, through one shared folder', async ({
  app,
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'chronokey-e2e-sync-'));
  const second = await spawnBridge(process.env.CHRONOKEY_E2E_RENDERER_DIR ?? 'dist/renderer');
  const laptopPage = await browser.newPage({ viewport: { width: 960, height: 720 } });
  try {
    // Desk: three accounts, sets up sync with a sync password typed twice.
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    let settings = await openSyncSettings(page);
    await app.bridge.willChooseFolder(folder);
    await settings.getByRole('button', { name: 'Set up sync in a folder…' }).click();
    const setup = settings.getByRole('form', { name: 'Set up sync' });
    await setup.getByLabel('This device’s name').fill('Desk');
    await setup.getByLabel('Sync password', { exact: true }).fill('abc');
    await setup.getByLabel('Repeat sync password').fill('abc');
    await setup.getByRole('button', { name: 'Set up sync' }).click();
    await expect(setup.getByRole('alert')).toContainText('too easy to guess');
    await setup.getByLabel('Sync password', { exact: true }).fill(SYNC_PASSWORD);
    await setup.getByLabel('Repeat sync password').fill(SYNC_PASSWORD);
    await setup.getByRole('button', { name: 'Set up sync' }).click();
    await expect(settings.getByText('Sync is set up.')).toBeVisible();
    await expect(settings.getByText('Desk (this device)')).toBeVisible();
    await page.screenshot({ path: screenshotPath('sync-settings-set-up.png') });
    await page.keyboard.press('Escape');

    // Laptop: an empty keychain vault joins with the sync password and gets Desk's accounts.
    const laptop = new App(laptopPage, second.control);
    await laptop.open({ vault: { useKeychain: true }, accounts: [] });
    settings = await openSyncSettings(laptopPage);
    await laptop.bridge.willChooseFolder(folder);
    await settings.getByRole('button', { name: 'Join sync in a folder…' }).click();
    const join = settings.getByRole('form', { name: 'Join sync' });
    await join.getByLabel('This device’s name').fill('Laptop');
    await join.getByLabel('Sync password', { exact: true }).fill('not the sync password');
    await join.getByRole('button', { name: 'Join sync' }).click();
    await expect(settings.getByRole('alert')).toContainText('does not open this sync folder');
    await join.getByLabel('Sync password', { exact: true }).fill(SYNC_PASSWORD);
    await join.getByRole('button', { name: 'Join sync' }).click();
    await expect(settings.getByText('This device now syncs.')).toBeVisible();
    await expect(settings.getByText('Desk', { exact: true })).toBeVisible();
    // The narrowest window: device names, times and Remove stay inside the dialog.
    await laptopPage.setViewportSize({ width: 360, height: 720 });
    await settings.getByRole('button', { name: 'Remove Desk from sync' }).scrollIntoViewIfNeeded();
    const widths = await laptopPage.evaluate(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    );
    expect(widths).toEqual([360, 360]);
    await laptopPage.screenshot({ path: screenshotPath('sync-settings-360.png') });
    await laptopPage.setViewportSize({ width: 960, height: 720 });
    await laptopPage.keyboard.press('Escape');
    for (const account of THREE) await expect(laptop.row(label(account))).toBeVisible();
    await expect(laptopPage.getByRole('button', { name: /^Sync: / })).toBeVisible();

    // Desk adds an account in its window; Laptop shows it without a reload.
    const added = seedAccount(7);
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Paste a link' }).click();
    await dialog.getByLabel('otpauth link').fill(otpauthUri(added));
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();
    // Desk's pass runs ~2 s after the change (on its test clock); Laptop's 0.5 s after its
    // watcher sees the file (on its own). Both clocks move until the row is there.
    await expect
      .poll(
        async () => {
          await app.advance(2_100);
          await laptop.advance(600);
          return laptop.row(label(added)).count();
        },
        { timeout: 45_000, intervals: [500] },
      )
      .toBe(1);
    await expect(laptopPage.getByText('1 account added from Desk.')).toBeVisible();
    await expect(laptopPage.getByRole('button', { name: 'Sync: Up to date' })).toBeVisible();
    await laptopPage.screenshot({ path: screenshotPath('sync-merged-toast.png') });
  } finally {
    await laptopPage.close();
    await second.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
