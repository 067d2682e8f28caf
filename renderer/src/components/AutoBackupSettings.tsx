import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { AutoBackupStatus } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain';
import { api, call } from '../lib/api';
import { useMainStatus } from '../lib/use-main-status';
import { NewPasswordFields, useNewPassword } from './NewPassword';
import { NumberSetting } from './NumberSetting';
import { MasterPasswordField } from './PasswordField';
import { useTask } from '../lib/use-task';
import { SettingRow } from './SettingRow';
import { FormError } from './FormParts';

export type AutoBackupSchedule = 'off' | 'on-change' | 'daily';

/** What the automatic-backup settings show; the container maps the contract onto it. */
export interface AutoBackupView {
  schedule: AutoBackupSchedule;
  folder: string | null;
  keep: number;
  /** A backup password has been given (main keeps only the key it gives, in the vault). */
  hasPassword: boolean;
  /** The vault has a master password, which setting the backup password then needs too. */
  vaultHasPassword: boolean;
  /** The last attempt: success or failure, shown either way. */
  last:
    | { ok: true; at: number; path: string; accounts: number }
    | { ok: false; at: number; message: string }
    | null;
}

export interface AutoBackupActions {
  setSchedule(schedule: AutoBackupSchedule): Promise<void>;
  chooseFolder(): Promise<void>;
  setKeep(keep: number): Promise<void>;
  setPassword(password: string, vaultPassword?: string): Promise<void>;
  runNow(): Promise<void>;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function formatWhen(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The last automatic backup, or why it failed: never hidden. */
export function LastAutoBackup({ last }: { last: AutoBackupView['last'] }) {
  if (!last) return <p className="setting-hint">No automatic backup has been made yet.</p>;
  if (!last.ok) {
    return (
      <p className="form-error auto-backup-status" role="alert">
        The automatic backup of {formatWhen(last.at)} could not be written. {last.message}
      </p>
    );
  }
  return (
    <p className="notice auto-backup-status" role="status">
      Last automatic backup: {formatWhen(last.at)}, {plural(last.accounts, 'account', 'accounts')},
      verified. <span className="path">{last.path}</span>
    </p>
  );
}

/**
 * Automatic backups: off by default; after every change or once a day, to a folder the user
 * picks, keeping the newest N files, encrypted with a backup password typed once.
 */
export function AutoBackupSettings({
  view,
  actions,
}: {
  view: AutoBackupView;
  actions: AutoBackupActions;
}) {
  const id = useId();
  const { busy, error, run } = useTask();
  const [changingPassword, setChangingPassword] = useState(false);
  const on = view.schedule !== 'off';

  return (
    <div className="auto-backup">
      <SettingRow
        label="Automatic backups"
        hint="An encrypted backup in a folder you choose, checked after writing."
        controlId={`${id}-schedule`}
      >
        <select
          id={`${id}-schedule`}
          value={view.schedule}
          disabled={busy}
          aria-describedby={`${id}-schedule-hint`}
          onChange={(event) =>
            void run(() => actions.setSchedule(event.target.value as AutoBackupSchedule))
          }
        >
          <option value="off">Off</option>
          <option value="on-change">After every change</option>
          <option value="daily">Once a day</option>
        </select>
      </SettingRow>

      {on && (
        <>
          <SettingRow
            label="Backup folder"
            hint={
              view.folder ? (
                <span className="path" title={view.folder}>
                  {view.folder}
                </span>
              ) : (
                'No folder chosen yet: backups are not written until you choose one.'
              )
            }
          >
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run(actions.chooseFolder)}
            >
              Choose backup folder…
            </button>
          </SettingRow>
          <NumberSetting
            label="Backups to keep"
            hint="The oldest automatic backups beyond this are deleted."
            value={view.keep}
            min={1}
            max={100}
            unit="backups"
            onSave={(keep) => run(() => actions.setKeep(keep))}
          />
          {view.hasPassword && !changingPassword ? (
            <SettingRow
              label="Backup password"
              hint="Set. You need it to restore these backups; Chronokey keeps only the key it gives."
            >
              <button type="button" className="button" onClick={() => setChangingPassword(true)}>
                Change backup password
              </button>
            </SettingRow>
          ) : (
            <BackupPasswordForm
              busy={busy}
              needsVaultPassword={view.vaultHasPassword}
              onSubmit={(password, vaultPassword) =>
                run(async () => {
                  await actions.setPassword(password, vaultPassword);
                  setChangingPassword(false);
                })
              }
            />
          )}
          <div className="button-row auto-backup-actions">
            <button
              type="button"
              className="button"
              disabled={busy || !view.folder || !view.hasPassword}
              onClick={() => void run(actions.runNow)}
            >
              Back up now
            </button>
          </div>
        </>
      )}
      <FormError message={error} />
      {(on || view.last) && <LastAutoBackup last={view.last} />}
    </div>
  );
}

function BackupPasswordForm({
  busy,
  needsVaultPassword,
  onSubmit,
}: {
  busy: boolean;
  needsVaultPassword: boolean;
  onSubmit: (password: string, vaultPassword?: string) => Promise<void>;
}) {
  const newPassword = useNewPassword();
  const [vaultPassword, setVaultPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const problem = newPassword.problem('a password for the automatic backups');
    if (problem) return setError(problem);
    if (needsVaultPassword && vaultPassword === '')
      return setError('Type your master password to set the backup password.');
    void onSubmit(newPassword.password, needsVaultPassword ? vaultPassword : undefined).then(() => {
      newPassword.clear();
      setVaultPassword('');
    });
  }

  return (
    <form className="form auto-backup-password" onSubmit={submit} noValidate>
      <p className="setting-hint">
        Automatic backups are encrypted with a password of their own. You need it to restore them.
      </p>
      <NewPasswordFields label="Automatic backup password" state={newPassword} disabled={busy} />
      {needsVaultPassword && (
        <MasterPasswordField value={vaultPassword} onChange={setVaultPassword} busy={busy} />
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          Set backup password
        </button>
      </div>
    </form>
  );
}

function viewOf(
  settings: Settings,
  status: AutoBackupStatus | null,
  vaultHasPassword: boolean,
): AutoBackupView {
  const last = status?.last ?? null;
  return {
    ...settings.autoBackup,
    hasPassword: status?.hasPassword ?? false,
    vaultHasPassword,
    last:
      last === null
        ? null
        : last.ok
          ? { ok: true, at: last.at, path: last.path, accounts: last.accounts }
          : { ok: false, at: last.at, message: last.message },
  };
}

const askAutoBackupStatus = () => api().backup.autoStatus();

/** The automatic backups' status from main: asked once, then kept fresh by its events. */
export function useAutoBackupStatus(): [
  AutoBackupStatus | null,
  (status: AutoBackupStatus) => void,
] {
  return useMainStatus(askAutoBackupStatus, 'onAutoBackup');
}

/** Automatic-backup settings connected to main (the Backup and transfer dialog, Settings). */
export function AutoBackupPanel({
  settings,
  onSettings,
  vaultHasPassword,
}: {
  settings: Settings;
  onSettings: (settings: Settings) => void;
  vaultHasPassword: boolean;
}) {
  const [status, setStatus] = useAutoBackupStatus();
  const save = async (changes: Partial<Pick<Settings['autoBackup'], 'schedule' | 'keep'>>) => {
    onSettings(await call(() => api().settings.update({ autoBackup: changes })));
  };
  const actions: AutoBackupActions = {
    setSchedule: (schedule) => save({ schedule }),
    setKeep: (keep) => save({ keep }),
    chooseFolder: async () => {
      // Main shows its folder dialog and saves the folder itself.
      const next = await call(() => api().backup.chooseFolder());
      if (next) onSettings(next);
    },
    setPassword: async (password, vaultPassword) => {
      setStatus(
        await call(() =>
          api().backup.setAutoPassword(
            vaultPassword === undefined ? { password } : { password, vaultPassword },
          ),
        ),
      );
    },
    runNow: async () => {
      setStatus(await call(() => api().backup.runNow()));
    },
  };
  return <AutoBackupSettings view={viewOf(settings, status, vaultHasPassword)} actions={actions} />;
}

/** On the main screen: the last automatic backup failed. Shown until one succeeds. */
export function AutoBackupBanner({ onOpen }: { onOpen: () => void }) {
  const [status] = useAutoBackupStatus();
  const last = status?.last;
  if (!last || last.ok) return null;
  return (
    <div className="backup-banner" role="alert">
      <span>
        <strong>The automatic backup could not be written.</strong> {last.message}
      </span>
      <button type="button" className="button" onClick={onOpen}>
        Backup settings
      </button>
    </div>
  );
}
