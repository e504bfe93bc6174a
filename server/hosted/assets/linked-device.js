// Partner Hub: the linked-device pairing page. Polls the session's status (same origin, the
// hosted session's cookie) and shows each new QR code or pairing code; the live region says
// only status changes, not every new code. Once CONNECTED it posts the page's Continue form,
// which finishes the flow like Embedded Signup does.
(() => {
  const root = document.querySelector('[data-status-url]');
  if (!root) return;
  const url = root.dataset.statusUrl;
  const img = document.getElementById('ld-qr');
  const code = document.getElementById('ld-code');
  const codeValue = document.getElementById('ld-code-value');
  const status = document.getElementById('ld-status');
  const restart = document.getElementById('ld-restart');
  const done = document.getElementById('ld-done');
  const POLL_MS = 1500;
  let finished = false;

  function show(state) {
    if (state.qr_image) {
      if (img.getAttribute('src') !== state.qr_image) img.src = state.qr_image;
      img.hidden = false;
    } else img.hidden = true;
    codeValue.textContent = state.pairing_code ?? '';
    code.hidden = !state.pairing_code;
    if (status.dataset.status !== state.status || status.textContent !== state.message) {
      status.dataset.status = state.status;
      status.textContent = state.message;
    }
    restart.hidden = !state.can_restart;
    done.hidden = state.status !== 'CONNECTED';
    if (state.status === 'CONNECTED' && !finished) {
      finished = true;
      done.requestSubmit();
    }
  }

  async function poll() {
    let waiting = false;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
      if (res.ok) {
        const state = await res.json();
        show(state);
        // Nothing changes until the client asks for a new code (which reloads the page).
        waiting = state.can_restart;
      }
    } catch {
      // A network blip: the next poll tries again.
    }
    if (!finished && !waiting) setTimeout(poll, POLL_MS);
  }
  setTimeout(poll, POLL_MS);
})();
