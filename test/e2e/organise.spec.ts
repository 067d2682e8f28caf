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

    await app.row(label(A)).click();
    await expect.poll(async () => (await bridge.clipboard()).events.length).toBe(1);
    await app.advance(1_000);
    await app.row(label(B)).click();
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
    await app.rowAction(label(C), 'Move up');
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
    // Rows are dragged by their handle (so that text in a row can still be selected).
    await app.row(label(C)).hover();
    await app
      .row(label(C))
      .locator('.drag-handle')
      .dragTo(app.row(label(A)), { targetPosition: { x: 40, y: 4 } });
    await app.expectOrder([label(C), label(A), label(B)]);
    await expect
      .poll(async () => (await bridge.vault()).accounts.map((a) => a.secret))
      .toEqual([C.secret, A.secret, B.secret]);
  });

  test('with “Recently used”, a click never moves a row under the pointer: the order settles when it leaves', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({
      vault: { useKeychain: true },
      accounts: [A, B, C],
      settings: { sortOrder: 'recent' },
    });
    // Never used: name order.
    await app.expectOrder([label(A), label(B), label(C)]);
    await app.row(label(C)).click();
    await expect.poll(async () => (await bridge.clipboard()).events.length).toBe(1);
    // A second quick click at the same place hits the same account, not one that slid there.
    await app.row(label(C)).click();
    await expect.poll(async () => (await bridge.clipboard()).events.length).toBe(2);
    await app.expectOrder([label(A), label(B), label(C)]);
    const codes = (await bridge.clipboard()).events.map((event) => event.text);
    expect(new Set(codes).size).toBe(1);
    // The pointer leaves the list: now the most recent comes first.
    await page.mouse.move(5, 5);
    await app.expectOrder([label(C), label(A), label(B)]);
  });

  test('a tag chip filters by its tag, and search, tag and sort go back to the top of the list', async ({
    app,
    page,
  }) => {
    await app.open({ vault: { useKeychain: true }, accountCount: 500 });
    await expect(app.accountList().getByRole('listitem').first()).toBeVisible();
    const scrollTop = () =>
      page.evaluate<number>(`document.querySelector('.list-scroller').scrollTop`);
    await page.evaluate(`document.querySelector('.list-scroller').scrollTo({ top: 20000 })`);
    await expect.poll(scrollTop).toBeGreaterThan(0);
    await page.getByRole('searchbox', { name: 'Search accounts' }).fill('github');
    await expect.poll(scrollTop).toBe(0);
    await expect(page.getByText(/ of 500$/)).toBeVisible();

    await page.getByRole('searchbox', { name: 'Search accounts' }).fill('');
    const row = app.accountList().getByRole('listitem').first();
    const tag = row.locator('.tag').first();
    const name = (await tag.textContent()) ?? '';
    await tag.click();
    await expect(page.getByRole('combobox', { name: 'Filter by tag' })).toHaveValue(name);
    // The click filtered; it did not copy a code.
    await expect(page.locator('.toast').filter({ hasText: 'copied' })).toHaveCount(0);
  });

  test('text in a row can be selected without copying the code', async ({ app, page, bridge }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE });
    const name = app.row(label(A)).locator('.account-name');
    await name.selectText();
    expect(await page.evaluate<string>('String(window.getSelection())')).toContain('alice');
    const events = (await bridge.clipboard()).events;
    expect(events.filter((event) => event.by === 'main')).toEqual([]);
  });
});
