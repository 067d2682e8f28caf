import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { FollowStatus } from '../../../shared/contract';
import { api, call } from '../lib/api';
import { useMainStatus } from '../lib/use-main-status';
import { useTask } from '../lib/use-task';
import { FormError } from './FormParts';
import { PasswordField } from './PasswordField';
import '../styles/sync.css';

const askFollowStatus = () => api().follow.status();

export function useFollowStatus(): [FollowStatus | null, (status: FollowStatus) => void] {
  return useMainStatus(askFollowStatus, 'onFollowStatus');
}

type Follow = FollowStatus['follows'][number];
type Report = NonNullable<Follow['last']>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function backupDate(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "Aegis vault (encrypted) of 1 Dec 10:22: 2 new, 1 changed", or what kept the pass from it. */
export function describeFollowReport(last: Report): string {
  if (last.problem) return last.problem.message;
  if (last.waiting)
    return `${last.file ?? 'The newest backup'} is still being copied in; Chronokey reads it once it is whole.`;
  const what = `${last.app ?? 'Backup'}${last.backupAt !== null ? ` of ${backupDate(last.backupAt)}` : ''}`;
  const parts = [
    last.added > 0 ? `${last.added} new` : null,
    last.changed > 0 ? `${last.changed} changed` : null,
    last.missing > 0 ? `${last.missing} removed on the phone?` : null,
  ].filter((part) => part !== null);
  return `${what}: ${parts.length > 0 ? parts.join(', ') : 'up to date'}`;
}

/**
 * Settings → Sync → Follow backups from another app: the folders whose automatic backups (Aegis,
 * 2FAS, Ente Auth…) Chronokey keeps up with, what each last pass did, and "Removed on the
 * phone?".
 */
export function FollowSettings() {
  const [status, setStatus] = useFollowStatus();
  const [adding, setAdding] = useState<string | null>(null);
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const { busy, error, notice, setNotice, run } = useTask();

  async function choose() {
    const chosen = await call(() => api().follow.chooseFolder());
    if (chosen) setAdding(chosen.path);
  }

  if (!status) return null;
  return (
    <div className="sync-settings follow-settings">
      <h4 className="subsection-title">Follow backups from another app</h4>
      <p className="setting-hint">
        If Aegis, 2FAS, Ente Auth or another phone app writes automatic backups into a folder your
        sync app carries here, Chronokey can keep up with them: new accounts are added and renames
        are followed. Nothing is removed without asking you.
      </p>
      {status.follows.map((follow) => (
        <FollowedFolder
          key={follow.id}
          follow={follow}
          busy={busy || status.busy}
          passwordOpen={passwordFor === follow.id}
          onPassword={() => setPasswordFor(follow.id)}
          onCancelPassword={() => setPasswordFor(null)}
          onSetPassword={(password) =>
            run(async () => {
              setStatus(await call(() => api().follow.setPassword({ id: follow.id, password })));
              setPasswordFor(null);
            })
          }
          onCheck={() => run(async () => setStatus(await call(() => api().follow.now())))}
          onRemove={() =>
            run(async () => {
              setStatus(await call(() => api().follow.remove({ id: follow.id })));
              setNotice('That folder is no longer followed. The accounts it brought stay.');
            })
          }
          onResolve={(remove) =>
            run(async () => {
              setStatus(await call(() => api().follow.resolveMissing({ id: follow.id, remove })));
              setNotice(remove ? 'Those accounts were removed.' : 'Those accounts were kept.');
            })
          }
        />
      ))}
      {adding !== null ? (
        <AddFollowForm
          folder={adding}
          busy={busy}
          onCancel={() => setAdding(null)}
          onSubmit={(password) =>
            run(async () => {
              const next = await call(() => api().follow.add(password === '' ? {} : { password }));
              setStatus(next);
              setAdding(null);
              const added = next.follows.find((follow) => follow.folder === adding);
              if (added?.last && !added.last.problem) {
                setNotice(`Following ${adding}. ${describeFollowReport(added.last)}.`);
              }
            })
          }
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => void run(choose)}>
            Follow backups in a folder…
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

function FollowedFolder({
  follow,
  busy,
  passwordOpen,
  onPassword,
  onCancelPassword,
  onSetPassword,
  onCheck,
  onRemove,
  onResolve,
}: {
  follow: Follow;
  busy: boolean;
  passwordOpen: boolean;
  onPassword: () => void;
  onCancelPassword: () => void;
  onSetPassword: (password: string) => void;
  onCheck: () => void;
  onRemove: () => void;
  onResolve: (remove: boolean) => void;
}) {
  const problem = follow.last?.problem ?? null;
  const passwordProblem = problem !== null && /PASSWORD/.test(problem.code) ? problem : null;
  return (
    <div
      className="sync-form follow-folder"
      role="group"
      aria-label={`Followed folder ${follow.folder}`}
    >
      <p className="path follow-path" title={follow.folder}>
        {follow.folder}
      </p>
      {follow.last === null ? (
        <p className="setting-hint">Not read yet.</p>
      ) : problem ? (
        <p className="form-error" role="alert">
          {describeFollowReport(follow.last)}
        </p>
      ) : (
        <p className="setting-hint">
          {describeFollowReport(follow.last)}
          {follow.last.file && !follow.last.waiting && (
            <>
              {' '}
              <span className="path">({follow.last.file})</span>
            </>
          )}
        </p>
      )}
      {follow.missingCount > 0 && (
        <div className="sync-pending" role="group" aria-label="Removed on the phone?">
          <p>
            <strong>Removed on the phone?</strong> The newest backup no longer holds{' '}
            {plural(follow.missingCount, 'account', 'accounts')}. Nothing was removed here.
          </p>
          <ul className="sync-pending-list">
            {follow.missing.map((name, index) => (
              <li key={`${index}-${name}`}>{name}</li>
            ))}
            {follow.missingCount > follow.missing.length && (
              <li>and {follow.missingCount - follow.missing.length} more</li>
            )}
          </ul>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => onResolve(false)}
            >
              Keep them and stop asking
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => onResolve(true)}
            >
              Remove them here
            </button>
          </div>
        </div>
      )}
      {passwordOpen ? (
        <PasswordForm
          label="Password of the backups"
          submitLabel="Use this password"
          busy={busy}
          onCancel={onCancelPassword}
          onSubmit={onSetPassword}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button button-small" disabled={busy} onClick={onCheck}>
            Check now
          </button>
          <button
            type="button"
            className={`button button-small${passwordProblem ? ' button-primary' : ''}`}
            disabled={busy}
            onClick={onPassword}
          >
            {follow.hasPassword ? 'Change backup password' : 'Set backup password'}
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            aria-label={`Stop following ${follow.folder}`}
            onClick={onRemove}
          >
            Stop following
          </button>
        </div>
      )}
    </div>
  );
}

function AddFollowForm({
  folder,
  busy,
  onCancel,
  onSubmit,
}: {
  folder: string;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (password: string) => void;
}) {
  return (
    <div className="sync-form" role="group" aria-label="Follow a folder">
      <p>
        Follow <span className="path">{folder}</span>
      </p>
      <PasswordForm
        label="Password of the backups (if they are encrypted)"
        hint="Typed once and kept inside your encrypted vault, never anywhere else."
        submitLabel="Follow this folder"
        optional
        busy={busy}
        onCancel={onCancel}
        onSubmit={onSubmit}
      />
    </div>
  );
}

function PasswordForm({
  label,
  hint,
  submitLabel,
  optional = false,
  busy,
  onCancel,
  onSubmit,
}: {
  label: string;
  hint?: string;
  submitLabel: string;
  optional?: boolean;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (password: string) => void;
}) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!optional && password === '') return setProblem('Type the password of the backups.');
    setProblem(null);
    onSubmit(password);
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <PasswordField
        label={label}
        value={password}
        onChange={setPassword}
        autoComplete="off"
        disabled={busy}
        error={problem}
        autoFocus
      >
        {hint && <p className="field-hint">{hint}</p>}
      </PasswordField>
      <div className="button-row">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/**
 * On the main screen: a toast for what each follow pass brought ("Aegis vault of 1 Dec 10:22:
 * 2 new"), and the list reloads; a problem is shown once, when it first appears.
 */
export function FollowToasts({
  onChanged,
  toast,
}: {
  onChanged: () => void;
  toast: (input: { message: string }) => void;
}) {
  const [status] = useFollowStatus();
  const seen = useRef<Map<string, number> | null>(null);
  useEffect(() => {
    if (!status) return;
    const first = seen.current === null;
    const known = seen.current ?? new Map<string, number>();
    let changed = false;
    for (const follow of status.follows) {
      const last = follow.last;
      if (!last || known.get(follow.id) === last.at) continue;
      known.set(follow.id, last.at);
      if (first || last.waiting) continue;
      if (last.problem || last.added + last.changed + last.missing > 0) {
        toast({ message: describeFollowReport(last) });
      }
      if (last.added + last.changed > 0) changed = true;
    }
    seen.current = known;
    if (changed) onChanged();
  }, [status, onChanged, toast]);
  return null;
}
