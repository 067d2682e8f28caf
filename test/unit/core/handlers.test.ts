import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, Handlers, Result } from '../../../shared/contract';
import { dispatch } from '../../../main/core/dispatch';
import { createHandlers } from '../../../main/core/handlers';
import type { ClipboardPort } from '../../../main/core/ports';
import { VaultSession } from '../../../main/core/session';
import { createMemoryKeychain } from '../../../main/core/vault/keychain';
import { manualTime } from '../support/manual-time';
import { referenceBase32Decode, referenceHotp, referenceTotp } from './otp/reference-otp';

const SEED_LINK =
  'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App';
const T0 = 1_700_000_015_000;

function recordingClipboard(): ClipboardPort & { text: string; clears: number } {
  const clipboard = {
    text: '',
    clears: 0,
    readText: async () => clipboard.text,
    writeText: async (text: string) => void (clipboard.text = text),
    clear: async () => {
      clipboard.text = '';
      clipboard.clears += 1;
    },
  };
  return clipboard;
}

describe('core handler table', () => {
  let dir: string;
  let handlers: Handlers;
  let time: ReturnType<typeof manualTime>;
  let clipboard: ReturnType<typeof recordingClipboard>;

  async function call<C extends Channel>(channel: C, input?: ChannelInput<C>) {
    const result = (await dispatch(handlers, channel, input)) as Result<never>;
    return result;
  }
  async function value<C extends Channel>(channel: C, input?: ChannelInput<C>) {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as Awaited<ReturnType<Handlers[C]>>;
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-handlers-'));
    time = manualTime(T0);
    clipboard = recordingClipboard();
    const session = new VaultSession({ dir, keychain: createMemoryKeychain() }, time.clock);
    handlers = createHandlers({ session, clock: time.clock, clipboard, timers: time.timers });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('goes from missing to unlocked to locked and back', async () => {
    expect(await value('vault.status')).toMatchObject({
      state: 'missing',
      keychainAvailable: true,
    });
    expect(await value('vault.create', { useKeychain: true })).toMatchObject({
      state: 'unlocked',
      slots: ['keychain'],
    });
    expect(await value('vault.lock')).toMatchObject({ state: 'locked' });
    expect(await call('accounts.list')).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(await value('vault.unlock', {})).toMatchObject({ state: 'unlocked' });
  });

  describe('with an unlocked vault', () => {
    beforeEach(async () => {
      await value('vault.create', { useKeychain: true });
    });

    it('adds from a link and lists accounts without secrets', async () => {
      const added = await value('accounts.add', { uri: SEED_LINK });
      expect(added).toMatchObject({ issuer: 'Secure App', account: 'alice@google.com' });
      const list = await value('accounts.list');
      expect(list).toHaveLength(1);
      expect(JSON.stringify(list)).not.toContain('S3K3TPI5MYA2M67V');
    });

    it('refuses the same link twice but allows a shared secret with other parameters', async () => {
      await value('accounts.add', { uri: SEED_LINK });
      expect(await call('accounts.add', { uri: SEED_LINK })).toMatchObject({
        ok: false,
        error: { code: 'ACCOUNT_DUPLICATE' },
      });
      const eight = await value('accounts.add', { uri: `${SEED_LINK}&digits=8` });
      expect(eight.warnings).toEqual([expect.objectContaining({ code: 'SECRET_SHARED' })]);
      expect(await value('accounts.list')).toHaveLength(2);
    });

    it('serves current codes with validity, and the next code when the current one ends', async () => {
      const { id } = await value('accounts.add', { uri: SEED_LINK });
      const key = referenceBase32Decode('S3K3TPI5MYA2M67V');
      // 25 s left: only the current code.
      expect(await value('codes.current')).toEqual([
        {
          id,
          code: referenceTotp(key, 'sha1', 6, 30, T0 / 1000),
          validFrom: 1_700_000_010_000,
          validUntil: 1_700_000_040_000,
        },
      ]);
      // 8 s left: the next code comes along.
      await time.advance(17_000);
      const [code] = await value('codes.current');
      expect(code).toEqual({
        id,
        code: referenceTotp(key, 'sha1', 6, 30, T0 / 1000),
        validFrom: 1_700_000_010_000,
        validUntil: 1_700_000_040_000,
        next: {
          code: referenceTotp(key, 'sha1', 6, 30, T0 / 1000 + 30),
          validUntil: 1_700_000_070_000,
        },
      });
    });

    it('adds by hand with the same checks and messages as links', async () => {
      const fields = {
        type: 'hotp',
        issuer: 'Bank',
        account: 'me',
        secret: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
      } as const;
      const added = await value('accounts.create', fields);
      expect(added).toMatchObject({ type: 'hotp', counter: 0, issuer: 'Bank' });
      expect(await call('accounts.create', { ...fields, secret: 'not base32!' })).toMatchObject({
        ok: false,
        error: { code: 'SECRET_INVALID' },
      });
      expect(
        await call('accounts.create', { ...fields, secret: 'AAAAAAAAAAAAAAAA', digits: 11 }),
      ).toMatchObject({
        ok: false,
        error: { code: 'DIGITS_INVALID' },
      });
    });

    it('advances HOTP counters and refuses "next" for time-based accounts', async () => {
      const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
      const hotp = await value('accounts.add', {
        uri: `otpauth://hotp/H:1?secret=${secret}&counter=0`,
      });
      const totp = await value('accounts.add', { uri: SEED_LINK });
      const key = referenceBase32Decode(secret);
      expect(await value('codes.hotpNext', { id: hotp.id })).toEqual({
        id: hotp.id,
        code: referenceHotp(key, 'sha1', 6, 1),
        counter: 1,
      });
      expect((await value('accounts.list')).find((a) => a.id === hotp.id)?.counter).toBe(1);
      expect(await call('codes.hotpNext', { id: totp.id })).toMatchObject({
        ok: false,
        error: { code: 'NOT_HOTP' },
      });
    });

    it('updates names, tags and favourites, and reorders', async () => {
      const a = await value('accounts.add', { uri: 'otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA' });
      const b = await value('accounts.add', { uri: 'otpauth://totp/B:b?secret=BBBBBBBBBBBBBBBB' });
      const c = await value('accounts.add', { uri: 'otpauth://totp/C:c?secret=CCCCCCCCCCCCCCCC' });
      expect(
        await value('accounts.update', {
          id: b.id,
          changes: { issuer: ' Bee ', tags: ['work', 'work', 'home'], favourite: true },
        }),
      ).toMatchObject({ issuer: 'Bee', tags: ['work', 'home'], favourite: true });
      const order = await value('accounts.reorder', { ids: [c.id, a.id] });
      expect(order.map((account) => account.id)).toEqual([c.id, a.id, b.id]);
      expect(
        await call('accounts.update', { id: 'missing', changes: { favourite: true } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'ACCOUNT_NOT_FOUND' },
      });
    });

    it('removes with undo that puts the account back where it was', async () => {
      const a = await value('accounts.add', { uri: 'otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA' });
      const b = await value('accounts.add', { uri: 'otpauth://totp/B:b?secret=BBBBBBBBBBBBBBBB' });
      const c = await value('accounts.add', { uri: 'otpauth://totp/C:c?secret=CCCCCCCCCCCCCCCC' });
      const { undoToken } = await value('accounts.remove', { id: b.id });
      expect((await value('accounts.list')).map((x) => x.id)).toEqual([a.id, c.id]);
      await value('accounts.undoRemove', { undoToken });
      expect((await value('accounts.list')).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
      expect(await call('accounts.undoRemove', { undoToken })).toMatchObject({
        ok: false,
        error: { code: 'UNDO_EXPIRED' },
      });
    });

    it('copies through the clipboard port and clears it after the delay only if still ours', async () => {
      const { id } = await value('accounts.add', { uri: SEED_LINK });
      const expected = referenceTotp(
        referenceBase32Decode('S3K3TPI5MYA2M67V'),
        'sha1',
        6,
        30,
        T0 / 1000,
      );
      expect(await value('codes.copy', { id })).toEqual({
        clearsAt: T0 + 30_000,
        copied: 'current',
      });
      expect(clipboard.text).toBe(expected);
      await time.advance(29_000);
      expect(clipboard.text).toBe(expected);
      await time.advance(1_000);
      expect(clipboard.text).toBe('');
      expect(clipboard.clears).toBe(1);

      await value('codes.copy', { id });
      clipboard.text = 'something the user copied later';
      await time.advance(30_000);
      expect(clipboard.text).toBe('something the user copied later');
      expect(clipboard.clears).toBe(1);
    });

    it("copies the next code in a code's last seconds, and either code when asked", async () => {
      const { id } = await value('accounts.add', { uri: SEED_LINK });
      const key = referenceBase32Decode('S3K3TPI5MYA2M67V');
      const at = (ms: number) => referenceTotp(key, 'sha1', 6, 30, Math.floor(ms / 1000));
      // T0 is 15 s into its period: move to 2 s before its end.
      const periodEnd = Math.ceil(T0 / 30_000) * 30_000;
      await time.advance(periodEnd - 2_000 - T0);
      expect(await value('codes.copy', { id })).toMatchObject({
        copied: 'next',
        validFrom: periodEnd,
      });
      expect(clipboard.text).toBe(at(periodEnd));
      expect(await value('codes.copy', { id, which: 'current' })).toMatchObject({
        copied: 'current',
      });
      expect(clipboard.text).toBe(at(periodEnd - 2_000));
      await time.advance(3_000); // early in the next period: current again
      expect(await value('codes.copy', { id })).toMatchObject({ copied: 'current' });
      expect(await value('codes.copy', { id, which: 'next' })).toMatchObject({ copied: 'next' });
      expect(clipboard.text).toBe(at(periodEnd + 30_000));
    });

    it('lists what was deleted while unlocked, newest first, until it can no longer be undone', async () => {
      const one = await value('accounts.add', { uri: SEED_LINK });
      const two = await value('accounts.add', {
        uri: 'otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Other',
      });
      await value('accounts.remove', { id: one.id });
      await time.advance(1_000);
      const { undoToken } = await value('accounts.remove', { id: two.id });
      const listed = await value('accounts.recentlyDeleted');
      expect(listed.map((entry) => entry.account.id)).toEqual([two.id, one.id]);
      expect(JSON.stringify(listed)).not.toContain('GEZDGNBVGY3TQOJQ');
      await value('accounts.undoRemove', { undoToken });
      expect((await value('accounts.recentlyDeleted')).map((e) => e.account.id)).toEqual([one.id]);
      await time.advance(15 * 60 * 1000);
      expect(await value('accounts.recentlyDeleted')).toEqual([]);
    });

    it('honours the clipboard delay setting, and 0 means never clear', async () => {
      const { id } = await value('accounts.add', { uri: SEED_LINK });
      expect(await value('settings.update', { clipboardClearSeconds: 5 })).toMatchObject({
        clipboardClearSeconds: 5,
        autoLockMinutes: 5,
      });
      expect(await value('codes.copy', { id })).toEqual({
        clearsAt: T0 + 5_000,
        copied: 'current',
      });
      await value('settings.update', { clipboardClearSeconds: 0 });
      expect(await value('codes.copy', { id })).toEqual({ clearsAt: null, copied: 'current' });
      await time.advance(3_600_000);
      expect(clipboard.text).not.toBe('');
    });

    it('rejects settings out of range without changing them', async () => {
      expect(await call('settings.update', { autoLockMinutes: -1 })).toMatchObject({
        ok: false,
        error: { code: 'IPC_INVALID_INPUT' },
      });
      expect(await value('settings.get')).toMatchObject({ autoLockMinutes: 5 });
    });

    it('sets and removes a master password', async () => {
      expect(await value('vault.setPassword', { password: 'a long passphrase' })).toMatchObject({
        slots: expect.arrayContaining(['keychain', 'password']),
      });
      await value('vault.lock');
      expect(await call('vault.unlock', { password: 'wrong one' })).toMatchObject({
        ok: false,
        error: { code: 'VAULT_WRONG_PASSWORD' },
      });
      expect(await value('vault.unlock', { password: 'a long passphrase' })).toMatchObject({
        state: 'unlocked',
      });
      expect(await call('vault.setPassword', { password: 'another one' })).toMatchObject({
        ok: false,
        error: { code: 'VAULT_CURRENT_PASSWORD_REQUIRED' },
      });
      expect(
        await call('vault.setPassword', { password: 'another one', currentPassword: 'nope' }),
      ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
      expect(await call('vault.removePassword', { currentPassword: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'VAULT_WRONG_PASSWORD' },
      });
      await value('vault.setPassword', {
        password: 'another one',
        currentPassword: 'a long passphrase',
      });
      expect(await value('vault.removePassword', { currentPassword: 'another one' })).toMatchObject(
        { slots: ['keychain'] },
      );
    });

    it('turning the keychain on or off needs the current master password', async () => {
      await value('vault.setPassword', { password: 'a long passphrase' });
      expect(
        await call('vault.setKeychain', { enabled: false, currentPassword: 'nope' }),
      ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
      expect(await call('vault.setKeychain', { enabled: false } as never)).toMatchObject({
        ok: false,
        error: { code: 'IPC_INVALID_INPUT' },
      });
      expect(
        await value('vault.setKeychain', { enabled: false, currentPassword: 'a long passphrase' }),
      ).toMatchObject({ slots: ['password'] });
      // A compromised window cannot take the password off the vault without knowing it.
      expect(
        await call('vault.setKeychain', { enabled: true, currentPassword: 'guess' }),
      ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSWORD' } });
      expect((await value('vault.status')).slots).toEqual(['password']);
      expect(
        await value('vault.setKeychain', { enabled: true, currentPassword: 'a long passphrase' }),
      ).toMatchObject({ slots: ['keychain', 'password'] });
    });
  });
});

describe('services that run only in the app', () => {
  it('refuse in a table without them (the CLI) with one code per service', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-unavailable-'));
    try {
      const bare = createHandlers({
        session: new VaultSession({ dir, keychain: createMemoryKeychain() }, { now: () => 0 }),
        clock: { now: () => 0 },
      });
      for (const [channel, code] of [
        ['backup.autoStatus', 'AUTO_BACKUP_UNAVAILABLE'],
        ['sync.status', 'SYNC_UNAVAILABLE'],
        ['sync.leave', 'SYNC_UNAVAILABLE'],
        ['follow.status', 'FOLLOW_UNAVAILABLE'],
        ['follow.now', 'FOLLOW_UNAVAILABLE'],
      ] as const) {
        const result = await dispatch(bare, channel, undefined);
        expect(result, channel).toMatchObject({ ok: false, error: { code } });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
