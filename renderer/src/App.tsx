import { useCallback, useEffect, useRef, useState } from 'react';
import type { LockReason, VaultStatus } from '../../shared/contract';
import type { Settings } from '../../shared/domain';
import { ToastProvider } from './components/Toasts';
import { api, call, errorMessage, onAppEventPayload } from './lib/api';
import { applyTheme } from './lib/theme';
import { FirstRun } from './screens/FirstRun';
import { Unlock } from './screens/Unlock';
import { loadVault, Vault } from './screens/Vault';
import type { VaultData } from './screens/Vault';

/** Why the vault locked (main says so with the event), for the lock screen's first line. */
export interface LockNote {
  reason: LockReason;
  minutes: number | null;
}

type Screen =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'missing'; status: VaultStatus }
  | { kind: 'locked'; status: VaultStatus }
  | { kind: 'unlocked'; status: VaultStatus; data: VaultData };

export function App() {
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const generation = useRef(0);
  /** Why main locked the vault last, and the idle time then, for the lock screen to say. */
  const [lockedBecause, setLockedBecause] = useState<LockNote | null>(null);
  const autoLockMinutes = useRef<number | null>(null);

  /** Moves to the screen for a vault status, loading accounts first when it is unlocked. */
  const show = useCallback(async (status: VaultStatus) => {
    const mine = ++generation.current;
    if (status.state !== 'unlocked') {
      setScreen({ kind: status.state, status });
      return;
    }
    try {
      const data = await loadVault();
      if (mine !== generation.current) return;
      applyTheme(data.settings.theme);
      autoLockMinutes.current = data.settings.autoLockMinutes;
      setScreen({ kind: 'unlocked', status, data });
    } catch (caught) {
      if (mine !== generation.current) return;
      // Locked between the two calls (idle, another window): ask again.
      const again = await call(() => api().vault.status()).catch(() => null);
      if (again && again.state !== 'unlocked') setScreen({ kind: again.state, status: again });
      else setScreen({ kind: 'error', message: errorMessage(caught) });
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      await show(await call(() => api().vault.status()));
    } catch (caught) {
      setScreen({ kind: 'error', message: errorMessage(caught) });
    }
  }, [show]);

  useEffect(() => {
    void refresh();
    // Idle, suspend, screen lock or the menu: main locked the vault, so show the lock screen.
    return onAppEventPayload('onVaultLocked', ({ reason }) => {
      setLockedBecause({ reason, minutes: autoLockMinutes.current });
      void refresh();
    });
  }, [refresh]);

  const onStatus = useCallback(
    (status: VaultStatus) => {
      if (status.state === 'locked' && screenKind.current === 'unlocked') {
        setLockedBecause({ reason: 'manual', minutes: null });
      }
      setScreen((current) =>
        current.kind === 'unlocked' && status.state === 'unlocked'
          ? { ...current, status }
          : current,
      );
      if (status.state !== 'unlocked' || screenKind.current !== 'unlocked') void show(status);
    },
    [show],
  );
  const screenKind = useRef(screen.kind);
  // First run: the user asked to set up automatic backups once the vault exists (asked once).
  const setupBackups = useRef(false);
  const takeSetupBackups = () => {
    const wanted = setupBackups.current;
    setupBackups.current = false;
    return wanted;
  };
  screenKind.current = screen.kind;

  const onSettings = useCallback((settings: Settings) => {
    autoLockMinutes.current = settings.autoLockMinutes;
    applyTheme(settings.theme);
  }, []);
  const onLocked = useCallback(() => void refresh(), [refresh]);

  return <ToastProvider>{render()}</ToastProvider>;

  function render() {
    switch (screen.kind) {
      case 'loading':
        return (
          <main className="centered-screen" aria-busy="true">
            <p className="loading">Opening Chronokey…</p>
          </main>
        );
      case 'error':
        return (
          <main className="centered-screen">
            <div className="card">
              <h1 className="screen-title">Chronokey could not open</h1>
              <p className="form-error" role="alert">
                {screen.message}
              </p>
              <button
                type="button"
                className="button button-primary button-block"
                onClick={() => void refresh()}
              >
                Try again
              </button>
            </div>
          </main>
        );
      case 'missing':
        return (
          <FirstRun
            status={screen.status}
            onCreated={(status, choices) => {
              setupBackups.current = choices.setUpBackups;
              void show(status);
            }}
          />
        );
      case 'locked':
        return (
          <Unlock
            status={screen.status}
            lockedBecause={lockedBecause}
            onUnlocked={(status) => {
              setLockedBecause(null);
              void show(status);
            }}
          />
        );
      case 'unlocked':
        return (
          <Vault
            data={screen.data}
            status={screen.status}
            onStatus={onStatus}
            onSettings={onSettings}
            onLocked={onLocked}
            openBackups={takeSetupBackups()}
          />
        );
    }
  }
}
