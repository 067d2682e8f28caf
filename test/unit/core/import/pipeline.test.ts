import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../../../shared/contract';
import { PREVIEW_TTL_MS } from '../../../../main/core/import/preview-store';
import { ChronokeyError } from '../../../../shared/errors';
import {
  FAKE_PASSWORD,
  fakeBackup,
  fakeEngines,
  fakeMigrationLink,
  importRig,
  smallPng,
} from './import-harness';

const LONG_A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'; // 160 bits
const LONG_B = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const LONG_C = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
const SHORT = 'JBSWY3DPEHPK3PXP'; // 80 bits

const link = (issuer: string, account: string, secret: string, extra = '') =>
  `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}${extra}`;

function marks(preview: ImportPreview, issuer: string): string[] {
  const item = preview.items.find((candidate) => candidate.issuer === issuer);
  if (!item) throw new Error(`no item ${issuer}`);
  return item.marks.map((mark) => mark.code);
}

describe('import pipeline (fake formats, real vault through the contract)', () => {
  let rig: Awaited<ReturnType<typeof importRig>>;
  beforeEach(async () => {
    rig = await importRig({
      qr: {
        'code.png': [link('Shot', 'eve', LONG_C)],
        'blank.png': [],
        'website.png': ['https://example.com/download'],
        'two.png': [link('First', 'a', LONG_A), link('Second', 'b', LONG_B)],
        'Display 1': [link('Screen', 'sam', LONG_B), 'https://example.com/app'],
        'Display 2': [],
      },
    });
  });
  afterEach(() => rig.cleanup());

  it('reads many links with any text around them, lists links that fail, and never sends secrets', async () => {
    const text = [
      'My accounts:',
      `  * ${link('Alpha', 'alice@example.com', LONG_A)}, and (${link('Beta', 'bob', LONG_B)})`,
      `<a href="${link('Gamma', 'gus', LONG_C, '&amp;digits=8')}">gamma</a>`,
      'otpauth://totp/Broken:x?secret=not*base32',
      `otpauth://totp/Missing:x?issuer=Missing`,
    ].join('\n');
    const preview = await rig.addText(text);
    expect(preview.items.map((item) => [item.issuer, item.account, item.digits])).toEqual([
      ['Alpha', 'alice@example.com', 6],
      ['Beta', 'bob', 6],
      ['Gamma', 'gus', 8],
    ]);
    expect(preview.items.every((item) => item.source === 'Pasted text' && item.selected)).toBe(
      true,
    );
    expect(preview.errors.map((error) => [error.source, error.code])).toEqual([
      ['Pasted text, link 4', 'SECRET_INVALID'],
      ['Pasted text, link 5', 'SECRET_MISSING'],
    ]);
    const json = JSON.stringify(preview);
    for (const secret of [LONG_A, LONG_B, LONG_C]) expect(json).not.toContain(secret);
  });

  it('marks duplicates, issuer mismatches, short secrets, unusual digits and periods, and defaulted fields', async () => {
    await rig.value('accounts.add', { uri: link('Existing', 'me', LONG_A) });
    const preview = await rig.addText(
      [
        link('Again', 'me', LONG_A),
        `otpauth://totp/Label:ann?secret=${LONG_B}&issuer=Param`,
        link('Short', 'sid', SHORT),
        link('Seven', 'sev', LONG_C, '&digits=7'),
        link('Slow', 'sal', LONG_C, '&period=60'),
        `otpauth://steam/Steam:gabe?secret=${LONG_B}`,
        fakeMigrationLink({ accounts: [{ issuer: 'Goog', account: 'g', secret: LONG_C }] }),
      ].join('\n'),
    );
    expect(marks(preview, 'Again')).toEqual(['DUPLICATE']);
    expect(preview.items.find((item) => item.issuer === 'Again')!.selected).toBe(false);
    expect(marks(preview, 'Param')).toEqual(['ISSUER_MISMATCH']);
    expect(marks(preview, 'Short')).toEqual(['SHORT_SECRET']);
    expect(marks(preview, 'Seven')).toEqual(['UNUSUAL_DIGITS']);
    expect(marks(preview, 'Slow')).toEqual(['DUPLICATE_IN_IMPORT', 'UNUSUAL_PERIOD']);
    // Steam's 5 characters are not unusual; a steam key is not a duplicate of a totp one.
    expect(marks(preview, 'Steam')).toEqual([]);
    const goog = preview.items.find((item) => item.issuer === 'Goog')!;
    expect(goog.marks.map((mark) => mark.code)).toEqual(['DUPLICATE_IN_IMPORT', 'DEFAULTED']);
    expect(goog.marks[1]!.message).toBe(
      'Google Authenticator export carries no period; Chronokey used 30 seconds.',
    );
    expect(preview.items.filter((item) => item.selected).map((item) => item.issuer)).toEqual([
      'Param',
      'Short',
      'Seven',
      'Steam',
    ]);
  });

  it('assembles a Google export split over several codes, ignoring a part scanned twice', async () => {
    const part = (index: number) =>
      fakeMigrationLink({
        batch: { id: 77, index, size: 3 },
        accounts: [
          { issuer: `Part${index}`, account: 'p', secret: [LONG_A, LONG_B, LONG_C][index]! },
        ],
      });
    const first = await rig.addText(part(0));
    expect(first.batches).toEqual([{ id: 77, scanned: 1, size: 3 }]);
    const again = await rig.addText(part(0), first.id);
    expect(again.id).toBe(first.id);
    expect(again.batches).toEqual([{ id: 77, scanned: 1, size: 3 }]);
    expect(again.items).toHaveLength(1);
    const second = await rig.addText(part(2), first.id);
    expect(second.batches).toEqual([{ id: 77, scanned: 2, size: 3 }]);
    const third = await rig.addText(part(1), first.id);
    expect(third.batches).toEqual([{ id: 77, scanned: 3, size: 3 }]);
    expect(third.items.map((item) => item.issuer)).toEqual(['Part0', 'Part2', 'Part1']);
  });

  it('asks for the password of an encrypted backup; a wrong one changes nothing', async () => {
    const backup = fakeBackup({
      password: FAKE_PASSWORD,
      accounts: [{ issuer: 'Locked', account: 'l', secret: LONG_A, period: 30, tags: ['work'] }],
    });
    const preview = await rig.addFiles([
      { name: 'vault.json', bytes: backup },
      { name: 'links.txt', bytes: link('Plain', 'p', LONG_B) },
    ]);
    expect(preview.needsPassword).toEqual([{ source: 'vault.json', label: 'Fake backup' }]);
    expect(preview.items.map((item) => item.issuer)).toEqual(['Plain']);
    const wrong = await rig.call('import.unlock', {
      previewId: preview.id,
      source: 'vault.json',
      password: 'nope',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'IMPORT_WRONG_PASSWORD' } });
    const unlocked = await rig.value('import.unlock', {
      previewId: preview.id,
      source: 'vault.json',
      password: FAKE_PASSWORD,
    });
    expect(unlocked.needsPassword).toEqual([]);
    expect(unlocked.items.map((item) => [item.issuer, item.tags])).toEqual([
      ['Plain', []],
      ['Locked', ['work']],
    ]);
  });

  it('commits the chosen items in one write, clips tags, and forgets the preview', async () => {
    const longTag = 'x'.repeat(100);
    const tags = [longTag, ' ', ...Array.from({ length: 80 }, (_, i) => `t${i}`)];
    const preview = await rig.addFiles([
      {
        name: 'backup.json',
        bytes: fakeBackup({
          accounts: [
            { issuer: 'One', account: 'o', secret: LONG_A, period: 30, tags },
            { issuer: 'Two', account: 't', secret: LONG_B, period: 30 },
            { issuer: 'Three', account: 'h', secret: LONG_C, period: 30 },
          ],
          unsupported: ['Old:md5'],
        }),
      },
    ]);
    expect(preview.skipped).toEqual([
      expect.objectContaining({ source: 'backup.json', name: 'Old:md5' }),
    ]);
    expect(preview.items[0]!.tags).toHaveLength(64);
    const keys = preview.items.filter((item) => item.issuer !== 'Two').map((item) => item.key);
    const { added } = await rig.value('import.commit', { previewId: preview.id, keys });
    expect(added.map((account) => account.issuer)).toEqual(['One', 'Three']);
    expect(added[0]!.tags[0]).toBe('x'.repeat(64));
    expect(added[0]!.tags).toHaveLength(64);
    expect(JSON.stringify(added)).not.toContain(LONG_A);
    const list = await rig.value('accounts.list');
    expect(list.map((account) => account.issuer)).toEqual(['One', 'Three']);
    expect(await rig.call('import.commit', { previewId: preview.id, keys })).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_PREVIEW_EXPIRED' },
    });
  });

  it('commits nothing when one chosen key is unknown (vault bytes unchanged)', async () => {
    const preview = await rig.addText(link('Solo', 's', LONG_A));
    const before = rig.vaultBytes();
    const result = await rig.call('import.commit', {
      previewId: preview.id,
      keys: [preview.items[0]!.key, 'nope'],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT_ITEM_UNKNOWN' } });
    expect(rig.vaultBytes().equals(before)).toBe(true);
  });

  it('drops previews on cancel, on lock and after they expire', async () => {
    const expired = { ok: false, error: { code: 'IMPORT_PREVIEW_EXPIRED' } };
    const cancelled = await rig.addText(link('A', 'a', LONG_A));
    await rig.value('import.cancel', { previewId: cancelled.id });
    expect(await rig.call('import.addText', { previewId: cancelled.id, text: 'x' })).toMatchObject(
      expired,
    );

    const locked = await rig.addText(link('A', 'a', LONG_A));
    await rig.value('vault.lock');
    await rig.value('vault.unlock', {});
    expect(await rig.call('import.addText', { previewId: locked.id, text: 'x' })).toMatchObject(
      expired,
    );

    const old = await rig.addText(link('A', 'a', LONG_A));
    rig.time.advance(PREVIEW_TTL_MS - 1000);
    await rig.addText(link('B', 'b', LONG_B), old.id); // use keeps it open
    rig.time.advance(PREVIEW_TTL_MS);
    expect(await rig.call('import.addText', { previewId: old.id, text: 'x' })).toMatchObject(
      expired,
    );
  });

  it('reads every code in an image, and the authenticator codes on every display', async () => {
    const png = await smallPng();
    const images = await rig.addFiles([
      { name: 'two.png', bytes: png },
      { name: 'code.png', bytes: png },
    ]);
    expect(images.items.map((item) => [item.issuer, item.source])).toEqual([
      ['First', 'two.png'],
      ['Second', 'two.png'],
      ['Shot', 'code.png'],
    ]);
    const progress = rig.events
      .filter((event) => event.name === 'import.progress')
      .map((event) => event.payload as { done: number; total: number; stage: string });
    expect(progress.map(({ done, total }) => `${done}/${total}`)).toEqual(['0/2', '1/2', '2/2']);
    expect(
      progress
        .slice(1)
        .map((p) => p.stage)
        .sort(),
    ).toEqual(['Done: code.png', 'Done: two.png']);
  });

  it('errors for each bad input name the file and change nothing', async () => {
    const png = await smallPng();
    const before = rig.vaultBytes();
    const preview = await rig.addFiles([
      { name: 'blank.png', bytes: png },
      { name: 'website.png', bytes: png },
      { name: 'cut.png', bytes: png.slice(0, 20) },
      { name: 'broken.json', bytes: '{"fakeBackup": true, "accounts": [' },
      { name: 'export.txt', bytes: 'otpauth-migration://offline?data=bm90IGpzb24' },
      { name: 'mystery.bin', bytes: new Uint8Array([0, 159, 146, 150, 1, 2, 3]) },
      { name: 'notes.txt', bytes: 'just some notes, no links' },
      { name: 'picture.bmp', bytes: new Uint8Array([0x42, 0x4d, ...new Array(40).fill(0)]) },
    ]);
    expect(preview.items).toEqual([]);
    expect(preview.errors.map((error) => [error.source, error.code])).toEqual([
      ['blank.png', 'IMAGE_NO_QR'],
      ['website.png', 'QR_NOT_AUTHENTICATOR'],
      ['cut.png', 'IMAGE_CORRUPT'],
      ['broken.json', 'IMPORT_MALFORMED_JSON'],
      ['export.txt', 'MIGRATION_INVALID'],
      ['mystery.bin', 'IMPORT_UNSUPPORTED_FORMAT'],
      ['notes.txt', 'IMPORT_UNSUPPORTED_FORMAT'],
      ['picture.bmp', 'IMAGE_UNSUPPORTED'],
    ]);
    for (const error of preview.errors) expect(error.message).toContain(`"${error.source}"`);
    const commit = await rig.value('import.commit', { previewId: preview.id, keys: [] });
    expect(commit.added).toEqual([]);
    expect(rig.vaultBytes().equals(before)).toBe(true);
  });

  it('never quotes what a file holds in an error (a broken JSON backup around a secret)', async () => {
    const secret = 'JBSWY3DPEHPK3PXQ';
    const preview = await rig.addFiles([
      { name: 'bad-token.json', bytes: `{"services": [{"secret": ${secret}}]}` },
      { name: 'cut.json', bytes: `{"services": [{"secret": "${secret}` },
      { name: 'comma.json', bytes: `{"a": "${secret}",\n}` },
    ]);
    expect(preview.errors.length).toBeGreaterThanOrEqual(3);
    for (const error of preview.errors) {
      expect(error.message).not.toContain(secret.slice(0, 6));
      expect(error.message).not.toContain('"secret"');
    }
    expect(preview.errors.find((error) => error.source === 'comma.json')?.message).toMatch(
      /line 2, column 1/,
    );
    expect(preview.errors.find((error) => error.source === 'cut.json')?.message).toMatch(
      /ends too early/,
    );
  });

  it('reads link lists saved as UTF-16 with a byte-order mark (Windows exports)', async () => {
    const text = `\ufeff${link('Wide', 'w', LONG_A)}\r\n`;
    const littleEndian = new Uint8Array(Buffer.from(text, 'utf16le'));
    const bigEndian = new Uint8Array(Buffer.from(text, 'utf16le').swap16());
    const preview = await rig.addFiles([
      { name: 'le.txt', bytes: littleEndian },
      { name: 'be.txt', bytes: bigEndian },
    ]);
    expect(preview.errors).toEqual([]);
    expect(preview.items.map((item) => [item.source, item.issuer])).toEqual([
      ['le.txt', 'Wide'],
      ['be.txt', 'Wide'],
    ]);
  });

  it('names files apart when two share a name', async () => {
    const preview = await rig.addFiles([
      { name: 'a.txt', bytes: link('One', 'o', LONG_A) },
      { name: 'a.txt', bytes: 'nothing here' },
    ]);
    expect(preview.items[0]!.source).toBe('a.txt');
    expect(preview.errors[0]!.source).toBe('a.txt (2)');
  });
});

describe('import sources that need the app: open dialog and screen', () => {
  it('opens files through the dialog port; a cancelled dialog returns null', async () => {
    let answer: Array<{ name: string; bytes: Uint8Array }> | null = null;
    const rig = await importRig({ dialog: { openFiles: async () => answer } });
    try {
      expect(await rig.value('import.openFiles', {})).toBeNull();
      answer = [{ name: 'l.txt', bytes: new TextEncoder().encode(link('Dlg', 'd', LONG_A)) }];
      const preview = await rig.value('import.openFiles', {});
      expect(preview!.items.map((item) => [item.issuer, item.source])).toEqual([['Dlg', 'l.txt']]);
    } finally {
      rig.cleanup();
    }
  });

  it('scans every display, ignores unrelated codes next to an authenticator one, and says when none is found', async () => {
    const width = 4;
    const height = 4;
    const rgba = new Uint8Array(width * height * 4);
    let displays = [
      { name: 'Display 1', width, height, rgba },
      { name: 'Display 2', width, height, rgba },
    ];
    const rig = await importRig({
      qr: { 'Display 1': [link('Screen', 'sam', LONG_B), 'https://example.com/app'] },
      screen: { captureDisplays: async () => displays },
    });
    try {
      const found = await rig.value('import.scanScreen', {});
      expect(found.items.map((item) => [item.issuer, item.source])).toEqual([
        ['Screen', 'Display 1'],
      ]);
      expect(found.errors).toEqual([]);
      displays = [{ name: 'Display 2', width, height, rgba }];
      const none = await rig.value('import.scanScreen', {});
      expect(none.errors.map((error) => error.code)).toEqual(['SCREEN_NO_QR']);
    } finally {
      rig.cleanup();
    }
  });

  it('says plainly when there is no screen capture or dialog (the CLI)', async () => {
    const rig = await importRig();
    try {
      expect(await rig.call('import.scanScreen', {})).toMatchObject({
        ok: false,
        error: { code: 'SCREEN_CAPTURE_UNAVAILABLE' },
      });
      expect(await rig.call('import.openFiles', {})).toMatchObject({
        ok: false,
        error: { code: 'DIALOG_UNAVAILABLE' },
      });
    } finally {
      rig.cleanup();
    }
  });
});

describe('QR searches the pipeline starts', () => {
  it('cancelling the import stops a search still running, and says so', async () => {
    let started = () => undefined as void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const engines = fakeEngines();
    const rig = await importRig({
      importEngines: {
        ...engines,
        readQrCodes: (_image, { signal }) =>
          new Promise((_resolve, reject) => {
            started();
            signal?.addEventListener('abort', () =>
              reject(new ChronokeyError('IMPORT_CANCELLED', 'The import was cancelled.')),
            );
          }),
      },
    });
    try {
      const first = await rig.addText(link('Kept', 'k', LONG_A));
      const adding = rig.call('import.addFiles', {
        previewId: first.id,
        files: [{ name: 'busy.png', base64: Buffer.from(await smallPng()).toString('base64') }],
      });
      await running;
      await rig.value('import.cancel', { previewId: first.id });
      expect(await adding).toMatchObject({ ok: false, error: { code: 'IMPORT_CANCELLED' } });
    } finally {
      rig.cleanup();
    }
  });

  it('says when a picture may hold more codes than were read, and keeps what was read', async () => {
    const engines = fakeEngines();
    const rig = await importRig({
      importEngines: {
        ...engines,
        readQrCodes: async () => ({ texts: [link('Read', 'r', LONG_B)], limitReached: true }),
      },
    });
    try {
      const preview = await rig.addFiles([{ name: 'sheet.png', bytes: await smallPng() }]);
      expect(preview.items.map((item) => item.issuer)).toEqual(['Read']);
      expect(preview.errors).toEqual([
        expect.objectContaining({ source: 'sheet.png', code: 'QR_LIMIT_REACHED' }),
      ]);
    } finally {
      rig.cleanup();
    }
  });

  it('a display that cannot be searched is a problem of its own; the others are read', async () => {
    const engines = fakeEngines();
    const rig = await importRig({
      importEngines: {
        ...engines,
        readQrCodesFromRgba: async (display) => {
          if (display.name === 'Display 1') {
            throw new ChronokeyError('IMAGE_TOO_COMPLEX', '"Display 1": too much detail.');
          }
          return { texts: [link('Other', 'o', LONG_C)], limitReached: false };
        },
      },
      screen: {
        captureDisplays: async () => [
          { name: 'Display 1', width: 1, height: 1, rgba: new Uint8Array(4) },
          { name: 'Display 2', width: 1, height: 1, rgba: new Uint8Array(4) },
        ],
      },
    });
    try {
      const preview = await rig.value('import.scanScreen', {});
      expect(preview.items.map((item) => item.issuer)).toEqual(['Other']);
      expect(preview.errors.map((error) => error.code)).toEqual(['IMAGE_TOO_COMPLEX']);
    } finally {
      rig.cleanup();
    }
  });
});
