/** A text message as an app built for 360dialog's API sends it. */
export const textMessage = (body: string, to = '4915112345678') =>
  JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body } });

/** `POST {address}/messages` with a channel API key; `address` is the key's (`…/waba`). */
export function sendText(address: string, apiKey: string, body = 'Hi'): Promise<Response> {
  return fetch(`${address}/messages`, {
    method: 'POST',
    headers: { 'D360-API-KEY': apiKey, 'content-type': 'application/json' },
    body: textMessage(body),
  });
}
