import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain';
import { AutoBackupPanel } from '../components/AutoBackupSettings';
import { Dialog } from '../components/Dialog';
import { SettingToggle } from '../components/SettingToggle';
import { useToast } from '../components/Toasts';
import { SystemSettings } from '../components/SystemSettings';
import { api, call, errorMessage } from '../lib/api';

interface SettingsDialogProps {
  settings: Settings;
  status: VaultStatus;
  onSettings: (settings: Settings) => void;
  onStatus: (status: VaultStatus) => void;
  onClose: () => void;
}

export function SettingsDialog({
  settings,
  status,
  onSettings,
  onStatus,
  onClose,
}: SettingsDialogProps) {
  const id = useId();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);

  async function save(changes: Partial<Settings>) {
    setError(null);
    try {
      onSettings(await call(() => api().settings.update(changes)));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <Dialog title="Settings" onClose={onClose} wide>
      <div className="settings">
        <section className="settings-section" aria-labelledby={`${id}-security`}>
          <h3 className="section-title" id={`${id}-security`}>
            Security
          </h3>
          <NumberSetting
            label="Lock after idle (minutes)"
            hint="0 means never. Chronokey also locks when the computer sleeps or locks."
            value={settings.autoLockMinutes}
            min={0}
            max={1440}
            onSave={(value) => save({ autoLockMinutes: value })}
          />
          <NumberSetting
            label="Clear clipboard after (seconds)"
            hint="0 means never. Only a code Chronokey copied is cleared."
            value={settings.clipboardClearSeconds}
            min={0}
            max={3600}
            onSave={(value) => save({ clipboardClearSeconds: value })}
          />
          <SettingToggle
            label="Privacy mode"
            hint="Codes stay hidden until you point at them or move focus to them."
            checked={settings.privacyMode}
            onChange={(checked) => save({ privacyMode: checked })}
          />
        </section>

        <section className="settings-section" aria-labelledby={`${id}-look`}>
          <h3 className="section-title" id={`${id}-look`}>
            Appearance
          </h3>
          <div className="setting">
            <label htmlFor={`${id}-theme`} className="setting-label">
              Theme
            </label>
            <select
              id={`${id}-theme`}
              value={settings.theme}
              onChange={(event) => save({ theme: event.target.value as Settings['theme'] })}
            >
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </div>
          <SettingToggle
            label="Show next code"
            hint="In a code's last seconds, show the one that comes next."
            checked={settings.showNextCode}
            onChange={(checked) => save({ showNextCode: checked })}
          />
        </section>

        <SystemSettings settings={settings} save={save} />

        <section className="settings-section" aria-labelledby={`${id}-backups`}>
          <h3 className="section-title" id={`${id}-backups`}>
            Backups
          </h3>
          <AutoBackupPanel
            settings={settings}
            onSettings={onSettings}
            vaultHasPassword={status.slots.includes('password')}
          />
        </section>

        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}

        <UnlockSettings
          status={status}
          onStatus={onStatus}
          onDone={(message) => toast({ message })}
        />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function NumberSetting({
  label,
  hint,
  value,
  min,
  max,
  onSave,
}: {
  label: string;
  hint: string;
  value: number;
  min: number;
  max: number;
  onSave: (value: number) => Promise<void>;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);

  function commit() {
    const trimmed = text.trim();
    const number = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(number) || number < min || number > max) {
      setError(`Enter a whole number from ${min} to ${max}.`);
      return;
    }
    setError(null);
    if (number !== value) void onSave(number);
  }

  return (
    <div className="setting">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {label}
        </label>
        <p className="setting-hint" id={`${id}-hint`}>
          {hint}
        </p>
      </div>
      <div className="setting-control">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          className="number-input"
          min={min}
          max={max}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              commit();
            }
          }}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
        />
        {error && (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

/** Master password and keychain: the ways this vault can be unlocked. */
function UnlockSettings({
  status,
  onStatus,
  onDone,
}: {
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
  onDone: (message: string) => void;
}) {
  const id = useId();
  const hasPassword = status.slots.includes('password');
  const hasKeychain = status.slots.includes('keychain');
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<VaultStatus>, message: string) {
    setError(null);
    setBusy(true);
    try {
      onStatus(await work());
      onDone(message);
      setCurrent('');
      setPassword('');
      setRepeat('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault();
    if (hasPassword && current === '') return setError('Type your current master password.');
    if (password === '') return setError('Type the new master password.');
    if (password !== repeat) return setError('The two passwords are not the same.');
    void run(
      () =>
        call(() =>
          api().vault.setPassword(
            hasPassword ? { password, currentPassword: current } : { password },
          ),
        ),
      hasPassword ? 'Master password changed.' : 'Master password set.',
    );
  }

  return (
    <section className="settings-section" aria-labelledby={`${id}-unlock`}>
      <h3 className="section-title" id={`${id}-unlock`}>
        Unlocking
      </h3>
      <div className="setting">
        <div className="setting-text">
          <label htmlFor={`${id}-keychain`} className="setting-label">
            Unlock with the system keychain
          </label>
          <p className="setting-hint" id={`${id}-keychain-hint`}>
            {status.keychainAvailable
              ? 'Your computer keeps the key, so Chronokey opens without a password.'
              : 'No system keychain was found on this computer, so this is not available.'}
          </p>
        </div>
        <div className="setting-control">
          <input
            id={`${id}-keychain`}
            type="checkbox"
            className="switch"
            checked={hasKeychain}
            disabled={busy || (!status.keychainAvailable && !hasKeychain)}
            aria-describedby={`${id}-keychain-hint`}
            onChange={(event) => {
              const enabled = event.target.checked;
              if (!hasPassword) {
                return setError('Set a master password first: the keychain is the only way in.');
              }
              if (current === '') {
                return setError(
                  `Type your current master password below to turn the keychain ${enabled ? 'on' : 'off'}.`,
                );
              }
              void run(
                () => call(() => api().vault.setKeychain({ enabled, currentPassword: current })),
                enabled
                  ? 'The system keychain now unlocks Chronokey.'
                  : 'The system keychain no longer unlocks Chronokey.',
              );
            }}
          />
        </div>
      </div>

      <form className="password-form" onSubmit={submitPassword} noValidate>
        <p className="setting-hint">
          {hasPassword
            ? 'A master password protects this vault. You can change it here.'
            : 'Add a master password to open the vault where the keychain is not available.'}
        </p>
        {hasPassword && (
          <div className="field">
            <label htmlFor={`${id}-current`}>Current master password</label>
            <input
              id={`${id}-current`}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-new`}>New master password</label>
            <input
              id={`${id}-new`}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-repeat`}>Repeat new master password</label>
            <input
              id={`${id}-repeat`}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
          </div>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {hasPassword ? 'Change master password' : 'Set master password'}
          </button>
          {hasPassword && (
            <button
              type="button"
              className="button button-danger-quiet"
              disabled={busy}
              onClick={() => {
                if (current === '') return setError('Type your current master password.');
                void run(
                  () => call(() => api().vault.removePassword({ currentPassword: current })),
                  'Master password removed. The system keychain unlocks Chronokey.',
                );
              }}
            >
              Remove master password
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
