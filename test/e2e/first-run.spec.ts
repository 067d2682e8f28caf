import { expect, test } from './fixtures';

test.describe('first run', () => {
  test('creates a keychain vault by default and shows how to add a first account', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: null });
    await expect(page.getByRole('heading', { name: 'Welcome to Chronokey' })).toBeVisible();
    const keychain = page.getByRole('radio', { name: 'Unlock with the system keychain' });
    await expect(keychain).toBeChecked();
    await expect(keychain).toBeEnabled();
    await app.expectAccessible('first run');

    await page.getByRole('button', { name: 'Create vault' }).click();

    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add account' }).first()).toBeVisible();
    // The vault file exists and opens with the real keychain alone.
    const content = await bridge.vault();
    expect(content.accounts).toEqual([]);
  });

  test('creates a password vault when the user picks a master password', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: null });
    await page.getByRole('radio', { name: 'Unlock with a master password' }).check();
    await page.getByLabel('Master password', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Repeat master password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create vault' }).click();

    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    // The password opens the file on its own (the vault has a password slot).
    const content = await bridge.vault('correct horse battery');
    expect(content.settings.clipboardClearSeconds).toBe(30);
  });

  test('asks again when the two passwords differ', async ({ app, page }) => {
    await app.open({ vault: null });
    await page.getByRole('radio', { name: 'Unlock with a master password' }).check();
    await page.getByLabel('Master password', { exact: true }).fill('one password');
    await page.getByLabel('Repeat master password').fill('another password');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByRole('alert')).toContainText(/not the same|do not match/i);
    await expect(page.getByRole('heading', { name: 'Welcome to Chronokey' })).toBeVisible();
  });

  test('requires a password and says why when there is no system keychain', async ({
    app,
    page,
  }) => {
    await app.open({ vault: null, keychainAvailable: false });
    await expect(
      page.getByRole('radio', { name: 'Unlock with the system keychain' }),
    ).toBeDisabled();
    await expect(page.getByText(/No system keychain was found/)).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Unlock with a master password' })).toBeChecked();
    await app.expectAccessible('first run without keychain');

    await page.getByLabel('Master password', { exact: true }).fill('only a password');
    await page.getByLabel('Repeat master password').fill('only a password');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  });
});
