import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { SeedAccount } from './bridge/seed';
import { otpauthUri, seedAccount } from './bridge/seed';
import type { App } from './fixtures';
import { THREE, expect, expectedCode, grouped, label, test, screenshotPath } from './fixtures';
import {
  base64,
  encryptedAegisVault,
  migrationLink,
  qrPng,
  screenshotWithQr,
  secretOf,
} from './import/make-inputs';

/**
 * The import flow in the browser, through the bridge with the real core: links pasted in text,
 * QR code pictures opened (the test plays the open-file dialog), dropped and pasted, the screen
 * scanned (the test plays the displays), a Google Authenticator export over two QR codes, and an
 * encrypted Aegis backup opened with a wrong and then the right password.
 */

const KEYCHAIN_VAULT = { vault: { useKeychain: true } } as const;

interface PageFile {
  name: string;
  type: string;
  base64: string;
}

/** Builds, in the page, a DataTransfer holding these files (runs in the browser, hence a string). */
const transferScript = (files: PageFile[]): string => `(() => {
  const data = new DataTransfer();
  for (const file of ${JSON.stringify(files)}) {
    const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
    data.items.add(new File([bytes], file.name, { type: file.type }));
  }
  return data;
})()`;

/** Drags files over the window and drops them, as the system does with files from a folder. */
async function dropFiles(page: Page, files: PageFile[], whileDragging?: () => Promise<void>) {
  const transfer = await page.evaluateHandle(transferScript(files));
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await whileDragging?.();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
}

/** Ctrl/Cmd+V with a picture on the clipboard: a paste event carrying the file. */
async function pasteFiles(page: Page, files: PageFile[]) {
  await page.evaluate(`(() => {
    const clipboardData = ${transferScript(files)};
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
    );
  })()`);
}

function importDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Import accounts' });
}

function found(page: Page) {
  return importDialog(page).getByRole('list', { name: 'Accounts found' });
}

/** The preview's account rows (each has its checkbox; a row's notes are a list of their own). */
function rows(page: Page) {
  return found(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('checkbox') });
}

/** Commits the preview and checks the toast, the list and the vault file. */
async function importAndCheck(app: App, accounts: SeedAccount[], alreadyThere = 0) {
  const { page, bridge } = app;
  const dialog = importDialog(page);
  const n = accounts.length;
  await dialog
    .getByRole('button', { name: `Import ${n} ${n === 1 ? 'account' : 'accounts'}` })
    .click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: /^Imported/ })).toContainText(
    n === 1 ? `Imported ${label(accounts[0]!)}.` : `Imported ${n} accounts.`,
  );
  const now = await bridge.now();
  for (const account of accounts) {
    await expect(app.code(label(account))).toHaveText(grouped(expectedCode(account, now)));
  }
  const saved = await bridge.vault();
  expect(saved.accounts).toHaveLength(alreadyThere + n);
  for (const account of accounts) {
    expect(saved.accounts).toContainEqual(
      expect.objectContaining({
        issuer: account.issuer,
        account: account.account,
        secret: account.secret,
        type: account.type,
      }),
    );
  }
}

test.describe('importing accounts', () => {
  test('several links pasted with text around them: preview, a duplicate left out, one write', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const fresh = [
      { ...seedAccount(30), issuer: 'Deploy Co', account: 'ops@example.com' },
      { ...seedAccount(31), issuer: 'Mail Host', account: 'me@example.com' },
    ];
    const text = [
      'Recovery notes from the old laptop:',
      `  work: ${otpauthUri(fresh[0]!)} (added 2019)`,
      `mail -> ${otpauthUri(fresh[1]!)}`,
      `and this one again: ${otpauthUri(THREE[0]!)}.`,
    ].join('\n');

    await page.getByRole('button', { name: 'Add account' }).click();
    const add = page.getByRole('dialog', { name: 'Add account' });
    await add.getByLabel('otpauth link').fill(text);
    await add.getByRole('button', { name: 'Add', exact: true }).click();

    const dialog = importDialog(page);
    await expect(rows(page)).toHaveCount(3);
    await expect(
      dialog.getByRole('checkbox', { name: `Import ${label(fresh[0]!)}` }),
    ).toBeChecked();
    await expect(
      dialog.getByRole('checkbox', { name: `Import ${label(fresh[1]!)}` }),
    ).toBeChecked();
    const twin = dialog.getByRole('checkbox', { name: `Import ${label(THREE[0]!)}` });
    await expect(twin).not.toBeChecked();
    await expect(
      rows(page).filter({
        has: page.getByRole('checkbox', { name: `Import ${label(THREE[0]!)}` }),
      }),
    ).toContainText('Already added');
    await expect(found(page)).toContainText('TOTP · SHA1 · 6 digits · every 30 s');
    await app.expectAccessible('import preview (pasted links)');

    // Select all, then leave the duplicate out again with the keyboard.
    await dialog.getByRole('checkbox', { name: 'Select all' }).check();
    await expect(dialog.getByRole('button', { name: 'Import 3 accounts' })).toBeVisible();
    await twin.focus();
    await page.keyboard.press('Space');
    await expect(twin).not.toBeChecked();
    await importAndCheck(app, fresh, THREE.length);
    expect((await bridge.calls()).filter((call) => call.channel === 'import.commit')).toHaveLength(
      1,
    );
  });

  test('open files: the picked picture is read, a picture without a code is named', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    const account = { ...seedAccount(32), issuer: 'Photo Share', account: 'sam' };
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = importDialog(page);
    await app.expectAccessible('import (sources)');

    // The user cancels the dialog first: nothing changes.
    await bridge.willPickFiles(null);
    await dialog.getByRole('button', { name: 'Open files…' }).click();
    await expect(dialog.getByRole('button', { name: 'Open files…' })).toBeEnabled();
    await expect(dialog.getByRole('list', { name: 'Accounts found' })).toHaveCount(0);

    const blank = await blankPicture();
    await bridge.willPickFiles([
      { name: 'qr-code.png', base64: base64(await qrPng(otpauthUri(account))) },
      { name: 'holiday.png', base64: base64(blank) },
    ]);
    await dialog.getByRole('button', { name: 'Open files…' }).click();
    await expect(rows(page)).toHaveCount(1);
    await expect(dialog.getByRole('checkbox', { name: `Import ${label(account)}` })).toBeChecked();
    await expect(dialog.getByText(/holiday\.png/)).toBeVisible();
    expect((await bridge.importPorts()).dialogShown).toBe(2);
    await importAndCheck(app, [account]);
  });

  test('a picture dropped on the window opens the import with its accounts', async ({
    app,
    page,
  }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const account = { ...seedAccount(33), issuer: 'Dropped Inc', account: 'dee' };
    await expect(app.accountList()).toBeVisible();
    const png = await qrPng(otpauthUri(account), { dark: true, scale: 4 });
    await dropFiles(page, [{ name: 'dark-mode.png', type: 'image/png', base64: base64(png) }], () =>
      expect(page.getByText('Drop to import')).toBeVisible(),
    );
    await expect(page.getByText('Drop to import')).toBeHidden();
    await expect(rows(page)).toHaveCount(1);
    await expect(
      importDialog(page).getByRole('checkbox', { name: `Import ${label(account)}` }),
    ).toBeChecked();
    await importAndCheck(app, [account], THREE.length);
  });

  test('pasted pictures (Ctrl+V) on the main screen and in the dialog add to one preview', async ({
    app,
    page,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    const first = { ...seedAccount(34), issuer: 'Clip One', account: 'a' };
    const second = { ...seedAccount(35), issuer: 'Clip Two', account: 'b' };
    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    await pasteFiles(page, [
      { name: 'image.png', type: 'image/png', base64: base64(await qrPng(otpauthUri(first))) },
    ]);
    await expect(rows(page)).toHaveCount(1);
    const jpeg = await toJpeg(await qrPng(otpauthUri(second), { scale: 8 }));
    await pasteFiles(page, [{ name: 'image.jpg', type: 'image/jpeg', base64: base64(jpeg) }]);
    await expect(rows(page)).toHaveCount(2);
    // Two sources: each row says where it came from, as the user would call it.
    await expect(found(page)).toContainText('from Pasted image.png');
    await expect(found(page)).toContainText('from Pasted image.jpg');
    await importAndCheck(app, [first, second]);
  });

  test('scan screen reads the QR code the displays show', async ({ app, page, bridge }) => {
    await app.open({ ...KEYCHAIN_VAULT, accounts: THREE });
    const account = { ...seedAccount(36), issuer: 'Screen Co', account: 'viewer' };
    await bridge.showOnScreen([
      { name: 'Display 1', base64: base64(await screenshotWithQr(otpauthUri(account))) },
    ]);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page
      .getByRole('dialog', { name: 'Add account' })
      .getByRole('button', { name: 'Import from a picture, the screen or another app' })
      .click();
    await importDialog(page).getByRole('button', { name: 'Scan screen' }).click();
    await expect(rows(page)).toHaveCount(1);
    expect((await bridge.importPorts()).captures).toBe(1);
    await importAndCheck(app, [account], THREE.length);
  });

  test('a Google Authenticator export over two QR codes: "1 of 2", then complete', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open(KEYCHAIN_VAULT);
    const secrets = [0, 1, 2].map((index) =>
      Uint8Array.from({ length: 20 }, (_, i) => (index * 37 + i * 11 + 5) % 256),
    );
    const people = ['ana@example.com', 'ben@example.com', 'cy@example.com'];
    const issuers = ['Alpha Cloud', 'Beta Bank', 'Gamma Games'];
    const accounts: SeedAccount[] = secrets.map((secret, index) => ({
      ...seedAccount(40 + index),
      issuer: issuers[index]!,
      account: people[index]!,
      secret: secretOf(secret),
    }));
    const parts = [
      migrationLink(
        [0, 1].map((i) => ({
          secret: secrets[i]!,
          name: people[i]!,
          issuer: issuers[i]!,
          type: 'totp' as const,
        })),
        { index: 0, size: 2, id: 424242 },
      ),
      migrationLink(
        [{ secret: secrets[2]!, name: people[2]!, issuer: issuers[2]!, type: 'totp' }],
        {
          index: 1,
          size: 2,
          id: 424242,
        },
      ),
    ];
    await bridge.willPickFiles([
      { name: 'transfer-1.png', base64: base64(await qrPng(parts[0]!)) },
    ]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = importDialog(page);
    await dialog.getByRole('button', { name: 'Open files…' }).click();
    await expect(dialog.getByText('1 of 2 codes scanned')).toBeVisible();

    await bridge.willPickFiles([
      { name: 'transfer-2.png', base64: base64(await qrPng(parts[1]!)) },
    ]);
    await dialog.getByRole('button', { name: 'Open files…' }).click();
    await expect(dialog.getByText('2 of 2 codes scanned')).toBeVisible();
    await expect(rows(page)).toHaveCount(3);
    // Google's export carries no period: every row says it was filled in.
    await expect(found(page).getByText('Filled in')).toHaveCount(3);
    await importAndCheck(app, accounts);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`an encrypted Aegis backup: wrong password, then the right one (${scheme})`, async ({
      app,
      page,
      bridge,
    }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await app.open({ ...KEYCHAIN_VAULT, accounts: [THREE[0]!] });
      const accounts: SeedAccount[] = [
        { ...seedAccount(50), issuer: 'Vault Works', account: 'kim@example.com' },
        {
          ...seedAccount(51),
          issuer: 'Orbit Mail',
          account: 'kim',
          algorithm: 'SHA256',
          digits: 8,
        },
        { ...seedAccount(52), issuer: 'Quiet Bank', account: 'kim.k', period: 60 },
        { ...THREE[0]! },
      ];
      const vault = encryptedAegisVault('correct horse battery', accounts);
      await bridge.willPickFiles([
        { name: 'aegis-backup.json', base64: base64(Buffer.from(vault)) },
      ]);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const dialog = importDialog(page);
      await dialog.getByRole('button', { name: 'Open files…' }).click();

      const password = dialog.getByLabel('Password for aegis-backup.json');
      await password.fill('tr0ub4dor');
      await password.press('Enter');
      await expect(dialog.getByRole('alert')).toContainText(/password/i);
      await expect(dialog.getByRole('list', { name: 'Accounts found' })).toHaveCount(0);
      expect((await bridge.vault()).accounts).toHaveLength(1);

      await password.fill('correct horse battery');
      await password.press('Enter');
      await expect(rows(page)).toHaveCount(4);
      await expect(password).toBeHidden();
      await expect(
        dialog.getByRole('checkbox', { name: `Import ${label(THREE[0]!)}` }),
      ).not.toBeChecked();
      await expect(found(page)).toContainText('TOTP · SHA256 · 8 digits · every 30 s');
      await expect(found(page)).toContainText('every 60 s');
      await app.expectAccessible(`import preview (${scheme})`);
      await page.screenshot({
        path: screenshotPath(`import-preview-${scheme}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
      await importAndCheck(app, accounts.slice(0, 3), 1);
    });
  }

  test('Cancel leaves the vault as it was', async ({ app, page, bridge }) => {
    await app.open(KEYCHAIN_VAULT);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = importDialog(page);
    await dialog.getByLabel('Text or links').fill(otpauthUri(seedAccount(60)));
    await dialog.getByRole('button', { name: 'Find accounts' }).click();
    await expect(rows(page)).toHaveCount(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    expect((await bridge.vault()).accounts).toHaveLength(0);
    await expect
      .poll(async () => (await bridge.calls()).some((call) => call.channel === 'import.cancel'))
      .toBe(true);
  });
});

function blankPicture(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#7aa7d9' } })
    .png()
    .toBuffer();
}

function toJpeg(png: Buffer): Promise<Buffer> {
  return sharp(png).jpeg({ quality: 80 }).toBuffer();
}
