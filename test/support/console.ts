import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import type { Page } from 'playwright-core';
import type { ConsoleRouter } from '../../server/console/router.ts';
import { createConsoleUser } from '../../server/modules/console-users/console-users.service.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import type { ConsoleRole } from '../../shared/statuses.ts';
import type { TestHub } from './hub.ts';

export const CONSOLE_PASSWORD = 'correct horse battery staple';

let counter = 0;

/** A console user of `partnerId` (or an operator, with `null`), with a known password. */
export async function consoleUserFactory(
  hub: TestHub,
  partnerId: string | null,
  role: ConsoleRole = 'owner',
  email = `user${++counter}-${Date.now()}@console.test`,
) {
  const em = hub.em();
  const partner = partnerId ? await em.findOneOrFail(Partner, partnerId) : null;
  const user = await createConsoleUser(
    em,
    hub.clock,
    { partner, email, password: CONSOLE_PASSWORD, role },
    { type: 'operator', id: 'test' },
  );
  return { user, email, password: CONSOLE_PASSWORD };
}

/**
 * The console's own tRPC client, as the browser uses it, over real HTTP with a cookie jar: for
 * authorisation tests that need no browser. `signIn` sends the session's CSRF token from then on.
 */
export function consoleClient(baseUrl: string, options: { batch?: boolean } = {}) {
  const jar = new Map<string, string>();
  let csrf = '';
  const fetchWithCookies: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join('='));
    }
    return res;
  };
  const link = (options.batch ? httpBatchLink : httpLink)({
    url: `${baseUrl}/console/trpc`,
    fetch: fetchWithCookies,
    headers: () => ({ 'x-csrf-token': csrf }),
  });
  const api = createTRPCClient<ConsoleRouter>({ links: [link] });
  const refresh = async () => {
    csrf = (await api.console.session.get.query()).csrf_token;
  };
  return {
    api,
    jar,
    refresh,
    async signIn(email: string, password: string) {
      await refresh();
      const result = await api.console.session.login.mutate({ email, password });
      await refresh();
      return result;
    },
  };
}

/** The hub's error code of a failed console call. */
export async function consoleErrorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { error_code: string }).error_code;
    throw err;
  }
  throw new Error('the call succeeded');
}

/** Signs in through the console's own page, as a person would. */
export async function signInOnPage(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor({ timeout: 15_000 });
}
