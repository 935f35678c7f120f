// The only way the dashboard talks to the engine: the public /v1 API with the
// signed-in token as a Bearer header. Failures become ApiError with a message
// meant for a person.

const TOKEN_KEY = 'sivo.token';
const ME_KEY = 'sivo.me';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  // {role: 'admin'} or {role: 'tenant', tenant_id}
  get me() {
    try {
      return JSON.parse(sessionStorage.getItem(ME_KEY) || 'null');
    } catch {
      return null;
    }
  },
  signIn(token, me) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ME_KEY);
  },
};

const STATUS_WORDS = {
  400: 'The request was not understood',
  401: 'The token was not accepted',
  403: 'This token may not do that',
  404: 'Not found',
  405: 'Not allowed',
  409: 'Conflict',
  413: 'Too large',
  422: 'Invalid input',
  429: 'Too many requests; try again in a moment',
  503: 'The engine is busy or unavailable; try again in a moment',
};

function describe(status, message) {
  const words = STATUS_WORDS[status] || (status >= 500 ? 'The engine failed' : 'The request failed');
  return message ? `${words}: ${message} (HTTP ${status})` : `${words} (HTTP ${status})`;
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  const bearer = token ?? session.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the engine. Check that it is running, then try again.');
  }
  if (response.ok) return response;
  let error = null;
  try {
    error = (await response.json()).error;
  } catch {
    // not JSON: the status alone has to do
  }
  throw new ApiError(response.status, error?.code || `http_${response.status}`, describe(response.status, error?.message));
}

// JSON in, JSON out; null for 204.
export async function api(method, path, body, { token } = {}) {
  const response = await send(method, path, body, token);
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'bad_json', 'The engine answered with something that is not JSON.');
  }
}

// A file the API offers as an attachment: its bytes and its file name.
export async function fetchFile(path, fallbackName) {
  const response = await send('GET', path);
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : fallbackName };
}

const seg = encodeURIComponent;

export const paths = {
  me: () => '/v1/me',
  eventTypes: () => '/v1/event-types',
  tenants: () => '/v1/tenants',
  endpoints: (t) => `/v1/tenants/${seg(t)}/endpoints`,
  endpoint: (t, e) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}`,
  deliveries: (t, e) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/deliveries`,
  dlq: (t, e, cursor) =>
    `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/dlq` + (cursor ? `?cursor=${seg(cursor)}` : ''),
  dlqRetry: (t, e, eventId) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/dlq/${seg(eventId)}/retry`,
  dlqRetryAll: (t, e) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/dlq/retry`,
  dlqExport: (t, e) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/dlq/export`,
  test: (t, e) => `/v1/tenants/${seg(t)}/endpoints/${seg(e)}/test`,
};

// The catalog never changes while the engine runs: fetched once per page load.
let eventTypes = null;
export function loadEventTypes() {
  if (!eventTypes) {
    eventTypes = api('GET', paths.eventTypes()).then((r) => r.items);
    eventTypes.catch(() => (eventTypes = null));
  }
  return eventTypes;
}
