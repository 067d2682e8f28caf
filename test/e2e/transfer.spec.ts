import jsQR from 'jsqr';
import protobuf from 'protobufjs';
import sharp from 'sharp';
import type { Locator } from '@playwright/test';
import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import type { App } from './fixtures';
import { THREE, expect, label, test, screenshotPath } from './fixtures';

/**
 * Transfer to a phone: the QR codes are read back from the screen (a screenshot of the shown
 * image, decoded with jsQR) and their payload decoded with a schema written here from the
 * otpauth-migration format's public description, independent of the app's own encoder.
 */

const MIGRATION_PROTO = `
syntax = "proto3";
message MigrationPayload {
  enum Algorithm { ALGORITHM_UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
  enum DigitCount { DIGIT_COUNT_UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }
  enum OtpType { OTP_TYPE_UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
  message OtpParameters {
    bytes secret = 1;
    string name = 2;
    string issuer = 3;
    Algorithm algorithm = 4;
    DigitCount digits = 5;
    OtpType type = 6;
    int64 counter = 7;
  }
  repeated OtpParameters otp_parameters = 1;
  int32 version = 2;
  int32 batch_size = 3;
  int32 batch_index = 4;
  int32 batch_id = 5;
}`;
const Payload = protobuf.parse(MIGRATION_PROTO).root.lookupType('MigrationPayload');

interface DecodedPayload {
  otpParameters: Array<{
    secret: Uint8Array;
    name: string;
    issuer: string;
    algorithm: number;
    digits: number;
    type: number;
  }>;
  batchSize: number;
  batchIndex: number;
  batchId: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) out += BASE32[parseInt(bits.slice(i, i + 5), 2)];
  if (bits.length % 5 !== 0)
    out += BASE32[parseInt(bits.slice(bits.length - (bits.length % 5)).padEnd(5, '0'), 2)];
  return out;
}

/** Photographs the QR image as shown and reads it like a phone's camera would. */
async function readQr(image: Locator): Promise<string> {
  await expect(image).toBeVisible();
  await expect
    .poll(() => image.evaluate((element) => (element as unknown as { complete: boolean }).complete))
    .toBe(true);
  const png = await image.screenshot({ animations: 'disabled' });
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const found = jsQR(new Uint8ClampedArray(data), info.width, info.height);
  expect(found, 'a readable QR code on screen').not.toBeNull();
  return found!.data;
}

function decodeMigration(uri: string): DecodedPayload {
  const url = new URL(uri);
  expect(url.protocol).toBe('otpauth-migration:');
  const data = url.searchParams.get('data');
  expect(data).toBeTruthy();
  const message = Payload.decode(Buffer.from(data!, 'base64'));
  return Payload.toObject(message, { defaults: true }) as unknown as DecodedPayload;
}

/** Opens "Transfer to a phone" from the Backup and transfer dialog. */
async function openTransfer(app: App) {
  await app.page.getByRole('button', { name: 'Backup and transfer' }).click();
  await app.page
    .getByRole('dialog', { name: 'Backup and transfer' })
    .getByRole('button', { name: 'Transfer to a phone' })
    .click();
  const confirm = app.page.getByRole('alertdialog', { name: 'Transfer to a phone' });
  await expect(confirm).toBeVisible();
  return confirm;
}

const THIRTEEN: SeedAccount[] = [
  ...THREE,
  ...Array.from({ length: 10 }, (_, i) => seedAccount(30 + i)),
];

test.describe('transfer to a phone', () => {
  test('Google Authenticator codes: confirmation first, batches of 10, every account round-trips', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THIRTEEN });
    const confirm = await openTransfer(app);
    await expect(confirm).toContainText('Anyone who sees these codes can copy your accounts');
    // Nothing secret is on screen before the user says so.
    await expect(page.locator('img.qr-image')).toHaveCount(0);
    expect((await bridge.backupPorts()).protected).toBe(false);
    await app.expectAccessible('transfer confirmation');
    // Keyboard only: the safe choice has focus first; Tab, then Enter shows the codes.
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(confirm.getByRole('button', { name: 'Show codes' })).toBeFocused();
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Transfer to a phone' });
    await expect(dialog.getByText('Code 1 of 2')).toBeVisible();
    // While codes show, main was asked to keep the window out of screen captures.
    expect((await bridge.backupPorts()).protected).toBe(true);
    await app.expectAccessible('transfer QR codes');

    const first = decodeMigration(
      await readQr(dialog.getByRole('img', { name: 'Transfer QR code 1 of 2' })),
    );
    await dialog.getByRole('button', { name: 'Next code' }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog.getByText('Code 2 of 2')).toBeVisible();
    const second = decodeMigration(
      await readQr(dialog.getByRole('img', { name: 'Transfer QR code 2 of 2' })),
    );
    await dialog.getByRole('button', { name: 'Previous code' }).click();
    await expect(dialog.getByText('Code 1 of 2')).toBeVisible();

    expect([first.batchSize, first.batchIndex, second.batchSize, second.batchIndex]).toEqual([
      2, 0, 2, 1,
    ]);
    expect(first.batchId).toBe(second.batchId);
    expect(first.otpParameters).toHaveLength(10);
    expect(second.otpParameters).toHaveLength(3);
    const carried = [...first.otpParameters, ...second.otpParameters].map((otp) => ({
      issuer: otp.issuer,
      name: otp.name,
      secret: base32(otp.secret),
      algorithm: otp.algorithm,
      digits: otp.digits,
      type: otp.type,
    }));
    expect(carried).toEqual(
      THIRTEEN.map((account) => ({
        issuer: account.issuer,
        // Google's exports name an account "Issuer:name" or just "name"; both are fine here.
        name: expect.stringMatching(
          new RegExp(`(^|:)${account.account.replace(/[.@]/g, '\\$&')}$`),
        ),
        secret: account.secret,
        algorithm: 1, // SHA1
        digits: 1, // six
        type: 2, // TOTP
      })),
    );

    // Leaving the window hides the codes and lifts the capture protection.
    await page.evaluate("window.dispatchEvent(new Event('blur'))");
    await expect(page.locator('img.qr-image')).toHaveCount(0);
    const again = page.getByRole('alertdialog', { name: 'Transfer to a phone' });
    await expect(again.locator('.notice[role="status"]')).toContainText('hidden');
    await expect.poll(async () => (await bridge.backupPorts()).protected).toBe(false);
    await page.keyboard.press('Escape');
    await expect(again).toBeHidden();
  });

  test('one account’s own QR code from its row, hidden when the vault locks', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const account = THREE[1]!;
    await app.row(label(account)).hover();
    await app.rowAction(label(account), 'Show QR code…');
    const confirm = page.getByRole('alertdialog', { name: `QR code for ${label(account)}` });
    await expect(confirm).toContainText('Anyone who sees these codes can copy your accounts');
    // Main asks again in a dialog of its own; a "no" there shows nothing.
    await bridge.willConfirm(false);
    await confirm.getByRole('button', { name: 'Show QR code' }).click();
    await expect.poll(async () => (await bridge.backupPorts()).confirmsAsked).toHaveLength(1);
    await expect(page.locator('img.qr-image')).toHaveCount(0);
    await expect(confirm.getByRole('button', { name: 'Show QR code' })).toBeEnabled();
    await bridge.willConfirm(true);
    await confirm.getByRole('button', { name: 'Show QR code' }).click();
    expect((await bridge.backupPorts()).confirmsAsked.at(-1)).toContain(account.issuer);

    const dialog = page.getByRole('dialog', { name: `QR code for ${label(account)}` });
    const uri = new URL(
      await readQr(dialog.getByRole('img', { name: `QR code for ${label(account)}` })),
    );
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/${account.issuer}:${account.account}`);
    expect(uri.searchParams.get('secret')).toBe(account.secret);
    expect(uri.searchParams.get('issuer')).toBe(account.issuer);
    expect((await bridge.backupPorts()).protected).toBe(true);

    // Main locks the vault (idle, suspend, the menu): the code is gone with the vault.
    await bridge.power('lock-screen');
    await expect(page.getByRole('heading', { name: 'Chronokey is locked' })).toBeVisible();
    await expect(page.locator('img.qr-image')).toHaveCount(0);
    await expect.poll(async () => (await bridge.backupPorts()).protected).toBe(false);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`transfer QR screen (${scheme}): screenshot written`, async ({ app, page }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await app.open({ vault: { useKeychain: true }, accounts: THIRTEEN });
      const confirm = await openTransfer(app);
      await confirm.getByRole('button', { name: 'Show codes' }).click();
      const dialog = page.getByRole('dialog', { name: 'Transfer to a phone' });
      await readQr(dialog.getByRole('img', { name: 'Transfer QR code 1 of 2' }));
      await app.expectAccessible(`transfer QR (${scheme})`);
      await page.screenshot({
        path: screenshotPath(`transfer-qr-${scheme}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    });
  }
});
