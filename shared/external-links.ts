/**
 * Every web page the window may open in the person's browser: the exact links Chronokey itself
 * shows. Main opens nothing else (main/shell/security.ts), so a compromised window cannot send
 * the person to an address it composed.
 */
export const EXTERNAL_LINKS = {
  syncthing: 'https://syncthing.net/',
  nextcloud: 'https://nextcloud.com/install/#install-clients',
  dropbox: 'https://www.dropbox.com/install',
  onedrive: 'https://www.microsoft.com/microsoft-365/onedrive/download',
  icloud: 'https://support.apple.com/guide/icloud/set-up-icloud-drive-mm203b05aec8/icloud',
} as const;

export type ExternalLink = keyof typeof EXTERNAL_LINKS;

const ALLOWED = new Set<string>(Object.values(EXTERNAL_LINKS));

/** True only for one of the links above, exactly as written there. */
export function isAllowedExternalLink(url: string): boolean {
  return ALLOWED.has(url);
}
