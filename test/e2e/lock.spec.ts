import { THREE, expect, label, test } from './fixtures';

const PASSWORD = 'a long enough master password';

test.describe('lock and unlock', () => {
  test('a wrong password gets a clear message; the right one opens the vault', async ({
    app,
    page,
  }) => {
    await app.open({
      vault: { useKeychain: false, password: PASSWORD, locked: true },
      accounts: THREE,
    });
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
    await app.expectAccessible('unlock');

    const field = page.getByLabel('Master password');
    await field.fill('not the password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText(/password/i);
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();

    await field.fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.row(label(THREE[0]!))).toBeVisible();
  });

  test('the Lock button and Ctrl+L lock; a keychain vault unlocks with one button', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await expect(app.row(label(THREE[0]!))).toBeVisible();

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
    await expect(page.getByLabel('Master password')).toHaveCount(0);
    await expect(page.getByText(THREE[0]!.issuer)).toHaveCount(0);

    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.row(label(THREE[0]!))).toBeVisible();

    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
  });

  test('locks when the system suspends or its screen locks', async ({ app, page, bridge }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await expect(app.row(label(THREE[0]!))).toBeVisible();
    await expect.poll(() => bridge.listeners()).toBeGreaterThan(0);
    await bridge.power('suspend');
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
    expect((await bridge.calls()).map((call) => call.channel)).not.toContain('vault.lock');

    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.row(label(THREE[0]!))).toBeVisible();
    await bridge.power('lock-screen');
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
  });
});
