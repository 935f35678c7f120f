// Sign in with a token: the admin token or a tenant's API key. GET /v1/me says
// which one it is; the token then lives in sessionStorage until sign-out.

import { api, paths, session } from '../api.js';
import { h } from '../dom.js';
import { busy, clearNotices, field, showError } from '../ui.js';

export async function signInView(ctx) {
  const token = h('input', {
    type: 'password', name: 'token', id: 'token', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Admin token or tenant API key',
  });
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, 'Sign in');
  const form = h('form', { class: 'card signin' },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Use the admin token the engine was started with, or a tenant\'s API key.'),
    field('Token', token),
    submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const value = token.value.trim();
      try {
        const me = await api('GET', paths.me(), undefined, { token: value });
        session.signIn(value, me);
        clearNotices();
        ctx.navigate(ctx.home());
      } catch (error) {
        showError(error.status === 401 ? new Error('That token is not known to this engine.') : error);
      }
    });
  });
  setTimeout(() => token.focus(), 0);
  return h('section', { class: 'center' }, form);
}
