/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Each command's own help (`chronokey COMMAND --help`), first line its synopsis. */
export const COMMAND_HELP = {
  init: `chronokey init [--no-keychain] [--password-stdin]
  Create a vault, unlocked by the system keychain. With --no-keychain (or where no keychain can
  be reached) it is protected by a password instead, read from the first line of standard input
  with --password-stdin or asked on the terminal. The password must not be easy to guess.`,
  add: `chronokey add OTPAUTH_URI | -
  Add an account from its otpauth:// link. With - the link is read from the first line of
  standard input, so its secret stays out of the process list and your shell history:
    printf '%s\\n' 'otpauth://totp/…' | chronokey add -
  (with --password-stdin the vault password comes first, then the link).`,
  list: `chronokey list
  List accounts: id, type, name and parameters, never their secrets.`,
  code: `chronokey code [QUERY] [--at UNIX_SECONDS]
  Show the current code of every account, or of those matching QUERY. --at shows the codes at
  another time (a unix time in seconds).`,
  next: `chronokey next QUERY
  Advance a counter-based (HOTP) account's counter and show the code for the new counter.`,
  remove: `chronokey remove QUERY
  Remove one account.`,
  new: `chronokey new --issuer ISSUER --account ACCOUNT [--algorithm SHA1|SHA256|SHA512]
              [--digits N] [--period SECONDS] [--no-add]
  Make a fresh random secret for a service you run: print it, its otpauth:// link and a QR code,
  and add it to the vault (unless --no-add). The issuer and the account cannot be empty.`,
  verify: `chronokey verify QUERY CODE [--window N] [--at UNIX_SECONDS] [--advance]
  Exit 0 if CODE is valid for the account, 1 if not. Time-based codes are accepted N periods
  either side of now (default 1). For a counter-based (HOTP) account the codes for the stored
  counter and the N after it are accepted (default 10); verify does not change the counter
  unless --advance is given: then, as a server does after a successful check (RFC 4226 section
  7.2), the counter moves past the matched one, so the same code is never accepted again.`,
  export: `chronokey export PATH [--format chronokey|aegis|kdbx|otpauth] [--force] [--password-stdin]
  Write every account to PATH, verified (read back and compared): an encrypted Chronokey backup
  (the default), an encrypted Aegis vault, a KeePassXC database (KDBX 4, Argon2id; each account's
  otpauth:// link in its otp field), or a plain list of otpauth:// links (NOT encrypted).
  An existing file is replaced only with --force; a path inside the vault's folder, or a vault
  file, is always refused. With --password-stdin, standard input holds the export's password
  (all but otpauth), then the vault's if the vault needs one. The export's password must
  not be easy to guess.`,
  import: `chronokey import PATH|- [--dry-run] [--password-stdin]
  Import accounts from a text file of otpauth:// links, a QR code picture or another app's
  export (- reads standard input), adding all but duplicates in one step. With --dry-run nothing
  is changed. With --password-stdin, standard input holds the passwords needed, one per line:
  the backup's (if encrypted), then the vault's.`,
  sync: `chronokey sync setup DIR [--name NAME] | join DIR [--name NAME] | status | now [--yes] | leave
  Keep this vault's accounts in step with your other devices through a folder your sync app
  (Syncthing, Dropbox, OneDrive, iCloud Drive, Nextcloud) carries. Everything in it is
  encrypted with a key only the sync password unlocks (docs/sync-format.md).
    setup DIR   make "Chronokey Sync" in DIR with a new sync password (asked twice; strong)
    join DIR    join the sync in DIR (or DIR/Chronokey Sync) with its sync password
    status      the folder and every device with when it last synced
    now         sync now; removals of more than 10 accounts (or half) need --yes
    leave       stop syncing on this device (its accounts stay)
  --name is this device's name (default: the computer's name). With --password-stdin, standard
  input holds the sync password (setup, join), then the vault's if the vault needs one.
  Every command that changes the vault (add, remove, next, import …) syncs after its change.`,
  follow: `chronokey follow add DIR | remove DIR | now | status | keep DIR | drop DIR [--json]
  Keep up with another app's automatic backups (Aegis, 2FAS, Ente Auth, Stratum, andOTP…) in a
  folder your sync app carries here: the newest backup is read, new accounts are added and what
  the phone renamed is updated. Accounts the phone no longer has are never removed unasked.
    add DIR     follow DIR (asks for the backups' password, kept inside the vault) and read it
    remove DIR  stop following DIR (its accounts stay)
    now         read every followed folder's newest backup now
    status      each followed folder with what its last read did
    keep DIR    keep the accounts the phone removed, and stop asking
    drop DIR    remove them here too
  With --password-stdin, standard input holds the backups' password (add), then the vault's if
  the vault needs one. The app also reads the folders on unlock, when they change and every 5
  minutes.`,
} as const;

export type CommandName = keyof typeof COMMAND_HELP;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_HELP, name);
}

export const USAGE = `Usage: chronokey [--vault-dir DIR] [--json] COMMAND [ARGS]
       chronokey COMMAND --help       help for one command
       chronokey --version            the version

Commands:
  init [--password-stdin] [--no-keychain]   create a vault (unlocked by the system keychain by default)
  add OTPAUTH_URI | -                       add an account from an otpauth:// link (- reads it from stdin)
  list                                      list accounts (never their secrets)
  code [QUERY] [--at UNIX_SECONDS]          show current codes of all or matching accounts
  next QUERY                                advance a counter-based (HOTP) account and show its code
  remove QUERY                              remove one account
  new --issuer I --account A [--algorithm SHA1|SHA256|SHA512] [--digits N] [--period S] [--no-add]
                                            make a fresh secret, print its link and QR, and add it
  verify QUERY CODE [--window N] [--at UNIX_SECONDS] [--advance]
                                            exit 0 if CODE is valid for the account, 1 if not
  export PATH [--format chronokey|aegis|kdbx|otpauth] [--force] [--password-stdin]
                                            write every account to PATH, verified: an encrypted
                                            Chronokey backup (default), an encrypted Aegis vault,
                                            a KeePassXC database, or a plain list of otpauth://
                                            links (NOT encrypted)
  import PATH|- [--dry-run] [--password-stdin]
                                            import accounts from links, a QR picture or another
                                            app's export, adding all but duplicates in one step
  follow add DIR | remove DIR | now | status | keep DIR | drop DIR
                                            keep up with another app's automatic backups
  sync setup DIR | join DIR | status | now [--yes] | leave
                                            sync with your other devices through a folder

Global options (before the command):
  --vault-dir DIR   the vault's folder (else $CHRONOKEY_VAULT_DIR, else the desktop app's folder)
  --json            machine-readable output; errors are one JSON object on stderr
  --password-stdin  read the vault's password from the first line of standard input
  --version, -V     print the version
  --help, -h        print this help

QUERY matches an account id (or its first 6+ characters), or part of "issuer:account".
Errors exit with 1 (2 for a mistake in the command) and print one line on stderr that starts
with a stable code. Example:
  chronokey add 'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App'
  chronokey code secure
`;
