import type { SeedAccount } from './bridge/seed';
import { otpauthUri, seedAccount } from './bridge/seed';
import { THREE, expect, expectedCode, grouped, label, test } from './fixtures';

const KEYCHAIN_VAULT = { vault: { useKeychain: true } } as const;

test.describe('adding, editing and removing accounts', () => {
  test('adds an account by hand, with the core checking the secret inline', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    const opener = page.getByRole('button', { name: 'Enter a key or link' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('tab', { name: 'Enter manually' }).click();
    await app.expectAccessible('add account (manual)');

    const account: SeedAccount = { ...seedAccount(20), issuer: 'Mastodon', account: 'bob' };
    await dialog.getByLabel('Issuer').fill(account.issuer);
    await dialog.getByLabel('Account name').fill(account.account);
    // "1" is not base32: the core's SECRET_INVALID sentence shows next to the field.
    await dialog.getByLabel('Secret key').fill(`${account.secret.slice(0, -1)}1`);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('which is not allowed');
    await expect(dialog).toBeVisible();

    // Spaces and lower case are fine: the core normalises the key.
    const spaced = account.secret.toLowerCase().replace(/(.{4})/g, '$1 ');
    await dialog.getByLabel('Secret key').fill(spaced);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();

    const now = await bridge.now();
    await expect(app.code(label(account))).toHaveText(grouped(expectedCode(account, now)));
    await expect(app.code(label(account))).toHaveAttribute(
      'aria-label',
      `Code ${expectedCode(account, now)}`,
    );
    const saved = await bridge.vault();
    expect(saved.accounts.map((a) => [a.issuer, a.account, a.secret])).toEqual([
      [account.issuer, account.account, account.secret],
    ]);
  });

  test('adds advanced accounts (8-digit SHA256 TOTP) through the Advanced section', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    await page.getByRole('button', { name: 'Enter a key or link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Enter manually' }).click();
    const account: SeedAccount = {
      ...seedAccount(21),
      issuer: 'Northwind Bank',
      account: 'savings',
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    };
    await dialog.getByLabel('Issuer').fill(account.issuer);
    await dialog.getByLabel('Account name').fill(account.account);
    await dialog.getByLabel('Secret key').fill(account.secret);
    await dialog.getByRole('button', { name: 'Advanced' }).click();
    await dialog.getByRole('combobox', { name: 'Algorithm' }).selectOption('SHA256');
    await dialog.getByRole('spinbutton', { name: 'Digits' }).fill('8');
    await dialog.getByRole('spinbutton', { name: 'Period (seconds)' }).fill('60');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();

    const now = await bridge.now();
    await expect(app.code(label(account))).toHaveText(grouped(expectedCode(account, now)));
    const [saved] = (await bridge.vault()).accounts;
    expect(saved).toMatchObject({ algorithm: 'SHA256', digits: 8, period: 60 });
  });

  test('adds an account from a pasted otpauth link and refuses a wrong one', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    await page.getByRole('button', { name: 'Enter a key or link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Paste a link' }).click();
    await app.expectAccessible('add account (link)');

    await dialog.getByLabel('otpauth link').fill('https://example.com/not-a-link');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('This is not an otpauth:// link');

    const account = seedAccount(2);
    await dialog.getByLabel('otpauth link').fill(otpauthUri(account));
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(app.code(label(account))).toHaveText(
      grouped(expectedCode(account, await bridge.now())),
    );
  });

  test('Escape closes the dialog and gives focus back to the button that opened it', async ({
    app,
    page,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const opener = page.getByRole('button', { name: 'Add account' }).first();
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Add account' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Add account' })).toBeHidden();
    await expect(opener).toBeFocused();
  });

  test('edits issuer, name and tags', async ({ app, page, bridge }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const first = THREE[0]!;
    await app.rowAction(label(first), 'Edit…');
    const dialog = page.getByRole('dialog', { name: 'Edit account' });
    await expect(dialog.getByLabel('Issuer')).toHaveValue(first.issuer);
    await app.expectAccessible('edit account');
    await dialog.getByLabel('Issuer').fill('GitHub Enterprise');
    await dialog.getByLabel('Account name').fill('alice-work');
    await dialog.getByLabel('Tags').fill('work, oss');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    await expect(app.row('GitHub Enterprise alice-work')).toBeVisible();
    const saved = (await bridge.vault()).accounts.find((a) => a.secret === first.secret);
    expect(saved).toMatchObject({ issuer: 'GitHub Enterprise', account: 'alice-work' });
    expect(saved?.tags).toEqual(['work', 'oss']);
  });

  test('keeps a note with the account, and an empty note removes it', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const first = THREE[0]!;
    await app.rowAction(label(first), 'Edit…');
    let dialog = page.getByRole('dialog', { name: 'Edit account' });
    await dialog.getByLabel('Note').fill('  Recovery codes in the red folder  ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const noteOf = async () =>
      (await bridge.vault()).accounts.find((a) => a.secret === first.secret)?.note;
    expect(await noteOf()).toBe('Recovery codes in the red folder');

    await app.rowAction(label(first), 'Edit…');
    dialog = page.getByRole('dialog', { name: 'Edit account' });
    await expect(dialog.getByLabel('Note')).toHaveValue('Recovery codes in the red folder');
    await dialog.getByLabel('Note').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    expect(await noteOf()).toBeUndefined();
  });

  test('deletes after confirmation and undo brings the account back in place', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const middle = THREE[1]!;
    await app.rowAction(label(middle), 'Delete…');
    const confirm = page.getByRole('alertdialog', { name: `Delete ${label(middle)}?` });
    await expect(confirm).toBeVisible();
    await app.expectAccessible('delete confirmation');

    // Cancel keeps it.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(app.row(label(middle))).toBeVisible();

    await app.rowAction(label(middle), 'Delete…');
    await page
      .getByRole('alertdialog', { name: `Delete ${label(middle)}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(app.row(label(middle))).toHaveCount(0);
    const toast = page.getByRole('status').filter({ hasText: `Deleted ${label(middle)}.` });
    await expect(toast).toBeVisible();
    expect((await bridge.vault()).accounts).toHaveLength(2);

    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(app.row(label(middle))).toBeVisible();
    const order = (await bridge.vault()).accounts.map((a) => a.secret);
    expect(order).toEqual(THREE.map((a) => a.secret));
  });

  test('HOTP accounts show their counter code and move on with "Next code"', async ({
    app,
    page,
    bridge,
  }) => {
    const hotp: SeedAccount = {
      ...seedAccount(30),
      type: 'hotp',
      issuer: 'Bitwarden',
      account: 'counter',
      counter: 5,
    };
    await app.open({ ...KEYCHAIN_VAULT, accounts: [hotp] });
    await expect(app.code(label(hotp))).toHaveText(grouped(expectedCode(hotp, 0, 5)));

    await page.getByRole('button', { name: `Next code for ${label(hotp)}` }).click();
    await expect(app.code(label(hotp))).toHaveText(grouped(expectedCode(hotp, 0, 6)));
    await page.getByRole('button', { name: `Next code for ${label(hotp)}` }).click();
    await expect(app.code(label(hotp))).toHaveText(grouped(expectedCode(hotp, 0, 7)));
    expect((await bridge.vault()).accounts[0]?.counter).toBe(7);
  });

  test('favourites are pinned on top and saved', async ({ app, page, bridge }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const last = THREE[2]!;
    const star = page.getByRole('button', { name: `Favourite ${label(last)}` });
    await expect(star).toHaveAttribute('aria-pressed', 'false');
    await star.click();
    await expect(star).toHaveAttribute('aria-pressed', 'true');
    await app.expectOrder([label(last), label(THREE[0]!), label(THREE[1]!)]);
    await expect
      .poll(async () => (await bridge.vault()).accounts.find((a) => a.secret === last.secret))
      .toMatchObject({ favourite: true });
  });

  test('switching between "Paste a link" and "Enter manually" keeps what was typed; closing asks first', async ({
    app,
    page,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByLabel('otpauth link').fill('otpauth://totp/Half:typed');
    await dialog.getByRole('tab', { name: 'Enter manually' }).click();
    await dialog.getByLabel('Issuer').fill('Typed issuer');
    await dialog.getByRole('tab', { name: 'Paste a link' }).click();
    await expect(dialog.getByLabel('otpauth link')).toHaveValue('otpauth://totp/Half:typed');
    await dialog.getByRole('tab', { name: 'Enter manually' }).click();
    await expect(dialog.getByLabel('Issuer')).toHaveValue('Typed issuer');

    // Escape with something typed asks; "Keep editing" keeps it all.
    await page.keyboard.press('Escape');
    await expect(dialog.getByText('Discard what you typed?')).toBeVisible();
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await expect(dialog.getByLabel('Issuer')).toHaveValue('Typed issuer');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect(dialog).toBeHidden();
  });

  test('a secret shorter than 80 bits is pointed out and added only on "Add anyway"', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByRole('tab', { name: 'Enter manually' }).click();
    await dialog.getByLabel('Issuer').fill('Tiny');
    await dialog.getByLabel('Secret key').fill('JBSW');
    await expect(dialog.getByText(/only 16 bits long/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Add anyway' }).click();
    await expect(dialog).toBeHidden();
    const saved = (await bridge.vault()).accounts.find((a) => a.issuer === 'Tiny');
    expect(saved?.warnings.map((w) => w.code)).toContain('SHORT_SECRET');
  });

  test('Recently deleted and Ctrl+Z bring deleted accounts back; focus moves to the next row', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const [first, second, third] = THREE as [SeedAccount, SeedAccount, SeedAccount];
    await app.row(label(first)).focus();
    await page.keyboard.press('Delete');
    await page
      .getByRole('alertdialog', { name: `Delete ${label(first)}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(app.row(label(first))).toHaveCount(0);
    // Focus went to the row that took its place, not lost.
    await expect(app.row(label(second))).toBeFocused();

    await app.rowAction(label(third), 'Delete…');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await expect(app.row(label(third))).toHaveCount(0);

    // The deletion toast's Undo shows above a dialog opened meanwhile, and works there.
    await page.keyboard.press('Control+,');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await settings
      .locator('.toast')
      .filter({ hasText: `Deleted ${label(third)}.` })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect(app.row(label(third))).toBeVisible();
    await settings.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: /^Recently deleted \(1\)/ }).click();
    const deleted = page.getByRole('dialog', { name: 'Recently deleted' });
    await deleted.getByRole('button', { name: `Restore ${label(first)}` }).click();
    await expect(deleted.getByText('Nothing was deleted recently.')).toBeVisible();
    await deleted.getByRole('button', { name: 'Close' }).click();
    await expect(app.row(label(first))).toBeVisible();

    await app.row(label(second)).focus();
    await page.keyboard.press('Delete');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await expect(app.row(label(second))).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(app.row(label(second))).toBeVisible();
    expect((await bridge.vault()).accounts).toHaveLength(3);
  });
});
