/**
 * What the Stripe.js stand-in does when a page confirms a card: posts the card straight to the
 * Stripe sandbox with the publishable key and the SetupIntent's client secret, and for a card
 * that needs it, answers the 3-D Secure step. For tests that do not drive a browser.
 */
export async function confirmCard(
  hubUrl: string,
  page: { publishableKey: string; clientSecret: string },
  number: string,
  threeDs: 'complete' | 'fail' = 'complete',
): Promise<{
  id: string;
  status: string;
  error?: { code?: string; decline_code?: string; message: string };
}> {
  const id = page.clientSecret.split('_secret_')[0]!;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await fetch(`${hubUrl}/sandbox/stripe${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${page.publishableKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form(fields),
    });
    // Stripe's errors leave out the intent's id at the top: it is the one the secret names.
    return {
      ...((await res.json()) as {
        status: string;
        error?: { code?: string; decline_code?: string; message: string };
      }),
      id,
    };
  };
  const intent = await post(`/v1/setup_intents/${id}/confirm`, {
    client_secret: page.clientSecret,
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': number,
    'payment_method_data[card][exp_month]': '12',
    'payment_method_data[card][exp_year]': '34',
    'payment_method_data[card][cvc]': '123',
  });
  if (intent.error || intent.status !== 'requires_action') return intent;
  return post(`/3ds/${id}`, { client_secret: page.clientSecret, outcome: threeDs });
}

/** The card step's data attributes on a hosted page. */
export function cardStepOf(html: string) {
  const attr = (name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1] ?? '';
  return {
    publishableKey: attr('publishable-key'),
    clientSecret: attr('client-secret'),
    completeUrl: attr('complete-url').replaceAll('&amp;', '&'),
    csrfToken: attr('csrf-token'),
    termsVersion: Number(attr('terms-version')) || undefined,
    priceListVersion: Number(attr('price-list-version')) || undefined,
  };
}
