import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput, Handlers } from '../../../../shared/contract';
import type { Account } from '../../../../shared/domain';
import { ChronokeyError } from '../../../../shared/errors';
import { dispatch } from '../../../../main/core/dispatch';
import { createHandlers } from '../../../../main/core/handlers';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import { sampleAccounts } from './backup-fixtures';

const PASSWORD = 'restore me';
const NOW = 1_733_000_000_000;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'chronokey-restore-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshApp(name: string, accounts: Account[] = []) {
  const session = new VaultSession(
    { dir: join(root, name), keychain: createMemoryKeychain() },
    { now: () => NOW },
  );
  await session.create({ useKeychain: true });
  if (accounts.length > 0)
    await session.update((draft) => void (draft.accounts = structuredClone(accounts)));
  let savePath: string | null = null;
  const handlers = createHandlers({
    session,
    clock: { now: () => NOW },
    saveDialog: { chooseSavePath: async () => savePath },
  });
  return {
    session,
    willSaveTo: (path: string | null) => void (savePath = path),
    call: async <C extends Channel>(
      channel: C,
      input: ChannelInput<C>,
    ): Promise<ChannelOutput<C>> => {
      const result = await dispatch(handlers as Handlers, channel, input);
      if (!result.ok) throw new ChronokeyError(result.error.code, result.error.message);
      return result.value as ChannelOutput<C>;
    },
  };
}

describe('backup.export', () => {
  it('the save dialog cancelled writes nothing; a plain list needs no password', async () => {
    const app = await freshApp('source', sampleAccounts(3));
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
    const app = await freshApp('source', accounts);
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

  it("one account's own QR carries its link", async () => {
    const accounts = sampleAccounts(2);
    const app = await freshApp('source', accounts);
    const qr = await app.call('transfer.accountQr', { id: accounts[1]!.id });
    expect(qr.uri).toContain(`secret=${accounts[1]!.secret}`);
    expect(qr.svg).toMatch(/^<svg/);
    await expect(app.call('transfer.accountQr', { id: 'nope' })).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });
});
