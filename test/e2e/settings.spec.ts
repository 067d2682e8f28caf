import type { App } from './fixtures';
import { THREE, expect, expectedCode, grouped, label, test } from './fixtures';

const PERIOD_START = Date.UTC(2021, 0, 1, 0, 0, 0);
const A = THREE[0]!;

async function openSettings(app: App) {
  await app.page.getByRole('button', { name: 'Settings' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.describe('settings', () => {
  test('clipboard clear delay: the copied code is cleared after the chosen time', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 5_000 });
    const dialog = await openSettings(app);
    await app.expectAccessible('settings');
    await dialog.getByRole('spinbutton', { name: 'Clear clipboard after (seconds)' }).fill('10');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await bridge.vault()).settings.clipboardClearSeconds).toBe(10);

    await page.getByRole('button', { name: `Copy code for ${label(A)}` }).click();
    await expect(
      page.getByRole('status').filter({ hasText: /clears in 10 seconds/ }),
    ).toBeVisible();
    await app.advance(9_000);
    expect((await bridge.clipboard()).text).toBe(expectedCode(A, PERIOD_START + 5_000));
    await app.advance(1_000);
    expect((await bridge.clipboard()).text).toBe('');
  });

  test('theme: Dark and Light change the page colours whatever the system says', async ({
    app,
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const background = () =>
      page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    const light = await background();

    const dialog = await openSettings(app);
    await dialog.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark' });
    await expect.poll(background).not.toBe(light);
    const dark = await background();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // System follows the OS: with the OS in dark mode, "System" looks like Dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    const again = await openSettings(app);
    await again.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'System' });
    await expect.poll(background).toBe(dark);
    await again.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Light' });
    await expect.poll(background).toBe(light);
  });

  test('privacy mode hides codes until a row is hovered or focused', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 5_000 });
    const code = grouped(expectedCode(A, await bridge.now()));
    const row = app.row(label(A));
    const shown = row.getByText(code);
    await expect(shown).toBeVisible();
    await expect(
      row.getByRole('img', { name: `Code ${expectedCode(A, await bridge.now())}` }),
    ).toHaveCount(1);

    const dialog = await openSettings(app);
    await dialog.getByRole('checkbox', { name: 'Privacy mode' }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Privacy mode' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.mouse.move(0, 0);
    await page.keyboard.press('Control+f');
    // Hidden from eyes and from screen readers (no "Code …" name in the accessibility tree).
    await expect(shown).toBeHidden();
    await expect(row.getByRole('img', { name: /^Code / })).toHaveCount(0);
    await expect(app.accountList().getByRole('img', { name: /^Code / })).toHaveCount(0);
    await app.expectAccessible('main (privacy mode)');

    await row.hover();
    await expect(shown).toBeVisible();
    await page.mouse.move(0, 0);
    await expect(shown).toBeHidden();
    await row.focus();
    await expect(shown).toBeVisible();
    await expect(app.row(label(THREE[1]!)).getByText(/\d{3} \d{3}/)).toBeHidden();
    await expect.poll(async () => (await bridge.vault()).settings.privacyMode).toBe(true);
  });

  test('show next code: turned off, no next code appears near expiry', async ({ app }) => {
    await app.open({ vault: { useKeychain: true }, accounts: [A], time: PERIOD_START + 5_000 });
    const dialog = await openSettings(app);
    await dialog.getByRole('checkbox', { name: 'Show next code' }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Show next code' })).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await app.setTime(PERIOD_START + 27_000);
    // The row has caught up with the new time (3 s left) and still shows no next code.
    await expect(app.row(label(A)).getByLabel(/^3 seconds left/)).toBeVisible();
    await expect(app.row(label(A)).getByText(/^Next:/)).toHaveCount(0);
  });

  test('auto-lock: main locks after the chosen idle time, never with 0', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    let dialog = await openSettings(app);
    await dialog.getByRole('spinbutton', { name: 'Lock after idle (minutes)' }).fill('0');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await bridge.vault()).settings.autoLockMinutes).toBe(0);
    await bridge.setIdle(24 * 3600);
    await app.advance(60_000);
    await expect(app.row(label(A))).toBeVisible();

    await bridge.setIdle(0);
    dialog = await openSettings(app);
    await dialog.getByRole('spinbutton', { name: 'Lock after idle (minutes)' }).fill('2');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await bridge.vault()).settings.autoLockMinutes).toBe(2);
    // Main looks at the system's idle time every 15 s.
    await bridge.setIdle(119);
    await app.advance(15_000);
    await expect(app.row(label(A))).toBeVisible();
    await bridge.setIdle(120);
    await app.advance(15_000);
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
  });

  test('set, change and remove the master password; switch keychain unlock off and on', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const opensWith = (password: string) =>
      bridge.vault(password).then(
        (content) => content.accounts.length === 3,
        () => false,
      );
    let dialog = await openSettings(app);
    await dialog.getByLabel('New master password', { exact: true }).fill('first password');
    await dialog.getByLabel('Repeat new master password').fill('first password');
    await dialog.getByRole('button', { name: 'Set master password' }).click();
    await expect(dialog.getByRole('button', { name: 'Change master password' })).toBeVisible();
    await expect.poll(() => opensWith('first password')).toBe(true);

    // Keychain off: now only the password opens the vault.
    const keychain = dialog.getByRole('checkbox', { name: 'Unlock with the system keychain' });
    await keychain.click();
    await expect(keychain).not.toBeChecked();
    await expect.poll(() => opensWith('first password')).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Master password').fill('first password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.row(label(A))).toBeVisible();

    dialog = await openSettings(app);
    await dialog.getByLabel('New master password', { exact: true }).fill('second password');
    await dialog.getByLabel('Repeat new master password').fill('second password');
    // Changing needs the current password, and a wrong one changes nothing.
    await dialog.getByRole('button', { name: 'Change master password' }).click();
    await expect(dialog.getByRole('alert')).toContainText('current master password');
    await dialog.getByLabel('Current master password').fill('not the password');
    await dialog.getByRole('button', { name: 'Change master password' }).click();
    await expect(dialog.getByRole('alert')).toContainText('password');
    expect(await opensWith('first password')).toBe(true);
    await dialog.getByLabel('Current master password').fill('first password');
    await dialog.getByRole('button', { name: 'Change master password' }).click();
    await expect.poll(() => opensWith('second password')).toBe(true);
    expect(await opensWith('first password')).toBe(false);

    // Removing the password needs another way in: turn the keychain back on first.
    await dialog.getByRole('checkbox', { name: 'Unlock with the system keychain' }).click();
    await expect(
      dialog.getByRole('checkbox', { name: 'Unlock with the system keychain' }),
    ).toBeChecked();
    await dialog.getByLabel('Current master password').fill('second password');
    await dialog.getByRole('button', { name: 'Remove master password' }).click();
    await expect(dialog.getByRole('button', { name: 'Set master password' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByLabel('Master password')).toHaveCount(0);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.row(label(A))).toBeVisible();
  });
});
