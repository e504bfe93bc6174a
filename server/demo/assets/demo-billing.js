// The demo page's billing: the payment-model switch and the month's statements. Like demo.js,
// it talks to the demo backend only (/demo/api), which plays the operator where one is needed.
(() => {
  const api = async (path, body) => {
    const res = await fetch(`/demo/api${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'x-demo': '1', 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(json?.error?.message ?? json?.error?.code ?? `HTTP ${res.status}`);
    return json;
  };
  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const info = document.getElementById('billing-info');
  const radios = [...document.querySelectorAll('input[name="payment_model"]')];
  let switching = false;

  function renderBilling(b) {
    if (!switching) for (const r of radios) r.checked = r.value === b.payment_model;
    const model = b.payment_model === 'direct' ? 'Direct Payment' : 'Partner Payment';
    const list = b.price_list
      ? `price list version ${b.price_list.version} (${b.price_list.currency.toUpperCase()}, since ${b.price_list.effective_at.slice(0, 10)})`
      : 'no price list';
    const terms = b.terms ? `terms version ${b.terms.version}` : 'no terms';
    info.textContent = `${model}. In force: ${list}, ${terms}.`;
  }

  for (const radio of radios) {
    radio.addEventListener('change', async () => {
      if (!radio.checked) return;
      switching = true;
      for (const r of radios) r.disabled = true;
      info.textContent = 'Switching…';
      try {
        const { billing, prices } = await api('/payment-model', { payment_model: radio.value });
        renderBilling(billing);
        if (prices?.published.price_list || prices?.published.terms)
          info.textContent += ' The demo published them just now.';
      } catch (err) {
        info.textContent = `Failed: ${err.message}`;
      } finally {
        switching = false;
        for (const r of radios) r.disabled = false;
      }
    });
  }

  let shown = '';
  function renderStatements(statements) {
    const signature = JSON.stringify(statements.map((s) => [s.id, s.status]));
    if (signature === shown) return;
    shown = signature;
    const table = document.getElementById('statements');
    table.hidden = statements.length === 0;
    const body = table.querySelector('tbody');
    body.replaceChildren();
    for (const s of statements) {
      const row = el('tr');
      const lines = el('ul');
      for (const l of s.lines)
        lines.append(el('li', `${l.messages} × ${l.category} ${l.country} at ${l.unit_price} = ${l.amount}`));
      const lineCell = el('td');
      lineCell.append(lines);
      const status = s.failure_code ? `${s.status} (${s.failure_code})` : s.status;
      row.append(
        el('td', s.period),
        el('td', s.client_id ?? 'the partner'),
        lineCell,
        el('td', status),
        el('td', `${s.total} ${s.currency.toUpperCase()}`),
      );
      body.append(row);
    }
  }

  const issue = document.getElementById('issue-statements');
  const result = document.getElementById('statement-result');
  issue.addEventListener('click', async () => {
    issue.disabled = true;
    result.textContent = 'Issuing…';
    try {
      const r = await api('/statements', {});
      const skipped = r.skipped.map((s) => `${s.scope}: ${s.reason}`).join('; ');
      result.textContent =
        r.statements.length === 0
          ? `No billable messages in ${r.period} yet: connect under Direct Payment and send a few.`
          : `${r.period}: ${r.statements.length} statement(s) issued; the worker charges them (watch the status).`;
      if (skipped) result.textContent += ` Skipped: ${skipped}`;
      await refresh();
    } catch (err) {
      result.textContent = `Failed: ${err.message}`;
    } finally {
      issue.disabled = false;
    }
  });

  async function refresh() {
    try {
      const b = await api('/billing');
      renderBilling(b);
      renderStatements(b.statements);
    } catch {
      // The next tick retries.
    }
  }
  refresh();
  setInterval(refresh, 1500);
})();
