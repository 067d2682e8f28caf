import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodeStore } from '../../../renderer/src/lib/code-store';

afterEach(() => vi.useRealTimers());

describe('CodeStore', () => {
  it('tells a row only when its own code changes', () => {
    vi.useFakeTimers({ now: 10_000 });
    const store = new CodeStore();
    const heard = { a: 0, b: 0 };
    store.subscribe('a', () => (heard.a += 1));
    store.subscribe('b', () => (heard.b += 1));
    const window = { validFrom: 0, validUntil: 30_000 };
    expect(
      store.replace([
        { id: 'a', code: '111111', ...window },
        { id: 'b', code: '222222' },
      ]),
    ).toBe(2);
    expect(
      store.replace([
        { id: 'a', code: '111111', ...window },
        { id: 'b', code: '222222' },
      ]),
    ).toBe(0);
    expect(
      store.replace([
        { id: 'a', code: '333333', ...window },
        { id: 'b', code: '222222' },
      ]),
    ).toBe(1);
    expect(heard).toEqual({ a: 2, b: 1 });
    store.replace([{ id: 'a', code: '333333', ...window }]);
    expect(store.get('b')).toBeUndefined();
    expect(heard.b).toBe(2);
  });

  it('ticks once per whole second', () => {
    vi.useFakeTimers({ now: 10_000 });
    const store = new CodeStore();
    let ticks = 0;
    store.subscribeTick(() => (ticks += 1));
    store.tick();
    store.tick();
    vi.setSystemTime(10_999);
    store.tick();
    vi.setSystemTime(11_000);
    store.tick();
    expect(ticks).toBe(2);
  });

  it("follows main's clock when the page's clock is outside the reported window", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = new CodeStore();
    store.replace([{ id: 'a', code: '1', validFrom: 60_000, validUntil: 90_000 }]);
    expect(store.now()).toBe(60_000);
    vi.setSystemTime(1_005_000);
    expect(store.now()).toBe(65_000);
    // Inside the window already: no correction.
    const aligned = new CodeStore();
    aligned.replace([{ id: 'a', code: '1', validFrom: 990_000, validUntil: 1_020_000 }]);
    expect(aligned.now()).toBe(1_005_000);
  });
});
