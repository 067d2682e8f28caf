import { useId, useState } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain';
import { AutoBackupPanel } from '../components/AutoBackupSettings';
import { Dialog } from '../components/Dialog';
import { NumberSetting } from '../components/NumberSetting';
import { SettingToggle } from '../components/SettingToggle';
import { useToast } from '../components/Toasts';
import { FollowSettings } from '../components/FollowSettings';
import { SyncSettings } from '../components/SyncSettings';
import { SystemSettings } from '../components/SystemSettings';
import { UnlockSettings } from '../components/UnlockSettings';
import { api, call, errorMessage } from '../lib/api';
import { FormError } from '../components/FormParts';

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
            unit="minutes"
            onSave={(value) => save({ autoLockMinutes: value })}
          />
          <NumberSetting
            label="Clear clipboard after (seconds)"
            hint="0 means never. Only a code Chronokey copied is cleared."
            value={settings.clipboardClearSeconds}
            min={0}
            max={3600}
            unit="seconds"
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

        <section className="settings-section" aria-labelledby={`${id}-sync`}>
          <h3 className="section-title" id={`${id}-sync`}>
            Sync
          </h3>
          <SyncSettings vaultHasPassword={status.slots.includes('password')} />
          <FollowSettings />
        </section>

        <FormError message={error} />

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
