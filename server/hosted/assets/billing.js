// Direct Payment's card step (the price page and the client hub's "replace the card"): the
// card goes from this page to the payment provider through Stripe.js; the hub only receives
// the confirmed SetupIntent's id.
(() => {
  const form = document.getElementById('billing-form');
  if (!form || typeof Stripe !== 'function') return;
  const d = form.dataset;
  const stripe = Stripe(d.publishableKey);
  const elements = stripe.elements({ clientSecret: d.clientSecret });
  elements.create('payment').mount('#payment-element');
  const error = document.getElementById('billing-error');
  const submit = document.getElementById('billing-submit');
  const accept = document.getElementById('accept');

  const show = (message) => {
    error.textContent = message;
    error.hidden = false;
    submit.disabled = false;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (accept && !accept.checked) {
      show('Tick the box to accept the terms of service and the prices.');
      accept.focus();
      return;
    }
    submit.disabled = true;
    const { setupIntent, error: failed } = await stripe.confirmSetup({
      elements,
      confirmParams: { return_url: d.returnUrl },
      redirect: 'if_required',
    });
    if (failed) return show(failed.message || 'The card was not accepted.');
    const res = await fetch(d.completeUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': d.csrfToken,
      },
      body: JSON.stringify({
        setup_intent: setupIntent.id,
        accept: accept ? accept.checked : undefined,
        terms_version: d.termsVersion ? Number(d.termsVersion) : undefined,
        price_list_version: d.priceListVersion ? Number(d.priceListVersion) : undefined,
      }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      // A SetupIntent is used once: a failed save needs a fresh page.
      show(`${body.error?.message || 'The card could not be saved.'} Reload the page to try again.`);
      submit.disabled = true;
      return;
    }
    window.location.assign(body.next);
  });
})();
