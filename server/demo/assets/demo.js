// The demo page: the partner portal's side. Everything goes through the demo backend (/demo/api),
// which uses the hub's public API, as a partner integration would.
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
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  document.querySelector('partner-hub-connect')?.addEventListener('permissions', (e) => {
    const r = e.detail;
    const revoked = r.revoked.length ? `, revoked ${r.revoked.join(', ')}` : '';
    document.getElementById('connect-result').textContent = r.channels.length
      ? `Granted: client ${r.client}, channels ${r.channels.join(', ')}${revoked}`
      : `No number shared (client ${r.client}${revoked}): in the popup, add a number and tick it before Confirm.`;
    refresh();
  });
  document.querySelector('partner-hub-connect')?.addEventListener('permissions-error', (e) => {
    document.getElementById('connect-result').textContent =
      `Not finished: ${e.detail.reason ?? e.detail.message}`;
  });

  document.getElementById('create-onboarding').addEventListener('click', async () => {
    const out = document.getElementById('onboarding-result');
    out.textContent = 'Creating…';
    try {
      const session = await api('/onboarding', {});
      out.textContent = '';
      const link = el('a', 'Open the onboarding link (new tab)');
      link.href = session.onboarding_url;
      // The demo tab keeps its live feed while the tenant onboards in another.
      link.target = '_blank';
      link.rel = 'noopener';
      out.append(link, el('span', ` (expires ${new Date(session.expires_at).toLocaleTimeString()})`));
    } catch (err) {
      out.textContent = `Failed: ${err.message}`;
    }
  });

  document.getElementById('create-linked-device')?.addEventListener('click', async (e) => {
    e.target.disabled = true;
    try {
      await api('/linked-devices', {});
    } catch (err) {
      renderLinkedError(err.message);
    } finally {
      e.target.disabled = false;
    }
    refresh();
  });

  function renderLinkedError(message) {
    const list = document.getElementById('linked-devices');
    list.replaceChildren(el('li', `Failed: ${message}`, 'empty'));
    knownLinked = '';
  }

  let knownLinked = '';
  /** Linked-device sessions: the QR code while one is on show, then the linked number. */
  function renderLinkedDevices(sessions) {
    const list = document.getElementById('linked-devices');
    if (!list || !sessions) return;
    const signature = sessions.map((s) => s.id + s.status + (s.qr ?? '')).join();
    if (signature === knownLinked) return;
    knownLinked = signature;
    list.replaceChildren();
    if (sessions.length === 0) list.append(el('li', 'No linked-device session yet.', 'empty'));
    for (const s of sessions) {
      const item = el('li');
      item.append(
        el('strong', s.status),
        el('span', ` ${s.id}${s.phone_number ? ` +${s.phone_number}` : ''}`, 'meta'),
      );
      if (s.qr_image) {
        const img = el('img');
        img.src = s.qr_image;
        img.alt = 'QR code to scan with WhatsApp on the phone (Linked devices)';
        img.width = 180;
        img.height = 180;
        const status = el('span', '', 'meta');
        const scan = actionButton(
          'Scan with the sandbox phone',
          status,
          `/linked-devices/${s.id}/scan`,
          () => ({}),
          () => ' scanned: connecting…',
        );
        item.append(el('br'), img, el('br'), scan, status);
      }
      list.append(item);
    }
  }

  /** Channels whose send waits for the customer's reply, with the status line to update. */
  const awaitingReply = new Map();
  let known = '';
  function renderChannels(channels) {
    const signature = channels.map((c) => c.id + c.status + c.connection_type).join();
    if (signature === known) return;
    known = signature;
    const list = document.getElementById('channels');
    list.replaceChildren();
    if (channels.length === 0) list.append(el('li', 'No channel yet: do step 1 or 2.', 'empty'));
    for (const c of channels) {
      const item = el('li');
      const status = el('span', ` ${c.status}`, 'meta');
      const to = () => document.getElementById('send-to').value;
      const send = actionButton(
        `Send from +${c.phone_number}${c.connection_type === 'linked_device' ? ' (linked device)' : ''}`,
        status,
        `/channels/${c.id}/send`,
        () => ({
          to: to(),
          text: document.getElementById('send-text').value,
          category: document.getElementById('send-category').value,
        }),
        (graph) => {
          awaitingReply.set(c.phone_number_id, status);
          return ` sent ${graph.messages?.[0]?.id ?? ''}; waiting for the reply…`;
        },
      );
      const template = actionButton(
        'Submit a template',
        status,
        `/channels/${c.id}/template`,
        () => ({}),
        (t) => ` template ${t.id} ${t.status}; Meta reviews it…`,
      );
      item.append(send, status, ' ', template);
      if (c.connection_type === 'coexistence') {
        const echo = actionButton(
          'Reply from the WhatsApp Business app',
          status,
          `/channels/${c.id}/echo`,
          () => ({ to: to(), text: 'Sent from the phone app' }),
          () => ' the business wrote from its phone: see the echo below',
        );
        item.append(' ', echo);
      }
      list.append(item);
    }
  }

  /** A button that calls the demo backend and reports the outcome on `status`. */
  function actionButton(label, status, path, bodyOf, done) {
    const button = el('button', label);
    button.type = 'button';
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = ' sending…';
      try {
        status.textContent = done(await api(path, bodyOf()));
      } catch (err) {
        status.textContent = ` failed: ${err.message}`;
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  let shown = 0;
  function renderFeed(feed) {
    const list = document.getElementById('feed');
    for (const item of feed.slice(shown)) {
      const entry = el('li', undefined, `feed-${item.kind}`);
      entry.append(
        el('strong', item.title),
        el('span', ` ${new Date(item.at).toLocaleTimeString()}`, 'meta'),
      );
      const detail = el('pre', JSON.stringify(item.detail, null, 2));
      // Scrollable blocks must be reachable by keyboard.
      detail.tabIndex = 0;
      entry.append(detail);
      list.prepend(entry);
      const replyTo =
        item.kind === 'inbound' && item.detail?.messages ? item.detail.metadata?.phone_number_id : undefined;
      const waiting = replyTo && awaitingReply.get(replyTo);
      if (waiting) {
        waiting.textContent = ` reply received ${new Date(item.at).toLocaleTimeString()}: see below`;
        awaitingReply.delete(replyTo);
      }
    }
    shown = feed.length;
  }

  async function refresh() {
    try {
      const state = await api('/state');
      renderChannels(state.channels);
      renderLinkedDevices(state.linked_devices);
      renderFeed(state.feed);
    } catch {
      // The next tick retries.
    }
  }
  refresh();
  setInterval(refresh, 1000);
})();
