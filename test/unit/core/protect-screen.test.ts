import { describe, expect, it } from 'vitest';
import { createSystemHandlers } from '../../../main/core/system-handlers';

describe('system.protectScreen (transfer QR codes on screen)', () => {
  it('passes each request to the port and answers whether the window is protected', async () => {
    const asked: boolean[] = [];
    const handlers = createSystemHandlers({
      protectScreen: (enabled) => {
        asked.push(enabled);
        return enabled;
      },
    });
    expect(await handlers['system.protectScreen']({ enabled: true })).toEqual({ protected: true });
    expect(await handlers['system.protectScreen']({ enabled: false })).toEqual({
      protected: false,
    });
    expect(asked).toEqual([true, false]);
  });

  it('says "not protected" where there is no window to protect (CLI, bridge without a port)', async () => {
    const handlers = createSystemHandlers();
    expect(await handlers['system.protectScreen']({ enabled: true })).toEqual({ protected: false });
  });
});
