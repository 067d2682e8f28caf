import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAccounts } from './backup-fixtures';
import { freshApp } from './backup-app';

const PASSWORD = 'restore me';
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'chronokey-restore-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('backup.export', () => {
  it('the save dialog cancelled writes nothing; a plain list needs no password', async () => {
    const app = await freshApp(root, 'source', sampleAccounts(3));
    app.willSaveTo(null);
    expect(await app.call('backup.export', { format: 'chronokey', password: PASSWORD })).toBeNull();
    await expect(app.call('backup.export', { format: 'aegis' })).rejects.toMatchObject({
      code: 'BACKUP_PASSWORD_REQUIRED',
    });
    app.willSaveTo(join(root, 'list.txt'));
    expect((await app.call('backup.export', { format: 'otpauth' }))?.verified).toBe(true);
  });
});

describe('transfer to a phone', () => {
  it('Google Authenticator QR codes hold at most 10 accounts each, say "k of n", and skip what cannot travel', async () => {
    const accounts = sampleAccounts(45);
    const app = await freshApp(root, 'source', accounts);
    const { codes, skipped } = await app.call('transfer.migrationQrs', {});
    const fits = accounts.filter(
      (a) =>
        a.type !== 'steam' && [6, 8].includes(a.digits) && (a.type === 'hotp' || a.period === 30),
    );
    expect(skipped).toHaveLength(accounts.length - fits.length);
    expect(codes).toHaveLength(Math.ceil(fits.length / 10));
    codes.forEach((code, index) => {
      expect(code).toMatchObject({ index: index + 1, total: codes.length });
      expect(code.svg).toMatch(/^<svg/);
    });
  });

  it("one account's own QR comes as a picture only, after main's own dialog said yes", async () => {
    const accounts = sampleAccounts(2);
    const app = await freshApp(root, 'source', accounts);
    const qr = await app.call('transfer.accountQr', { id: accounts[1]!.id });
    // The link (with its secret) never reaches the window: only the SVG.
    expect(Object.keys(qr)).toEqual(['svg']);
    expect(JSON.stringify(qr)).not.toContain(accounts[1]!.secret);
    expect(qr.svg).toMatch(/^<svg/);
    expect(app.asked).toHaveLength(1);
    await expect(app.call('transfer.accountQr', { id: 'nope' })).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });

  it("makes no QR code when the person says no in main's dialog", async () => {
    const accounts = sampleAccounts(3);
    const app = await freshApp(root, 'source', accounts);
    app.willConfirm(false);
    await expect(app.call('transfer.migrationQrs', {})).rejects.toMatchObject({
      code: 'TRANSFER_NOT_CONFIRMED',
    });
    await expect(app.call('transfer.accountQr', { id: accounts[0]!.id })).rejects.toMatchObject({
      code: 'TRANSFER_NOT_CONFIRMED',
    });
    expect(app.asked).toHaveLength(2);
  });
});
