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
    await expect(page.getByRole('button', { name: 'Scan a QR code on screen' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Import from another app' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Enter a key or link' })).toBeVisible();
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
    await page.getByLabel('Master password', { exact: true }).fill('harbor velvet quartz meadow');
    await page.getByLabel('Repeat master password').fill('harbor velvet quartz meadow');
    await page.getByRole('button', { name: 'Create vault' }).click();

    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    // The password opens the file on its own (the vault has a password slot).
    const content = await bridge.vault('harbor velvet quartz meadow');
    expect(content.settings.clipboardClearSeconds).toBe(30);
  });

  test('asks again when the two passwords differ', async ({ app, page }) => {
    await app.open({ vault: null });
    await page.getByRole('radio', { name: 'Unlock with a master password' }).check();
    await page.getByLabel('Master password', { exact: true }).fill('harbor velvet quartz meadow');
    await page.getByLabel('Repeat master password').fill('harbor velvet quartz meadows');
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

    await page.getByLabel('Master password', { exact: true }).fill('plum tangerine ferry lantern');
    await page.getByLabel('Repeat master password').fill('plum tangerine ferry lantern');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  });

  test('refuses a master password that is easy to guess, with the strength meter saying so', async ({
    app,
    page,
  }) => {
    await app.open({ vault: null });
    await page.getByRole('radio', { name: 'Unlock with a master password' }).check();
    for (const weak of ['abc', '1', 'password1']) {
      await page.getByLabel('Master password', { exact: true }).fill(weak);
      await page.getByLabel('Repeat master password').fill(weak);
      await expect(page.getByRole('meter', { name: 'Password strength' })).toHaveAttribute(
        'aria-valuetext',
        /weak/i,
      );
      await page.getByRole('button', { name: 'Create vault' }).click();
      await expect(page.getByRole('alert')).toContainText(/too easy to guess/);
    }
    await expect(page.getByRole('heading', { name: 'Welcome to Chronokey' })).toBeVisible();
  });

  test('the password field shows what was typed on request, and says when Caps Lock is on', async ({
    app,
    page,
  }) => {
    await app.open({ vault: null });
    await page.getByRole('radio', { name: 'Unlock with a master password' }).check();
    const field = page.getByLabel('Master password', { exact: true });
    await field.fill('harbor velvet');
    await expect(field).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Show password' }).first().click();
    await expect(field).toHaveAttribute('type', 'text');
    // A key typed with Caps Lock on (as the system reports it on the key event).
    await field.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true, bubbles: true });
    await expect(page.getByText('Caps Lock is on.')).toBeVisible();
    await field.dispatchEvent('keydown', { key: 'a', modifierCapsLock: false, bubbles: true });
    await expect(page.getByText('Caps Lock is on.')).toBeHidden();
  });
});
