import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

/** The administration screens (issue 13): accounts, audit log, holidays; the API reference page; a forced password change. */
async function signIn(page: Page, username: string, password: string, after = /\/console/): Promise<void> {
  await page.waitForURL(/\/login/);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(after);
}

describe('administration screens', () => {
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    browser = await launchBrowser();
    const token = await login(server);
    for (const [username, displayName, role] of [['wang.wu', '王五', 'dispatcher'], ['li.si', '李四', 'leader'], ['zhao.liu', '赵六', 'worker']] as const) {
      const res = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, displayName, password: 'Password-123', role, regionId: '510108' }),
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin disables an account, resets a password, and sees both in the audit log; holidays tab lists the package years', async () => {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/console`, { viewport: { width: 1440, height: 900 } });
    try {
      page.on('dialog', (d) => void d.accept());
      await signIn(page, 'admin', server.adminPassword);
      await page.getByTestId('open-admin').click();
      await page.getByTestId('account-wang.wu').waitFor();
      await page.getByTestId('account-toggle-wang.wu').click();
      await expect.poll(() => page.getByTestId('account-wang.wu').textContent()).toContain('已停用');
      await page.getByTestId('account-li.si').getByText('重置密码').click();
      await expect.poll(() => page.getByTestId('accounts-notice').textContent()).toMatch(/临时密码.*：\s*\S{10,}/);
      await screenshot(page, 'admin-accounts');

      await page.getByTestId('admin-tab-audit').click();
      await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(2);
      const text = await page.getByTestId('admin-audit').textContent();
      expect(text).toContain('修改账号');
      expect(text).toContain('重置密码');
      await screenshot(page, 'admin-audit');

      await page.getByTestId('admin-tab-holidays').click();
      await expect.poll(() => page.getByTestId('admin-holidays').textContent()).toContain('2026');
      await page.getByTestId('holiday-new-year').fill('2027');
      await page.getByTestId('holiday-open-year').click();
      await page.getByTestId('holiday-add').click();
      await page.getByTestId('holiday-row').locator('input[type=date]').fill('2027-01-01');
      await page.getByTestId('holiday-row').locator('input:not([type])').fill('元旦');
      await page.getByTestId('holiday-save').click();
      await expect.poll(() => page.getByTestId('admin-holidays').textContent()).toContain('管理员录入');
      await screenshot(page, 'admin-holidays');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('a reset password leads straight to the change screen', async () => {
    const token = await login(server);
    const users = (await (await fetch(`${server.url}/api/users`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { users: { id: string; username: string }[] };
    const zhao = users.users.find((u) => u.username === 'zhao.liu')!;
    const reset = (await (await fetch(`${server.url}/api/users/${zhao.id}/password-reset`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).json()) as { temporaryPassword: string };
    const { page, context, external } = await newPage(browser, `${server.url}/console`, { viewport: { width: 1280, height: 800 } });
    try {
      await signIn(page, 'zhao.liu', reset.temporaryPassword, /\/password/);
      await page.getByTestId('password-form').waitFor();
      const inputs = page.getByTestId('password-form').locator('input[type=password]');
      await inputs.nth(0).fill(reset.temporaryPassword);
      await inputs.nth(1).fill('short');
      await expect.poll(() => page.getByTestId('password-form').textContent()).toContain('太短');
      await screenshot(page, 'password-change');
      await inputs.nth(1).fill('Neues-Passw0rt');
      await inputs.nth(2).fill('Neues-Passw0rt');
      await page.getByTestId('password-form').locator('button[type=submit]').click();
      await page.waitForURL(/\/console$/);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('the API reference page renders the OpenAPI document offline', async () => {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/api/docs`, { viewport: { width: 1280, height: 800 } });
    try {
      await expect.poll(() => page.locator('details').count()).toBeGreaterThan(40);
      await page.locator('details').filter({ hasText: '/api/users/{id}' }).first().locator('summary').click();
      await screenshot(page, 'api-docs');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});
