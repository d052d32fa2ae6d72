// The till: a cart, the green REWARDS, VOUCHER, GIFTCARD and PREPAID
// buttons, the payment step and the receipt, each driving one call of the
// gateway's public API with the till's key.
import { IdempotencyKeys, badge, call, describe, el, human, money, parseMoney, poll, requireKeys, showError } from './api.js';
import { renderSVG } from '/vendor/uqr.mjs';

const CURRENCY = 'EUR';

const PRODUCTS = [
  { sku: 'COFFEE-REG', name: 'Coffee', unit_price: 300, category: 'coffee' },
  { sku: 'COFFEE-OAT', name: 'Oat latte', unit_price: 380, category: 'coffee' },
  { sku: 'CROISSANT', name: 'Croissant', unit_price: 275, category: 'pastries' },
  { sku: 'MUFFIN', name: 'Muffin', unit_price: 310, category: 'pastries' },
  { sku: 'CAKE-SLICE', name: 'Cake slice', unit_price: 350, category: 'pastries' },
  { sku: 'MUG-01', name: 'Branded mug', unit_price: 1200, category: 'merchandise' },
];

const GIFTCARD_PRESETS = [1000, 2500, 5000];
const TOPUP_PRESETS = [1000, 2000, 5000];

// A sale is everything the cashier has rung up; checkout is the gateway's
// answer once it started.
let sale;
let nextLine;

function newSale() {
  sale = {
    orderID: `POS-${Date.now().toString(36).toUpperCase()}`,
    lines: [],
    giftcardSales: [],
    prepaidTopups: [],
    rewards: [],
    collect: [],
    vouchers: [],
    customer: null,
    checkout: null,
    keys: new IdempotencyKeys(),
  };
  nextLine = 1;
}

// guard runs an action, showing any error in the banner.
async function guard(action) {
  try {
    showError(null);
    await action();
  } catch (err) {
    showError(err);
  }
}

const $ = (id) => document.getElementById(id);

// ---- dialogs ---------------------------------------------------------------

function openDialog(title, ...content) {
  const body = $('dialog-body');
  body.replaceChildren(el('h2', { text: title }), ...content,
    el('div', { class: 'actions' }, el('button', { type: 'button', id: 'dialog-close', onclick: closeDialog }, 'Close')));
  $('dialog').showModal();
  const first = body.querySelector('input');
  if (first) first.focus();
}

function closeDialog() {
  $('dialog').close();
}

// dialogError shows an error inside the open dialog, where the cashier looks.
function dialogError(err) {
  const box = $('dialog-error') || $('dialog-body').appendChild(el('p', { id: 'dialog-error', class: 'badge failed', role: 'alert' }));
  box.textContent = describe(err);
}

// scanForm is a text field with a submit button: a scanner types the code
// and presses Enter, and a cashier can do the same by hand.
function scanForm(id, label, onScan, attrs = {}) {
  const input = el('input', { id, autocomplete: 'off', required: true, ...attrs });
  const form = el('form', {}, el('label', {}, label, input), el('button', { type: 'submit', class: 'go', id: `${id}-submit` }, 'OK'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await onScan(input.value.trim());
    } catch (err) {
      dialogError(err);
    }
  });
  return form;
}

// ---- customers ---------------------------------------------------------------

// identifyBody reads a scanned card or QR, or an email.
function identifyBody(value) {
  return value.includes('@') ? { email: value } : { identifier: value };
}

function openRewards() {
  openDialog('REWARDS: identify the customer',
    el('p', { class: 'muted', text: 'Scan or type the loyalty card or QR code, or type an email address.' }),
    scanForm('identify-input', 'Card, QR or email', async (value) => {
      // One call answers the customer and their overview.
      const { body } = await call('pos', 'POST', '/v1/customers/identify?include=overview', { body: identifyBody(value) });
      sale.customer = body.overview;
      renderCustomer();
      renderSale();
      closeDialog();
    }));
}

async function loadCustomer(contactUUID) {
  const { body } = await call('pos', 'GET', `/v1/customers/${contactUUID}`);
  sale.customer = body;
  renderCustomer();
  renderSale();
}

function describeDiscount(d) {
  switch (d.kind) {
    case 'percentage': return `${d.percentage_basis_points / 100}% off${d.category ? ` ${d.category}` : ''}${d.product_codes ? ` ${d.product_codes.join(', ')}` : ''}`;
    case 'amount': return `${money(d.amount.amount, d.amount.currency)} off${d.category ? ` ${d.category}` : ''}`;
    case 'free_item': return `free ${d.product_codes ? d.product_codes.join(' or ') : d.category || 'item'}`;
    case 'rule': return `POS rule ${d.rule_id}`;
    case 'invalid': return `unusable discount: ${d.problem}`;
    default: return 'no discount';
  }
}

function renderCustomer() {
  const o = sale.customer;
  $('customer').hidden = !o;
  if (!o) return;
  const c = o.contact;
  $('customer-summary').replaceChildren(
    el('p', {}, el('strong', { text: c.email }), ' ', el('span', { class: 'badge', id: 'customer-tier', text: c.tier ? c.tier.name : 'no tier' })),
    el('p', {}, 'Points: ', el('strong', { id: 'customer-points', text: String(c.points) }),
      ' · Prepaid: ', el('strong', { id: 'customer-prepaid', text: money(c.prepaid_balance.amount, c.prepaid_balance.currency) })),
  );
  // The overview lists rewards cheapest first already.
  $('rewards').replaceChildren(...o.rewards.map((r) => {
    const chosen = sale.rewards.some((x) => x.uuid === r.uuid);
    return el('div', { class: 'card', 'data-reward-uuid': r.uuid },
      el('div', {}, el('strong', { text: r.title }), ' ', el('span', { class: 'muted', text: `${r.required_points} points · ${describeDiscount(r.discount)}` })),
      el('progress', { max: r.required_points || 1, value: Math.min(c.points, r.required_points) }),
      r.affordable ? null : el('span', { class: 'muted', text: `${r.points_needed} points to go` }),
      el('div', {}, el('button', {
        type: 'button', class: 'go redeem', disabled: !r.affordable || chosen || sale.checkout !== null,
        onclick: () => { sale.rewards.push({ uuid: r.uuid, title: r.title }); renderCustomer(); renderSale(); },
      }, chosen ? 'Added' : 'Redeem')));
  }));
  $('offers').replaceChildren(...(o.offers.length === 0 ? [el('p', { class: 'muted', text: 'No offers.' })] : o.offers.map((offer) => {
    const chosen = offer.kind === 'voucher' ? sale.vouchers.some((v) => v.code === offer.code) : sale.collect.some((x) => x.uuid === offer.uuid);
    return el('div', { class: 'card', 'data-offer-uuid': offer.uuid },
      el('div', {}, el('strong', { text: offer.title }), ' ', el('span', { class: 'muted', text: describeDiscount(offer.discount) })),
      el('span', { class: 'muted', text: `${offer.kind === 'voucher' ? `Voucher ${offer.code}` : 'Reward to collect'} · ${offer.expires_at ? `expires ${offer.expires_at.slice(0, 10)}` : 'no expiry'}` }),
      el('div', {}, el('button', {
        type: 'button', class: 'go use', disabled: chosen || sale.checkout !== null,
        onclick: () => {
          if (offer.kind === 'voucher') sale.vouchers.push({ code: offer.code, title: offer.title });
          else sale.collect.push({ uuid: offer.uuid, title: offer.title });
          renderCustomer();
          renderSale();
        },
      }, chosen ? 'Added' : 'Use')));
  })));
}

// ---- vouchers ----------------------------------------------------------------

function openVoucher() {
  const result = el('div', { id: 'voucher-result' });
  openDialog('VOUCHER: scan the code',
    scanForm('voucher-code', 'Voucher code', async (code) => {
      const query = sale.customer ? `?contact_uuid=${encodeURIComponent(sale.customer.contact.uuid)}` : '';
      const { body } = await call('pos', 'GET', `/v1/vouchers/${encodeURIComponent(code)}${query}`);
      const v = body.voucher;
      const owner = v.contact ? `Belongs to ${v.contact.email}.`
        : sale.customer ? `Linked to nobody: it is redeemed for ${sale.customer.contact.email}.`
          : 'Linked to nobody: identify the customer first (REWARDS).';
      result.replaceChildren(
        el('p', {}, el('strong', { text: v.name }), ' ', el('span', { class: 'discount', id: 'voucher-discount', text: describeDiscount(body.discount) })),
        el('p', { class: 'muted', text: owner }),
        body.usable ? null : el('p', { class: 'badge failed', id: 'voucher-reason', text: `Cannot be used: ${body.reason}` }),
        el('button', {
          type: 'button', class: 'go', id: 'voucher-add', disabled: !body.usable || sale.vouchers.some((x) => x.code === v.code),
          onclick: () => { sale.vouchers.push({ code: v.code, title: v.name }); renderSale(); renderCustomer(); closeDialog(); },
        }, 'Add to sale'));
    }),
    result);
}

// ---- giftcard sale and prepaid top-up -----------------------------------------

function amountPicker(prefix, presets) {
  const custom = el('input', { id: `${prefix}-custom`, inputmode: 'decimal', placeholder: 'e.g. 17.50' });
  let picked = null;
  const buttons = presets.map((a) => el('button', {
    type: 'button', 'data-amount': a,
    onclick: (e) => {
      picked = a;
      custom.value = '';
      for (const b of buttons) b.classList.toggle('go', b === e.currentTarget);
    },
  }, money(a, CURRENCY)));
  custom.addEventListener('input', () => { picked = null; for (const b of buttons) b.classList.remove('go'); });
  return {
    node: el('div', {}, el('div', { class: 'actions' }, ...buttons), el('label', {}, 'Or another amount', custom)),
    amount: () => (picked !== null ? picked : parseMoney(custom.value)),
  };
}

function addLine(sku, name, unitPrice) {
  const line = { id: String(nextLine++), sku, name, quantity: 1, unit_price: unitPrice };
  sale.lines.push(line);
  return line;
}

function openGiftcardSale() {
  const amount = amountPicker('giftcard', GIFTCARD_PRESETS);
  const code = el('input', { id: 'giftcard-code', autocomplete: 'off', placeholder: 'scan the card from the rack' });
  const digital = el('input', { type: 'checkbox', id: 'giftcard-digital' });
  const email = el('input', { id: 'giftcard-email', type: 'email', placeholder: 'to the customer when empty' });
  const status = el('p', { id: 'giftcard-status', class: 'muted' });
  const form = el('form', {},
    el('label', {}, 'Physical card', code),
    el('label', { class: 'inline' }, el('span', {}, digital, ' Digital giftcard, emailed by Leat')),
    el('label', {}, 'Email for a digital card', email),
    amount.node, status,
    el('button', { type: 'submit', class: 'go', id: 'giftcard-add' }, 'Add giftcard to sale'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const value = amount.amount();
      if (!(value > 0)) throw new Error('Choose an amount.');
      if (digital.checked) {
        if (!email.value && !sale.customer) throw new Error('A digital giftcard goes to an email: type one, or identify the customer.');
        const line = addLine('GIFTCARD-DIGITAL', 'Digital giftcard', value);
        sale.giftcardSales.push({ line_id: line.id, digital: true, ...(email.value ? { email: email.value.trim() } : {}) });
      } else {
        const scanned = code.value.trim();
        if (!scanned) throw new Error('Scan the physical card, or choose a digital one.');
        const { body } = await call('pos', 'GET', `/v1/giftcards/${encodeURIComponent(scanned)}`);
        if (!body.sellable) throw new Error(`Giftcard ${scanned} cannot be sold: ${body.reason || `it holds ${money(body.giftcard.balance.amount, body.giftcard.balance.currency)}`}.`);
        const line = addLine('GIFTCARD', `Giftcard ${scanned}`, value);
        sale.giftcardSales.push({ line_id: line.id, code: scanned });
      }
      renderSale();
      closeDialog();
    } catch (err) {
      dialogError(err);
    }
  });
  openDialog('GIFTCARD: sell a giftcard', form);
}

function openTopup() {
  if (!sale.customer) {
    openDialog('PREPAID: top up', el('p', { text: 'Identify the customer first (REWARDS): prepaid credit belongs to a customer.' }));
    return;
  }
  if (sale.prepaidTopups.length > 0) {
    openDialog('PREPAID: top up', el('p', { text: 'This sale already tops up prepaid credit.' }));
    return;
  }
  const amount = amountPicker('prepaid', TOPUP_PRESETS);
  const form = el('form', {}, el('p', { text: `Top up ${sale.customer.contact.email}'s prepaid credit.` }), amount.node,
    el('button', { type: 'submit', class: 'go', id: 'prepaid-add' }, 'Add top-up to sale'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = amount.amount();
    if (!(value > 0)) {
      dialogError(new Error('Choose an amount.'));
      return;
    }
    const line = addLine('PREPAID-TOPUP', 'Prepaid top-up', value);
    sale.prepaidTopups.push({ line_id: line.id });
    renderSale();
    closeDialog();
  });
  openDialog('PREPAID: top up', form);
}

// ---- the sale --------------------------------------------------------------------

function addProduct(p) {
  const existing = sale.lines.find((l) => l.sku === p.sku);
  if (existing) existing.quantity += 1;
  else sale.lines.push({ id: String(nextLine++), sku: p.sku, name: p.name, quantity: 1, unit_price: p.unit_price, category: p.category });
  renderSale();
}

function removeLine(id) {
  sale.lines = sale.lines.filter((l) => l.id !== id);
  sale.giftcardSales = sale.giftcardSales.filter((g) => g.line_id !== id);
  sale.prepaidTopups = sale.prepaidTopups.filter((t) => t.line_id !== id);
  renderSale();
}

function renderSale() {
  const locked = sale.checkout !== null;
  $('order-id').textContent = sale.orderID;
  $('cart').tBodies[0].replaceChildren(...sale.lines.map((l) => el('tr', { 'data-line-id': l.id },
    el('td', { text: l.name }), el('td', { class: 'num', text: String(l.quantity) }),
    el('td', { class: 'num', text: money(l.quantity * l.unit_price, CURRENCY) }),
    el('td', {}, locked ? null : el('button', { type: 'button', 'aria-label': `Remove ${l.name}`, onclick: () => removeLine(l.id) }, '×')))));
  $('cart-total').textContent = money(sale.lines.reduce((sum, l) => sum + l.quantity * l.unit_price, 0), CURRENCY);
  const applied = [
    ...sale.rewards.map((r) => `Reward: ${r.title}`),
    ...sale.collect.map((c) => `Collect: ${c.title}`),
    ...sale.vouchers.map((v) => `Voucher: ${v.title} (${v.code})`),
  ];
  $('applied').replaceChildren(...applied.map((text) => el('li', { class: 'discount', text })));
  for (const id of ['btn-rewards', 'btn-voucher', 'btn-giftcard', 'btn-prepaid', 'btn-clear']) $(id).disabled = locked;
  $('btn-checkout').disabled = locked || sale.lines.length === 0;
  for (const b of $('product-list').querySelectorAll('button')) b.disabled = locked;
}

function checkoutRequest() {
  const req = {
    order_id: sale.orderID,
    currency: CURRENCY,
    lines: sale.lines.map(({ id, sku, name, quantity, unit_price, category }) => ({ id, sku, name, quantity, unit_price, ...(category ? { category } : {}) })),
  };
  if (sale.customer) req.contact_uuid = sale.customer.contact.uuid;
  if (sale.rewards.length) req.rewards = sale.rewards.map((r) => ({ reward_uuid: r.uuid }));
  if (sale.collect.length) req.collect = sale.collect.map((c) => ({ collectable_uuid: c.uuid }));
  if (sale.vouchers.length) req.vouchers = sale.vouchers.map((v) => ({ code: v.code }));
  if (sale.giftcardSales.length) req.giftcard_sales = sale.giftcardSales;
  if (sale.prepaidTopups.length) req.prepaid_topups = sale.prepaidTopups;
  return req;
}

const moving = new Set(['reserving', 'confirming', 'compensating']);

// settle follows a checkout answered 202 until the saga has moved it on.
async function settle(answer) {
  if (answer.status !== 202 && !moving.has(answer.body.status)) return answer.body;
  return poll('pos', `/v1/checkouts/${answer.body.checkout_id}`, (c) => !moving.has(c.status));
}

async function startCheckout() {
  const answer = await call('pos', 'POST', '/v1/checkouts', { body: checkoutRequest(), idempotencyKey: sale.keys.for('checkout', checkoutRequest()) });
  sale.checkout = await settle(answer);
  if (sale.checkout.status === 'awaiting_payment') {
    renderSale();
    renderCustomer();
    renderPayment();
  } else {
    renderDone();
  }
}

// ---- payment -------------------------------------------------------------------------

function renderPayment() {
  const c = sale.checkout;
  $('payment').hidden = false;
  const rows = [el('tr', {}, el('td', { text: 'Lines' }), el('td', { class: 'num', text: money(c.totals.lines, c.currency) }))];
  for (const d of c.discounts) {
    rows.push(el('tr', { class: 'discount', 'data-source': d.source },
      el('td', { text: `${d.title} (${describeDiscount(d.discount)})` }),
      el('td', { class: 'num', text: d.amount === null ? 'applied by the POS' : `-${money(d.amount, c.currency)}` })));
  }
  for (const t of c.tenders) {
    if (t.taken > 0) {
      rows.push(el('tr', { 'data-tender': t.source },
        el('td', { text: `${t.type === 'giftcard' ? `Giftcard ${t.code}` : 'Prepaid credit'}${t.balance_after === null ? '' : ` (balance left ${money(t.balance_after, c.currency)})`}` }),
        el('td', { class: 'num', text: `-${money(t.taken, c.currency)}` })));
    }
  }
  rows.push(el('tr', { class: 'total' }, el('td', { text: 'Due' }), el('td', { class: 'num', id: 'payment-due', text: money(c.totals.due, c.currency) })));
  $('payment-lines').tBodies[0].replaceChildren(...rows);
  $('due').textContent = money(c.totals.due, c.currency);
  $('btn-pay-prepaid').disabled = !sale.customer || c.totals.due === 0;
  $('btn-pay-giftcard').disabled = c.totals.due === 0;
}

function openTender(type) {
  const c = sale.checkout;
  const amount = el('input', { id: 'tender-amount', inputmode: 'decimal', required: true });
  const info = el('p', { id: 'tender-balance', class: 'muted', hidden: true });
  const code = type === 'giftcard' ? el('input', { id: 'tender-code', autocomplete: 'off', required: true }) : null;
  const setMax = (balance) => {
    const max = Math.min(balance, c.totals.due);
    info.textContent = `Balance ${money(balance, c.currency)} · due ${money(c.totals.due, c.currency)}`;
    info.hidden = false;
    amount.value = (max / 100).toFixed(2);
  };
  if (type === 'prepaid') setMax(sale.customer.contact.prepaid_balance.amount);
  const lookUp = async () => {
    const { body } = await call('pos', 'GET', `/v1/giftcards/${encodeURIComponent(code.value.trim())}`);
    if (!body.payable) throw new Error(`Giftcard ${code.value.trim()} cannot pay: ${body.reason}.`);
    setMax(body.giftcard.balance.amount);
  };
  const form = el('form', {},
    code ? el('label', {}, 'Giftcard code', code) : null,
    code ? el('button', { type: 'button', id: 'tender-scan', onclick: () => lookUp().catch(dialogError) }, 'Check balance') : null,
    info, el('label', {}, 'Amount', amount),
    el('button', { type: 'submit', class: 'go', id: 'tender-add' }, `Pay with ${type}`));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const minor = parseMoney(amount.value);
      if (!(minor > 0)) throw new Error('Type the amount to take, e.g. 12.50.');
      const body = { type, amount: minor, ...(code ? { code: code.value.trim() } : {}) };
      const answer = await call('pos', 'POST', `/v1/checkouts/${c.checkout_id}/tenders`, { body, idempotencyKey: sale.keys.for('tender', body) });
      // Taken: the same card and amount again is another tender.
      sale.keys.forget('tender');
      sale.checkout = answer.status === 202 ? await poll('pos', `/v1/checkouts/${c.checkout_id}`, (x) => x.tenders.every((t) => t.state !== 'pending')) : answer.body.checkout;
      if (type === 'prepaid') await loadCustomer(sale.customer.contact.uuid);
      renderPayment();
      closeDialog();
    } catch (err) {
      dialogError(err);
    }
  });
  // Enter in the code field checks the balance first, as a scanner would.
  if (code) code.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); lookUp().catch(dialogError); } });
  openDialog(type === 'giftcard' ? 'GIFTCARD: pay with a giftcard' : 'PREPAID: pay with prepaid credit', form);
}

async function reportPayment(outcome) {
  const c = sale.checkout;
  const answer = await call('pos', 'POST', `/v1/checkouts/${c.checkout_id}/payment`, { body: { outcome }, idempotencyKey: sale.keys.for('payment', { outcome }) });
  sale.checkout = await settle(answer);
  sale.claimURL = answer.body.claim_url || sale.checkout.claim_url || '';
  renderDone();
}

async function cancelSale() {
  const c = sale.checkout;
  const answer = await call('pos', 'POST', `/v1/checkouts/${c.checkout_id}/cancel`, { idempotencyKey: sale.keys.for('cancel') });
  sale.checkout = await settle(answer);
  renderDone();
}

// ---- completion and receipt ----------------------------------------------------------

function renderDone() {
  const c = sale.checkout;
  $('payment').hidden = true;
  $('done').hidden = false;
  $('done-status').textContent = human(c.status);
  $('done-status').className = `badge ${c.status}`;
  $('done-status').dataset.status = c.status;
  const summary = [];
  if (c.refusal) summary.push(el('p', { class: 'badge failed', id: 'refusal', text: `Refused: ${c.refusal.item} ${c.refusal.code}${c.refusal.detail ? ` (${c.refusal.detail})` : ''}` }));
  if (c.status === 'completed') {
    summary.push(el('p', {}, 'Paid ', el('strong', { text: money(c.totals.due, c.currency) }), ` by card, ${money(c.totals.tendered, c.currency)} by Leat tenders, `,
      el('span', { class: 'discount', text: `${money(c.totals.discounts, c.currency)} discounts` }), '.'));
    const r = c.result || {};
    if (r.points_earned !== null && r.points_earned !== undefined) {
      summary.push(el('p', {}, 'Points earned: ', el('strong', { id: 'points-earned', text: String(r.points_earned) }),
        ' · new balance: ', el('strong', { id: 'points-balance', text: String(r.points_balance) })));
    }
    if (r.prepaid_balance !== undefined) summary.push(el('p', {}, 'Prepaid balance: ', el('strong', { id: 'prepaid-balance', text: money(r.prepaid_balance, c.currency) })));
    for (const g of r.giftcards_sold || []) {
      summary.push(el('p', { class: 'giftcard-sold', 'data-code': g.code }, `Giftcard ${g.code} loaded with ${money(g.balance, c.currency)}${g.emailed ? ', emailed by Leat' : ''}.`));
    }
  } else if (c.status === 'cancelled') {
    summary.push(el('p', { text: 'Nothing was charged: every reward, voucher and tender reserved for this sale was given back.' }));
    for (const k of c.result?.kept_collectable || []) summary.push(el('p', { class: 'muted', text: `${k} stays collectable.` }));
  } else if (c.status === 'needs_attention') {
    summary.push(el('p', { class: 'badge needs_attention', text: 'Leat could not settle every step; an operator has been alerted (see Operations).' }));
  }
  $('done-summary').replaceChildren(...summary);
  $('collect').hidden = !(c.status === 'completed' && c.contact_uuid === null);
  $('receipt').hidden = true;
  renderSteps(c.steps);
}

function renderSteps(steps) {
  $('steps').replaceChildren(...steps.map((s) => el('li', { 'data-step': s.id, 'data-state': s.state },
    `${s.kind} ${s.item} `, badge(s.state), s.detail ? ` ${s.detail}` : '')));
}

function openCollect() {
  openDialog('Collect points',
    el('p', { class: 'muted', text: 'Scan or type the customer\'s card, or their email address.' }),
    scanForm('collect-input', 'Card, QR or email', async (value) => {
      const { body } = await call('pos', 'POST', `/v1/orders/${encodeURIComponent(sale.orderID)}/customer`, { body: identifyBody(value), idempotencyKey: sale.keys.for('collect', identifyBody(value)) });
      sale.checkout = body;
      renderDone();
      $('collect').hidden = true;
      closeDialog();
    }));
}

async function printReceipt() {
  const { body } = await call('pos', 'POST', `/v1/orders/${encodeURIComponent(sale.orderID)}/claim-link`, { idempotencyKey: sale.keys.for('claim-link') });
  const c = sale.checkout;
  const qr = el('div', { id: 'claim-qr' });
  qr.innerHTML = renderSVG(body.url, { border: 1 });
  $('receipt').replaceChildren(
    el('strong', { text: `Receipt ${sale.orderID}` }),
    ...sale.lines.map((l) => el('div', { text: `${l.quantity} × ${l.name}  ${money(l.quantity * l.unit_price, c.currency)}` })),
    ...c.discounts.map((d) => el('div', { class: 'discount', text: `${d.title}  ${d.amount === null ? '' : `-${money(d.amount, c.currency)}`}` })),
    el('div', { text: `Paid ${money(c.totals.due + c.totals.tendered, c.currency)}` }),
    el('p', { text: 'Scan to collect your points:' }), qr,
    el('a', { id: 'claim-url', href: body.url, text: body.url }));
  $('receipt').hidden = false;
  $('collect').hidden = true;
}

// ---- start -----------------------------------------------------------------------------

function wire() {
  $('product-list').replaceChildren(...PRODUCTS.map((p) => el('button', { type: 'button', 'data-sku': p.sku, onclick: () => addProduct(p) },
    el('strong', { text: p.name }), el('small', { text: money(p.unit_price, CURRENCY) }))));
  $('btn-rewards').onclick = openRewards;
  $('btn-voucher').onclick = openVoucher;
  $('btn-giftcard').onclick = openGiftcardSale;
  $('btn-prepaid').onclick = openTopup;
  $('btn-clear').onclick = () => { newSale(); renderCustomer(); renderSale(); };
  $('btn-checkout').onclick = () => guard(startCheckout);
  $('btn-pay-giftcard').onclick = () => openTender('giftcard');
  $('btn-pay-prepaid').onclick = () => openTender('prepaid');
  $('btn-card-ok').onclick = () => guard(() => reportPayment('paid'));
  $('btn-card-fail').onclick = () => guard(() => reportPayment('failed'));
  $('btn-cancel').onclick = () => guard(cancelSale);
  $('btn-collect').onclick = openCollect;
  $('btn-receipt').onclick = () => guard(printReceipt);
  $('btn-new-sale').onclick = () => {
    newSale();
    $('done').hidden = true;
    $('payment').hidden = true;
    renderCustomer();
    renderSale();
  };
}

requireKeys(['pos'], () => {
  $('app').hidden = false;
  newSale();
  wire();
  renderCustomer();
  renderSale();
});
