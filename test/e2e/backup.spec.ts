import { argon2Sync, createDecipheriv, createHash, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as kdbxweb from 'kdbxweb';
import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import type { BridgeControl } from './bridge/control';
import { TOKEN_HEADER } from './bridge/server';
import type { App } from './fixtures';
import { THREE, expect, expectedCode, grouped, label, screenshotPath, test } from './fixtures';

/**
 * Backups in the browser, against the real core: export with verification (the file is then
 * decrypted here by a reader written from docs/backup-format.md, not the app's), restore with
 * merge and with replace, a wrong password, automatic backups rotating, and Aegis's format.
 * Each test proves one thing, so that each stays well inside its time budget on a busy machine;
 * what a test only needs as its starting point (a backup file, automatic backups already set up)
 * is made through the bridge with the same calls the window makes, not through the UI again.
 */

const PASSWORD = 'maple orbit cactus lantern drift';

// ---------- An independent reader of Chronokey's backup format (docs/backup-format.md) ----------

interface BackupFile {
  header: { kdf: string; n: number; r: number; p: number; salt: string; nonce: string };
  payload: {
    format: string;
    version: number;
    accounts: Array<SeedAccount & { id: string }>;
  };
}

function gcmOpen(key: Buffer, nonce: Buffer, sealed: Buffer, aad?: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

function readChronokeyBackup(bytes: Buffer, password: string): BackupFile {
  expect(bytes.subarray(0, 8).toString('ascii')).toBe('CHRONOKB');
  expect(bytes.readUInt16BE(8)).toBe(1);
  const headerLength = bytes.readUInt32BE(10);
  const headerEnd = 14 + headerLength;
  const header = JSON.parse(
    bytes.subarray(14, headerEnd).toString('utf8'),
  ) as BackupFile['header'] & {
    wrappedKey: string;
  };
  const checksum = createHash('sha256').update(bytes.subarray(0, headerEnd)).digest();
  expect(bytes.subarray(headerEnd, headerEnd + 32).equals(checksum)).toBe(true);
  const prefix = bytes.subarray(0, headerEnd + 32);
  expect(header.kdf).toBe('scrypt');
  expect(header.n).toBeGreaterThanOrEqual(2 ** 15);
  const wrapping = scryptSync(password.normalize('NFC'), Buffer.from(header.salt, 'base64'), 32, {
    N: header.n,
    r: header.r,
    p: header.p,
    maxmem: 256 * header.n * header.r * header.p,
  });
  const dataKey = gcmOpen(
    wrapping,
    Buffer.from(header.nonce, 'base64'),
    Buffer.from(header.wrappedKey, 'base64'),
    Buffer.from('chronokey-backup-key:v1', 'utf8'),
  );
  const nonce = bytes.subarray(prefix.length, prefix.length + 12);
  const plain = gcmOpen(dataKey, nonce, bytes.subarray(prefix.length + 12), prefix);
  return { header, payload: JSON.parse(plain.toString('utf8')) as BackupFile['payload'] };
}

/** Aegis's documented vault: a scrypt password slot wraps the master key; AES-256-GCM db. */
function readAegisVault(bytes: Buffer, password: string) {
  const vault = JSON.parse(bytes.toString('utf8')) as {
    version: number;
    header: {
      slots: Array<{
        type: number;
        key: string;
        key_params: { nonce: string; tag: string };
        n: number;
        r: number;
        p: number;
        salt: string;
      }>;
      params: { nonce: string; tag: string };
    };
    db: string;
  };
  expect(vault.version).toBe(1);
  const slot = vault.header.slots.find((candidate) => candidate.type === 1);
  expect(slot, 'a password slot').toBeTruthy();
  const derived = scryptSync(password, Buffer.from(slot!.salt, 'hex'), 32, {
    N: slot!.n,
    r: slot!.r,
    p: slot!.p,
    maxmem: 256 * slot!.n * slot!.r * slot!.p,
  });
  const master = gcmOpen(
    derived,
    Buffer.from(slot!.key_params.nonce, 'hex'),
    Buffer.concat([Buffer.from(slot!.key, 'hex'), Buffer.from(slot!.key_params.tag, 'hex')]),
  );
  const db = gcmOpen(
    master,
    Buffer.from(vault.header.params.nonce, 'hex'),
    Buffer.concat([Buffer.from(vault.db, 'base64'), Buffer.from(vault.header.params.tag, 'hex')]),
  );
  return JSON.parse(db.toString('utf8')) as {
    entries: Array<{
      type: string;
      name: string;
      issuer: string;
      info: { secret: string; algo: string; digits: number; period: number };
    }>;
  };
}

// ---------- Steps ----------

/** Calls a channel as the window does (through the bridge): a test's setup, not what it proves. */
async function call<T = unknown>(bridge: BridgeControl, channel: string, input?: unknown) {
  const response = await fetch(`${bridge.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token },
    body: JSON.stringify({ channel, input }),
  });
  const result = (await response.json()) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function openBackupDialog(app: App) {
  await app.page.getByRole('button', { name: 'Backup and transfer' }).click();
  const hub = app.page.getByRole('dialog', { name: 'Backup and transfer' });
  await expect(hub).toBeVisible();
  return hub;
}

/** Opens the export dialog with the password typed twice (the second time as `repeat`). */
async function openExportDialog(app: App, password = PASSWORD, repeat = password) {
  const hub = await openBackupDialog(app);
  await hub.getByRole('button', { name: 'Export encrypted backup' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Export encrypted backup' });
  await dialog.getByLabel('Backup password', { exact: true }).fill(password);
  await dialog.getByLabel('Repeat backup password', { exact: true }).fill(repeat);
  return dialog;
}

/** A verified backup of ACCOUNTS in `file`, written by main from a vault of its own. */
async function backupOfAccounts(bridge: BridgeControl, file: string) {
  await bridge.reset({ vault: { useKeychain: true }, accounts: ACCOUNTS });
  await bridge.willSaveTo(file);
  const result = await call<{ verified: boolean }>(bridge, 'backup.export', {
    format: 'chronokey',
    password: PASSWORD,
  });
  expect(result.verified).toBe(true);
}

async function chooseRestoreFile(app: App, file: string) {
  const hub = await openBackupDialog(app);
  await hub.getByRole('button', { name: 'Restore from a backup' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Restore from a backup' });
  const chooser = app.page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose backup file…' }).click();
  await (await chooser).setFiles(file);
  return dialog;
}

/** Opens `file` in the restore dialog with the right password, up to its preview. */
async function previewRestore(app: App, file: string) {
  const dialog = await chooseRestoreFile(app, file);
  await dialog.getByLabel('Backup password', { exact: true }).fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Open backup' }).click();
  await expect(dialog).toContainText('This backup holds 3 accounts');
  return dialog;
}

let scratch = '';
test.beforeEach(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'chronokey-e2e-backups-'));
});
test.afterEach(async () => {
  // A backup may still be landing in the folder as the test ends: retry until it is gone.
  await rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

const ACCOUNTS: SeedAccount[] = [{ ...THREE[0]!, favourite: true }, THREE[1]!, THREE[2]!];
/** The vault a backup is restored into: one of ACCOUNTS is already there, plus one of its own. */
const OWN = seedAccount(20);
const RESTORE_INTO = { vault: { useKeychain: true }, accounts: [ACCOUNTS[1]!, OWN] };

test.describe('encrypted backup export', () => {
  test('the Backup and transfer dialog is accessible', async ({ app }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    await openBackupDialog(app);
    await app.expectAccessible('backup and transfer');
  });

  test('a weak password is refused, and the meter says it is weak', async ({ app }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const dialog = await openExportDialog(app, 'password1');
    await expect(dialog.getByRole('meter', { name: 'Password strength' })).toHaveAttribute(
      'aria-valuetext',
      /weak/i,
    );
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(dialog.getByRole('alert')).toContainText('too easy to guess');
    expect((await app.bridge.backupPorts()).saveShown).toBe(0);
  });

  test('a strong password typed differently the second time is refused', async ({ app }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const dialog = await openExportDialog(app, PASSWORD, `${PASSWORD}x`);
    await expect(dialog.getByRole('meter', { name: 'Password strength' })).toHaveAttribute(
      'aria-valuetext',
      /strong/i,
    );
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(dialog.getByRole('alert')).toContainText('not the same');
    expect((await app.bridge.backupPorts()).saveShown).toBe(0);
  });

  test('cancelling the save dialog writes nothing and says nothing went wrong', async ({ app }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const dialog = await openExportDialog(app);
    await app.bridge.willSaveTo(null);
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect.poll(async () => (await app.bridge.backupPorts()).saveShown).toBe(1);
    expect((await app.bridge.backupPorts()).defaultName).toMatch(
      /^chronokey-backup-\d{4}-\d{2}-\d{2}\.ckb$/,
    );
    await expect(dialog.getByRole('button', { name: 'Save backup' })).toBeEnabled();
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    expect(await readdir(scratch)).toEqual([]);
  });

  test('progress shows while main writes and checks the file; then only that file is there', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const dialog = await openExportDialog(app);
    // Main's answer is held back a moment, so the progress can be seen.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/rpc', async (route) => {
      if (route.request().postData()?.includes('"backup.export"')) await held;
      await route.continue();
    });
    const file = path.join(scratch, 'chronokey-backup.ckb');
    await app.bridge.willSaveTo(file);
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(
      dialog.getByRole('progressbar', { name: 'Encrypting and checking the backup' }),
    ).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Saving…' })).toBeDisabled();
    release();
    await expect(dialog.locator('.notice[role="status"]')).toHaveText(
      'Backup saved and verified: 3 accounts',
    );
    await expect(dialog.getByRole('progressbar')).toHaveCount(0);
    await expect(dialog).toContainText(file);
    // Only the finished file: no temp file left beside it.
    expect(await readdir(scratch)).toEqual(['chronokey-backup.ckb']);
  });

  test('the saved file decrypts with an independent reader and holds the vault; another password does not open it', async ({
    app,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const dialog = await openExportDialog(app);
    const file = path.join(scratch, 'chronokey-backup.ckb');
    await app.bridge.willSaveTo(file);
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(dialog.locator('.notice[role="status"]')).toHaveText(
      'Backup saved and verified: 3 accounts',
    );

    const { payload } = readChronokeyBackup(await readFile(file), PASSWORD);
    const vault = await app.bridge.vault();
    expect(payload.accounts).toEqual(vault.accounts);
    const essentials = (accounts: SeedAccount[]) =>
      accounts.map(({ issuer, account, secret, tags, favourite }) => ({
        issuer,
        account,
        secret,
        tags,
        favourite,
      }));
    expect(essentials(payload.accounts)).toEqual(essentials(ACCOUNTS));
    expect(() => readChronokeyBackup(readFileSync(file), 'not the password')).toThrow();
  });
});

test.describe('restore from an encrypted backup', () => {
  test('a file with one flipped byte is refused as damaged, even with the right password', async ({
    app,
    bridge,
  }) => {
    const file = path.join(scratch, 'three.ckb');
    await backupOfAccounts(bridge, file);
    const bytes = await readFile(file);
    bytes[bytes.length - 20]! ^= 0x01;
    const damaged = path.join(scratch, 'damaged.ckb');
    await writeFile(damaged, bytes);
    await app.open(RESTORE_INTO);
    const dialog = await chooseRestoreFile(app, damaged);
    await dialog.getByLabel('Backup password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Open backup' }).click();
    await expect(dialog.getByRole('alert')).toContainText('damaged');
    expect((await bridge.vault()).accounts.map((a) => a.secret)).toEqual([
      ACCOUNTS[1]!.secret,
      OWN.secret,
    ]);
  });

  test('a wrong password is refused and changes nothing', async ({ app, bridge }) => {
    const file = path.join(scratch, 'three.ckb');
    await backupOfAccounts(bridge, file);
    await app.open(RESTORE_INTO);
    const dialog = await chooseRestoreFile(app, file);
    await expect(dialog).toContainText('three.ckb');
    await dialog.getByLabel('Backup password', { exact: true }).fill('not the password');
    await dialog.getByRole('button', { name: 'Open backup' }).click();
    await expect(dialog.getByRole('alert')).toContainText('password');
    expect((await bridge.vault()).accounts.map((a) => a.secret)).toEqual([
      ACCOUNTS[1]!.secret,
      OWN.secret,
    ]);
  });

  test('merge adds what is missing, skips duplicates, and keeps tags, favourites and codes', async ({
    app,
    page,
    bridge,
  }) => {
    const file = path.join(scratch, 'three.ckb');
    await backupOfAccounts(bridge, file);
    await app.open(RESTORE_INTO);
    const dialog = await previewRestore(app, file);
    await expect(dialog).toContainText('This backup holds 3 accounts; 1 is already in Chronokey.');
    await app.expectAccessible('restore preview');
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status')).toContainText(
      'Restored 2 accounts; 1 duplicate was skipped.',
    );
    await expect(app.accountList().getByRole('listitem')).toHaveCount(4);
    const merged = await bridge.vault();
    expect(merged.accounts.map((a) => a.secret).sort()).toEqual(
      [...ACCOUNTS.map((a) => a.secret), OWN.secret].sort(),
    );
    const restoredA = merged.accounts.find((a) => a.secret === ACCOUNTS[0]!.secret)!;
    expect([restoredA.tags, restoredA.favourite]).toEqual([ACCOUNTS[0]!.tags, true]);
    const now = await bridge.now();
    await expect(app.code(label(ACCOUNTS[0]!))).toHaveText(
      grouped(expectedCode(ACCOUNTS[0]!, now)),
    );
  });

  test('replace names what will be removed, then leaves only the backup’s accounts', async ({
    app,
    page,
    bridge,
  }) => {
    const file = path.join(scratch, 'three.ckb');
    await backupOfAccounts(bridge, file);
    await app.open(RESTORE_INTO);
    const dialog = await previewRestore(app, file);
    await dialog.getByRole('button', { name: 'Replace…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Replace all accounts?' });
    await expect(confirm).toContainText('This removes the 2 accounts now in Chronokey');
    await expect(confirm).toContainText(label(OWN));
    await app.expectAccessible('replace confirmation');
    await confirm.getByRole('button', { name: 'Replace accounts' }).click();
    await expect(confirm).toBeHidden();
    await expect(dialog).toBeHidden();
    await app.expectOrder(ACCOUNTS.map(label));
    const replaced = await bridge.vault();
    expect(
      replaced.accounts.map(({ secret, tags, favourite }) => ({ secret, tags, favourite })),
    ).toEqual(ACCOUNTS.map(({ secret, tags, favourite }) => ({ secret, tags, favourite })));
  });
});

test.describe('exports for other apps', () => {
  test('Aegis export: the vault file opens with Aegis’s documented scrypt slot and AES-GCM', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const hub = await openBackupDialog(app);
    await hub.getByRole('button', { name: 'Export for Aegis' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export for Aegis' });
    await dialog.getByLabel('Backup password', { exact: true }).fill(PASSWORD);
    await dialog.getByLabel('Repeat backup password', { exact: true }).fill(PASSWORD);
    const file = path.join(scratch, 'aegis.json');
    await app.bridge.willSaveTo(file);
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(dialog.locator('.notice[role="status"]')).toContainText('verified: 3 accounts');
    const db = readAegisVault(await readFile(file), PASSWORD);
    expect(
      db.entries.map((entry) => [entry.type, entry.issuer, entry.name, entry.info.secret]),
    ).toEqual(ACCOUNTS.map((a) => ['totp', a.issuer, a.account, a.secret]));
  });

  test('KeePassXC export: a KDBX 4 database with each account’s link, title and user name', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const hub = await openBackupDialog(app);
    await hub.getByRole('button', { name: 'Export for KeePassXC' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export for KeePassXC' });
    await dialog.getByLabel('Backup password', { exact: true }).fill(PASSWORD);
    await dialog.getByLabel('Repeat backup password', { exact: true }).fill(PASSWORD);
    const file = path.join(scratch, 'keepassxc.kdbx');
    await app.bridge.willSaveTo(file);
    await dialog.getByRole('button', { name: 'Save backup' }).click();
    await expect(dialog.locator('.notice[role="status"]')).toContainText('verified: 3 accounts');
    // Read with kdbxweb alone (Argon2 from node:crypto), as another KDBX reader would.
    kdbxweb.CryptoEngine.setArgon2Impl(async (pw, salt, memory, passes, length, lanes, type) => {
      const key = argon2Sync(type === 2 ? 'argon2id' : 'argon2d', {
        message: new Uint8Array(pw),
        nonce: new Uint8Array(salt),
        memory,
        passes,
        parallelism: lanes,
        tagLength: length,
      });
      return key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
    });
    const bytes = await readFile(file);
    const db = await kdbxweb.Kdbx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(PASSWORD)),
    );
    const text = (value: unknown) =>
      value instanceof kdbxweb.ProtectedValue ? value.getText() : String(value);
    const entries = db.getDefaultGroup().entries.map((entry) => ({
      title: text(entry.fields.get('Title')),
      user: text(entry.fields.get('UserName')),
      secret: new URL(text(entry.fields.get('otp'))).searchParams.get('secret'),
    }));
    expect(entries).toEqual(
      ACCOUNTS.map((a) => ({ title: a.issuer, user: a.account, secret: a.secret })),
    );
  });

  test('otpauth links: only after an explicit warning is acknowledged', async ({ app, page }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const hub = await openBackupDialog(app);
    await hub.getByRole('button', { name: 'Export otpauth links' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export otpauth links' });
    await expect(dialog).toContainText('This file is not encrypted.');
    const file = path.join(scratch, 'links.txt');
    await app.bridge.willSaveTo(file);
    await dialog.getByRole('button', { name: 'Save links' }).click();
    await expect(dialog.getByRole('alert')).toContainText('not protected');
    expect(await readdir(scratch)).toEqual([]);
    await dialog.getByRole('checkbox', { name: 'I understand the file is not protected' }).check();
    await dialog.getByRole('button', { name: 'Save links' }).click();
    await expect(dialog.locator('.notice[role="status"]')).toContainText('3 accounts');
    const links = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line !== '');
    expect(links).toHaveLength(3);
    for (const [index, link] of links.entries()) {
      const url = new URL(link);
      expect(url.protocol).toBe('otpauth:');
      expect(url.searchParams.get('secret')).toBe(ACCOUNTS[index]!.secret);
    }
  });
});

const AUTO_PASSWORD = 'harbor velvet quartz meadow';

/** Automatic backups after every change into `folder`, keeping `keep`, set up as the window does. */
async function automaticBackupsInto(app: App, folder: string, keep = 3) {
  await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
  await call(app.bridge, 'settings.update', { autoBackup: { schedule: 'on-change', keep } });
  await app.bridge.willChooseFolder(folder);
  await call(app.bridge, 'backup.chooseFolder');
  await call(app.bridge, 'backup.setAutoPassword', { password: AUTO_PASSWORD });
  await app.reload();
  await expect(app.accountList().getByRole('listitem')).toHaveCount(ACCOUNTS.length);
}

const favourite = (app: App, account: SeedAccount) =>
  app.page.getByRole('button', { name: `Favourite ${label(account)}` });

test.describe('automatic backups', () => {
  test('first run offers them, off unless ticked, and opens their settings when ticked', async ({
    app,
    page,
  }) => {
    await app.open({ vault: null });
    const offer = page.getByRole('checkbox', { name: 'Set up automatic backups next' });
    await expect(offer).not.toBeChecked();
    await offer.check();
    await page.getByRole('button', { name: 'Create vault' }).click();
    const hub = page.getByRole('dialog', { name: 'Backup and transfer' });
    await expect(hub).toBeVisible();
    await expect(hub.getByRole('combobox', { name: 'Automatic backups' })).toHaveValue('off');
    expect((await app.bridge.vault()).settings.autoBackup.schedule).toBe('off');
  });

  test('Settings has them too', async ({ app, page }) => {
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('combobox', { name: 'Automatic backups' }).selectOption({
      label: 'Once a day',
    });
    await expect(settings.getByRole('button', { name: 'Choose backup folder…' })).toBeVisible();
    await expect
      .poll(async () => (await app.bridge.vault()).settings.autoBackup.schedule)
      .toBe('daily');
    await app.expectAccessible('settings with automatic backups');
  });

  test('set up in the dialog (schedule, folder, how many, password), the first one follows a quiet moment', async ({
    app,
  }) => {
    const folder = path.join(scratch, 'auto');
    await mkdir(folder);
    await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
    const hub = await openBackupDialog(app);
    const schedule = hub.getByRole('combobox', { name: 'Automatic backups' });
    await expect(schedule).toHaveValue('off');
    await schedule.selectOption({ label: 'After every change' });
    await app.bridge.willChooseFolder(folder);
    await hub.getByRole('button', { name: 'Choose backup folder…' }).click();
    await expect(hub).toContainText(folder);
    const keep = hub.getByRole('spinbutton', { name: 'Backups to keep' });
    await expect(keep).toHaveValue('10');
    await keep.fill('3');
    await keep.press('Enter');
    await expect
      .poll(async () => (await app.bridge.vault()).settings.autoBackup)
      .toEqual({ schedule: 'on-change', folder, keep: 3 });
    await hub.getByLabel('Automatic backup password', { exact: true }).fill(AUTO_PASSWORD);
    await hub.getByLabel('Repeat automatic backup password', { exact: true }).fill(AUTO_PASSWORD);
    await hub.getByRole('button', { name: 'Set backup password' }).click();
    await expect(hub.getByRole('button', { name: 'Change backup password' })).toBeVisible();
    await app.expectAccessible('automatic backup settings');

    // Debounced: nothing until the vault has been quiet for a moment.
    expect(await readdir(folder)).toEqual([]);
    await app.advance(6_000);
    await expect(hub.locator('.notice[role="status"]')).toContainText('Last automatic backup');
    await expect(hub.locator('.notice[role="status"]')).toContainText('3 accounts, verified');
    expect(await readdir(folder)).toHaveLength(1);
  });

  test('after every change, the folder keeps the newest N, and the newest opens with its password', async ({
    app,
  }) => {
    const folder = path.join(scratch, 'auto');
    await mkdir(folder);
    await automaticBackupsInto(app, folder, 3);
    // Five changes, each followed by a quiet moment: the folder keeps the newest three. Each
    // round waits for its own backup (a newer name: names carry the time, which moved 6 s), not
    // just for three files, which the folder already holds from the third round on.
    let newestName = '';
    // Backups only: a temp file being written (renamed into place a moment later) is not one.
    const backups = async () =>
      (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
    for (let round = 0; round < 5; round++) {
      await favourite(app, ACCOUNTS[1]!).click();
      await expect(favourite(app, ACCOUNTS[1]!)).toHaveAttribute(
        'aria-pressed',
        round % 2 === 0 ? 'true' : 'false',
      );
      await app.advance(6_000);
      await expect
        .poll(async () => {
          const names = await backups();
          return { newer: names.at(-1)! > newestName, count: names.length };
        })
        .toEqual({ newer: true, count: Math.min(3, round + 1) });
      newestName = (await backups()).at(-1)!;
    }
    // Every write finished (no temp file left): then the folder holds exactly the newest three.
    await expect.poll(async () => (await readdir(folder)).length).toBe(3);
    const names = await backups();
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(/^chronokey-auto-\d{8}-\d{9}\.ckb$/);
    // The newest holds the latest state (five toggles: favourite) and opens with its password.
    const newest = readChronokeyBackup(await readFile(path.join(folder, names[2]!)), AUTO_PASSWORD);
    expect(newest.payload.accounts.map((a) => a.favourite)).toEqual([true, true, false]);
  });

  test('one that cannot be written is shown on the main screen, with a way to its settings', async ({
    app,
    page,
  }) => {
    const folder = path.join(scratch, 'auto');
    await mkdir(folder);
    await automaticBackupsInto(app, folder);
    // The folder disappears: the next backup fails, and the main screen says so.
    await rm(folder, { recursive: true, force: true });
    await favourite(app, ACCOUNTS[2]!).click();
    await expect(favourite(app, ACCOUNTS[2]!)).toHaveAttribute('aria-pressed', 'true');
    await app.advance(6_000);
    const banner = page
      .getByRole('alert')
      .filter({ hasText: 'automatic backup could not be written' });
    await expect(banner).toBeVisible();
    await app.expectAccessible('automatic backup failure banner');
    await banner.getByRole('button', { name: 'Backup settings' }).click();
    const hub = page.getByRole('dialog', { name: 'Backup and transfer' });
    await expect(hub.getByRole('alert')).toContainText('could not be written');
  });

  test('once a day: one soon after switching, then one a day later', async ({ app, page }) => {
    const folder = path.join(scratch, 'auto');
    await mkdir(folder);
    await automaticBackupsInto(app, folder);
    const hub = await openBackupDialog(app);
    await hub
      .getByRole('combobox', { name: 'Automatic backups' })
      .selectOption({ label: 'Once a day' });
    await expect(hub.getByRole('combobox', { name: 'Automatic backups' })).toHaveValue('daily');
    // Backups only: a temp file being written (renamed into place a moment later) is not one.
    const backups = async () => (await readdir(folder)).filter((name) => !name.startsWith('.'));
    await app.advance(6_000);
    await expect.poll(async () => (await backups()).length).toBe(1);
    await expect(page.getByRole('alert').filter({ hasText: 'could not be written' })).toHaveCount(
      0,
    );
    await app.advance(24 * 60 * 60 * 1000);
    await expect.poll(async () => (await backups()).length).toBe(2);
    const [first, second] = (await backups()).sort();
    expect(second!.slice(15, 23)).not.toBe(first!.slice(15, 23));
  });
});

test.describe('export dialog screens', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`export dialog (${scheme}): accessible while a password is typed`, async ({
      app,
      page,
    }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
      const hub = await openBackupDialog(app);
      await hub.getByRole('button', { name: 'Export encrypted backup' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export encrypted backup' });
      await dialog.getByLabel('Backup password', { exact: true }).fill('orbit lantern');
      await expect(dialog.getByRole('meter', { name: 'Password strength' })).not.toHaveAttribute(
        'aria-valuetext',
        'Not measured yet',
      );
      await app.expectAccessible(`export backup, typing (${scheme})`);
    });

    test(`export dialog (${scheme}): accessible when verified, screenshot written`, async ({
      app,
      page,
    }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await app.open({ vault: { useKeychain: true }, accounts: ACCOUNTS });
      const dialog = await openExportDialog(app);
      await app.bridge.willSaveTo(path.join(scratch, 'backup.ckb'));
      await dialog.getByRole('button', { name: 'Save backup' }).click();
      await expect(dialog.locator('.notice[role="status"]')).toHaveText(
        'Backup saved and verified: 3 accounts',
      );
      await app.expectAccessible(`export backup, verified (${scheme})`);
      await page.screenshot({
        path: screenshotPath(`backup-export-${scheme}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    });
  }
});
