import type { Page } from '@playwright/test';
import { THREE, expect, test, screenshotPath } from './fixtures';

/**
 * The window's side of OS integration: the clock warning, an otpauth:// link opening the add
 * flow, and the System settings. The test bridge has no operating system behind it, so this
 * file answers the three `system.*` calls as main would on a Linux desktop whose time sync is
 * off; everything else goes to the real core through the bridge.
 */
const LINK = 'otpauth://totp/Linked:me@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Linked';

async function withSystem(page: Page, options: { link?: string; shortcutActive?: boolean } = {}) {
  let pending = options.link ?? null;
  const answers: Record<string, () => unknown> = {
    'system.info': () => ({
      platform: 'linux',
      contentProtectionSupported: true,
      launchAtLoginSupported: true,
      globalShortcutActive: options.shortcutActive ?? true,
    }),
    'system.clockHealth': () => ({
      state: 'off',
      summary: 'Automatic time (network time synchronisation) is off.',
      fix: ['Turn on automatic time in your desktop’s settings.', 'Or run timedatectl.'],
    }),
    'system.takePendingLink': () => {
      const uri = pending;
      pending = null;
      return uri === null ? null : { uri };
    },
  };
  // Only the system.* calls are answered here; every other call reaches the bridge.
  await page.route('**/rpc', async (route) => {
    const { channel } = route.request().postDataJSON() as { channel: string };
    const answer = answers[channel];
    if (!answer) return route.fallback();
    await route.fulfill({ json: { ok: true, value: answer() } });
  });
}

test.describe('OS integration in the window', () => {
  test('warns when the system clock is not synchronised, with how to fix it', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await withSystem(page);
    await app.reload();
    const banner = page.getByRole('status').filter({ hasText: 'system clock is not kept right' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Automatic time (network time synchronisation) is off.');
    await banner.getByText('How to fix it').click();
    await expect(banner.getByRole('listitem')).toHaveCount(2);
    await page.screenshot({ path: screenshotPath('clock-warning.png') });
    await app.expectAccessible('clock warning');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await expect(banner).toBeHidden();
  });

  test('an otpauth:// link opened with Chronokey opens the add flow with it', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    // Let the first page settle, so it cannot take the pending link before the reload.
    await expect(app.accountList()).toBeVisible();
    await withSystem(page, { link: LINK });
    await app.reload();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'otpauth link' })).toHaveValue(LINK);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(app.accountList()).toContainText('Linked');
  });

  test('System settings: open at login, screen-capture protection, global shortcut', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await withSystem(page);
    await app.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const login = dialog.getByRole('checkbox', { name: 'Open at login' });
    const protect = dialog.getByRole('checkbox', { name: 'Protect from screen capture' });
    await expect(login).not.toBeChecked();
    await expect(protect).toBeChecked();
    await expect(dialog).toContainText('Press Ctrl+Shift+K anywhere to search your accounts.');
    await page.screenshot({ path: screenshotPath('settings-system.png'), fullPage: true });
    await app.expectAccessible('settings with system section');

    await login.click();
    await expect(login).toBeChecked();
    await expect.poll(async () => (await bridge.vault()).settings.launchAtLogin).toBe(true);
    await protect.click();
    await expect(protect).not.toBeChecked();
    await expect.poll(async () => (await bridge.vault()).settings.contentProtection).toBe(false);

    await dialog.getByRole('button', { name: 'Change' }).click();
    await page.keyboard.press('Shift+K');
    await expect(dialog.getByRole('alert')).toContainText('Hold Ctrl, Alt or ⌘');
    await page.keyboard.press('Alt+Shift+J');
    await expect
      .poll(async () => (await bridge.vault()).settings.globalShortcut)
      .toBe('Alt+Shift+J');
    await dialog.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(async () => (await bridge.vault()).settings.globalShortcut).toBe('');
    await expect(dialog).toContainText('No shortcut');
  });
});
