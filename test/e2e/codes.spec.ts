import type { SeedAccount } from './bridge/seed';
import { seedAccount } from './bridge/seed';
import { THREE, expect, expectedCode, grouped, label, test } from './fixtures';

const PERIOD_START = Date.UTC(2021, 0, 1, 0, 0, 0);

test.describe('codes', () => {
  test('every code matches an independent TOTP/Steam computation and moves on with time', async ({
    app,
    bridge,
  }) => {
    const steam: SeedAccount = {
      ...seedAccount(40),
      type: 'steam',
      issuer: 'Steam',
      account: 'gamer',
      digits: 5,
    };
    const accounts = [...THREE, steam];
    await app.open({ vault: { useKeychain: true }, accounts, time: PERIOD_START + 5_000 });
    for (const account of accounts) {
      const code = expectedCode(account, await bridge.now());
      await expect(app.code(label(account))).toHaveText(grouped(code));
      await expect(app.code(label(account))).toHaveAttribute('aria-label', `Code ${code}`);
    }
    await expect(app.row(label(THREE[0]!)).getByLabel(/25 seconds left/)).toBeVisible();

    // Into the next period: main's codes change and the list follows.
    await app.advance(30_000);
    for (const account of accounts) {
      await expect(app.code(label(account))).toHaveText(
        grouped(expectedCode(account, await bridge.now())),
      );
    }
  });

  test('shows the next code when the current one is about to expire', async ({ app, bridge }) => {
    const account = THREE[0]!;
    await app.open({
      vault: { useKeychain: true },
      accounts: [account],
      time: PERIOD_START + 5_000,
    });
    const row = app.row(label(account));
    await expect(row.getByText(/^Next:/)).toHaveCount(0);

    await app.setTime(PERIOD_START + 26_000);
    const next = expectedCode(account, (await bridge.now()) + 30_000);
    await expect(row.getByText(`Next: ${grouped(next)}`)).toBeVisible();
  });

  test('copy puts the code on main’s clipboard, confirms, and clears it after 30 s', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 5_000 });
    const account = THREE[1]!;
    const code = expectedCode(account, await bridge.now());
    await app.row(label(account)).click();
    await expect(
      page.getByRole('status').filter({ hasText: `${account.issuer} code copied; clears in 30 s` }),
    ).toBeVisible();
    expect((await bridge.clipboard()).text).toBe(code);

    await app.advance(29_000);
    expect((await bridge.clipboard()).text).toBe(code);
    await app.advance(1_000);
    const clipboard = await bridge.clipboard();
    expect(clipboard.text).toBe('');
    expect(clipboard.events.map((e) => [e.kind, e.text, e.by])).toEqual([
      ['write', code, 'main'],
      ['clear', code, 'main'],
    ]);
  });

  test('pressing Enter on a focused row copies; a clipboard the user changed is left alone', async ({
    app,
    page,
    bridge,
  }) => {
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 5_000 });
    const account = THREE[0]!;
    const code = expectedCode(account, await bridge.now());
    await app.row(label(account)).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await bridge.clipboard()).text).toBe(code);

    await bridge.userCopies('something the user copied');
    await app.advance(31_000);
    const clipboard = await bridge.clipboard();
    expect(clipboard.text).toBe('something the user copied');
    expect(clipboard.events.filter((e) => e.kind === 'clear')).toEqual([]);
  });

  test('in a code’s last seconds a copy takes the next code and says so; a click on “Next:” copies it', async ({
    app,
    page,
    bridge,
  }) => {
    const account = THREE[0]!;
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 28_000 });
    const next = expectedCode(account, PERIOD_START + 30_000);
    await app.row(label(account)).click();
    await expect.poll(async () => (await bridge.clipboard()).text).toBe(next);
    await expect(
      page
        .locator('.toast')
        .filter({ hasText: `${account.issuer} next code copied (it starts in 2 s)` }),
    ).toBeVisible();

    // Earlier in a period the current code is copied, and "Next:" copies the next one.
    await app.setTime(PERIOD_START + 30_000 + 26_000);
    const row = app.row(label(account));
    const current = expectedCode(account, PERIOD_START + 56_000);
    const following = expectedCode(account, PERIOD_START + 60_000);
    await expect(app.code(label(account))).toHaveText(grouped(current));
    await row.click();
    await expect.poll(async () => (await bridge.clipboard()).text).toBe(current);
    await row.getByRole('button', { name: `Next: ${grouped(following)}` }).click();
    await expect.poll(async () => (await bridge.clipboard()).text).toBe(following);
  });

  test('the code does not move when “Next:” appears', async ({ app }) => {
    const account = THREE[0]!;
    await app.open({ vault: { useKeychain: true }, accounts: THREE, time: PERIOD_START + 5_000 });
    const code = app.code(label(account));
    const before = await code.boundingBox();
    await app.setTime(PERIOD_START + 27_000);
    await expect(app.row(label(account)).getByText(/^Next:/)).toBeVisible();
    const after = await code.boundingBox();
    expect(after).toEqual(before);
  });
});
