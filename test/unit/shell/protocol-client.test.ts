import { describe, expect, it, vi } from 'vitest';
import {
  MAX_LINK_LENGTH,
  acceptOtpauthLink,
  createLinkInbox,
  linkFromArgv,
} from '../../../main/core/otpauth-link-intake';
import { registerProtocolClient } from '../../../main/shell/protocol-client';

const LINK = 'otpauth://totp/Example:me@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';

describe('otpauth link intake', () => {
  it('accepts sane otpauth:// links only', () => {
    expect(acceptOtpauthLink(LINK)).toBe(LINK);
    expect(acceptOtpauthLink(`  ${LINK}\n`)).toBe(LINK);
    expect(acceptOtpauthLink('OTPAUTH://hotp/x?secret=A&counter=1')).toBe(
      'OTPAUTH://hotp/x?secret=A&counter=1',
    );
    for (const bad of [
      'https://example.com/?otpauth://totp/x',
      'otpauth:totp/x?secret=A',
      'otpauth:///x',
      'otpauth://totp/a b?secret=A',
      'otpauth://totp/x?secret=A\u0000',
      'otpauth://totp/x?secret=A\r\nInjected: yes',
      `otpauth://totp/x?secret=${'A'.repeat(MAX_LINK_LENGTH)}`,
      '',
      42,
      null,
    ]) {
      expect(acceptOtpauthLink(bad), String(bad).slice(0, 40)).toBeNull();
    }
  });

  it('finds the link in a command line among Chromium switches, the last one winning', () => {
    expect(linkFromArgv(['/opt/Chronokey/chronokey', '--no-sandbox', LINK])).toBe(LINK);
    expect(
      linkFromArgv(['C:\\Chronokey.exe', '--allow-file-access', 'otpauth://totp/a?secret=A', LINK]),
    ).toBe(LINK);
    expect(linkFromArgv(['chronokey', 'otpauth://totp/bad link', '--flag'])).toBeNull();
    expect(linkFromArgv(['chronokey'])).toBeNull();
  });

  it('holds one waiting link and gives it out once', () => {
    const inbox = createLinkInbox();
    expect(inbox.take()).toBeNull();
    inbox.put('otpauth://totp/a?secret=A');
    inbox.put(LINK);
    expect(inbox.hasLink).toBe(true);
    expect(inbox.take()).toBe(LINK);
    expect(inbox.take()).toBeNull();
  });
});

describe('registerProtocolClient', () => {
  function fakeApp() {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    return {
      listeners,
      setAsDefaultProtocolClient: vi.fn(() => true),
      on: vi.fn((name: string, listener: (...args: unknown[]) => void) => {
        listeners.set(name, listener);
      }),
    };
  }

  it('claims otpauth:// only when packaged', () => {
    const packaged = fakeApp();
    registerProtocolClient(packaged as never, { argv: [], isPackaged: true, onLink: vi.fn() });
    expect(packaged.setAsDefaultProtocolClient).toHaveBeenCalledWith('otpauth');
    const dev = fakeApp();
    registerProtocolClient(dev as never, { argv: [], isPackaged: false, onLink: vi.fn() });
    expect(dev.setAsDefaultProtocolClient).not.toHaveBeenCalled();
  });

  it('delivers links from the first launch, a second instance and macOS open-url', () => {
    const app = fakeApp();
    const onLink = vi.fn();
    registerProtocolClient(app as never, { argv: ['chronokey', LINK], isPackaged: true, onLink });
    expect(onLink).toHaveBeenLastCalledWith(LINK);

    app.listeners.get('second-instance')!({}, ['chronokey', '--x', LINK], '/home');
    expect(onLink).toHaveBeenCalledTimes(2);
    app.listeners.get('second-instance')!({}, ['chronokey'], '/home');
    expect(onLink).toHaveBeenCalledTimes(2);

    const event = { preventDefault: vi.fn() };
    app.listeners.get('open-url')!(event, LINK);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(onLink).toHaveBeenCalledTimes(3);
    app.listeners.get('open-url')!(event, 'javascript:alert(1)');
    expect(onLink).toHaveBeenCalledTimes(3);
  });
});
