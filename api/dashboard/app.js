// The dashboard's shell: a hash router, the top bar, and the life cycle of a
// view (its timers stop when the user leaves it).

import { ApiError, session } from './api.js';
import { h, replace, route } from './dom.js';
import { clearNotices, notify, showError } from './ui.js';
import { signInView } from './views/sign_in.js';
import { tenantsView } from './views/tenants.js';
import { endpointsView } from './views/endpoints.js';
import { endpointFormView } from './views/endpoint_form.js';
import { endpointView } from './views/endpoint.js';

const ROUTES = [
  { pattern: /^\/signin$/, view: signInView, public: true },
  { pattern: /^\/tenants$/, view: tenantsView, admin: true },
  { pattern: /^\/t\/([^/]+)\/endpoints$/, view: endpointsView, names: ['tenant'] },
  { pattern: /^\/t\/([^/]+)\/endpoints\/new$/, view: endpointFormView, names: ['tenant'] },
  { pattern: /^\/t\/([^/]+)\/endpoints\/([^/]+)\/edit$/, view: endpointFormView, names: ['tenant', 'endpoint'] },
  {
    pattern: /^\/t\/([^/]+)\/endpoints\/([^/]+)(?:\/(deliveries|dlq|test))?$/,
    view: endpointView,
    names: ['tenant', 'endpoint', 'tab'],
  },
];

export function homeRoute() {
  const me = session.me;
  if (!session.token || !me) return '#/signin';
  if (me.role === 'admin') return '#/tenants';
  return route('t', me.tenant_id, 'endpoints');
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

export function signOut(message) {
  session.signOut();
  clearNotices();
  if (message) notify(message, 'error');
  navigate('#/signin');
}

let current = null; // {dispose: [fn]}

function renderTopBar(params) {
  const me = session.me;
  const nav = document.getElementById('nav');
  const who = document.getElementById('session');
  if (!session.token || !me) {
    replace(nav);
    replace(who);
    return;
  }
  const links = [];
  const here = location.hash;
  const link = (label, href, active) =>
    h('a', { href, class: active ? 'active' : null, 'aria-current': active ? 'page' : null }, label);
  if (me.role === 'admin') links.push(link('Tenants', '#/tenants', here === '#/tenants'));
  const tenant = params.tenant || (me.role === 'tenant' ? me.tenant_id : null);
  if (tenant) links.push(link('Endpoints', route('t', tenant, 'endpoints'), here.startsWith(route('t', tenant, 'endpoints'))));
  replace(nav, links);
  const role = me.role === 'admin' ? 'admin' : `tenant ${me.tenant_id}`;
  const out = h('button', { type: 'button', class: 'button small ghost' }, 'Sign out');
  out.addEventListener('click', () => signOut());
  replace(who, h('span', { class: 'who', title: 'Signed in as' }, role), out);
}

async function render() {
  const path = location.hash.replace(/^#/, '') || '/';
  if (current) current.dispose.forEach((fn) => fn());
  const ctx = { dispose: [], params: {}, navigate, signOut, handleError, home: homeRoute };
  current = ctx;
  // Runs fn every `ms` (after the previous run finished) until the view goes.
  ctx.every = (ms, fn) => {
    let timer = null;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      if (!document.hidden) {
        try {
          await fn();
        } catch (error) {
          if (!stopped) handleError(error);
        }
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    timer = setTimeout(tick, ms);
    ctx.dispose.push(() => {
      stopped = true;
      clearTimeout(timer);
    });
  };
  ctx.alive = () => current === ctx;

  const entry = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!entry || (!entry.r.public && !session.token)) return navigate(homeRoute());
  if (entry.r.admin && session.me?.role !== 'admin') return navigate(homeRoute());
  (entry.r.names || []).forEach((name, i) => {
    if (entry.m[i + 1] !== undefined) ctx.params[name] = decodeURIComponent(entry.m[i + 1]);
  });

  renderTopBar(ctx.params);
  const app = document.getElementById('app');
  replace(app, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const node = await entry.r.view(ctx);
    if (ctx.alive()) {
      replace(app, node);
      const heading = app.querySelector('h1');
      document.title = heading ? `${heading.textContent} · Sivo Webhooks` : 'Sivo Webhooks';
    }
  } catch (error) {
    if (!ctx.alive()) return;
    replace(app, h('div', { class: 'card empty-state' },
      h('h1', {}, 'Something went wrong'),
      h('p', {}, error instanceof Error ? error.message : String(error)),
      h('p', {}, h('a', { href: homeRoute() }, 'Back to the start'))));
    handleError(error);
  }
}

export function handleError(error) {
  if (error instanceof ApiError && error.status === 401 && session.token) {
    signOut('The engine no longer accepts this token. Sign in again.');
    return;
  }
  showError(error);
}

window.addEventListener('hashchange', render);
window.addEventListener('unhandledrejection', (e) => handleError(e.reason));
render();
