/*
 * The Stripe sandbox's stand-in for Stripe.js (https://js.stripe.com/v3): Stripe(pk),
 * elements({ clientSecret }).create('payment').mount(…), confirmSetup(…). The card goes
 * straight from these fields to the sandbox's Stripe API with the publishable key; the page's
 * code is never handed it (the fields are in its DOM, not in an iframe as with Stripe). See docs/sandbox.md, "The Stripe sandbox".
 */
(() => {
  const script = document.currentScript;
  const base = script ? script.src.replace(/\/js\/v3\/?(?:[?#].*)?$/, '') : '';
  let counter = 0;

  function encode(value, prefix, out) {
    if (value === undefined || value === null) return out;
    if (typeof value === 'object') {
      for (const key of Object.keys(value)) encode(value[key], prefix ? `${prefix}[${key}]` : key, out);
    } else {
      out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
    }
    return out;
  }

  async function post(url, key, params, accept) {
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: accept || 'application/json',
    };
    if (key) headers.Authorization = `Bearer ${key}`;
    const res = await fetch(url, { method: 'POST', headers, body: encode(params, '', []).join('&') });
    return res.json();
  }

  function integrationError(message) {
    const err = new Error(message);
    err.name = 'IntegrationError';
    return err;
  }

  function luhn(digits) {
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return sum % 10 === 0;
  }

  const validation = (code, message) => ({ type: 'validation_error', code, message });

  function field(id, label, attrs) {
    const wrap = document.createElement('div');
    wrap.className = 'SandboxStripe-field';
    const lab = document.createElement('label');
    lab.htmlFor = id;
    lab.textContent = label;
    const input = document.createElement('input');
    input.id = id;
    input.type = 'text';
    for (const [name, value] of Object.entries(attrs)) input.setAttribute(name, value);
    lab.style.display = 'block';
    input.style.cssText =
      'display:block;width:100%;box-sizing:border-box;padding:.5rem;margin:.2rem 0 .6rem;font:inherit';
    wrap.append(lab, input);
    return { wrap, input };
  }

  class PaymentElement {
    constructor() {
      this.handlers = {};
      const id = `sandbox-stripe-${++counter}`;
      this.root = document.createElement('div');
      this.root.className = 'SandboxStripe-element';
      this.root.setAttribute('role', 'group');
      this.root.setAttribute('aria-label', 'Card details');
      const number = field(`${id}-number`, 'Card number', {
        autocomplete: 'cc-number',
        inputmode: 'numeric',
        placeholder: '1234 1234 1234 1234',
        maxlength: '23',
      });
      const expiry = field(`${id}-expiry`, 'Expiry date (MM / YY)', {
        autocomplete: 'cc-exp',
        inputmode: 'numeric',
        placeholder: 'MM / YY',
        maxlength: '7',
      });
      const cvc = field(`${id}-cvc`, 'Security code (CVC)', {
        autocomplete: 'cc-csc',
        inputmode: 'numeric',
        placeholder: 'CVC',
        maxlength: '4',
      });
      this.message = document.createElement('div');
      this.message.setAttribute('role', 'alert');
      this.message.style.color = '#df1b41';
      this.inputs = { number: number.input, expiry: expiry.input, cvc: cvc.input };
      this.root.append(number.wrap, expiry.wrap, cvc.wrap, this.message);
      for (const input of Object.values(this.inputs)) {
        input.addEventListener('input', () => this.emit('change', this.changeEvent()));
        input.addEventListener('focus', () => this.emit('focus', { elementType: 'payment' }));
        input.addEventListener('blur', () => {
          const error = this.validate(true);
          this.message.textContent = error ? error.message : '';
          this.emit('blur', { elementType: 'payment' });
        });
      }
    }

    values() {
      const number = this.inputs.number.value.replace(/\s+/g, '');
      const expiry = this.inputs.expiry.value.replace(/\s+/g, '');
      const match = /^(\d{1,2})\/?(\d{2})$/.exec(expiry);
      return {
        number,
        exp_month: match ? match[1] : '',
        exp_year: match ? match[2] : '',
        cvc: this.inputs.cvc.value.trim(),
      };
    }

    /** Stripe.js's own checks before anything is sent; `partial` skips the empty fields. */
    validate(partial) {
      const v = this.values();
      if (!(partial && v.number === '')) {
        if (!/^\d{12,19}$/.test(v.number))
          return validation('incomplete_number', 'Your card number is incomplete.');
        if (!luhn(v.number)) return validation('invalid_number', 'Your card number is invalid.');
      }
      if (!(partial && this.inputs.expiry.value === '')) {
        if (!v.exp_month)
          return validation('incomplete_expiry', "Your card's expiration date is incomplete.");
        const month = Number(v.exp_month);
        const year = 2000 + Number(v.exp_year);
        const now = new Date();
        if (month < 1 || month > 12)
          return validation('invalid_expiry_month', "Your card's expiration date is invalid.");
        if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
          return validation('invalid_expiry_year_past', "Your card's expiration date is in the past.");
        }
      }
      if (!(partial && v.cvc === '') && !/^\d{3,4}$/.test(v.cvc)) {
        return validation('incomplete_cvc', "Your card's security code is incomplete.");
      }
      return null;
    }

    changeEvent() {
      const empty = Object.values(this.inputs).every((input) => input.value === '');
      return {
        elementType: 'payment',
        empty,
        complete: this.validate(false) === null,
        value: { type: 'card' },
      };
    }

    on(event, handler) {
      if (!this.handlers[event]) this.handlers[event] = [];
      this.handlers[event].push(handler);
      return this;
    }

    off(event, handler) {
      this.handlers[event] = (this.handlers[event] || []).filter((h) => h !== handler);
      return this;
    }

    emit(event, payload) {
      for (const handler of this.handlers[event] || []) handler(payload);
    }

    mount(target) {
      const el = typeof target === 'string' ? document.querySelector(target) : target;
      if (!el) throw integrationError(`The selector you specified (${target}) applies to no DOM elements.`);
      el.appendChild(this.root);
      setTimeout(() => this.emit('ready', { elementType: 'payment' }), 0);
    }

    unmount() {
      this.root.remove();
    }

    destroy() {
      this.unmount();
      this.handlers = {};
    }

    focus() {
      this.inputs.number.focus();
    }

    clear() {
      for (const input of Object.values(this.inputs)) input.value = '';
      this.message.textContent = '';
    }
  }

  class Elements {
    constructor(options) {
      this.clientSecret = options.clientSecret;
      this.element = null;
    }

    create(type) {
      if (type !== 'payment' && type !== 'card') {
        throw integrationError(`The Stripe sandbox supports the "payment" element, not "${type}".`);
      }
      this.element = new PaymentElement();
      return this.element;
    }

    getElement(type) {
      return type === 'payment' || type === 'card' ? this.element : null;
    }

    async submit() {
      const error = this.element
        ? this.element.validate(false)
        : validation('incomplete', 'Fill in the card.');
      return error ? { error } : {};
    }
  }

  /** The issuer's 3-D Secure step as a modal over the page; resolves with the intent afterwards. */
  function authenticate(intent, clientSecret) {
    return new Promise((resolve) => {
      const overlay = document.createElement('div');
      overlay.style.cssText =
        'position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647';
      const dialog = document.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-modal', 'true');
      dialog.setAttribute('aria-labelledby', 'sandbox-stripe-3ds-title');
      dialog.style.cssText =
        'background:#fff;padding:1.5rem;border-radius:8px;max-width:24rem;font-family:system-ui,sans-serif';
      const title = document.createElement('h2');
      title.id = 'sandbox-stripe-3ds-title';
      title.textContent = '3D Secure authentication';
      const text = document.createElement('p');
      text.textContent = 'Stripe sandbox: the bank asks the cardholder to confirm saving this card.';
      dialog.append(title, text);
      for (const [label, outcome] of [
        ['Complete authentication', 'complete'],
        ['Fail authentication', 'fail'],
      ]) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = label;
        button.style.cssText = 'margin:.3rem .3rem 0 0;padding:.5rem 1rem;font:inherit';
        button.addEventListener('click', async () => {
          const answer = await post(`${base}/3ds/${intent.id}`, null, {
            client_secret: clientSecret,
            outcome,
          });
          overlay.remove();
          resolve(answer);
        });
        dialog.append(button);
      }
      overlay.append(dialog);
      document.body.append(overlay);
      dialog.querySelector('button').focus();
    });
  }

  function result(intent, clientSecret, returnUrl, redirect) {
    if (intent.error) return { error: intent.error };
    if (intent.status === 'requires_payment_method' && intent.last_setup_error) {
      return { error: { ...intent.last_setup_error, setup_intent: intent } };
    }
    if (redirect !== 'if_required' && returnUrl) {
      const url = new URL(returnUrl, window.location.href);
      url.searchParams.set('setup_intent', intent.id);
      url.searchParams.set('setup_intent_client_secret', clientSecret);
      url.searchParams.set('redirect_status', intent.status === 'succeeded' ? 'succeeded' : 'failed');
      window.location.assign(url.href);
      return new Promise(() => {});
    }
    return { setupIntent: intent };
  }

  function Stripe(key) {
    if (typeof key !== 'string' || !key.startsWith('pk_')) {
      throw integrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_…).');
    }
    return {
      elements: (options) => new Elements(options || {}),
      retrieveSetupIntent: async (clientSecret) => {
        const id = clientSecret.split('_secret_')[0];
        const res = await fetch(
          `${base}/v1/setup_intents/${id}?client_secret=${encodeURIComponent(clientSecret)}`,
          { headers: { Authorization: `Bearer ${key}` } },
        );
        const body = await res.json();
        return body.error ? { error: body.error } : { setupIntent: body };
      },
      confirmSetup: async (options) => {
        const { elements, confirmParams = {}, redirect } = options || {};
        const clientSecret = options.clientSecret || elements?.clientSecret;
        if (!elements?.element) throw integrationError('confirmSetup(): pass the `elements` instance.');
        if (!clientSecret) throw integrationError('confirmSetup(): elements need a clientSecret.');
        if (redirect !== 'if_required' && !confirmParams.return_url) {
          throw integrationError(
            "confirmSetup(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`",
          );
        }
        const invalid = elements.element.validate(false);
        if (invalid) {
          elements.element.message.textContent = invalid.message;
          return { error: invalid };
        }
        const card = elements.element.values();
        const id = clientSecret.split('_secret_')[0];
        let intent = await post(`${base}/v1/setup_intents/${id}/confirm`, key, {
          client_secret: clientSecret,
          return_url: confirmParams.return_url,
          payment_method_data: {
            type: 'card',
            card,
            billing_details: confirmParams.payment_method_data?.billing_details,
          },
        });
        if (!intent.error && intent.status === 'requires_action') {
          if (redirect !== 'if_required') {
            window.location.assign(intent.next_action.redirect_to_url.url);
            return new Promise(() => {});
          }
          intent = await authenticate(intent, clientSecret);
        }
        const outcome = await result(intent, clientSecret, confirmParams.return_url, redirect);
        elements.element.message.textContent = outcome.error ? outcome.error.message : '';
        return outcome;
      },
    };
  }

  window.Stripe = Stripe;
})();
