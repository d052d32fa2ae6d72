// The reference POS's only way to the gateway: its public API, with the demo
// keys `make run` prints, kept in this browser tab's session storage.

const roles = {
  pos: { label: 'Till key (POS_API_KEY)', env: 'POS_API_KEY' },
  backoffice: { label: 'Back-office key (BACKOFFICE_API_KEY)', env: 'BACKOFFICE_API_KEY' },
  ops: { label: 'Operations key (OPS_API_KEY)', env: 'OPS_API_KEY' },
};

const storage = window.sessionStorage;

export function keyOf(role) {
  return storage.getItem(`lpg.key.${role}`) || '';
}

// location is the Location-Id the back office and operations pages send; a
// till key serves one location and needs none.
export function location() {
  return storage.getItem('lpg.location') || 'shop-1';
}

// ApiError is a problem+json answer, or a network failure (status 0).
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network_error' : 'http_error');
    this.detail = problem.detail || '';
    this.errors = problem.errors || [];
    this.requestId = problem.request_id || '';
  }
}

// describe turns an error into the sentence a cashier reads.
export function describe(err) {
  if (!(err instanceof ApiError)) {
    return String(err && err.message ? err.message : err);
  }
  const parts = [err.message];
  if (err.detail && err.detail !== err.message) parts.push(err.detail);
  for (const e of err.errors) parts.push(`${e.field}: ${e.message}`);
  let text = parts.join(' — ');
  text += ` (${err.code}${err.requestId ? `, request ${err.requestId}` : ''})`;
  return text;
}

// call sends one request with the role's key. A POST carries a fresh
// Idempotency-Key unless the caller passes the one it retries with.
export async function call(role, method, path, { body, idempotencyKey, locationId } = {}) {
  const headers = { Authorization: `Bearer ${keyOf(role)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method === 'POST') headers['Idempotency-Key'] = idempotencyKey || crypto.randomUUID();
  if (role !== 'pos') headers['Location-Id'] = locationId || location();
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, { title: 'The gateway cannot be reached', detail: String(err.message || err) });
  }
  const text = await res.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { title: text };
  }
  if (res.status === 401) {
    // A key the gateway no longer knows is asked for again on the next load.
    storage.removeItem(`lpg.key.${role}`);
  }
  if (!res.ok) {
    throw new ApiError(res.status, data.message && !data.title ? { title: data.message } : data);
  }
  return { status: res.status, body: data };
}

// IdempotencyKeys keeps one Idempotency-Key per action: the same request
// sent again (after a network failure) reuses it, so the gateway answers it
// once; a changed request gets a new one, and so does one after forget.
export class IdempotencyKeys {
  #byAction = new Map();

  for(action, body) {
    const request = JSON.stringify(body ?? null);
    const last = this.#byAction.get(action);
    if (last?.request === request) return last.key;
    const key = crypto.randomUUID();
    this.#byAction.set(action, { request, key });
    return key;
  }

  forget(action) {
    this.#byAction.delete(action);
  }
}

// money formats minor units of an ISO-4217 currency without floats.
export function money(minor, currency = 'EUR') {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.trunc(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const symbol = { EUR: '€', USD: '$', GBP: '£' }[currency] || `${currency} `;
  return `${sign}${symbol}${whole}.${cents}`;
}

// parseMoney reads "12.50" or "12,5" as minor units; NaN when it is not money.
export function parseMoney(text) {
  const m = String(text).trim().match(/^(\d{1,7})(?:[.,](\d{1,2}))?$/);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// human writes a status as words: needs_attention is "needs attention".
export function human(status) {
  return status.replaceAll('_', ' ');
}

// badge shows a status; tests find it by data-status.
export function badge(status) {
  return el('span', { class: `badge ${status}`, 'data-status': status }, human(status));
}

export function when(iso) {
  return new Date(iso).toLocaleString();
}

// showError puts an error in the page's alert banner; showError(null) clears it.
export function showError(err) {
  const banner = document.getElementById('error');
  banner.textContent = err ? describe(err) : '';
  banner.hidden = !err;
}

// requireKeys asks once for the keys a page needs, then calls start.
export function requireKeys(needed, start) {
  const missing = needed.filter((r) => !keyOf(r));
  const form = document.getElementById('keys');
  if (missing.length === 0) {
    form.hidden = true;
    start();
    return;
  }
  form.replaceChildren(
    el('h2', { text: 'API keys' }),
    el('p', { text: 'Paste the demo keys `make run` printed. They stay in this tab only.' }),
    ...needed.map((r) => el('label', {}, roles[r].label, el('input', { name: r, id: `key-${r}`, type: 'password', autocomplete: 'off', required: true, value: keyOf(r) }))),
    ...(needed.includes('pos') ? [] : [el('label', {}, 'Location', el('input', { name: 'location', id: 'key-location', value: location() }))]),
    el('button', { type: 'submit', id: 'save-keys', class: 'go' }, 'Save'),
  );
  form.hidden = false;
  form.onsubmit = (e) => {
    e.preventDefault();
    for (const r of needed) storage.setItem(`lpg.key.${r}`, form.elements[r].value.trim());
    if (form.elements.location) storage.setItem('lpg.location', form.elements.location.value.trim());
    form.hidden = true;
    start();
  };
}

// poll reads a path until done says so or ten seconds pass.
export async function poll(role, path, done) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const { body } = await call(role, 'GET', path);
    if (done(body) || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
}
