import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, Handlers, Result } from '../../../shared/contract';
import { channels } from '../../../shared/contract';
import { dispatch } from '../../../main/core/dispatch';
import { createHandlers } from '../../../main/core/handlers';
import type { ClipboardPort } from '../../../main/core/ports';
import { VaultSession } from '../../../main/core/session';
import { createMemoryKeychain } from '../../../main/core/vault/keychain';
import { manualTime } from '../support/manual-time';

/**
 * What a compromised renderer can reach: every channel, called as the window would (through the
 * contract), with the answers main's own dialogs would give. docs/security.md ("What a
 * compromised window can do") states the same, channel by channel.
 */

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const LINKS = [
  `otpauth://totp/Example:alice?secret=${TOTP_SECRET}&issuer=Example`,
  `otpauth://hotp/Bank:bob?secret=${HOTP_SECRET}&issuer=Bank&counter=3`,
];
const MASTER = 'harbor velvet quartz meadow tide';

/** Every way a secret could be spelled in an answer. */
function spellings(secret: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const character of secret) bits += alphabet.indexOf(character).toString(2).padStart(5, '0');
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  return [secret, secret.toLowerCase(), bytes.toString('hex'), bytes.toString('base64')];
}
const SECRET_SPELLINGS = [...spellings(TOTP_SECRET), ...spellings(HOTP_SECRET)];

function clipboardPort(): ClipboardPort & { text: string } {
  const clipboard = {
    text: '',
    readText: async () => clipboard.text,
    writeText: async (text: string) => void (clipboard.text = text),
    clear: async () => void (clipboard.text = ''),
  };
  return clipboard;
}

describe('the renderer boundary', () => {
  let dir: string;
  let folder: string;
  let handlers: Handlers;
  let confirmAnswer: boolean;
  let asked: string[];
  let savePath: string | null;
  let ids: { totp: string; hotp: string };

  async function call<C extends Channel>(channel: C, input?: ChannelInput<C>) {
    return (await dispatch(handlers, channel, input)) as Result<unknown>;
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-boundary-'));
    folder = path.join(dir, 'chosen');
    confirmAnswer = true;
    asked = [];
    savePath = null;
    const time = manualTime(1_733_000_000_000);
    const session = new VaultSession(
      { dir: path.join(dir, 'vault'), keychain: createMemoryKeychain() },
      time.clock,
    );
    handlers = createHandlers({
      session,
      clock: time.clock,
      timers: time.timers,
      clipboard: clipboardPort(),
      saveDialog: { chooseSavePath: async () => savePath },
      folderDialog: { chooseFolder: async () => folder },
      confirm: {
        confirm: async (question) => {
          asked.push(question.message);
          return confirmAnswer;
        },
      },
      autoBackup: {},
      sync: { watch: async () => ({ close: async () => undefined }) },
      follow: { watch: async () => ({ close: async () => undefined }) },
    });
    await handlers['vault.create']({ useKeychain: true, password: MASTER });
    const [totp, hotp] = [
      await handlers['accounts.add']({ uri: LINKS[0]! }),
      await handlers['accounts.add']({ uri: LINKS[1]! }),
    ];
    ids = { totp: totp.id, hotp: hotp.id };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A plausible call of every channel, as a window would make it. */
  function sampleInputs(): { [C in Channel]: ChannelInput<C> | 'skip' } {
    return {
      'vault.status': undefined,
      'vault.create': 'skip', // exists already: refused
      'vault.unlock': {},
      'vault.lock': 'skip', // would end the session for the other calls
      'vault.setPassword': 'skip', // needs the current password (tested in handlers.test.ts)
      'vault.removePassword': 'skip',
      'vault.setKeychain': 'skip',
      'vault.acknowledgeRollback': undefined,
      'accounts.list': undefined,
      'accounts.add': { uri: 'otpauth://totp/Other:carol?secret=MFRGGZDFMZTWQ2LK&issuer=Other' },
      'accounts.create': {
        type: 'totp',
        issuer: 'Manual',
        account: 'dave',
        secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
      },
      'accounts.update': { id: ids.totp, changes: { tags: ['work'] } },
      'accounts.remove': 'skip',
      'accounts.undoRemove': 'skip',
      'accounts.recentlyDeleted': undefined,
      'accounts.reorder': { ids: [ids.hotp, ids.totp] },
      'codes.current': undefined,
      'codes.hotpNext': { id: ids.hotp },
      'codes.copy': { id: ids.totp },
      'settings.get': undefined,
      'settings.update': { theme: 'dark' },
      'system.clockHealth': undefined,
      'system.info': 'skip', // no system port here
      'system.takePendingLink': 'skip',
      'system.protectScreen': 'skip',
      'import.addText': { text: LINKS.join('\n') },
      'import.addFiles': {
        files: [{ name: 'links.txt', base64: Buffer.from(LINKS.join('\n')).toString('base64') }],
      },
      'import.openFiles': 'skip', // no file dialog here
      'import.scanScreen': 'skip',
      'import.unlock': 'skip',
      'import.commit': 'skip',
      'import.cancel': 'skip',
      'backup.export': { format: 'chronokey', password: 'another long backup passphrase' },
      'backup.chooseFolder': undefined,
      'backup.setAutoPassword': 'skip',
      'backup.autoStatus': undefined,
      'backup.runNow': undefined,
      'transfer.migrationQrs': {},
      'transfer.accountQr': { id: ids.totp },
      'sync.status': undefined,
      'sync.chooseFolder': { purpose: 'setup' },
      'sync.setup': 'skip', // needs the master password (below)
      'sync.join': 'skip',
      'sync.now': undefined,
      'sync.resolveRemovals': { apply: true },
      'sync.changePassword': 'skip',
      'sync.removeDevice': 'skip',
      'sync.enterPassword': { password: 'a guess at a sync password' },
      'sync.leave': undefined,
      'follow.status': undefined,
      'follow.chooseFolder': undefined,
      'follow.add': { password: 'the phone backup password' },
      'follow.setPassword': 'skip', // needs a followed folder's id (follow-service.test.ts)
      'follow.remove': 'skip',
      'follow.now': undefined,
      'follow.resolveMissing': 'skip',
    };
  }

  it('no answer on any channel carries a stored secret, in any spelling', async () => {
    const inputs = sampleInputs();
    expect(Object.keys(inputs).sort()).toEqual([...channels].sort());
    for (const channel of channels) {
      const input = inputs[channel];
      if (input === 'skip') continue;
      const result = await call(channel, input as never);
      const json = JSON.stringify(result);
      for (const spelling of SECRET_SPELLINGS) {
        expect(json.includes(spelling), `${channel} answered with a secret`).toBe(false);
      }
    }
  });

  it('codes: only the codes themselves (and the next one near expiry), never what makes them', async () => {
    const current = await handlers['codes.current']();
    expect(current).toHaveLength(2);
    for (const code of current) {
      for (const key of Object.keys(code)) {
        expect(['id', 'code', 'counter', 'validFrom', 'validUntil', 'next']).toContain(key);
      }
      expect(code.code).toMatch(/^\d{6}$/);
    }
    const next = await handlers['codes.hotpNext']({ id: ids.hotp });
    expect(next.code).toMatch(/^\d{6}$/);
    expect(await handlers['codes.copy']({ id: ids.totp, which: 'auto' })).toEqual({
      clearsAt: expect.any(Number),
      copied: 'current',
    });
  });

  it("transfer QR codes (the only secret-carrying pictures) need a yes in main's own dialog", async () => {
    confirmAnswer = false;
    for (const [channel, input] of [
      ['transfer.migrationQrs', {}],
      ['transfer.accountQr', { id: ids.totp }],
    ] as const) {
      const refused = await call(channel, input);
      expect(refused).toMatchObject({ ok: false, error: { code: 'TRANSFER_NOT_CONFIRMED' } });
    }
    expect(asked).toHaveLength(2);
    confirmAnswer = true;
    const shown = await call('transfer.accountQr', { id: ids.totp });
    expect(shown).toMatchObject({ ok: true, value: { svg: expect.stringMatching(/^<svg/) } });
    expect(Object.keys((shown as { value: object }).value)).toEqual(['svg']);
  });

  it('without a confirmation dialog (the CLI, a test) no transfer QR code is made at all', async () => {
    const bare = createHandlers({
      session: new VaultSession(
        { dir: path.join(dir, 'vault'), keychain: createMemoryKeychain() },
        { now: () => 0 },
      ),
      clock: { now: () => 0 },
    });
    await bare['vault.unlock']({ password: MASTER });
    await expect(bare['transfer.accountQr']({ id: ids.totp })).rejects.toMatchObject({
      code: 'DIALOG_UNAVAILABLE',
    });
  });

  it("exports go only where the person chose in main's save dialog; cancelling writes nothing", async () => {
    savePath = null;
    expect(await call('backup.export', { format: 'otpauth' })).toEqual({ ok: true, value: null });
    expect(readdirSync(dir).sort()).toEqual(['vault']);
  });

  it("automatic backups go only to the folder from main's dialog, with a password the master password allowed", async () => {
    const elsewhere = await call('settings.update', {
      autoBackup: { schedule: 'on-change', keep: 3, folder: '/tmp/attacker' } as never,
    });
    expect(elsewhere).toMatchObject({ ok: true, value: { autoBackup: { folder: null } } });
    expect(
      await call('backup.setAutoPassword', { password: 'attacker chosen password here' }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_CURRENT_PASSWORD_REQUIRED' } });
    expect(
      await call('backup.setAutoPassword', {
        password: 'attacker chosen password here',
        vaultPassword: 'a guess',
      }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
    expect(await call('backup.runNow')).toMatchObject({ ok: true, value: { hasPassword: false } });
  });

  it("follows only a folder from main's dialog, and never answers with the backups' password", async () => {
    expect(await call('follow.add', { password: 'the phone backup password' })).toMatchObject({
      ok: false,
      error: { code: 'FOLLOW_FOLDER_NOT_CHOSEN' },
    });
    mkdirSync(folder, { recursive: true });
    expect(await call('follow.chooseFolder')).toEqual({ ok: true, value: { path: folder } });
    const added = await call('follow.add', { password: 'the phone backup password' });
    expect(added).toMatchObject({ ok: true, value: { follows: [{ folder, hasPassword: true }] } });
    expect(JSON.stringify(added)).not.toContain('the phone backup password');
    expect(JSON.stringify(await call('follow.status'))).not.toContain('the phone backup password');
  });

  it("sync goes only to the folder from main's dialog, and only with the master password", async () => {
    expect(
      await call('sync.setup', { password: 'attacker chosen password here', deviceName: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'SYNC_FOLDER_NOT_CHOSEN' } });
    expect(await call('sync.chooseFolder', { purpose: 'setup' })).toMatchObject({
      ok: true,
      value: { path: path.join(folder, 'Chronokey Sync'), holdsSync: false },
    });
    expect(
      await call('sync.setup', { password: 'attacker chosen password here', deviceName: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_CURRENT_PASSWORD_REQUIRED' } });
    expect(
      await call('sync.setup', {
        password: 'attacker chosen password here',
        deviceName: 'x',
        vaultPassword: 'a guess',
      }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
    expect(await call('sync.status')).toMatchObject({ ok: true, value: { state: 'off' } });
    expect(readdirSync(dir).sort()).toEqual(['vault']);
  });

  it('the keychain cannot be switched on (taking the password away) without the master password', async () => {
    expect(
      await call('vault.setKeychain', { enabled: false, currentPassword: 'a guess' }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
    expect(await call('vault.removePassword', { currentPassword: 'a guess' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_WRONG_PASSWORD' },
    });
  });
});
