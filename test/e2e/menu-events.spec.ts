import { THREE, expect, test } from './fixtures';

/** Main's native menu items (Find, Add Account, Settings) reach the window as contract events. */
test.describe('menu commands from main', () => {
  test('Find focuses search, Add Account and Settings open their dialogs', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await expect(page.getByRole('list', { name: 'Accounts' })).toBeVisible();
    await expect.poll(() => bridge.listeners()).toBeGreaterThan(0);

    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await bridge.emit('ui.focusSearch', {});
    await expect(page.getByRole('searchbox', { name: 'Search accounts' })).toBeFocused();

    await bridge.emit('ui.addAccount', {});
    await expect(page.getByRole('dialog', { name: 'Add account' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Add account' })).toBeHidden();

    await bridge.emit('ui.openSettings', {});
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  });
});
