import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { SyncStatus } from '../../../shared/contract';
import { api, call } from '../lib/api';
import { useMainStatus } from '../lib/use-main-status';
import { useTask } from '../lib/use-task';
import { formatWhen } from './AutoBackupSettings';
import { FormError } from './FormParts';
import { NewPasswordFields, useNewPassword } from './NewPassword';
import { MasterPasswordField, PasswordField } from './PasswordField';
import { SettingRow } from './SettingRow';
import '../styles/sync.css';

const askSyncStatus = () => api().sync.status();

/** Sync as main reports it: asked once, then kept fresh by its `sync.status` events. */
export function useSyncStatus(): [SyncStatus | null, (status: SyncStatus) => void] {
  return useMainStatus(askSyncStatus, 'onSyncStatus');
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 accounts added from Laptop; 1 account changed on Phone": what the last merge did. */
export function describeSyncChanges(last: NonNullable<SyncStatus['last']>): string {
  const parts: string[] = [];
  const say = (list: { device: string; count: number }[], verb: string) => {
    for (const { device, count } of list)
      parts.push(`${plural(count, 'account', 'accounts')} ${verb} ${device}`);
  };
  say(last.added, 'added from');
  say(last.updated, 'changed on');
  say(last.removed, 'removed on');
  say(last.restored, 'brought back by');
  if (last.joined > 0) parts.push(`${plural(last.joined, 'duplicate', 'duplicates')} joined`);
  return parts.join('; ');
}

const STATE_TEXT: Record<SyncStatus['state'], string> = {
  off: 'Not set up',
  idle: 'Up to date',
  syncing: 'Syncing…',
  'needs-password': 'Needs the sync password',
  waiting: 'Waiting for you',
  problem: 'Cannot sync right now',
};

/** Problems of the last pass, each naming the device: refused files, clocks, the folder. */
function SyncProblems({ status }: { status: SyncStatus }) {
  if (!status.problem && status.refused.length === 0 && status.clockAhead.length === 0) return null;
  return (
    <div className="form-error sync-problems" role="alert">
      <SyncProblemLines status={status} />
    </div>
  );
}

type Form =
  | { kind: 'none' }
  | { kind: 'setup' | 'join'; folder: string }
  | { kind: 'change-password' }
  | { kind: 'remove-device'; deviceId: string; name: string }
  | { kind: 'leave' };

/**
 * Settings → Sync: set up or join sync in a folder the person's sync app carries, then the
 * devices, problems, Sync now, the sync password, removing a device and stopping.
 */
export function SyncSettings({ vaultHasPassword }: { vaultHasPassword: boolean }) {
  const [status, setStatus] = useSyncStatus();
  const [form, setForm] = useState<Form>({ kind: 'none' });
  const { busy, error, notice, setNotice, run } = useTask();

  async function choose(purpose: 'setup' | 'join') {
    const chosen = await call(() => api().sync.chooseFolder({ purpose }));
    if (!chosen) return;
    if (purpose === 'setup' && chosen.holdsSync) {
      setNotice('This folder already holds Chronokey sync: join it with its sync password.');
      setForm({ kind: 'join', folder: chosen.path });
      return;
    }
    setForm({ kind: purpose, folder: chosen.path });
  }

  const done = (next: SyncStatus, message?: string) => {
    setStatus(next);
    setForm({ kind: 'none' });
    if (message) setNotice(message);
  };

  if (!status) return <p className="setting-hint">Reading the sync settings…</p>;

  if (status.state === 'off') {
    return (
      <div className="sync-settings">
        <p className="setting-hint">
          Keep the same accounts on your other computers through a folder that Syncthing, Dropbox,
          OneDrive, iCloud Drive or Nextcloud already carries. Everything Chronokey writes there is
          encrypted with your sync password.
        </p>
        {form.kind === 'setup' || form.kind === 'join' ? (
          <SetUpForm
            kind={form.kind}
            folder={form.folder}
            suggestedName={status.suggestedDeviceName}
            vaultHasPassword={vaultHasPassword}
            busy={busy}
            onCancel={() => setForm({ kind: 'none' })}
            onSubmit={(input) =>
              run(async () =>
                done(
                  await call(() =>
                    form.kind === 'setup' ? api().sync.setup(input) : api().sync.join(input),
                  ),
                  form.kind === 'setup'
                    ? 'Sync is set up. Join it from your other devices with the same sync password.'
                    : 'This device now syncs.',
                ),
              )
            }
          />
        ) : (
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run(() => choose('setup'))}
            >
              Set up sync in a folder…
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run(() => choose('join'))}
            >
              Join sync in a folder…
            </button>
          </div>
        )}
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <FormError message={error} />
      </div>
    );
  }

  const others = status.devices.filter((device) => !device.thisDevice);
  return (
    <div className="sync-settings">
      <SettingRow
        label="Sync"
        hint={
          <>
            {STATE_TEXT[status.state]}
            {status.lastSyncAt !== null && <>. Last synced {formatWhen(status.lastSyncAt)}</>}.{' '}
            <span className="path" title={status.folder ?? undefined}>
              {status.folder}
            </span>
          </>
        }
      >
        <button
          type="button"
          className="button"
          disabled={busy || status.state === 'needs-password'}
          onClick={() => void run(async () => setStatus(await call(() => api().sync.now())))}
        >
          Sync now
        </button>
      </SettingRow>
      <SyncProblems status={status} />
      {status.state === 'needs-password' && (
        <EnterPasswordForm
          busy={busy}
          onSubmit={(password) =>
            run(async () => done(await call(() => api().sync.enterPassword({ password }))))
          }
        />
      )}
      {status.pending && (
        <PendingRemovals
          pending={status.pending}
          busy={busy}
          onResolve={(apply) =>
            run(async () =>
              done(
                await call(() => api().sync.resolveRemovals({ apply })),
                apply ? 'The removals were applied.' : 'Those accounts were kept on every device.',
              ),
            )
          }
        />
      )}

      <h4 className="subsection-title">Devices</h4>
      <ul className="sync-devices">
        {status.devices.map((device) => (
          <li key={device.id} className="sync-device">
            <span className="sync-device-name" title={device.name}>
              {device.name}
              {device.thisDevice && ' (this device)'}
            </span>
            <span className="setting-hint">
              {device.lastSeen === null
                ? 'Not synced yet'
                : `Last seen ${formatWhen(device.lastSeen)}`}
            </span>
            {!device.thisDevice && (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                aria-label={`Remove ${device.name} from sync`}
                onClick={() =>
                  setForm({ kind: 'remove-device', deviceId: device.id, name: device.name })
                }
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length === 0 && (
        <p className="setting-hint">
          No other device has joined yet. On another computer, choose “Join sync in a folder” and
          pick the same folder.
        </p>
      )}

      {form.kind === 'remove-device' && (
        <NewSyncPasswordForm
          title={`Remove ${form.name} for good`}
          explanation={`${form.name} stops receiving changes: the sync key is replaced and every other device asks for the new sync password once. Its accounts stay where they are.`}
          submitLabel={`Remove ${form.name}`}
          vaultHasPassword={vaultHasPassword}
          busy={busy}
          onCancel={() => setForm({ kind: 'none' })}
          onSubmit={(password, vaultPassword) =>
            run(async () =>
              done(
                await call(() =>
                  api().sync.removeDevice({
                    deviceId: form.deviceId,
                    password,
                    ...(vaultPassword !== undefined && { vaultPassword }),
                  }),
                ),
                `${form.name} was removed. Type the new sync password on your other devices.`,
              ),
            )
          }
        />
      )}
      {form.kind === 'change-password' && (
        <NewSyncPasswordForm
          title="Change the sync password"
          explanation="Your other devices keep syncing; a device joining later needs the new password."
          submitLabel="Change sync password"
          vaultHasPassword={vaultHasPassword}
          busy={busy}
          onCancel={() => setForm({ kind: 'none' })}
          onSubmit={(password, vaultPassword) =>
            run(async () =>
              done(
                await call(() =>
                  api().sync.changePassword({
                    password,
                    ...(vaultPassword !== undefined && { vaultPassword }),
                  }),
                ),
                'The sync password was changed.',
              ),
            )
          }
        />
      )}
      {form.kind === 'leave' && (
        <div className="confirm-inline" role="group" aria-label="Stop syncing on this device">
          <p>
            Stop syncing on this device? Its accounts stay here; your other devices keep syncing
            without it.
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={() => setForm({ kind: 'none' })}>
              Keep syncing
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() =>
                void run(async () =>
                  done(await call(() => api().sync.leave()), 'This device no longer syncs.'),
                )
              }
            >
              Stop syncing
            </button>
          </div>
        </div>
      )}
      {form.kind === 'none' && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => setForm({ kind: 'change-password' })}
          >
            Change sync password
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => setForm({ kind: 'leave' })}
          >
            Stop syncing on this device
          </button>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <FormError message={error} />
    </div>
  );
}

function FormShell({
  title,
  children,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="form sync-form" aria-labelledby={id} onSubmit={submit} noValidate>
      <h4 className="subsection-title" id={id}>
        {title}
      </h4>
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function SetUpForm({
  kind,
  folder,
  suggestedName,
  vaultHasPassword,
  busy,
  onSubmit,
  onCancel,
}: {
  kind: 'setup' | 'join';
  folder: string;
  suggestedName: string;
  vaultHasPassword: boolean;
  busy: boolean;
  onSubmit: (input: { password: string; deviceName: string; vaultPassword?: string }) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const newPassword = useNewPassword();
  const [password, setPassword] = useState('');
  const [deviceName, setDeviceName] = useState(suggestedName);
  const [vaultPassword, setVaultPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  function submit() {
    setError(null);
    const name = deviceName.trim();
    if (name === '') return setError('Give this device a name, such as “Laptop”.');
    if (kind === 'setup') {
      const problem = newPassword.problem('a sync password');
      if (problem) return setError(problem);
    } else if (password === '') {
      return setError('Type the sync password you chose when setting up sync.');
    }
    if (vaultHasPassword && vaultPassword === '')
      return setError('Type your master password to start syncing.');
    onSubmit({
      password: kind === 'setup' ? newPassword.password : password,
      deviceName: name,
      ...(vaultHasPassword && { vaultPassword }),
    });
  }

  return (
    <FormShell
      title={kind === 'setup' ? 'Set up sync' : 'Join sync'}
      submitLabel={kind === 'setup' ? 'Set up sync' : 'Join sync'}
      busy={busy}
      error={error}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className="setting-hint">
        Folder:{' '}
        <span className="path" title={folder}>
          {folder}
        </span>
      </p>
      <div className="field">
        <label htmlFor={`${id}-name`}>This device’s name</label>
        <input
          id={`${id}-name`}
          ref={nameRef}
          value={deviceName}
          maxLength={64}
          disabled={busy}
          onChange={(event) => setDeviceName(event.target.value)}
        />
        <p className="field-hint">Your other devices show it, as in “2 accounts added from …”.</p>
      </div>
      {kind === 'setup' ? (
        <NewPasswordFields label="Sync password" state={newPassword} disabled={busy} />
      ) : (
        <PasswordField
          label="Sync password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          disabled={busy}
        />
      )}
      {kind === 'setup' && (
        <p className="field-hint">
          You type it once on each device that joins. Chronokey cannot recover it.
        </p>
      )}
      {vaultHasPassword && (
        <MasterPasswordField value={vaultPassword} onChange={setVaultPassword} busy={busy} />
      )}
    </FormShell>
  );
}

function NewSyncPasswordForm({
  title,
  explanation,
  submitLabel,
  vaultHasPassword,
  busy,
  onSubmit,
  onCancel,
}: {
  title: string;
  explanation: string;
  submitLabel: string;
  vaultHasPassword: boolean;
  busy: boolean;
  onSubmit: (password: string, vaultPassword?: string) => void;
  onCancel: () => void;
}) {
  const newPassword = useNewPassword();
  const [vaultPassword, setVaultPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit() {
    setError(null);
    const problem = newPassword.problem('a new sync password');
    if (problem) return setError(problem);
    if (vaultHasPassword && vaultPassword === '')
      return setError('Type your master password to change sync.');
    onSubmit(newPassword.password, vaultHasPassword ? vaultPassword : undefined);
  }
  return (
    <FormShell
      title={title}
      submitLabel={submitLabel}
      busy={busy}
      error={error}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className="setting-hint">{explanation}</p>
      <NewPasswordFields label="New sync password" state={newPassword} disabled={busy} />
      {vaultHasPassword && (
        <MasterPasswordField value={vaultPassword} onChange={setVaultPassword} busy={busy} />
      )}
    </FormShell>
  );
}

function EnterPasswordForm({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit: (password: string) => void;
}) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <FormShell
      title="Type the sync password"
      submitLabel="Keep syncing"
      busy={busy}
      error={error}
      onSubmit={() =>
        password === '' ? setError('Type the new sync password.') : onSubmit(password)
      }
    >
      <p className="setting-hint">
        A device was removed from sync, so the sync key was replaced. Type the sync password chosen
        then to keep syncing.
      </p>
      <PasswordField
        label="Sync password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        disabled={busy}
      />
    </FormShell>
  );
}

function PendingRemovals({
  pending,
  busy,
  onResolve,
}: {
  pending: NonNullable<SyncStatus['pending']>;
  busy: boolean;
  onResolve: (apply: boolean) => void;
}) {
  return (
    <div className="sync-pending" role="group" aria-label="Removals waiting for you">
      <p>
        <strong>
          {pending.devices.join(', ')} removed {plural(pending.count, 'account', 'accounts')} of
          your {pending.total}.
        </strong>{' '}
        Nothing was removed here yet.
      </p>
      <ul className="sync-pending-list">
        {pending.accounts.map((name, index) => (
          <li key={`${index}-${name}`}>{name}</li>
        ))}
        {pending.count > pending.accounts.length && (
          <li>and {pending.count - pending.accounts.length} more</li>
        )}
      </ul>
      <div className="button-row">
        <button type="button" className="button" disabled={busy} onClick={() => onResolve(false)}>
          Keep them
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() => onResolve(true)}
        >
          Remove them here too
        </button>
      </div>
    </div>
  );
}

/**
 * On the main screen, while sync is on: a small state line, an alert for problems (naming the
 * device), and a toast for what each merge did; the list reloads when a merge changed it.
 */
export function SyncIndicator({
  onMerged,
  onOpen,
  toast,
}: {
  onMerged: () => void;
  onOpen: () => void;
  toast: (input: { message: string }) => void;
}) {
  const [status] = useSyncStatus();
  const seen = useRef<number | null | undefined>(undefined);
  const lastAt = status?.last?.at ?? null;
  useEffect(() => {
    if (!status) return;
    if (seen.current === undefined) {
      seen.current = lastAt;
      return;
    }
    if (lastAt !== null && lastAt !== seen.current && status.last) {
      seen.current = lastAt;
      onMerged();
      const said = describeSyncChanges(status.last);
      if (said) toast({ message: `${said[0]!.toUpperCase()}${said.slice(1)}.` });
    }
  }, [lastAt, status, onMerged, toast]);

  if (!status || status.state === 'off') return null;
  const troubled =
    status.problem !== null ||
    status.refused.length > 0 ||
    status.clockAhead.length > 0 ||
    status.pending !== null ||
    status.state === 'needs-password';
  return (
    <div className="sync-indicator-row">
      <button
        type="button"
        className={`sync-indicator${troubled ? ' sync-indicator-trouble' : ''}`}
        onClick={onOpen}
        title="Sync settings"
      >
        <span className="sync-dot" aria-hidden="true" />
        Sync: {STATE_TEXT[status.state]}
      </button>
      {troubled && (
        <div className="backup-banner sync-banner" role="alert">
          <div>
            {status.pending && (
              <p>
                <strong>
                  {status.pending.devices.join(', ')} removed{' '}
                  {plural(status.pending.count, 'account', 'accounts')}.
                </strong>{' '}
                Nothing was removed here until you decide.
              </p>
            )}
            {status.state === 'needs-password' && (
              <p>
                <strong>Sync needs the sync password again.</strong> A device was removed from sync.
              </p>
            )}
            <SyncProblemLines status={status} />
          </div>
          <button type="button" className="button" onClick={onOpen}>
            Open sync settings
          </button>
        </div>
      )}
    </div>
  );
}

function SyncProblemLines({ status }: { status: SyncStatus }) {
  return (
    <>
      {status.problem && <p>{status.problem.message}</p>}
      {status.refused.map((refusal) => (
        <p key={refusal.file}>
          <strong>
            {refusal.device
              ? `${refusal.device}'s sync file was not used.`
              : 'A sync file was not used.'}
          </strong>{' '}
          {refusal.message}
        </p>
      ))}
      {status.clockAhead.map((device) => (
        <p key={device}>
          <strong>{device}&apos;s clock is more than a day ahead.</strong> Its newest changes were
          not taken.
        </p>
      ))}
    </>
  );
}
