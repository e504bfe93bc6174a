import { type PermissionsResult, parsePermissionsRedirect } from './permissions-redirect.ts';

/** The /permissions URL parameters (360dialog's names); all optional. */
export interface PermissionsParams {
  email?: string;
  name?: string;
  number?: string;
  state?: string;
  redirect_url?: string;
  partner?: string;
  next?: 'login' | 'signup';
  io_signature?: string;
  io_timestamp?: string | number;
  /** `'2'`: `io_signature` covers the visit's parameters too (required by partners with `require_signed_links`). */
  io_version?: '1' | '2';
}

export interface OpenPermissionsOptions {
  hubUrl: string;
  partnerId: string;
  params?: PermissionsParams;
  /** How often to check whether the user closed the popup, in ms. */
  pollMs?: number;
}

/** How long a result may still arrive after the popup is seen closed. */
const CLOSED_GRACE_MS = 500;

/**
 * The callback page also leaves its result here (your origin's localStorage) before it closes
 * the popup. The opener reads it when it sees the popup closed, so a completed grant is never
 * reported as "closed" because the message was dispatched late.
 */
const RESULT_KEY = 'partner-hub-permissions-result';

/** A result the callback stored since `since`, taken (removed) so it is used once. */
function takeStoredResult(since: number): string | undefined {
  try {
    const raw = localStorage.getItem(RESULT_KEY);
    if (!raw) return undefined;
    const { search, at } = JSON.parse(raw) as { search?: unknown; at?: unknown };
    if (typeof search !== 'string' || typeof at !== 'number' || at < since) return undefined;
    localStorage.removeItem(RESULT_KEY);
    return search;
  } catch {
    // No storage (a privacy mode): the message alone carries the result.
    return undefined;
  }
}

export class PermissionsPopupError extends Error {
  override name = 'PermissionsPopupError';
  readonly reason: 'blocked' | 'closed';
  constructor(reason: 'blocked' | 'closed', message: string) {
    super(message);
    this.reason = reason;
  }
}

export function permissionsUrl(options: OpenPermissionsOptions): string {
  const url = new URL(`/permissions/${encodeURIComponent(options.partnerId)}`, options.hubUrl);
  for (const [k, v] of Object.entries(options.params ?? {}))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * Opens the hub's /permissions page in a 600×900 popup and resolves with the parsed redirect.
 * The redirect lands on your callback page (your `redirect_url`), which calls
 * `handlePermissionsCallback()`: it posts the query string to this window, and only messages
 * from this page's own origin are accepted. Rejects if the popup is blocked or closed first.
 */
export function openPermissions(options: OpenPermissionsOptions): Promise<PermissionsResult> {
  const width = 600;
  const height = 900;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
  const popup = window.open(
    permissionsUrl(options),
    'partner-hub-permissions',
    `popup,width=${width},height=${height},left=${Math.round(left)},top=${Math.round(top)}`,
  );
  const openedAt = Date.now();
  return new Promise((resolve, reject) => {
    if (!popup) {
      reject(
        new PermissionsPopupError(
          'blocked',
          'The browser blocked the popup: call openPermissions from a click',
        ),
      );
      return;
    }
    let closing: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('storage', onStorage);
      clearInterval(timer);
      clearTimeout(closing);
    };
    /** Settles with a redirect's query string; false if it is not one. */
    const accept = (search: string): boolean => {
      let result: PermissionsResult;
      try {
        result = parsePermissionsRedirect(search);
      } catch {
        return false;
      }
      done();
      takeStoredResult(openedAt);
      resolve(result);
      return true;
    };
    const acceptStored = (): boolean => {
      const search = takeStoredResult(openedAt);
      return search !== undefined && accept(search);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== popup) return;
      if (typeof event.data === 'string') accept(event.data);
    };
    const onStorage = (event: StorageEvent) => {
      if (event.key === RESULT_KEY && event.newValue) acceptStored();
    };
    const timer = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(timer);
      if (acceptStored()) return;
      // Without storage, the callback's message can still be on its way when the popup is
      // seen closed: it has this long to arrive.
      closing = setTimeout(() => {
        if (acceptStored()) return;
        done();
        reject(new PermissionsPopupError('closed', 'The permissions window was closed before it finished'));
      }, CLOSED_GRACE_MS);
    }, options.pollMs ?? 300);
    window.addEventListener('message', onMessage);
    window.addEventListener('storage', onStorage);
  });
}

/** For your callback page: hands the redirect to the window that opened the popup, and closes it. */
export function handlePermissionsCallback(): boolean {
  if (!window.opener) return false;
  try {
    localStorage.setItem(RESULT_KEY, JSON.stringify({ search: window.location.search, at: Date.now() }));
  } catch {
    // No storage: the message below is the only way back.
  }
  window.opener.postMessage(window.location.search, window.location.origin);
  window.close();
  return true;
}

/**
 * `<partner-hub-connect hub-url="…" partner-id="…" redirect-url="…" state="…">Connect WhatsApp</partner-hub-connect>`:
 * a button that runs openPermissions and dispatches `permissions` (detail: the result) or
 * `permissions-error` (detail: the error).
 */
/** The `next` attribute: which form /permissions opens on; anything else is ignored. */
const nextOf = (v: string | undefined) => (v === 'login' || v === 'signup' ? v : undefined);

export function defineConnectElement(tag = 'partner-hub-connect'): void {
  if (typeof customElements === 'undefined' || customElements.get(tag)) return;
  class PartnerHubConnect extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: 'open' });
      // Plain defaults; restyle from outside with `partner-hub-connect::part(button)`.
      const style = document.createElement('style');
      style.textContent =
        'button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:6px;border:1px solid #128c4a;' +
        'background:#25d366;color:#06301a;cursor:pointer}button:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}';
      const button = document.createElement('button');
      button.type = 'button';
      button.part.add('button');
      root.append(style);
      button.append(document.createElement('slot'));
      if (!this.textContent?.trim()) button.textContent = 'Connect WhatsApp';
      root.append(button);
      button.addEventListener('click', () => {
        const attr = (name: string) => this.getAttribute(name) ?? undefined;
        openPermissions({
          hubUrl: attr('hub-url') ?? window.location.origin,
          partnerId: attr('partner-id') ?? '',
          params: {
            redirect_url: attr('redirect-url'),
            state: attr('state'),
            email: attr('email'),
            name: attr('name'),
            number: attr('number'),
            partner: attr('partner-payload'),
            next: nextOf(attr('next')),
          },
        }).then(
          (result) => this.dispatchEvent(new CustomEvent('permissions', { detail: result, bubbles: true })),
          (error) =>
            this.dispatchEvent(new CustomEvent('permissions-error', { detail: error, bubbles: true })),
        );
      });
    }
  }
  customElements.define(tag, PartnerHubConnect);
}
