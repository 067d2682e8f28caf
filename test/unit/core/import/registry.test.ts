import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../../../shared/contract';
import type { OtpParams } from '../../../../shared/domain';
import { importEngines, importFormats } from '../../../../main/core/import/formats';
import { encodeMigrationPayloads } from '../../../../main/core/import/formats/google-migration';
import { stopQrWorkers } from '../../../../main/core/qr';
import { codePng, pngHeaderClaiming, screenshot } from '../../../fixtures/qr/make-corpus';
import { importRig } from './import-harness';

/**
 * The pipeline with the real registry: every sample export written by the format engineers
 * (test/fixtures/import/<app>/<name>.<ext> next to <name>.expected.json), QR screenshots made
 * here, Google exports split over several codes, and each kind of bad input.
 */
const FIXTURES = path.resolve('test/fixtures/import');

interface Expected {
  format: string;
  password?: string;
  error?: string;
  accounts?: Array<OtpParams & { tags: string[]; favourite: boolean }>;
  skipped?: unknown[];
}

function fixtures(): Array<{ app: string; input: string; expected: string }> {
  const found: Array<{ app: string; input: string; expected: string }> = [];
  for (const app of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    const dir = path.join(FIXTURES, app.name);
    const files = readdirSync(dir);
    for (const file of files.filter((name) => name.endsWith('.expected.json'))) {
      const base = file.slice(0, -'.expected.json'.length);
      const input = files.find((name) => name !== file && name.startsWith(`${base}.`));
      if (input) {
        found.push({
          app: app.name,
          input: path.join(dir, input),
          expected: path.join(dir, file),
        });
      }
    }
  }
  return found;
}

let rig: Awaited<ReturnType<typeof importRig>>;
beforeEach(async () => {
  rig = await importRig({ importEngines });
});
afterEach(() => rig.cleanup());
afterAll(() => stopQrWorkers());

const A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const link = (issuer: string, secret = A) =>
  `otpauth://totp/${issuer}:me?secret=${secret}&issuer=${issuer}`;

describe('every sample export is detected by content and read to its expected accounts', () => {
  it('registers the formats most specific first', () => {
    expect(importFormats.map((format) => format.id)).toEqual([
      'chronokey-backup',
      'keepass',
      '1password',
      'proton-pass',
      'authenticator-pro',
      'aegis',
      '2fas',
      'ente',
      'freeotp-plus',
      'bitwarden',
      'lastpass',
      'proton-authenticator',
      'bitwarden-csv',
      'apple-passwords-csv',
      'andotp',
    ]);
  });

  for (const sample of fixtures()) {
    const name = `${sample.app}/${path.basename(sample.input)}`;
    it(name, async () => {
      const expected = JSON.parse(readFileSync(sample.expected, 'utf8')) as Expected;
      // A neutral name: detection must not lean on the file name or extension.
      let preview: ImportPreview = await rig.addFiles([
        { name: 'upload', bytes: new Uint8Array(readFileSync(sample.input)) },
      ]);
      if (expected.error !== undefined) {
        expect(preview.items).toEqual([]);
        expect(preview.errors.map((error) => error.code)).toEqual([expected.error]);
        return;
      }
      if (expected.password !== undefined) {
        expect(preview.needsPassword).toEqual([{ source: 'upload', label: expect.any(String) }]);
        const wrong = await rig.call('import.unlock', {
          previewId: preview.id,
          source: 'upload',
          password: `${expected.password}x`,
        });
        expect(wrong).toMatchObject({ ok: false, error: { code: 'IMPORT_WRONG_PASSWORD' } });
        preview = await rig.value('import.unlock', {
          previewId: preview.id,
          source: 'upload',
          password: expected.password,
        });
      }
      // In a text of links, a link that cannot be used is listed as a problem of that link.
      const linkProblems = preview.errors.filter((error) =>
        /^upload, link \d+$/.test(error.source),
      );
      expect(preview.errors).toEqual(linkProblems);
      expect(preview.needsPassword).toEqual([]);
      const accounts = expected.accounts ?? [];
      expect(
        preview.items.map((item) => ({
          type: item.type,
          issuer: item.issuer,
          account: item.account,
          algorithm: item.algorithm,
          digits: item.digits,
          ...(item.type === 'hotp' ? { counter: item.counter } : { period: item.period }),
          tags: item.tags,
        })),
      ).toEqual(
        accounts.map((account) => ({
          type: account.type,
          issuer: account.issuer,
          account: account.account,
          algorithm: account.algorithm,
          digits: account.digits,
          ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
          tags: account.tags,
        })),
      );
      expect(preview.skipped.length + linkProblems.length).toBe(expected.skipped?.length ?? 0);
      // Commit everything and check the secrets that reached the vault.
      await rig.value('import.commit', {
        previewId: preview.id,
        keys: preview.items.map((item) => item.key),
      });
      const stored = (await rig.session.content()).accounts;
      expect(stored.map((account) => [account.secret, account.favourite])).toEqual(
        accounts.map((account) => [account.secret, account.favourite]),
      );
    });
  }
});

describe('QR screenshots through the real QR reader', () => {
  it('reads every authenticator code in a screenshot, light and dark', async () => {
    const shot = await screenshot(1280, 800, [
      { text: link('Alpha'), x: 100, y: 100, style: { module: 5 } },
      {
        text: link('Beta', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
        x: 700,
        y: 300,
        style: { module: 4, dark: [232, 234, 237], light: [32, 33, 36] },
      },
    ]);
    const preview = await rig.addFiles([{ name: 'shot.png', bytes: new Uint8Array(shot) }]);
    expect(preview.items.map((item) => item.issuer).sort()).toEqual(['Alpha', 'Beta']);
    expect(preview.items.every((item) => item.source === 'shot.png')).toBe(true);
  });

  it('reads QR codes in JPEG, WebP and TIFF files as well', async () => {
    const png = await codePng(link('Formats'), { module: 6 });
    const preview = await rig.addFiles([
      {
        name: 'code.jpg',
        bytes: new Uint8Array(await sharp(png).jpeg({ quality: 80 }).toBuffer()),
      },
      { name: 'code.webp', bytes: new Uint8Array(await sharp(png).webp().toBuffer()) },
      { name: 'code.tiff', bytes: new Uint8Array(await sharp(png).tiff().toBuffer()) },
    ]);
    expect(preview.errors).toEqual([]);
    expect(preview.items.map((item) => item.source)).toEqual([
      'code.jpg',
      'code.webp',
      'code.tiff',
    ]);
  });

  it('assembles a 25-account Google export from three QR codes, "k of n" as they come', async () => {
    const accounts: OtpParams[] = Array.from({ length: 25 }, (_, i) => ({
      type: 'totp',
      issuer: `Service ${i}`,
      account: `user${i}@example.com`,
      secret: `${'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.slice(i % 8)}${'MFRGGZDFMZTWQ2LK'}`,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      counter: 0,
    }));
    const links = encodeMigrationPayloads(accounts, { batchId: 99 });
    expect(links).toHaveLength(3);
    const images = await Promise.all(links.map((text) => codePng(text, { module: 4 })));
    let preview = await rig.addFiles([{ name: 'part-b.png', bytes: new Uint8Array(images[1]!) }]);
    expect(preview.batches).toEqual([{ id: 99, scanned: 1, size: 3 }]);
    preview = await rig.addFiles(
      [
        { name: 'part-b-again.png', bytes: new Uint8Array(images[1]!) },
        { name: 'part-a.png', bytes: new Uint8Array(images[0]!) },
      ],
      preview.id,
    );
    expect(preview.batches).toEqual([{ id: 99, scanned: 2, size: 3 }]);
    expect(preview.items).toHaveLength(20);
    preview = await rig.addText(links[2]!, preview.id);
    expect(preview.batches).toEqual([{ id: 99, scanned: 3, size: 3 }]);
    expect(preview.items).toHaveLength(25);
    expect(preview.items[0]!.marks.map((mark) => mark.code)).toContain('DEFAULTED');
  });
});

describe('bad input: a clear error naming the file, nothing imported, vault unchanged', () => {
  it('reports each problem and leaves the vault bytes as they were', async () => {
    await rig.value('accounts.add', { uri: link('Existing') });
    const before = rig.vaultBytes();
    const blank = await screenshot(640, 400, []);
    const website = await codePng('https://example.com/download', { module: 4 });
    const good = await codePng(link('Cut'), { module: 4 });
    const aegis = readFileSync(path.join(FIXTURES, 'aegis/plain.json'), 'utf8');
    const preview = await rig.addFiles([
      { name: 'blank.png', bytes: new Uint8Array(blank) },
      { name: 'website.png', bytes: new Uint8Array(website) },
      { name: 'cut.png', bytes: new Uint8Array(good.subarray(0, Math.floor(good.length / 2))) },
      { name: 'huge.png', bytes: pngHeaderClaiming(10_000, 6_000) },
      { name: 'aegis-cut.json', bytes: aegis.slice(0, aegis.length / 2) },
      { name: 'export.txt', bytes: 'otpauth-migration://offline?data=bm90IHByb3RvYnVm' },
      { name: 'mystery.bin', bytes: new Uint8Array([0, 0xff, 0xfe, 1, 2, 3]) },
    ]);
    expect(preview.items).toEqual([]);
    expect(preview.errors.map((error) => [error.source, error.code])).toEqual([
      ['blank.png', 'IMAGE_NO_QR'],
      ['website.png', 'QR_NOT_AUTHENTICATOR'],
      ['cut.png', 'IMAGE_CORRUPT'],
      ['huge.png', 'IMAGE_TOO_LARGE'],
      ['aegis-cut.json', 'IMPORT_MALFORMED_JSON'],
      ['export.txt', 'MIGRATION_INVALID'],
      ['mystery.bin', 'IMPORT_UNSUPPORTED_FORMAT'],
    ]);
    for (const error of preview.errors) expect(error.message).toContain(error.source);
    await rig.value('import.cancel', { previewId: preview.id });
    expect(rig.vaultBytes().equals(before)).toBe(true);
  });

  it('a wrong KeePass password, a damaged KDBX and a cut 1PUX change nothing', async () => {
    await rig.value('accounts.add', { uri: link('Existing') });
    const before = rig.vaultBytes();
    const kdbx = readFileSync(path.join(FIXTURES, 'keepass/kdbx4-argon2id-aes.kdbx'));
    const onePux = readFileSync(path.join(FIXTURES, '1password/export.1pux'));
    const preview = await rig.addFiles([
      { name: 'vault.kdbx', bytes: new Uint8Array(kdbx) },
      { name: 'cut.kdbx', bytes: new Uint8Array(kdbx.subarray(0, kdbx.length - 100)) },
      { name: 'cut.1pux', bytes: new Uint8Array(onePux.subarray(0, onePux.length - 300)) },
    ]);
    expect(preview.needsPassword.map((entry) => entry.source)).toEqual(['vault.kdbx', 'cut.kdbx']);
    const wrong = await rig.call('import.unlock', {
      previewId: preview.id,
      source: 'vault.kdbx',
      password: 'not the password',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'IMPORT_WRONG_PASSWORD' } });
    // The right password on a damaged file: listed as a problem of that file.
    const after = await rig.value('import.unlock', {
      previewId: preview.id,
      source: 'cut.kdbx',
      password: 'keepass sample password',
    });
    expect(after.items).toEqual([]);
    expect(after.errors.map((error) => [error.source, error.code])).toEqual([
      ['cut.1pux', 'IMPORT_MALFORMED'],
      ['cut.kdbx', 'IMPORT_MALFORMED'],
    ]);
    await rig.value('import.cancel', { previewId: preview.id });
    expect(rig.vaultBytes().equals(before)).toBe(true);
  });
});
