/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: chronokey [--vault-dir DIR] [--json] COMMAND [ARGS]

Commands:
  init [--password-stdin] [--no-keychain]   create a vault (unlocked by the system keychain by default)
  add OTPAUTH_URI                           add an account from an otpauth:// link
  list                                      list accounts (never their secrets)
  code [QUERY] [--at UNIX_SECONDS]          show current codes of all or matching accounts
  next QUERY                                advance a counter-based (HOTP) account and show its code
  remove QUERY                              remove one account
  new --issuer I --account A [--algorithm SHA1|SHA256|SHA512] [--digits N] [--period S] [--no-add]
                                            make a fresh secret, print its link and QR, and add it
  verify QUERY CODE [--window N] [--at UNIX_SECONDS]
                                            exit 0 if CODE is valid for the account, 1 if not
  export PATH [--format chronokey|aegis|otpauth] [--password-stdin]
                                            write every account to PATH, verified (read back and
                                            compared): an encrypted Chronokey backup (default), an
                                            encrypted Aegis vault, or a plain list of otpauth://
                                            links (NOT encrypted). With --password-stdin, stdin
                                            holds the export's password, then the vault's if needed
  import PATH|- [--dry-run] [--password-stdin]
                                            import accounts from a text file of otpauth:// links, a
                                            QR code image or another app's export (- reads stdin);
                                            adds all but duplicates in one step. With
                                            --password-stdin, stdin holds the passwords needed, one
                                            per line: the backup's (if encrypted), then the vault's

Global options (before the command):
  --vault-dir DIR   the vault's folder (else $CHRONOKEY_VAULT_DIR, else the desktop app's folder)
  --json            machine-readable output
  --password-stdin  read the vault's password from the first line of standard input

QUERY matches an account id (or its first 6+ characters), or part of "issuer:account".
Example:
  chronokey add 'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App'
  chronokey code secure
`;
