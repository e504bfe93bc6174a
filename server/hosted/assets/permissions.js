// Partner Hub /permissions and /onboard pages: the button runs Meta's Embedded Signup (or the sandbox's,
// through its FB SDK stand-in: one code path), then asks the hub to provision the number. A second
// button, when present, runs the WhatsApp Business app (coexistence) flow: its data-feature-type.
(() => {
  const buttons = [...document.querySelectorAll('button[data-config-id]')];
  if (buttons.length === 0) return;
  const status = document.getElementById('add-number-status');
  const { appId, configId, graphVersion, provisionUrl, eventsUrl, csrfToken, signupOrigin } =
    buttons[0].dataset;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  let sessionInfo = null;
  // Meta posts the WABA and number ids to this window as a JSON string (sessionInfoVersion 3).
  window.addEventListener('message', (event) => {
    if (event.origin !== signupOrigin) return;
    let data = event.data;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch {
        return;
      }
    }
    if (data?.type !== 'WA_EMBEDDED_SIGNUP') return;
    report(data);
    if (String(data.event).startsWith('FINISH')) sessionInfo = data;
    else if (data.event === 'ERROR')
      say(`Meta reported an error: ${data.data?.error_message ?? 'unknown'}`, true);
  });

  // Every outcome (finish, finish without a number, cancel at a step, error) is recorded by the
  // hub: it is how an abandoned signup shows up for the partner.
  function report(message) {
    if (!eventsUrl) return;
    const { type, event, data, version } = message;
    fetch(eventsUrl, {
      method: 'POST',
      keepalive: true,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ type, event, data, version }),
    }).catch(() => undefined);
  }

  async function provision(code) {
    // The session info can arrive a moment after the login callback.
    for (let i = 0; i < 20 && !sessionInfo; i++) await new Promise((r) => setTimeout(r, 100));
    if (!sessionInfo) return say('Meta did not say which number you connected. Please try again.', true);
    say('Connecting your number…');
    const res = await fetch(provisionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        code,
        waba_id: sessionInfo.data.waba_id,
        phone_number_id: sessionInfo.data.phone_number_id,
        business_id: sessionInfo.data.business_id,
        connection_type:
          sessionInfo.event === 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING' ? 'coexistence' : 'cloud_api',
      }),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) return say(body?.error?.message ?? 'The number could not be connected.', true);
    // Finished without a number (FINISH_ONLY_WABA): the WABA is kept; connect again once it has one.
    if (body.status === 'waba_pending') return say(body.message, false);
    // Onboarding links end on the partner's page, or with a message here.
    if (body.redirect_url) return location.assign(body.redirect_url);
    if (body.message) {
      for (const button of buttons) button.disabled = true;
      // Nothing left to cancel once the link is used.
      for (const form of document.querySelectorAll('form[action$="/cancel"]')) form.remove();
      return say(body.message, body.status === 'failed');
    }
    const next = new URL(location.href);
    next.searchParams.set('added', body.channel_id);
    next.searchParams.set('added_sig', body.added_sig);
    location.assign(next.toString());
  }

  function start(featureType) {
    sessionInfo = null;
    say('Follow the steps in the window that opened.');
    window.FB.login(
      (response) => {
        if (response?.authResponse?.code) provision(response.authResponse.code);
        else say('Connecting a number was cancelled.', false);
      },
      {
        config_id: configId,
        response_type: 'code',
        override_default_response_type: true,
        extras: { sessionInfoVersion: 3, setup: {}, ...(featureType ? { featureType } : {}) },
      },
    );
  }

  window.fbAsyncInit = () => {
    window.FB.init({ appId, version: graphVersion, xfbml: false });
    for (const button of buttons) button.disabled = false;
  };
  if (window.FB) window.fbAsyncInit();
  for (const button of buttons) button.addEventListener('click', () => start(button.dataset.featureType));
})();
