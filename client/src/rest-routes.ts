// Generated from server/api/operations by `npm run generate:sdk`: do not edit.

/** How one declared operation travels over REST (paths relative to /api/v2). */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Sends its fields as a JSON body; otherwise, for GET, as the query string. */
  body: boolean;
  /** Honours `Idempotency-Key`. */
  idempotent: boolean;
}

export const restRoutes = {
  partner: {
    me: { method: 'GET', path: '/partners/:partner_id', body: false, idempotent: false },
    update: { method: 'PATCH', path: '/partners/:partner_id', body: true, idempotent: false },
  },
  clients: {
    list: { method: 'GET', path: '/partners/:partner_id/clients', body: false, idempotent: false },
    get: { method: 'GET', path: '/partners/:partner_id/clients/:client_id', body: false, idempotent: false },
    update: {
      method: 'PATCH',
      path: '/partners/:partner_id/clients/:client_id',
      body: true,
      idempotent: false,
    },
    portalLink: {
      method: 'POST',
      path: '/partners/:partner_id/clients/:client_id/portal_links',
      body: true,
      idempotent: true,
    },
  },
  channels: {
    list: { method: 'GET', path: '/partners/:partner_id/channels', body: false, idempotent: false },
    get: {
      method: 'GET',
      path: '/partners/:partner_id/channels/:channel_id',
      body: false,
      idempotent: false,
    },
    update: {
      method: 'PATCH',
      path: '/partners/:partner_id/channels/:channel_id',
      body: true,
      idempotent: false,
    },
    disconnect: {
      method: 'POST',
      path: '/partners/:partner_id/channels/:channel_id/disconnect',
      body: false,
      idempotent: true,
    },
    health: {
      method: 'GET',
      path: '/partners/:partner_id/channels/:channel_id/health',
      body: false,
      idempotent: false,
    },
    grants: {
      method: 'GET',
      path: '/partners/:partner_id/channels/:channel_id/grants',
      body: false,
      idempotent: false,
    },
    messages: {
      method: 'GET',
      path: '/partners/:partner_id/channels/:channel_id/messages',
      body: false,
      idempotent: false,
    },
    revealSecrets: {
      method: 'POST',
      path: '/partners/:partner_id/channels/:channel_id/reveal_secrets',
      body: true,
      idempotent: false,
    },
  },
  apiKeys: {
    create: {
      method: 'POST',
      path: '/partners/:partner_id/channels/:channel_id/api_keys',
      body: true,
      idempotent: true,
    },
    list: {
      method: 'GET',
      path: '/partners/:partner_id/channels/:channel_id/api_keys',
      body: false,
      idempotent: false,
    },
    revoke: {
      method: 'DELETE',
      path: '/partners/:partner_id/channels/:channel_id/api_keys/:key_id',
      body: false,
      idempotent: false,
    },
  },
  onboarding: {
    create: {
      method: 'POST',
      path: '/partners/:partner_id/onboarding_sessions',
      body: true,
      idempotent: true,
    },
    list: {
      method: 'GET',
      path: '/partners/:partner_id/onboarding_sessions',
      body: false,
      idempotent: false,
    },
    get: {
      method: 'GET',
      path: '/partners/:partner_id/onboarding_sessions/:session_id',
      body: false,
      idempotent: false,
    },
    cancel: {
      method: 'POST',
      path: '/partners/:partner_id/onboarding_sessions/:session_id/cancel',
      body: false,
      idempotent: true,
    },
    delete: {
      method: 'DELETE',
      path: '/partners/:partner_id/onboarding_sessions/:session_id',
      body: false,
      idempotent: false,
    },
  },
  linkedDevices: {
    create: {
      method: 'POST',
      path: '/partners/:partner_id/clients/:client_id/linked_device_sessions',
      body: true,
      idempotent: true,
    },
    list: {
      method: 'GET',
      path: '/partners/:partner_id/linked_device_sessions',
      body: false,
      idempotent: false,
    },
    get: {
      method: 'GET',
      path: '/partners/:partner_id/linked_device_sessions/:session_id',
      body: false,
      idempotent: false,
    },
    qr: {
      method: 'GET',
      path: '/partners/:partner_id/linked_device_sessions/:session_id/qr',
      body: false,
      idempotent: false,
    },
    logout: {
      method: 'POST',
      path: '/partners/:partner_id/linked_device_sessions/:session_id/logout',
      body: false,
      idempotent: true,
    },
    restart: {
      method: 'POST',
      path: '/partners/:partner_id/linked_device_sessions/:session_id/restart',
      body: true,
      idempotent: true,
    },
  },
  tokens: {
    rotate: { method: 'POST', path: '/partners/:partner_id/tokens', body: true, idempotent: true },
    list: { method: 'GET', path: '/partners/:partner_id/tokens', body: false, idempotent: false },
    revoke: {
      method: 'DELETE',
      path: '/partners/:partner_id/tokens/:token_id',
      body: false,
      idempotent: false,
    },
  },
  usage: {
    report: { method: 'GET', path: '/partners/:partner_id/usage', body: false, idempotent: false },
  },
  templates: {
    list: { method: 'GET', path: '/partners/:partner_id/templates', body: false, idempotent: false },
    refresh: {
      method: 'POST',
      path: '/partners/:partner_id/templates/refresh',
      body: true,
      idempotent: true,
    },
  },
  audit: {
    list: { method: 'GET', path: '/partners/:partner_id/audit_log', body: false, idempotent: false },
  },
  billing: {
    get: { method: 'GET', path: '/partners/:partner_id/billing', body: false, idempotent: false },
    statements: {
      list: { method: 'GET', path: '/partners/:partner_id/statements', body: false, idempotent: false },
      get: {
        method: 'GET',
        path: '/partners/:partner_id/statements/:statement_id',
        body: false,
        idempotent: false,
      },
    },
    balance: {
      method: 'GET',
      path: '/partners/:partner_id/clients/:client_id/info/balance',
      body: false,
      idempotent: false,
    },
  },
  webhooks: {
    endpoints: {
      list: {
        method: 'GET',
        path: '/partners/:partner_id/webhook_endpoints',
        body: false,
        idempotent: false,
      },
      create: {
        method: 'POST',
        path: '/partners/:partner_id/webhook_endpoints',
        body: true,
        idempotent: true,
      },
      get: {
        method: 'GET',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
        body: false,
        idempotent: false,
      },
      update: {
        method: 'PATCH',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
        body: true,
        idempotent: false,
      },
      delete: {
        method: 'DELETE',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
        body: false,
        idempotent: false,
      },
      test: {
        method: 'POST',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/test',
        body: true,
        idempotent: true,
      },
      rotateSecret: {
        method: 'POST',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/rotate_secret',
        body: true,
        idempotent: true,
      },
      enable: {
        method: 'POST',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/enable',
        body: true,
        idempotent: true,
      },
      disable: {
        method: 'POST',
        path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/disable',
        body: true,
        idempotent: true,
      },
    },
    events: {
      list: { method: 'GET', path: '/partners/:partner_id/events', body: false, idempotent: false },
      get: { method: 'GET', path: '/partners/:partner_id/events/:event_id', body: false, idempotent: false },
    },
    deliveries: {
      list: { method: 'GET', path: '/partners/:partner_id/deliveries', body: false, idempotent: false },
      get: {
        method: 'GET',
        path: '/partners/:partner_id/deliveries/:delivery_id',
        body: false,
        idempotent: false,
      },
      attempts: {
        method: 'GET',
        path: '/partners/:partner_id/deliveries/:delivery_id/attempts',
        body: false,
        idempotent: false,
      },
      resend: {
        method: 'POST',
        path: '/partners/:partner_id/deliveries/:delivery_id/resend',
        body: true,
        idempotent: true,
      },
      recover: {
        method: 'POST',
        path: '/partners/:partner_id/deliveries/recover',
        body: true,
        idempotent: true,
      },
    },
  },
} as const;
