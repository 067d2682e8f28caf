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

    await app.row(label(A)).click();
    await expect(page.locator('.toast').filter({ hasText: /clears in 10 s/ })).toBeVisible();
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
    // The lock screen says why.
    await expect(page.getByText('Locked after 2 minutes without use.')).toBeVisible();
  });

  test('a number field says when Escape discards what was typed, and keeps the dialog open', async ({
    app,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const dialog = await openSettings(app);
    const field = dialog.getByRole('spinbutton', { name: 'Lock after idle (minutes)' });
    await field.fill('10');
    await field.press('Escape');
    await expect(dialog).toBeVisible();
    await expect(field).toHaveValue('5');
    await expect(dialog.getByText('Not changed: still 5 minutes.')).toBeVisible();
    await field.fill('10');
    await field.press('Enter');
    await expect.poll(async () => (await bridge.vault()).settings.autoLockMinutes).toBe(10);
  });

  test('set, change and remove the master password; choose how Chronokey unlocks', async ({
    app,
    page,
    bridge,
  }) => {
    const FIRST = 'harbor velvet quartz meadow';
    const SECOND = 'plum tangerine ferry lantern';
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const opensWith = (password: string) =>
      bridge.vault(password).then(
        (content) => content.accounts.length === 3,
        () => false,
      );
    let dialog = await openSettings(app);
    const withKeychain = dialog.getByRole('radio', {
      name: /Open without a password, with the system keychain/,
    });
    const withPassword = dialog.getByRole('radio', { name: /Ask for my master password/ });
    await expect(withKeychain).toBeChecked();
    // A weak one is refused, with the same meter as everywhere.
    await dialog.getByLabel('Master password', { exact: true }).fill('abc');
    await dialog.getByLabel('Repeat master password').fill('abc');
    await dialog.getByRole('button', { name: 'Set master password' }).click();
    await expect(dialog.getByRole('alert')).toContainText('too easy to guess');
    await dialog.getByLabel('Master password', { exact: true }).fill(FIRST);
    await dialog.getByLabel('Repeat master password').fill(FIRST);
    await dialog.getByRole('button', { name: 'Set master password' }).click();
    await expect(dialog.getByRole('button', { name: 'Change master password' })).toBeVisible();
    await expect.poll(() => opensWith(FIRST)).toBe(true);
    // Settings and the lock screen agree: still no password asked.
    await expect(withKeychain).toBeChecked();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByText('You locked Chronokey.')).toBeVisible();
    await expect(page.getByLabel('Master password')).toHaveCount(0);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(app.row(label(A))).toBeVisible();

    // Choosing the password every time needs the current password.
    dialog = await openSettings(app);
    await withPassword.click();
    await expect(dialog.getByRole('alert')).toContainText('current master password');
    await expect(withKeychain).toBeChecked();
    await dialog.getByLabel('Current master password').fill(FIRST);
    await withPassword.click();
    await expect(withPassword).toBeChecked();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Master password').fill(FIRST);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(app.row(label(A))).toBeVisible();

    dialog = await openSettings(app);
    await dialog.getByLabel('New master password', { exact: true }).fill(SECOND);
    await dialog.getByLabel('Repeat new master password').fill(SECOND);
    await dialog.getByLabel('Current master password').fill('not the password');
    await dialog.getByRole('button', { name: 'Change master password' }).click();
    await expect(dialog.getByRole('alert')).toContainText('password');
    expect(await opensWith(FIRST)).toBe(true);
    await dialog.getByLabel('Current master password').fill(FIRST);
    await dialog.getByRole('button', { name: 'Change master password' }).click();
    await expect.poll(() => opensWith(SECOND)).toBe(true);
    expect(await opensWith(FIRST)).toBe(false);

    // Removing the password needs the keychain back first.
    await expect(dialog.getByRole('button', { name: 'Remove master password' })).toHaveCount(0);
    await dialog.getByLabel('Current master password').fill(SECOND);
    await withKeychain.click();
    await expect(withKeychain).toBeChecked();
    await dialog.getByLabel('Current master password').fill(SECOND);
    await dialog.getByRole('button', { name: 'Remove master password' }).click();
    await expect(dialog.getByRole('button', { name: 'Set master password' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByLabel('Master password')).toHaveCount(0);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(app.row(label(A))).toBeVisible();
  });

  test('the lock screen opens with the keychain, or with the master password on request', async ({
    app,
    page,
  }) => {
    await app.open({
      vault: { useKeychain: true, password: 'harbor velvet quartz meadow', locked: true },
      accounts: THREE,
    });
    await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeFocused();
    await page.getByRole('button', { name: 'Use the master password instead' }).click();
    const field = page.getByLabel('Master password');
    await expect(field).toBeFocused();
    await field.fill('harbor velvet quartz meadow');
    await page.keyboard.press('Enter');
    // Unlocking lands on the list.
    await expect(app.row(label(A))).toBeFocused();
  });
});
