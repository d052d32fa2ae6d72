// The operations view: the checkouts and returns an operator must settle,
// what stopped each, and the retry once the cause is fixed, with the ops key.
import { badge, call, el, human, money, requireKeys, showError, when } from './api.js';

const ROLE = 'ops';

// Each list knows its own statuses; asking one for another's is a 400, so a
// status the list does not have is answered here as an empty list.
const lists = [
  {
    noun: 'checkouts',
    panel: 'ops-checkouts',
    path: '/v1/ops/checkouts',
    statuses: ['needs_attention', 'reserving', 'awaiting_payment', 'confirming', 'compensating', 'completed', 'cancelled'],
    card: checkoutCard,
  },
  {
    noun: 'returns',
    panel: 'ops-returns',
    path: '/v1/ops/returns',
    statuses: ['needs_attention', 'processing', 'completed'],
    card: returnCard,
  },
];

const $ = (id) => document.getElementById(id);

// Counts refreshes so that only the latest one draws the lists: an answer
// for a filter the operator already left must not replace the current one.
let refreshes = 0;

// ---- the lists ---------------------------------------------------------------

async function fetchPage(list, status) {
  if (!list.statuses.includes(status)) return { items: [], more: false };
  const { body } = await call(ROLE, 'GET', `${list.path}?status=${encodeURIComponent(status)}`);
  return { items: body[list.noun], more: body.next_cursor !== null };
}

async function refresh() {
  const run = ++refreshes;
  const status = $('status-filter').value;
  const pages = await Promise.allSettled(lists.map((list) => fetchPage(list, status)));
  if (run !== refreshes) return;
  lists.forEach((list, i) => renderList(list, pages[i], status));
  const failed = pages.find((page) => page.status === 'rejected');
  showError(failed ? failed.reason : null);
}

function renderList(list, page, status) {
  const box = $(list.panel).querySelector('.cards');
  if (page.status === 'rejected') {
    box.replaceChildren(el('p', { class: 'muted' }, `The ${list.noun} could not be read.`));
    return;
  }
  const { items, more } = page.value;
  if (items.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, emptyText(list.noun, status)));
    return;
  }
  const nodes = items.map((item) => list.card(item));
  if (more) nodes.push(el('p', { class: 'muted' }, `Only the newest ${items.length} ${list.noun} are shown.`));
  box.replaceChildren(...nodes);
}

function emptyText(noun, status) {
  return status === 'needs_attention' ? 'Nothing needs attention.' : `No ${noun} in ${human(status)}.`;
}

// ---- cards -------------------------------------------------------------------

function checkoutCard(checkout) {
  return el('div', { class: 'card', 'data-checkout-id': checkout.checkout_id },
    el('div', { class: 'actions' },
      el('strong', {}, `Order ${checkout.order_id}`), badge(checkout.status), el('span', { class: 'muted' }, checkout.checkout_id)),
    checkout.refusal ? el('p', {}, refusalText(checkout.refusal)) : null,
    tendersList(checkout),
    stepsList(checkout.steps),
    retriesNote(checkout.retries),
    checkout.status === 'needs_attention'
      ? retryButton('retry-checkout', (button) => retry(button,
        `/v1/ops/checkouts/${encodeURIComponent(checkout.checkout_id)}/retry-compensation`,
        `Checkout of order ${checkout.order_id}`))
      : null,
  );
}

function returnCard(ret) {
  return el('div', { class: 'card', 'data-order-id': ret.order_id, 'data-return-id': ret.return_id },
    el('div', { class: 'actions' },
      el('strong', {}, `Return ${ret.return_id} of order ${ret.order_id}`), badge(ret.status),
      el('span', { class: 'muted' }, ret.full ? 'full' : 'partial')),
    ret.problems.length ? el('ul', {}, ret.problems.map((problem) => el('li', {}, problem))) : null,
    stepsList(ret.steps),
    retriesNote(ret.retries),
    ret.status === 'needs_attention'
      ? retryButton('retry-return', (button) => retry(button,
        `/v1/ops/orders/${encodeURIComponent(ret.order_id)}/returns/${encodeURIComponent(ret.return_id)}/retry`,
        `Return ${ret.return_id} of order ${ret.order_id}`))
      : null,
  );
}

function refusalText(refusal) {
  return `Refused: ${refusal.item} (${refusal.code})${refusal.detail ? `: ${refusal.detail}` : ''}`;
}

// The Leat money a checkout moved is what an operator weighs before a retry.
function tendersList(checkout) {
  if (checkout.tenders.length === 0) return null;
  return el('ul', {}, checkout.tenders.map((tender) => el('li', {},
    [tender.source, tender.type, tender.code].filter(Boolean).join(' · '),
    `: ${money(tender.taken, checkout.currency)} taken of ${money(tender.requested, checkout.currency)} `,
    badge(tender.state))));
}

function stepsList(steps) {
  if (steps.length === 0) return el('p', { class: 'muted' }, 'No Leat steps.');
  return el('ul', { class: 'steps' }, steps.map((step) => el('li', { 'data-step-id': step.id },
    el('code', {}, step.id), ' ', badge(step.state), ` ${step.kind} · ${step.item}`,
    step.detail ? el('div', {}, step.detail) : null)));
}

// retries is absent when nobody retried.
function retriesNote(retries) {
  if (!retries) return null;
  return el('p', { class: 'muted' }, `Retried ${retries.map((r) => `by ${r.by} at ${when(r.at)}`).join(', ')}.`);
}

// ---- retries -----------------------------------------------------------------

function retryButton(action, run) {
  return el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'go', 'data-action': action, onclick: (event) => run(event.currentTarget) }, 'Retry'));
}

// Each click is a new retry with a fresh Idempotency-Key: a second one while
// the first runs is refused by the gateway (checkout_state_conflict), not run twice.
async function retry(button, path, subject) {
  button.disabled = true;
  let answer;
  try {
    answer = await call(ROLE, 'POST', path);
  } catch (err) {
    showError(err);
    button.disabled = false;
    return;
  }
  showError(null);
  announce(subject, answer.body.status, answer.status === 202);
  await refresh();
}

function announce(subject, status, stillRunning) {
  const notice = $('retry-result');
  notice.replaceChildren(`${subject}: `, badge(status), stillRunning ? ' still running; refresh to follow it.' : '');
  notice.hidden = false;
}

function start() {
  const filter = $('status-filter');
  const statuses = [...new Set(lists.flatMap((list) => list.statuses))];
  filter.replaceChildren(...statuses.map((status) => el('option', { value: status }, human(status))));
  filter.value = 'needs_attention';
  filter.addEventListener('change', refresh);
  $('ops-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
  });
  $('app').hidden = false;
  refresh();
}

requireKeys([ROLE], start);
