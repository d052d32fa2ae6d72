// The back office: find an order, see what it did in Leat, and return it,
// whole or some lines, through the gateway's returns API with the back-office key.
import { IdempotencyKeys, badge, call, el, human, money, parseMoney, poll, requireKeys, showError, when } from './api.js';

const ROLE = 'backoffice';

// The gateway's own pattern for a return id, so the browser says what is
// wrong before the request is sent.
const RETURN_ID_PATTERN = '[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}';

const $ = (id) => document.getElementById(id);

// The order on screen: the return form and its result act on it.
let current = null;

// Sending the very same return again (after a network failure, say) reuses
// its key, so a return the gateway recorded is answered again instead of
// refused as return_exists.
const returns = new IdempotencyKeys();

function orderPath(orderId) {
  return `/v1/orders/${encodeURIComponent(orderId)}`;
}

function returnPath(orderId, returnId) {
  return `${orderPath(orderId)}/returns/${encodeURIComponent(returnId)}`;
}

// ---- small views -------------------------------------------------------------

// fill replaces a node's children, skipping the nulls that mark parts a
// view leaves out (replaceChildren alone would print them).
function fill(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null));
}

function none(text = '—') {
  return el('span', { class: 'muted' }, text);
}

// table takes its columns as [heading, class] pairs; class "num" right-aligns.
function table(columns, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, columns.map(([heading, cls]) => el('th', { class: cls }, heading)))),
    el('tbody', {}, rows));
}

// facts is a two-column table of labelled values.
function facts(pairs) {
  return el('table', {}, el('tbody', {}, pairs.map(([label, value]) => el('tr', {}, el('th', {}, label), el('td', {}, value)))));
}

function listOrNone(items, empty) {
  if (items.length === 0) return el('p', { class: 'muted' }, empty);
  return el('ul', {}, items.map((item) => el('li', {}, item)));
}

function tenderName(tender) {
  return [tender.source, tender.type, tender.code].filter(Boolean).join(' · ');
}

function lineName(order, lineId) {
  const line = order.lines.find((l) => l.id === lineId);
  return line ? line.name : '';
}

// ---- orders list -------------------------------------------------------------

async function loadOrders() {
  try {
    const { body } = await call(ROLE, 'GET', '/v1/orders?limit=20');
    renderOrderList(body.orders);
    showError(null);
  } catch (err) {
    showError(err);
  }
}

function renderOrderList(orders) {
  const list = $('order-list');
  if (orders.length === 0) {
    list.replaceChildren(none('No orders at this location yet.'));
    return;
  }
  list.replaceChildren(table(
    [['Order'], ['Started'], ['Status'], ['Customer'], ['Total', 'num'], ['Points', 'num'], ['Returns', 'num'], ['']],
    orders.map(orderRow),
  ));
}

function orderRow(order) {
  return el('tr', { 'data-order-id': order.order_id },
    el('td', {}, order.order_id),
    el('td', {}, when(order.created_at)),
    el('td', {}, badge(order.status)),
    el('td', {}, order.contact_uuid || none('anonymous')),
    el('td', { class: 'num' }, money(order.totals.lines - order.totals.discounts, order.currency)),
    el('td', { class: 'num' }, order.points_earned ?? none()),
    el('td', { class: 'num' }, order.returns),
    el('td', {}, el('button', { type: 'button', onclick: () => openOrder(order.order_id) }, 'Open')));
}

// ---- one order ---------------------------------------------------------------

function findOrder(event) {
  event.preventDefault();
  const orderId = $('order-id').value.trim();
  if (orderId) openOrder(orderId);
}

// openOrder shows another order; the previous return's result is not its own.
function openOrder(orderId) {
  $('return-result').hidden = true;
  return loadOrder(orderId);
}

async function loadOrder(orderId) {
  try {
    const { body } = await call(ROLE, 'GET', orderPath(orderId));
    current = body;
    renderOrder(body);
    renderReturnForm(body);
    showError(null);
  } catch (err) {
    showError(err);
  }
}

function renderOrder(order) {
  const panel = $('order');
  fill(panel,
    el('h2', {}, `Order ${order.order_id} `, badge(order.status)),
    facts([
      ['Customer', order.contact_uuid || none('anonymous')],
      ['Points earned', order.points_earned ?? none()],
      ['Leat order', order.leat_order_uuid || none()],
      ['Checkout', `${order.checkout_id} at ${order.location_id}`],
      ['Started', when(order.created_at)],
    ]),
    el('h3', {}, 'Lines'), linesTable(order),
    el('h3', {}, 'Leat tenders'), tendersTable(order),
    el('h3', {}, 'Leat transactions'), transactionsTable(order),
    el('h3', {}, 'Returns'), returnsTable(order),
  );
  panel.hidden = false;
}

function lineAmount(line) {
  return line.quantity * line.unit_price - line.discount;
}

function linesTable(order) {
  const c = order.currency;
  const rows = order.lines.map((line) => el('tr', { 'data-line-id': line.id },
    el('td', {}, line.id),
    el('td', {}, line.name),
    el('td', { class: 'num' }, line.quantity),
    el('td', { class: 'num' }, money(line.unit_price, c)),
    el('td', { class: 'num discount' }, line.discount ? money(-line.discount, c) : ''),
    el('td', { class: 'num' }, money(lineAmount(line), c)),
    el('td', { class: 'num' }, line.returned_quantity ? `${line.returned_quantity} · ${money(line.returned_amount, c)}` : none()),
  ));
  const total = order.lines.reduce((sum, line) => sum + lineAmount(line), 0);
  rows.push(el('tr', { class: 'total' }, el('td', { colspan: 5 }, 'Total'), el('td', { class: 'num' }, money(total, c)), el('td', {})));
  return table([['Line'], ['Name'], ['Qty', 'num'], ['Unit price', 'num'], ['Discount', 'num'], ['Amount', 'num'], ['Returned', 'num']], rows);
}

function tendersTable(order) {
  if (order.tenders.length === 0) return none('Paid without Leat tenders.');
  const c = order.currency;
  return table([['Tender'], ['Paid', 'num'], ['Refunded', 'num']], order.tenders.map((tender) => el('tr', {},
    el('td', {}, tenderName(tender)),
    el('td', { class: 'num' }, money(tender.paid, c)),
    el('td', { class: 'num' }, money(tender.refunded, c)),
  )));
}

function transactionsTable(order) {
  if (order.transactions.length === 0) return none('No Leat transactions.');
  return table([['Kind'], ['Item'], ['State'], ['Amount', 'num'], ['Leat uuid']], order.transactions.map((t) => el('tr', {},
    el('td', {}, t.kind),
    el('td', {}, t.item),
    el('td', {}, badge(t.state), t.detail ? el('div', {}, t.detail) : null),
    el('td', { class: 'num' }, t.amount === undefined ? '' : money(t.amount, order.currency)),
    el('td', {}, t.leat_uuid || none()),
  )));
}

function returnsTable(order) {
  if (order.returns.length === 0) return none('No returns yet.');
  return table([['Return'], ['Status'], ['Scope'], ['Problems'], ['']], order.returns.map((ret) => el('tr', { 'data-return-id': ret.return_id },
    el('td', {}, ret.return_id),
    el('td', {}, badge(ret.status)),
    el('td', {}, ret.full ? 'full' : 'partial'),
    el('td', {}, ret.problems.length ? ret.problems.join('; ') : none()),
    el('td', {}, el('button', { type: 'button', onclick: () => renderReturnResult(ret, order) }, 'Details')),
  )));
}

// ---- the return form ---------------------------------------------------------

function renderReturnForm(order) {
  const completed = order.status === 'completed';
  fill($('return-form'),
    el('div', { class: 'actions' },
      el('label', {}, 'Return id', el('input', {
        id: 'return-id', name: 'return_id', required: true, maxlength: 64, pattern: RETURN_ID_PATTERN,
        autocomplete: 'off', value: `R${order.returns.length + 1}`,
      })),
      el('label', {}, el('span', {}, el('input', { type: 'checkbox', id: 'return-full', name: 'full', onchange: toggleFull }),
        ' Full return: everything not returned yet'))),
    quantityFields(order),
    order.tenders.length ? refundFields(order) : null,
    completed ? null : el('p', { class: 'muted' }, `Only a completed order can be returned; this one is ${human(order.status)}.`),
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'submit-return', class: 'go', disabled: !completed }, 'Start return')),
  );
  $('return-panel').hidden = false;
}

// A full return takes whatever is left, so the quantities step aside; a
// disabled fieldset also keeps its inputs out of the browser's validation.
function toggleFull(event) {
  const lines = $('return-lines');
  lines.disabled = event.currentTarget.checked;
  lines.hidden = event.currentTarget.checked;
}

function quantityFields(order) {
  return el('fieldset', { id: 'return-lines' },
    el('legend', {}, 'Quantities to return'),
    table([['Line'], ['Name'], ['Left', 'num'], ['Return', 'num']], order.lines.map(quantityRow)));
}

function quantityRow(line) {
  const left = line.quantity - line.returned_quantity;
  return el('tr', {},
    el('td', {}, line.id),
    el('td', {}, line.name),
    el('td', { class: 'num' }, `${left} of ${line.quantity}`),
    el('td', { class: 'num' }, el('input', {
      type: 'number', name: `qty-${line.id}`, min: 0, max: left, step: 1, value: 0, inputmode: 'numeric',
      disabled: left === 0, 'aria-label': `Quantity of ${line.name} to return`,
    })));
}

function refundFields(order) {
  const c = order.currency;
  return el('fieldset', { id: 'return-refunds' },
    el('legend', {}, 'Refund to Leat tenders'),
    el('p', { class: 'muted' },
      'Leave every amount empty and the gateway refunds each tender its share of the returned units. '
      + 'Enter any amount and only the amounts entered are refunded to Leat tenders (0 refunds nothing to that one); '
      + 'the POS refunds the rest in its own tender.'),
    order.tenders.map((tender, i) => el('label', {},
      `${tenderName(tender)}: paid ${money(tender.paid, c)}, ${money(tender.paid - tender.refunded, c)} left to refund`,
      el('input', { name: `refund-${i}`, inputmode: 'decimal', placeholder: 'gateway decides', autocomplete: 'off' }))));
}

// returnRequest reads the form as the StartReturn body; a mistake the
// gateway would refuse anyway is thrown as an Error for the banner.
function returnRequest(form, order) {
  const body = { return_id: form.elements.return_id.value.trim() };
  if (form.elements.full.checked) body.full = true;
  else body.lines = returnedLines(form, order);
  const refunds = chosenRefunds(form, order);
  if (refunds) body.refunds = refunds;
  return body;
}

function returnedLines(form, order) {
  const lines = order.lines
    .map((line) => ({ line_id: line.id, quantity: Number(form.elements[`qty-${line.id}`].value) }))
    .filter((line) => line.quantity > 0);
  if (lines.length === 0) throw new Error('Enter a quantity for at least one line, or tick Full return.');
  return lines;
}

// Left out, refunds let the gateway split the money; an explicit list, even
// an empty one, refunds exactly what it names, so tenders set to 0 drop out.
function chosenRefunds(form, order) {
  const entered = order.tenders
    .map((tender, i) => ({ tender, text: form.elements[`refund-${i}`].value.trim() }))
    .filter(({ text }) => text !== '');
  if (entered.length === 0) return undefined;
  return entered
    .map(({ tender, text }) => ({ tender: tender.source, amount: refundAmount(tender, text) }))
    .filter((refund) => refund.amount > 0);
}

function refundAmount(tender, text) {
  const amount = parseMoney(text);
  if (Number.isNaN(amount)) throw new Error(`Refund to ${tender.source}: “${text}” is not an amount.`);
  return amount;
}

// startReturn answers the return once the saga recorded it, or as it stands
// when polling gives up.
async function startReturn(orderId, body) {
  const answer = await call(ROLE, 'POST', `${orderPath(orderId)}/returns`, { body, idempotencyKey: returns.for('return', [orderId, body]) });
  if (answer.status !== 202) return answer.body;
  return poll(ROLE, returnPath(orderId, answer.body.return_id), (ret) => ret.status !== 'processing');
}

async function submitReturn(event) {
  event.preventDefault();
  const order = current;
  let body;
  try {
    body = returnRequest(event.currentTarget, order);
  } catch (err) {
    showError(err);
    return;
  }
  const button = $('submit-return');
  button.disabled = true;
  try {
    const ret = await startReturn(order.order_id, body);
    returns.forget('return');
    showError(null);
    renderReturnResult(ret, order);
  } catch (err) {
    showError(err);
    button.disabled = false;
    return;
  }
  // The order now counts the return: fresh quantities, refunds and next id.
  await loadOrder(order.order_id);
  await loadOrders();
}

// ---- a return's result -------------------------------------------------------

function renderReturnResult(ret, order) {
  const panel = $('return-result');
  fill(panel,
    el('h2', {}, `Return ${ret.return_id} `, badge(ret.status)),
    el('p', { class: 'muted' }, `${ret.full ? 'Full' : 'Partial'} return of order ${ret.order_id}, ${when(ret.created_at)}`),
    statusNote(ret.status),
    el('h3', {}, 'Lines returned'), returnLinesTable(ret, order),
    el('h3', {}, 'Refunds to Leat tenders'), refundsTable(ret, order.currency),
    el('h3', {}, 'Given back in Leat'),
    facts([
      ['Offers reversed', ret.offers_reversed.join(', ') || none('none')],
      ['Taken back', ret.taken_back.join(', ') || none('none')],
      ['Points corrected', ret.points_corrected ?? none()],
    ]),
    el('h3', {}, 'Steps'), stepsList(ret.steps, order.currency),
    el('h3', {}, 'Problems'), listOrNone(ret.problems, 'None.'),
    ret.retries ? el('p', { class: 'muted' }, `Retried ${ret.retries.map((r) => `by ${r.by} at ${when(r.at)}`).join(', ')}.`) : null,
  );
  panel.hidden = false;
}

function statusNote(status) {
  if (status === 'processing') return el('p', {}, 'Leat is still working on it; open the order again in a moment to follow it.');
  if (status === 'needs_attention') return el('p', {}, 'An operator settles it on the Operations page.');
  return null;
}

function returnLinesTable(ret, order) {
  if (ret.lines.length === 0) return none('No lines.');
  return table([['Line'], ['Name'], ['Qty', 'num'], ['Amount', 'num']], ret.lines.map((line) => el('tr', {},
    el('td', {}, line.line_id),
    el('td', {}, lineName(order, line.line_id)),
    el('td', { class: 'num' }, line.quantity),
    el('td', { class: 'num' }, money(line.amount, order.currency)),
  )));
}

function refundsTable(ret, currency) {
  if (ret.refunds.length === 0) return none('Nothing refunded to Leat tenders.');
  return table([['Tender'], ['Amount', 'num'], ['Method'], ['State']], ret.refunds.map((refund) => el('tr', {},
    el('td', {}, refund.tender),
    el('td', { class: 'num' }, money(refund.amount, currency)),
    el('td', {}, refund.method || none()),
    el('td', {}, badge(refund.state)),
  )));
}

function stepsList(steps, currency) {
  if (steps.length === 0) return none('No Leat steps.');
  return el('ul', { class: 'steps' }, steps.map((step) => el('li', {},
    badge(step.state), ` ${step.kind} · ${step.item}`,
    step.amount === undefined ? '' : ` · ${money(step.amount, currency)}`,
    step.leat_uuid ? el('span', { class: 'muted' }, ` · ${step.leat_uuid}`) : null,
    step.detail ? el('div', {}, step.detail) : null,
  )));
}

function start() {
  $('order-search').addEventListener('submit', findOrder);
  $('orders-refresh').addEventListener('click', loadOrders);
  $('return-form').addEventListener('submit', submitReturn);
  $('app').hidden = false;
  loadOrders();
}

requireKeys([ROLE], start);
