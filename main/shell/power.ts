import type { PowerMonitor } from 'electron';
import type { PowerEvent } from '../core/auto-lock';

/** The auto-lock's system ports over Electron's powerMonitor. */
export function createPowerPorts(
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleTime' | 'on' | 'off'>,
) {
  return {
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    onPowerEvent(listener: (event: PowerEvent) => void): () => void {
      const onSuspend = () => listener('suspend');
      const onLockScreen = () => listener('lock-screen');
      powerMonitor.on('suspend', onSuspend);
      powerMonitor.on('lock-screen', onLockScreen);
      return () => {
        powerMonitor.off('suspend', onSuspend);
        powerMonitor.off('lock-screen', onLockScreen);
      };
    },
  };
}
