import { channels, eventSubscriptions } from '../../shared/contract';
import { TOKEN_HEADER } from './bridge/server';
import { expect, test } from './fixtures';

/** The harness itself: what the page gets is the preload's shape, and nothing else. */
test.describe('test bridge', () => {
  test('rejects calls without its token and serves pages with the app’s CSP', async ({
    bridge,
    request,
  }) => {
    await bridge.reset({ vault: { useKeychain: true } });
    const anonymous = await request.post(`${bridge.url}/rpc`, {
      data: { channel: 'accounts.list' },
    });
    expect(anonymous.status()).toBe(403);
    const wrong = await request.post(`${bridge.url}/rpc`, {
      data: { channel: 'accounts.list' },
      headers: { [TOKEN_HEADER]: 'not-the-token' },
    });
    expect(wrong.status()).toBe(403);
    const page = await request.get(`${bridge.url}/`);
    expect(page.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers()['content-security-policy']).toContain("connect-src 'self'");
  });

  test('window.chronokey has exactly the preload’s methods and events, frozen', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true } });
    const shape = await page.evaluate<Record<string, string[]>>(`(() => {
      const api = window.chronokey;
      const out = {};
      for (const [name, group] of Object.entries(api)) out[name] = Object.keys(group).sort();
      out.frozen = [String(Object.isFrozen(api) && Object.isFrozen(api.accounts))];
      return out;
    })()`);
    const expected: Record<string, string[]> = { frozen: ['true'] };
    for (const channel of channels) {
      const [namespace, method] = channel.split('.') as [string, string];
      (expected[namespace] ??= []).push(method);
    }
    for (const group of Object.values(expected)) group.sort();
    expected.events = Object.keys(eventSubscriptions).sort();
    expect(shape).toEqual(expected);

    const status = await page.evaluate<unknown>('window.chronokey.vault.status()');
    expect(status).toEqual({
      ok: true,
      value: { state: 'unlocked', slots: ['keychain'], keychainAvailable: true, rollback: null },
    });
    const invalid = await page.evaluate<unknown>(`window.chronokey.codes.copy({ id: '' })`);
    expect(invalid).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
  });

  test('delivers main’s events to subscribers under the CSP, validated by the contract', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true } });
    await page.evaluate(`(() => {
      window.__received = [];
      window.chronokey.events.onVaultLocked((payload) => window.__received.push(payload));
    })()`);
    await expect.poll(() => bridge.listeners()).toBeGreaterThan(0);
    await bridge.emit('vault.locked', { reason: 'not-a-reason' });
    await bridge.emit('vault.locked', { reason: 'idle' });
    await expect
      .poll(() => page.evaluate<unknown>('window.__received'))
      .toEqual([{ reason: 'idle' }]);
  });
});
