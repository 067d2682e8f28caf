import { THREE, expect, expectedCode, label, test } from './fixtures';

/** What the focused element is called, and whether its focus can be seen. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring =
    (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
    style.boxShadow !== 'none';
  const labelled = el.getAttribute('aria-labelledby');
  const name =
    el.getAttribute('aria-label') ||
    (labelled && document.getElementById(labelled)?.textContent) ||
    (el.id && document.querySelector('label[for="' + el.id + '"]')?.textContent) ||
    el.textContent;
  return { name: (name || '').trim().replace(/\\s+/g, ' '), ring };
})()`;

test.describe('keyboard', () => {
  test('Tab reaches every main-screen control, each with a visible focus ring', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await expect(app.row(label(THREE[0]!))).toBeVisible();
    const seen: Array<{ name: string; ring: boolean }> = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ name: string; ring: boolean } | null>(FOCUSED);
      if (focused) seen.push(focused);
    }
    const names = seen.map((entry) => entry.name);
    const first = label(THREE[0]!);
    for (const expected of [
      'Search accounts',
      'Add account',
      'Lock',
      'Settings',
      'Filter by tag',
      'Sort by',
      first,
      `Favourite ${first}`,
      `More actions for ${first}`,
    ]) {
      expect(
        names.some((name) => name.startsWith(expected)),
        `Tab reaches "${expected}"`,
      ).toBe(true);
    }
    const unringed = seen.filter((entry) => !entry.ring).map((entry) => entry.name);
    expect(unringed, 'focused elements without a visible focus ring').toEqual([]);
  });

  test('add an account and copy its code without touching the mouse', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true } });
    await page.getByRole('button', { name: 'Enter a key or link' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await expect(dialog).toBeVisible();
    // The focus starts inside the dialog; the link field is the first thing to type into.
    await expect(dialog.getByLabel('otpauth link')).toBeFocused();
    const account = THREE[2]!;
    const uri = `otpauth://totp/${encodeURIComponent(account.issuer)}:${encodeURIComponent(account.account)}?secret=${account.secret}&issuer=${encodeURIComponent(account.issuer)}`;
    await page.keyboard.insertText(uri);
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    await page.keyboard.press('Control+f');
    await page.keyboard.type('northwind');
    await page.keyboard.press('Tab');
    // Tab from the search box lands on controls before or at the row; walk to the row.
    for (let i = 0; i < 10; i++) {
      if (
        (await page.evaluate<string | null>('document.activeElement?.getAttribute("role")')) ===
        'listitem'
      )
        break;
      await page.keyboard.press('Tab');
    }
    await expect(app.row(label(account))).toBeFocused();
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await bridge.clipboard()).text)
      .toBe(expectedCode(account, await bridge.now()));
  });

  test('respects reduced motion: dialogs appear without animation', async ({ app, page }) => {
    const animation = `(() => {
      const dialog = document.querySelector('[role="dialog"], dialog[open]');
      return dialog ? getComputedStyle(dialog).animationName : null;
    })()`;
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    expect(await page.evaluate<string | null>(animation)).not.toBe('none');
    await page.keyboard.press('Escape');

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    expect(await page.evaluate<string | null>(animation)).toBe('none');
  });

  test('the row menu opens from the keyboard, moves with arrows and returns focus', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const row = app.row(label(THREE[0]!));
    // Unlocking (opening) lands on the list.
    await expect(row).toBeFocused();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: `Actions for ${label(THREE[0]!)}` });
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem', { name: 'Copy code' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(row).toBeFocused();

    await page.keyboard.press('ContextMenu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Edit…' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Edit account' })).toBeVisible();
    await page.keyboard.press('Escape');

    // Ctrl+C on a focused row copies its code.
    await app.row(label(THREE[1]!)).focus();
    await page.keyboard.press('Control+c');
    await expect
      .poll(async () => (await bridge.clipboard()).text)
      .toBe(expectedCode(THREE[1]!, await bridge.now()));
  });

  test('a right-click opens the same menu at the pointer', async ({ app, page }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await app.row(label(THREE[2]!)).click({ button: 'right' });
    const menu = page.getByRole('menu');
    await expect(menu.getByRole('menuitem')).toHaveText([
      /Copy code/,
      /Copy next code/,
      /Pin to the top/,
      /Edit…/,
      /Show QR code…/,
      /Move up/,
      /Move down/,
      /Delete…/,
    ]);
    await app.expectAccessible('row menu');
    await page.mouse.click(5, 5);
    await expect(menu).toBeHidden();
  });
});
