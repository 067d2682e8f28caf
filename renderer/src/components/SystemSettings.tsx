import { useEffect, useId, useState } from 'react';
import type { SystemInfo } from '../../../shared/contract';
import {
  DEFAULT_GLOBAL_SHORTCUT,
  acceleratorFromKeyPress,
  formatAccelerator,
} from '../../../shared/accelerator';
import type { Settings } from '../../../shared/domain';
import { api, call } from '../lib/api';
import { SettingToggle } from './SettingToggle';
import '../styles/system.css';

interface SystemSettingsProps {
  settings: Settings;
  save: (changes: Partial<Settings>) => Promise<void>;
}

/**
 * Settings that reach beyond the window: launch at login, protection from screen capture
 * and the global shortcut that shows the search. Only what this system supports is offered.
 */
export function SystemSettings({ settings, save }: SystemSettingsProps) {
  const id = useId();
  const [info, setInfo] = useState<SystemInfo | null>(null);

  useEffect(() => {
    let alive = true;
    void call(() => api().system.info())
      .then((next) => alive && setInfo(next))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [settings.globalShortcut]);

  if (info === null || info.platform === 'other') return null;
  const mac = info.platform === 'darwin';

  return (
    <section className="settings-section" aria-labelledby={`${id}-system`}>
      <h3 className="section-title" id={`${id}-system`}>
        System
      </h3>
      {info.launchAtLoginSupported && (
        <SettingToggle
          label="Open at login"
          hint="Start Chronokey when you log in to this computer."
          checked={settings.launchAtLogin}
          onChange={(checked) => save({ launchAtLogin: checked })}
        />
      )}
      {info.contentProtectionSupported && (
        <SettingToggle
          label="Protect from screen capture"
          hint="Screenshots, recordings and screen sharing show Chronokey's window as blank."
          checked={settings.contentProtection}
          onChange={(checked) => save({ contentProtection: checked })}
        />
      )}
      <ShortcutSetting
        value={settings.globalShortcut}
        active={info.globalShortcutActive}
        mac={mac}
        onSave={(accelerator) => save({ globalShortcut: accelerator })}
      />
    </section>
  );
}

function ShortcutSetting({
  value,
  active,
  mac,
  onSave,
}: {
  value: string;
  active: boolean;
  mac: boolean;
  onSave: (accelerator: string) => Promise<void>;
}) {
  const id = useId();
  const [recording, setRecording] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const hint =
    value === ''
      ? 'No shortcut: open Chronokey from its window or the tray.'
      : active
        ? `Press ${formatAccelerator(value, mac)} anywhere to search your accounts.`
        : `${formatAccelerator(value, mac)} is taken by another app, so it does nothing. Choose another.`;

  return (
    <div className="setting">
      <div className="setting-text">
        <span className="setting-label" id={`${id}-label`}>
          Global shortcut
        </span>
        <p className="setting-hint" id={`${id}-hint`}>
          {hint}
        </p>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
      <div className="setting-control shortcut-field">
        {recording ? (
          <button
            type="button"
            className="button shortcut-recorder"
            autoFocus
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-record-hint`}
            onBlur={() => setRecording(false)}
            onKeyDown={(event) => {
              event.preventDefault();
              if (event.key === 'Escape') {
                setRecording(false);
                return;
              }
              const accelerator = acceleratorFromKeyPress(event, mac);
              if (accelerator === null) {
                if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) {
                  setProblem('Hold Ctrl, Alt or ⌘ (with Shift if you like) and press one key.');
                }
                return;
              }
              setProblem(null);
              setRecording(false);
              void onSave(accelerator);
            }}
          >
            <span id={`${id}-record-hint`}>Press the new shortcut…</span>
          </button>
        ) : (
          <>
            <kbd aria-labelledby={`${id}-label`}>
              {value === '' ? 'None' : formatAccelerator(value, mac)}
            </kbd>
            <button type="button" className="button" onClick={() => setRecording(true)}>
              Change
            </button>
            {value !== '' ? (
              <button type="button" className="button" onClick={() => void onSave('')}>
                Turn off
              </button>
            ) : (
              <button
                type="button"
                className="button"
                onClick={() => void onSave(DEFAULT_GLOBAL_SHORTCUT)}
              >
                Use {formatAccelerator(DEFAULT_GLOBAL_SHORTCUT, mac)}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
