// The operators' dashboard: plain ES module, no build step, no inline script (strict CSP).
import { texts } from './i18n.js';
import { lineChart } from './chart.js';

const TOKEN_KEY = 'myna-admin-token';
const LANG_KEY = 'myna-admin-lang';
const POLL_MS = 5000;
const RUNNING = new Set(['scheduled', 'queued', 'sending']);

const $ = (id) => document.getElementById(id);
let lang = sessionStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ja';
let timer;
let pendingCancel;
let lastCampaigns = [];

const t = (key, params = {}) =>
  (texts[lang][key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
const number = (n) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(lang).format(n));
const percent = (r) =>
  new Intl.NumberFormat(lang, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(r ?? 0);
const categoryName = (c) => texts[lang][`category_${c}`] ?? c ?? '—';
const dateTime = (iso) =>
  iso
    ? new Intl.DateTimeFormat(lang, {
        dateStyle: 'short',
        timeStyle: 'short',
        timeZone: 'Asia/Tokyo',
      }).format(new Date(iso))
    : '—';
const jstToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
const daysAgo = (n) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() - n * 86400000));

function announce(message) {
  $('status').textContent = message;
}

class AuthError extends Error {}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(path, {
    ...options,
    headers: { authorization: `Bearer ${token}`, 'accept-language': lang, ...(options.headers ?? {}) },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (res.status === 401) throw new AuthError('unauthorized');
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const error = new Error(problem.code ?? String(res.status));
    error.code = problem.code;
    throw error;
  }
  return res.status === 204 ? null : res.json();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function fill(tableId, rows, render) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(
    ...rows.map((item) => {
      const tr = document.createElement('tr');
      render(tr, item);
      return tr;
    }),
  );
}

function applyTexts() {
  document.documentElement.lang = lang;
  document.title = `${t('title')} | myna-bff`;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const other = lang === 'ja' ? 'en' : 'ja';
  $('lang').textContent = other === 'en' ? 'English' : '日本語';
  $('lang').lang = other;
}

function renderCampaigns(items) {
  lastCampaigns = items;
  $('campaigns-empty').hidden = items.length > 0;
  $('campaigns-empty').textContent = t('noCampaigns');
  fill('campaigns-table', items, (tr, c) => {
    cell(tr, dateTime(c.createdAt));
    cell(tr, categoryName(c.category));
    cell(tr, t(`status_${c.status}`));
    for (const key of [
      'targeted',
      'sent',
      'failed',
      'invalidTokens',
      'cancelledTokens',
      'received',
      'opened',
    ]) {
      cell(tr, number(c[key]), 'num');
    }
    cell(tr, percent(c.openRate), 'num');
    const done = c.sent + c.failed + c.invalidTokens + c.cancelledTokens;
    const progressCell = cell(tr, '');
    const bar = document.createElement('progress');
    bar.max = Math.max(1, c.targeted);
    bar.value = Math.min(done, bar.max);
    const label = t('progress', { done: number(done), total: number(c.targeted) });
    bar.setAttribute('aria-label', label);
    const text = document.createElement('span');
    text.textContent = label;
    progressCell.append(bar, text);
    const actions = cell(tr, '');
    if (RUNNING.has(c.status)) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'danger';
      button.textContent = t('cancel');
      const name = c.notificationId ?? c.id;
      button.setAttribute('aria-label', t('cancelLabel', { name }));
      button.dataset.campaign = c.id;
      button.addEventListener('click', () => askCancel(c, button));
      actions.append(button);
    }
  });
}

function askCancel(campaign, opener) {
  pendingCancel = { campaign, opener };
  $('confirm-text').textContent = t('confirmText', { name: campaign.notificationId ?? campaign.id });
  $('confirm').showModal();
  $('confirm-no').focus();
}

async function confirmCancel() {
  const { campaign } = pendingCancel ?? {};
  $('confirm').close();
  if (!campaign) return;
  try {
    await api(`/admin/v1/campaigns/${encodeURIComponent(campaign.id)}/cancel`, { method: 'POST' });
    announce(t('cancelled'));
  } catch (error) {
    if (error instanceof AuthError) return signOut(t('tokenWrong'));
    announce(error.code === 'CAMPAIGN_ENDED' ? t('alreadyEnded') : t('unavailable'));
  }
  await refreshCampaigns();
  $('campaigns-title').focus();
}

async function guarded(load, fallbackTable) {
  try {
    await load();
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (fallbackTable) fill(fallbackTable, [], () => undefined);
    return false;
  }
  return true;
}

async function refreshCampaigns() {
  const ok = await guarded(
    async () => renderCampaigns((await api('/admin/v1/campaigns?limit=50')).items),
    'campaigns-table',
  );
  if (!ok) {
    $('campaigns-empty').hidden = false;
    $('campaigns-empty').textContent = t('unavailable');
  }
}

async function refreshSystem() {
  await guarded(async () => {
    const s = await api('/admin/v1/system');
    fill('queues-table', s.queues, (tr, q) => {
      cell(tr, q.name);
      for (const k of ['waiting', 'active', 'delayed', 'failed']) cell(tr, number(q[k]), 'num');
    });
    fill('breakers-table', s.breakers, (tr, b) => {
      cell(tr, b.upstream);
      const state = cell(tr, t(`state_${b.state}`));
      state.className = `state state-${b.state}`;
    });
  });
}

async function refreshDaily() {
  const from = $('daily-from').value;
  const to = $('daily-to').value;
  await guarded(async () => {
    const { items } = await api(`/admin/v1/stats/daily?from=${from}&to=${to}`);
    fill('daily-table', items, (tr, d) => {
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = d.day;
      tr.append(th);
      for (const k of ['sent', 'failed', 'opened']) cell(tr, number(d[k]), 'num');
    });
    $('daily-chart').replaceChildren(
      lineChart({
        label: t('chartLabel'),
        labels: items.map((d) => d.day.slice(5)),
        series: [
          { name: t('sentSeries'), values: items.map((d) => d.sent), style: 'solid' },
          { name: t('openedSeries'), values: items.map((d) => d.opened), style: 'dashed' },
        ],
      }),
    );
  }, 'daily-table');
}

async function refreshMonthly() {
  const month = (d) => d.slice(0, 7);
  await guarded(async () => {
    const { items } = await api(
      `/admin/v1/stats/monthly?from=${month(daysAgo(330))}&to=${month(jstToday())}`,
    );
    fill('monthly-table', items, (tr, m) => {
      cell(tr, m.month);
      cell(tr, categoryName(m.category));
      for (const k of ['notifications', 'targeted', 'sent', 'opened']) cell(tr, number(m[k]), 'num');
      cell(tr, percent(m.openRate), 'num');
    });
  }, 'monthly-table');
}

async function refreshUsage() {
  await guarded(async () => {
    const { items } = await api(`/admin/v1/stats/usage?from=${daysAgo(13)}&to=${jstToday()}`);
    fill('usage-table', items.slice().reverse(), (tr, d) => {
      cell(tr, d.day);
      for (const k of ['linkedPeople', 'activePushDevices', 'links', 'unlinks'])
        cell(tr, number(d[k]), 'num');
      const calls = Object.entries(d.apiCalls).map(([f, n]) => `${f} ${number(n)}`);
      cell(tr, calls.length ? calls.join(', ') : t('none'));
      const errors = d.upstreams.map((u) => `${u.upstream} ${percent(u.errorRate)}`);
      cell(tr, errors.length ? errors.join(', ') : t('none'));
    });
    const today = items.at(-1);
    const cards = [
      [t('sumLinked'), number(today?.linkedPeople)],
      [t('sumPush'), number(today?.activePushDevices)],
      [t('sumCalls'), number(Object.values(today?.apiCalls ?? {}).reduce((a, b) => a + b, 0))],
    ];
    $('usage-summary').replaceChildren(
      ...cards.map(([label, value]) => {
        const div = document.createElement('div');
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        div.append(dt, dd);
        return div;
      }),
    );
  }, 'usage-table');
}

async function refreshAll() {
  try {
    await Promise.all([
      refreshCampaigns(),
      refreshSystem(),
      refreshDaily(),
      refreshMonthly(),
      refreshUsage(),
    ]);
  } catch (error) {
    if (error instanceof AuthError) return signOut(t('tokenWrong'));
  }
}

async function poll() {
  try {
    await Promise.all([refreshCampaigns(), refreshSystem()]);
  } catch (error) {
    if (error instanceof AuthError) return signOut(t('tokenWrong'));
  }
  timer = setTimeout(poll, POLL_MS);
}

function showApp(visible) {
  $('login').hidden = visible;
  $('app').hidden = !visible;
  $('logout').hidden = !visible;
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await api('/admin/v1/system');
  } catch (error) {
    if (error instanceof AuthError) return signOut(t('tokenWrong'));
  }
  $('token').value = '';
  showApp(true);
  await refreshAll();
  clearTimeout(timer);
  timer = setTimeout(poll, POLL_MS);
  $('campaigns-title').focus();
}

function signOut(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKEN_KEY);
  showApp(false);
  $('token-error').textContent = message ?? '';
  if (message) $('token').setAttribute('aria-invalid', 'true');
  $('token').focus();
}

function setup() {
  applyTexts();
  $('daily-from').value = daysAgo(13);
  $('daily-to').value = jstToday();
  for (const id of ['campaigns-title']) $(id).tabIndex = -1;

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      $('token-error').textContent = t('tokenMissing');
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
      return;
    }
    $('token').removeAttribute('aria-invalid');
    $('token-error').textContent = '';
    void signIn(token);
  });
  $('logout').addEventListener('click', () => signOut());
  $('lang').addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    sessionStorage.setItem(LANG_KEY, lang);
    applyTexts();
    if (!$('app').hidden) void refreshAll();
    else renderCampaigns(lastCampaigns);
  });
  $('daily-range').addEventListener('submit', (event) => {
    event.preventDefault();
    void refreshDaily();
  });
  $('confirm-no').addEventListener('click', () => $('confirm').close());
  $('confirm-yes').addEventListener('click', () => void confirmCancel());
  $('confirm').addEventListener('close', () => {
    if (pendingCancel?.opener?.isConnected) pendingCancel.opener.focus();
    pendingCancel = undefined;
  });
  $('open-queues').addEventListener('click', async () => {
    try {
      await api('/admin/v1/session', { method: 'POST' });
      window.open('/admin/queues', '_blank', 'noopener');
    } catch (error) {
      if (error instanceof AuthError) signOut(t('tokenWrong'));
    }
  });

  if (sessionStorage.getItem(TOKEN_KEY)) void signIn(sessionStorage.getItem(TOKEN_KEY));
  else showApp(false);
}

setup();
