import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { AccountView, Settings } from '../../../shared/domain';
import { AutoBackupPanel } from '../components/AutoBackupSettings';
import { Dialog } from '../components/Dialog';
import { accountLabel } from '../lib/format';
import { ExportDialog } from './ExportDialog';
import { RestoreDialog } from './RestoreDialog';
import { TransferDialog } from './TransferDialog';
import '../styles/backup.css';

export type BackupChoice = 'export' | 'restore' | 'transfer' | 'aegis' | 'kdbx' | 'otpauth';

/** Where the backup flow starts: its overview, or straight at one account's QR code. */
export type BackupStart = { kind: 'hub' } | { kind: 'qr'; id: string };

interface BackupFlowProps {
  start: BackupStart;
  accounts: readonly AccountView[];
  settings: Settings;
  onSettings: (settings: Settings) => void;
  vaultHasPassword: boolean;
  /** A restore changed the accounts: reload them and say what happened. */
  onRestored: (message: string) => void;
  onClose: () => void;
  onLocked: () => void;
}

/**
 * The backup and transfer dialogs as one flow: the overview opens one task at a time, and
 * closing a task goes back to the overview (or closes, when it was opened from a row).
 */
export function BackupFlow({
  start,
  accounts,
  settings,
  onSettings,
  vaultHasPassword,
  onRestored,
  onClose,
  onLocked,
}: BackupFlowProps) {
  const [task, setTask] = useState<BackupChoice | null>(null);
  const back = () => setTask(null);

  if (start.kind === 'qr') {
    const account = accounts.find((candidate) => candidate.id === start.id);
    if (!account) return null;
    return (
      <TransferDialog
        account={{ id: account.id, label: accountLabel(account.issuer, account.account) }}
        accountCount={1}
        onClose={onClose}
        onLocked={onLocked}
      />
    );
  }
  switch (task) {
    case 'export':
    case 'aegis':
    case 'kdbx':
    case 'otpauth':
      return (
        <ExportDialog
          key={task}
          format={task === 'export' ? 'chronokey' : task}
          accountCount={accounts.length}
          onClose={back}
          onLocked={onLocked}
        />
      );
    case 'restore':
      return (
        <RestoreDialog
          accounts={accounts}
          onClose={back}
          onLocked={onLocked}
          onRestored={(message) => {
            onRestored(message);
            onClose();
          }}
        />
      );
    case 'transfer':
      return <TransferDialog accountCount={accounts.length} onClose={back} onLocked={onLocked} />;
    case null:
      return (
        <BackupDialog
          accountCount={accounts.length}
          settings={settings}
          onSettings={onSettings}
          vaultHasPassword={vaultHasPassword}
          onChoose={setTask}
          onClose={onClose}
        />
      );
  }
}

interface BackupDialogProps {
  accountCount: number;
  settings: Settings;
  onSettings: (settings: Settings) => void;
  vaultHasPassword: boolean;
  onChoose: (choice: BackupChoice) => void;
  onClose: () => void;
}

function Action({
  title,
  hint,
  button,
  disabled = false,
  onClick,
}: {
  title: string;
  hint: string;
  button: string;
  disabled?: boolean;
  onClick: () => void;
}) {
  const id = useId();
  return (
    <div className="backup-action">
      <div className="setting-text">
        <span className="setting-label" id={`${id}-title`}>
          {title}
        </span>
        <p className="setting-hint" id={`${id}-hint`}>
          {hint}
        </p>
      </div>
      <button
        type="button"
        className="button"
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onClick={onClick}
      >
        {button}
      </button>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h3 className="section-title" id={id}>
        {title}
      </h3>
      {children}
    </section>
  );
}

/** Everything that takes accounts out of Chronokey, or brings a backup back. */
export function BackupDialog({
  accountCount,
  settings,
  onSettings,
  vaultHasPassword,
  onChoose,
  onClose,
}: BackupDialogProps) {
  const none = accountCount === 0;
  return (
    <Dialog title="Backup and transfer" onClose={onClose} wide>
      <div className="settings">
        <Section title="Backups">
          <Action
            title="Encrypted backup"
            hint="Save all accounts to one file protected by a password. Keep it somewhere other than this computer."
            button="Export encrypted backup"
            disabled={none}
            onClick={() => onChoose('export')}
          />
          <Action
            title="Restore"
            hint="Open a backup and add its accounts, or put them in place of the ones here."
            button="Restore from a backup"
            onClick={() => onChoose('restore')}
          />
        </Section>

        <Section title="Automatic backups">
          <AutoBackupPanel
            settings={settings}
            onSettings={onSettings}
            vaultHasPassword={vaultHasPassword}
          />
        </Section>

        <Section title="Move to a phone or another app">
          <Action
            title="Phone"
            hint="Show QR codes that Google Authenticator (and apps that read its exports) can scan."
            button="Transfer to a phone"
            disabled={none}
            onClick={() => onChoose('transfer')}
          />
          <Action
            title="Aegis"
            hint="An encrypted vault file that Aegis Authenticator can import."
            button="Export for Aegis"
            disabled={none}
            onClick={() => onChoose('aegis')}
          />
          <Action
            title="KeePassXC"
            hint="An encrypted KeePass database: one entry per account, with its code and tags."
            button="Export for KeePassXC"
            disabled={none}
            onClick={() => onChoose('kdbx')}
          />
          <Action
            title="Plain list of links"
            hint="Every account as an otpauth:// link in a text file. Not encrypted."
            button="Export otpauth links"
            disabled={none}
            onClick={() => onChoose('otpauth')}
          />
        </Section>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
