/**
 * otpauth:// links handed to Chronokey by the system (a click in a browser, another app):
 * on macOS through `open-url`, on Windows and Linux as a command-line argument of the first
 * launch or of a second instance. Only a plausible link gets as far as the add flow, which
 * then parses it strictly and adds nothing until the user confirms.
 */

/** The longest link accepted: what `accounts.add` accepts. */
export const MAX_LINK_LENGTH = 8192;

/** The link itself if `raw` is a sane otpauth:// link, else null. */
export function acceptOtpauthLink(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const link = raw.trim();
  if (link.length === 0 || link.length > MAX_LINK_LENGTH) return null;
  if (!/^otpauth:\/\//i.test(link)) return null;
  // No control characters, spaces or line breaks: a link from a browser has them escaped.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(link)) return null;
  const url = URL.parse(link);
  if (!url || url.protocol !== 'otpauth:' || url.host === '') return null;
  return link;
}

/**
 * The otpauth:// link in a command line, if any. Windows and Linux start Chronokey with the
 * link as an argument (`chronokey "otpauth://…"`, the desktop file's %U); Chromium may add
 * switches of its own, so every argument is looked at and the last link wins.
 */
export function linkFromArgv(argv: readonly string[]): string | null {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]!;
    if (!/^otpauth:/i.test(arg)) continue;
    const link = acceptOtpauthLink(arg);
    if (link !== null) return link;
  }
  return null;
}

/** Holds the link that came in last until the window takes it (after unlocking, perhaps). */
export function createLinkInbox() {
  let pending: string | null = null;
  return {
    put(link: string): void {
      pending = link;
    },
    take(): string | null {
      const link = pending;
      pending = null;
      return link;
    },
    get hasLink(): boolean {
      return pending !== null;
    },
  };
}
export type LinkInbox = ReturnType<typeof createLinkInbox>;
