import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { signWebhook } from '../../src/modules/push';
import { startTestApp, type TestApp } from '../support/test-app';
import { ADMIN_TOKEN, adminEnv } from './admin-env';

const WEBHOOK_SECRET = 'dashboard-test-webhook-secret';
const OUT = resolve(__dirname, '../../test-output/dashboard');
// evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

jest.setTimeout(120_000);

describe('the /admin dashboard in headless Chromium', () => {
  let t: TestApp;
  let db: DataSource;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const errors: string[] = [];
  const tag = randomUUID().slice(0, 8);
  let runningId: string;
  let scheduledId: string;

  async function campaign(n: string): Promise<string> {
    const body = JSON.stringify({
      notificationId: `ui-${tag}-${n}`,
      noticeId: null,
      category: 'operator',
      audience: { type: 'users', subjects: [`nobody-${tag}`] },
      message: { title: { ja: 'お知らせ' }, body: { ja: '本文' } },
      sendAt: '2099-01-01T00:00:00Z',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        'x-myna-signature': signWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
    expect(res.statusCode).toBe(202);
    const [row] = await db.query<{ id: string }[]>(
      `SELECT id FROM push_campaigns WHERE notification_id = $1`,
      [`ui-${tag}-${n}`],
    );
    return row.id;
  }

  async function axe(view: string): Promise<void> {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => {
      const w = window as unknown as {
        axe: {
          run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
        };
      };
      return w.axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    });
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ view, violations: serious.map((v) => v.id) }).toEqual({ view, violations: [] });
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { ...adminEnv, WEBHOOK_SECRETS: WEBHOOK_SECRET }, listen: true });
    db = t.app.get(DataSource);
    runningId = await campaign('running');
    scheduledId = await campaign('scheduled');
    // a running campaign as the sending pipeline would leave it mid-way
    await db.query(`UPDATE push_campaigns SET status = 'sending', targeted = 100, sent = 10 WHERE id = $1`, [
      runningId,
    ]);
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'myna-chromium-'));
    // a new, empty profile: playwright passes it as --user-data-dir
    browser = await chromium.launchPersistentContext(profile, {
      headless: true,
      viewport: { width: 1280, height: 900 },
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('asks for the token, shows live progress, switches to English, cancels through the dialog', async () => {
    await page.goto(`${t.url}/admin`);
    await page.getByLabel('管理トークン', { exact: true }).waitFor();
    await axe('login');
    await page.screenshot({ path: join(OUT, '1-login.png') });

    await page.getByLabel('管理トークン', { exact: true }).fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '表示する' }).click();
    const running = page.locator('tr', { hasText: '送信中' });
    await running.getByText('10 / 100 件処理済み').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('myna-admin-token'))).toBe(ADMIN_TOKEN);
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    await axe('dashboard (ja)');
    await page.screenshot({ path: join(OUT, '2-dashboard-ja.png'), fullPage: true });

    // the sending pipeline moves on; the next poll shows it
    await db.query(`UPDATE push_campaigns SET sent = 60 WHERE id = $1`, [runningId]);
    await running.getByText('60 / 100 件処理済み').waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.locator('html[lang="en"]').waitFor();
    await axe('dashboard (en)');

    await page.getByRole('button', { name: `Cancel campaign ui-${tag}-scheduled` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await axe('confirmation dialog');
    await page.screenshot({ path: join(OUT, '3-confirm-en.png') });
    await dialog.getByRole('button', { name: 'Cancel the campaign' }).click();
    await page.getByRole('status').getByText('The campaign was cancelled.').waitFor();
    const [row] = await db.query<{ status: string }[]>(`SELECT status FROM push_campaigns WHERE id = $1`, [
      scheduledId,
    ]);
    expect(row.status).toBe('cancelled');
    await page.screenshot({ path: join(OUT, '4-cancelled-en.png'), fullPage: true });

    // narrow screen, 200 % zoom equivalent: still usable, no horizontal page scroll
    await page.setViewportSize({ width: 640, height: 900 });
    await page.evaluate(() => (document.body.style.zoom = '2'));
    await axe('narrow 200 %');
    await page.screenshot({ path: join(OUT, '5-zoom-200.png') });

    expect(errors).toEqual([]);
  });
});
