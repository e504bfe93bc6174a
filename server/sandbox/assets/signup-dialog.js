// The Partner Hub sandbox's Embedded Signup popup. It answers its opener the way Meta's popup
// does: a session-info message (a JSON string, type WA_EMBEDDED_SIGNUP, version 3) for the
// page's own listener, then the authorization code for the FB.login shim, then it closes.
(() => {
  const form = document.getElementById('signup');
  if (!form) return;
  const openerOrigin = form.dataset.openerOrigin;
  const sessionId = form.dataset.sessionId;
  const completeUrl = form.dataset.completeUrl;
  const formError = document.getElementById('form-error');
  const done = document.getElementById('done');
  const buttons = [...form.querySelectorAll('button')];
  const FIELDS = ['business_name', 'phone_number', 'display_name', 'connection_type'];

  // A popup opened from the hub's own origin may have lost `window.opener` to the page's
  // Cross-Origin-Opener-Policy; same-origin pages can still be reached over a BroadcastChannel.
  const channel =
    openerOrigin === location.origin && 'BroadcastChannel' in window
      ? new BroadcastChannel(form.dataset.channel)
      : null;

  function send(message) {
    const text = JSON.stringify(message);
    if (channel) channel.postMessage(text);
    else if (window.opener) window.opener.postMessage(text, openerOrigin);
  }

  let finished = false;
  let currentStep = 'BUSINESS_ACCOUNT_SETUP';

  function end(sessionInfo, authResponse, text) {
    if (finished) return;
    finished = true;
    send({ type: 'WA_EMBEDDED_SIGNUP', ...sessionInfo, version: '3' });
    send({ type: 'PARTNER_HUB_SANDBOX_LOGIN', authResponse });
    buttons.forEach((b) => {
      b.disabled = true;
    });
    form.hidden = true;
    done.textContent = '';
    done.append(...text);
    done.hidden = false;
    if (window.opener || channel) window.close();
  }

  form.addEventListener('focusin', (event) => {
    const name = event.target.name;
    if (name === 'phone_number' || name === 'display_name') currentStep = 'PHONE_NUMBER_SETUP';
  });

  function fieldError(name) {
    return document.getElementById(`${name}-error`);
  }

  function clearErrors() {
    formError.hidden = true;
    formError.textContent = '';
    for (const name of FIELDS) {
      fieldError(name).textContent = '';
      for (const input of form.querySelectorAll(`[name="${name}"]`)) input.removeAttribute('aria-invalid');
    }
  }

  function showFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
    formError.focus();
  }

  function showIssues(issues) {
    let first = null;
    for (const issue of issues) {
      const name = FIELDS.includes(issue.path) ? issue.path : null;
      if (!name) continue;
      const error = fieldError(name);
      if (!error.textContent) error.textContent = issue.message;
      for (const input of form.querySelectorAll(`[name="${name}"]`))
        input.setAttribute('aria-invalid', 'true');
      first ??= form.querySelector(`[name="${name}"]`);
    }
    formError.textContent = 'Some details need fixing before you can finish.';
    formError.hidden = false;
    (first ?? formError).focus();
  }

  function setBusy(busy) {
    buttons.forEach((b) => {
      b.disabled = busy;
    });
    form.setAttribute('aria-busy', String(busy));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (finished) return;
    clearErrors();
    setBusy(true);
    const body = {
      business_name: form.elements.business_name.value,
      phone_number: form.elements.phone_number.value,
      display_name: form.elements.display_name.value,
      connection_type: form.querySelector('input[name="connection_type"]:checked')?.value,
    };
    let res;
    let json = null;
    try {
      res = await fetch(completeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      json = await res.json();
    } catch {
      setBusy(false);
      showFormError('The sandbox could not be reached. Try again.');
      return;
    }
    setBusy(false);
    if (res.status === 201) {
      const coexistence = body.connection_type === 'coexistence';
      const code = document.createElement('code');
      code.textContent = json.code;
      end(
        {
          event: coexistence ? 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING' : 'FINISH',
          data: {
            phone_number_id: json.phone_number_id,
            waba_id: json.waba_id,
            business_id: json.business_id,
          },
        },
        { code: json.code },
        [`Connected: WABA ${json.waba_id}, phone number ${json.phone_number_id}. Authorization code: `, code],
      );
      return;
    }
    const issues = json?.error?.details?.issues;
    if (res.status === 400 && Array.isArray(issues)) showIssues(issues);
    else showFormError(json?.error?.message ?? `The sandbox answered ${res.status}.`);
  });

  document.getElementById('cancel').addEventListener('click', () => {
    const chosen = document.getElementById('cancel-step').value;
    end({ event: 'CANCEL', data: { current_step: chosen || currentStep } }, null, [
      'Cancelled. You can close this window.',
    ]);
  });

  // Meta's FINISH_ONLY_WABA: the business and WABA exist, no number was added.
  document.getElementById('finish-without-number').addEventListener('click', async () => {
    if (finished) return;
    clearErrors();
    setBusy(true);
    let res;
    let json = null;
    try {
      res = await fetch(completeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          business_name: form.elements.business_name.value,
          without_phone_number: true,
        }),
      });
      json = await res.json();
    } catch {
      setBusy(false);
      showFormError('The sandbox could not be reached. Try again.');
      return;
    }
    setBusy(false);
    if (res.status !== 201) {
      const issues = json?.error?.details?.issues;
      if (res.status === 400 && Array.isArray(issues)) showIssues(issues);
      else showFormError(json?.error?.message ?? `The sandbox answered ${res.status}.`);
      return;
    }
    end(
      { event: 'FINISH_ONLY_WABA', data: { waba_id: json.waba_id, business_id: json.business_id } },
      { code: json.code },
      [`Connected: WABA ${json.waba_id}, without a phone number.`],
    );
  });

  document.getElementById('simulate-error').addEventListener('click', () => {
    end(
      {
        event: 'ERROR',
        data: {
          error_message: 'Simulated error from the Partner Hub sandbox',
          error_id: '524126',
          session_id: sessionId,
          timestamp: String(Math.floor(Date.now() / 1000)),
        },
      },
      null,
      ['A simulated error was reported. You can close this window.'],
    );
  });

  // Closing the window abandons the flow, which Meta reports as a cancel at the current step.
  window.addEventListener('pagehide', () => {
    end({ event: 'CANCEL', data: { current_step: currentStep } }, null, []);
  });
})();
