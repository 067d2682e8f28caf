import type { App } from 'electron';
import { acceptOtpauthLink, linkFromArgv } from '../core/otpauth-link-intake';

/** The URL scheme Chronokey handles: a click on an otpauth:// link opens its add flow. */
export const OTPAUTH_SCHEME = 'otpauth';

export interface ProtocolClientOptions {
  /** This process's command line: Windows and Linux pass a link to the first launch here. */
  argv: readonly string[];
  /**
   * Only a packaged Chronokey claims the scheme: a development run (`electron .`) must not
   * take over the system's otpauth:// handler.
   */
  isPackaged: boolean;
  /** Receives each accepted link: show the window and open the add flow with it. */
  onLink: (link: string) => void;
}

/**
 * Registers Chronokey as the otpauth:// handler and listens for links: macOS delivers them as
 * `open-url` (also at launch, so this runs before `ready`); Windows and Linux start a second
 * instance with the link on its command line, which the single-instance lock forwards here as
 * `second-instance`. Links that are not sane otpauth:// links are dropped.
 */
export function registerProtocolClient(
  app: Pick<App, 'setAsDefaultProtocolClient' | 'on'>,
  options: ProtocolClientOptions,
): void {
  if (options.isPackaged) app.setAsDefaultProtocolClient(OTPAUTH_SCHEME);

  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = acceptOtpauthLink(url);
    if (link !== null) options.onLink(link);
  });
  app.on('second-instance', (_event, argv) => {
    const link = linkFromArgv(argv);
    if (link !== null) options.onLink(link);
  });

  const initial = linkFromArgv(options.argv);
  if (initial !== null) options.onLink(initial);
}
