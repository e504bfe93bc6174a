import request from 'supertest';
import type { TestHub } from './hub.ts';
import type { SandboxSignup } from './sandbox.ts';

/** The CSRF token of a hosted page (a data attribute for the page script, or a form field). */
export const csrfOf = (html: string) =>
  /data-csrf-token="([^"]+)"/.exec(html)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * The tenant opens an onboarding link, presses Start and finishes Embedded Signup with `signup`:
 * the page's JSON answer (`status`, and `redirect_url` when the session has one for it).
 */
export async function completeOnboardingLink(
  hub: TestHub,
  onboardingUrl: string,
  signup: SandboxSignup,
): Promise<{ status: string; redirect_url?: string }> {
  const path = new URL(onboardingUrl).pathname;
  const agent = request.agent(hub.app);
  const landing = await agent.get(path);
  await agent
    .post(`${path}/open`)
    .type('form')
    .send({ _csrf: csrfOf(landing.text) });
  const page = await agent.get(path);
  const done = await agent
    .post(`${path}/complete`)
    .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
    .send(signup);
  return done.body;
}
