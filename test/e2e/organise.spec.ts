import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import { THREE, expect, label, test } from './fixtures';

const [A, B, C] = THREE as [SeedAccount, SeedAccount, SeedAccount];
const FIVE: SeedAccount[] = [...THREE, { ...seedAccount(3), tags: ['dev'] }, seedAccount(9)];

test.describe('finding and organising', () => {
  test('Ctrl+F focuses search; typing filters by issuer, account and tag', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: FIVE });
    await app.expectOrder(FIVE.map(label));
    const search = page.getByRole('searchbox', { name: 'Search accounts' });

    await page.keyboard.press('Control+f');
    await expect(search).toBeFocused();
    await page.keyboard.type('git');
    // GitHub and GitLab match by issuer.
    await app.expectOrder([label(FIVE[0]!), label(FIVE[3]!)]);

    await search.fill('finance');
    await app.expectOrder([label(C)]);

    await search.fill('alice@');
    await expect(app.accountList().getByRole('listitem')).toHaveCount(5);

    await search.fill('nothing matches this');
    await expect(app.accountList().getByRole('listitem')).toHaveCount(0);
    await search.fill('');
    await app.expectOrder(FIVE.map(label));
  });

  test('the tag filter lists every tag and shows only matching accounts', async ({ app, page }) => {
    await app.open({ vault: { useKeychain: true }, accounts: FIVE });
    const filter = page.getByRole('combobox', { name: 'Filter by tag' });
    await expect(filter.getByRole('option')).toHaveText(
      ['All tags', 'dev', 'finance', 'personal', 'work'].map((t) => new RegExp(t)),
    );
    await filter.selectOption({ label: 'dev' });
    await app.expectOrder([label(A), label(FIVE[3]!)]);
    await filter.selectOption({ label: 'All tags' });
    await expect(app.accountList().getByRole('listitem')).toHaveCount(5);
  });

  test('sorts by name and by recent use', async ({ app, page, bridge }) => {
    // Manual order differs from both name order and recent use.
    await app.open({ vault: { useKeychain: true }, accounts: [C, A, B] });
    await app.expectOrder([label(C), label(A), label(B)]);
    const sort = page.getByRole('combobox', { name: 'Sort by' });
    await expect(sort).toHaveValue(/manual/i);
    await sort.selectOption({ label: 'Name' });
    // GitHub, Google, Northwind Bank
    await app.expectOrder([label(A), label(B), label(C)]);
    await expect.poll(async () => (await bridge.vault()).settings.sortOrder).toBe('name');

    await page.getByRole('button', { name: `Copy code for ${label(A)}` }).click();
    await expect.poll(async () => (await bridge.clipboard()).events.length).toBe(1);
    await app.advance(1_000);
    await page.getByRole('button', { name: `Copy code for ${label(B)}` }).click();
    await expect.poll(async () => (await bridge.clipboard()).events.length).toBe(2);
    await sort.selectOption({ label: 'Recently used' });
    // B (just now), A (a second before), then C (never used).
    await app.expectOrder([label(B), label(A), label(C)]);
    await expect.poll(async () => (await bridge.vault()).settings.sortOrder).toBe('recent');
  });

  test('reorders with the Move buttons and Alt+Arrow keys, and saves the order', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await page.getByRole('button', { name: `Move ${label(C)} up` }).click();
    await app.expectOrder([label(A), label(C), label(B)]);

    await app.row(label(A)).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await app.expectOrder([label(C), label(A), label(B)]);
    await expect(app.row(label(A))).toBeFocused();

    await expect
      .poll(async () => (await bridge.vault()).accounts.map((a) => a.secret))
      .toEqual([C.secret, A.secret, B.secret]);
    await app.reload();
    await app.expectOrder([label(C), label(A), label(B)]);
  });

  test('reorders by drag and drop', async ({ app, bridge }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    await app.row(label(C)).dragTo(app.row(label(A)), { targetPosition: { x: 40, y: 4 } });
    await app.expectOrder([label(C), label(A), label(B)]);
    await expect
      .poll(async () => (await bridge.vault()).accounts.map((a) => a.secret))
      .toEqual([C.secret, A.secret, B.secret]);
  });
});
