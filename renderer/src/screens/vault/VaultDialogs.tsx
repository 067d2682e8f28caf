import type { VaultStatus } from '../../../../shared/contract';
import type { AccountView, Settings } from '../../../../shared/domain';
import { useToast } from '../../components/Toasts';
import { AddAccountDialog } from '../../dialogs/AddAccountDialog';
import { BackupFlow } from '../../dialogs/BackupDialog';
import type { BackupStart } from '../../dialogs/BackupDialog';
import { DeleteDialog } from '../../dialogs/DeleteDialog';
import { EditAccountDialog } from '../../dialogs/EditAccountDialog';
import { ImportDialog } from '../../dialogs/ImportDialog';
import type { ImportInput } from '../../dialogs/ImportDialog';
import { RecentlyDeletedDialog } from '../../dialogs/RecentlyDeletedDialog';
import { SettingsDialog } from '../../dialogs/SettingsDialog';
import { accountLabel } from '../../lib/format';

export type OpenDialog =
  | { kind: 'add'; uri?: string }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'settings' }
  | { kind: 'import' }
  | { kind: 'deleted' }
  | { kind: 'backup'; start: BackupStart }
  | null;

interface VaultDialogsProps {
  dialog: OpenDialog;
  setDialog: (dialog: OpenDialog) => void;
  accounts: readonly AccountView[];
  tags: readonly string[];
  settings: Settings;
  status: VaultStatus;
  importInputs: readonly ImportInput[];
  dragging: boolean;
  onStatus: (status: VaultStatus) => void;
  onSettings: (settings: Settings) => void;
  onLocked: () => void;
  startImport: (input?: Omit<ImportInput, 'seq'>) => void;
  confirmDelete: (account: AccountView) => Promise<void>;
  restore: (undoToken: string, label: string) => Promise<void>;
  onAdded: (view: AccountView) => void;
  onChanged: (view: AccountView) => void;
  onImported: () => void;
}

/** The one dialog the main screen has open, if any. */
export function VaultDialogs(props: VaultDialogsProps) {
  const { dialog, setDialog, accounts } = props;
  const toast = useToast();
  const close = () => setDialog(null);
  const target =
    dialog?.kind === 'edit' || dialog?.kind === 'delete'
      ? accounts.find((account) => account.id === dialog.id)
      : undefined;

  switch (dialog?.kind) {
    case 'add':
      return (
        <AddAccountDialog
          key={dialog.uri ?? ''}
          initialUri={dialog.uri}
          onClose={close}
          onImport={(text) => props.startImport(text === undefined ? undefined : { text })}
          onAdded={(view) => {
            close();
            props.onAdded(view);
            toast({ message: `Added ${accountLabel(view.issuer, view.account)}.` });
          }}
        />
      );
    case 'edit':
      return target ? (
        <EditAccountDialog
          account={target}
          knownTags={props.tags}
          onClose={close}
          onSaved={(view) => {
            props.onChanged(view);
            close();
            toast({ message: 'Changes saved.' });
          }}
        />
      ) : null;
    case 'delete':
      return target ? (
        <DeleteDialog
          label={accountLabel(target.issuer, target.account)}
          onCancel={close}
          onConfirm={() => props.confirmDelete(target)}
        />
      ) : null;
    case 'deleted':
      return <RecentlyDeletedDialog onClose={close} onRestore={props.restore} />;
    case 'import':
      return (
        <ImportDialog
          incoming={props.importInputs}
          dragging={props.dragging}
          onClose={close}
          onLocked={props.onLocked}
          onImported={(added) => {
            close();
            props.onImported();
            toast({
              message:
                added.length === 1
                  ? `Imported ${accountLabel(added[0]!.issuer, added[0]!.account)}.`
                  : `Imported ${added.length} accounts.`,
            });
          }}
        />
      );
    case 'backup':
      return (
        <BackupFlow
          start={dialog.start}
          accounts={accounts}
          settings={props.settings}
          onSettings={props.onSettings}
          vaultHasPassword={props.status.slots.includes('password')}
          onClose={close}
          onLocked={props.onLocked}
          onRestored={(message) => {
            props.onImported();
            toast({ message });
          }}
        />
      );
    case 'settings':
      return (
        <SettingsDialog
          settings={props.settings}
          status={props.status}
          onSettings={props.onSettings}
          onStatus={props.onStatus}
          onClose={close}
        />
      );
    default:
      return null;
  }
}
