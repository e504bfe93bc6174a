// Partner Hub sandbox: a stand-in for Meta's JavaScript SDK (connect.facebook.net/…/sdk.js)
// with the calls an Embedded Signup page makes, so the page runs one code path against Meta
// and against the sandbox. FB.login opens the sandbox's signup popup instead of Facebook's.
(() => {
  if (window.FB?.__partnerHubSandbox) return;

  const scriptUrl = document.currentScript?.src;
  if (!scriptUrl) {
    console.error('Partner Hub sandbox SDK: load it with a <script src> tag.');
    return;
  }
  const hubOrigin = new URL(scriptUrl).origin;
  const dialogUrl = new URL('embedded-signup', scriptUrl);
  const LOGIN = 'PARTNER_HUB_SANDBOX_LOGIN';
  const SESSION_INFO = 'WA_EMBEDDED_SIGNUP';
  // How long after the popup closes a late message may still arrive before it counts as cancelled.
  const CLOSE_GRACE_MS = 500;

  let settings = null;
  let loginStatus = { status: 'unknown', authResponse: null };
  let active = null;

  function parse(data) {
    if (typeof data !== 'string') return null;
    try {
      return JSON.parse(data);
    } catch {
      return null;
    }
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function init(options) {
    if (!options?.appId) {
      console.error('FB.init: appId is required.');
      return;
    }
    settings = { appId: String(options.appId), version: options.version ?? null };
  }

  function login(callback, options = {}) {
    if (!settings) {
      console.error('FB.login() called before FB.init().');
      return;
    }
    if (active) {
      // Meta keeps one login dialog; a second call brings it forward.
      active.popup?.focus();
      return;
    }
    const channelName = `partner-hub-sandbox-signup:${randomId()}`;
    const url = new URL(dialogUrl);
    url.searchParams.set('app_id', settings.appId);
    url.searchParams.set('config_id', options.config_id ?? '');
    url.searchParams.set('opener_origin', location.origin);
    url.searchParams.set('channel', channelName);
    if (options.response_type) url.searchParams.set('response_type', options.response_type);
    if (options.extras) url.searchParams.set('extras', JSON.stringify(options.extras));

    const width = 600;
    const height = 900;
    const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
    const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
    const popup = window.open(
      url.toString(),
      'partner_hub_sandbox_signup',
      `popup,width=${width},height=${height},left=${Math.round(left)},top=${Math.round(top)}`,
    );

    const state = { popup, settled: false, timer: null, channel: null };
    active = state;

    function settle(authResponse) {
      if (state.settled) return;
      state.settled = true;
      active = null;
      clearInterval(state.timer);
      window.removeEventListener('message', onWindowMessage);
      state.channel?.close();
      loginStatus = authResponse
        ? { status: 'connected', authResponse }
        : { status: 'unknown', authResponse: null };
      if (typeof callback === 'function') setTimeout(() => callback(loginStatus), 0);
    }

    function handle(message) {
      if (message?.type === LOGIN)
        settle(message.authResponse?.code ? { code: message.authResponse.code } : null);
    }

    function onWindowMessage(event) {
      if (event.origin !== hubOrigin || event.source !== popup) return;
      handle(parse(event.data));
    }

    if (!popup) {
      console.error('Partner Hub sandbox SDK: the signup popup was blocked.');
      settle(null);
      return;
    }
    window.addEventListener('message', onWindowMessage);

    if (location.origin === hubOrigin && 'BroadcastChannel' in window) {
      // Same origin as the hub: the popup talks over a BroadcastChannel (a strict
      // Cross-Origin-Opener-Policy may have cut it off from window.opener). Session info is
      // re-dispatched as the `message` event the page listens for, from the hub's origin.
      state.channel = new BroadcastChannel(channelName);
      state.channel.onmessage = (event) => {
        const message = parse(event.data);
        if (message?.type === SESSION_INFO) {
          window.dispatchEvent(new MessageEvent('message', { data: event.data, origin: hubOrigin }));
        }
        handle(message);
      };
      return;
    }
    // Cross-origin: the popup posts to window.opener; a window closed without a word is a cancel.
    state.timer = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(state.timer);
      setTimeout(() => settle(null), CLOSE_GRACE_MS);
    }, 250);
  }

  function getLoginStatus(callback) {
    if (typeof callback === 'function') setTimeout(() => callback(loginStatus), 0);
  }

  function logout(callback) {
    loginStatus = { status: 'unknown', authResponse: null };
    getLoginStatus(callback);
  }

  const noop = () => {};
  window.FB = {
    __partnerHubSandbox: true,
    init,
    login,
    getLoginStatus,
    getAuthResponse: () => loginStatus.authResponse,
    logout,
    AppEvents: { logPageView: noop, logEvent: noop },
    XFBML: { parse: noop },
    Event: { subscribe: noop, unsubscribe: noop },
  };

  // The real SDK calls the page's fbAsyncInit once it has loaded.
  if (typeof window.fbAsyncInit === 'function' && !window.fbAsyncInit.hasRun) {
    window.fbAsyncInit.hasRun = true;
    window.fbAsyncInit();
  }
})();
