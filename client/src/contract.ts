// Generated from the server's router and event catalogue by `npm run generate:sdk`: do not edit.
// biome-ignore-all lint/complexity/noBannedTypes: TypeScript spells an input with no fields `{}`

/** Procedure metadata as the hub declares it. */
export interface ProcedureMeta {
  operationId?: string;
}

/** The partner API's tRPC router as a client sees it: every procedure's input and output. */
export type AppRouter = import('@trpc/server').TRPCBuiltRouter<
  {
    ctx: object;
    meta: ProcedureMeta;
    errorShape: {
      code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
      message: string;
      data: {
        code:
          | 'BAD_GATEWAY'
          | 'BAD_REQUEST'
          | 'CLIENT_CLOSED_REQUEST'
          | 'CONFLICT'
          | 'FORBIDDEN'
          | 'GATEWAY_TIMEOUT'
          | 'INTERNAL_SERVER_ERROR'
          | 'METHOD_NOT_SUPPORTED'
          | 'NOT_FOUND'
          | 'NOT_IMPLEMENTED'
          | 'PARSE_ERROR'
          | 'PAYLOAD_TOO_LARGE'
          | 'PAYMENT_REQUIRED'
          | 'PRECONDITION_FAILED'
          | 'PRECONDITION_REQUIRED'
          | 'SERVICE_UNAVAILABLE'
          | 'TIMEOUT'
          | 'TOO_MANY_REQUESTS'
          | 'UNAUTHORIZED'
          | 'UNPROCESSABLE_CONTENT'
          | 'UNSUPPORTED_MEDIA_TYPE';
        httpStatus: number;
        error_code:
          | 'batch_too_large'
          | 'channel_not_ready'
          | 'client_suspended'
          | 'conflict'
          | 'database_unavailable'
          | 'forbidden'
          | 'headers_too_large'
          | 'idempotency_key_in_progress'
          | 'idempotency_key_reused'
          | 'internal_error'
          | 'invalid_csrf_token'
          | 'invalid_json'
          | 'invalid_redirect_url'
          | 'linked_device_send_failed'
          | 'linked_device_unavailable'
          | 'linked_devices_disabled'
          | 'message_type_not_supported'
          | 'meta_error'
          | 'meta_token_expired'
          | 'meta_unavailable'
          | 'not_found'
          | 'not_ready'
          | 'onboarding_session_closed'
          | 'partner_suspended'
          | 'payload_too_large'
          | 'payment_failed'
          | 'payment_provider_error'
          | 'payment_provider_unavailable'
          | 'payment_required'
          | 'rate_limited'
          | 'request_timeout'
          | 'resend_limit_reached'
          | 'server_busy'
          | 'session_not_connected'
          | 'token_superseded'
          | 'too_many_pairings'
          | 'too_many_tokens'
          | 'unauthorized'
          | 'unsupported_media_type'
          | 'validation_failed'
          | 'waba_not_in_scopes'
          | 'waba_override_conflict'
          | 'webhook_preflight_failed'
          | 'webhook_url_not_allowed';
        issues?: import('zod/v4/core').$ZodIssue[] | undefined;
      };
    };
    transformer: false;
  },
  import('@trpc/server').TRPCDecorateCreateRouterOptions<{
    partner: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        me: import('@trpc/server').TRPCQueryProcedure<{
          input: {} | undefined;
          output: {
            id: string;
            name: string;
            brand_name: string | null;
            logo_url: string | null;
            webhook_url: string | null;
            partner_redirect_url: string | null;
            allowed_redirect_urls: string[];
            require_signed_links: boolean;
            payment_model: 'direct' | 'partner';
            suspended_at: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        update: import('@trpc/server').TRPCMutationProcedure<{
          input:
            | {
                name?: string | undefined;
                brand_name?: string | null | undefined;
                logo_url?: string | null | undefined;
                webhook_url?: string | null | undefined;
                partner_redirect_url?: string | null | undefined;
                allowed_redirect_urls?: string[] | undefined;
                require_signed_links?: boolean | undefined;
              }
            | undefined;
          output: {
            id: string;
            name: string;
            brand_name: string | null;
            logo_url: string | null;
            webhook_url: string | null;
            partner_redirect_url: string | null;
            allowed_redirect_urls: string[];
            require_signed_links: boolean;
            payment_model: 'direct' | 'partner';
            suspended_at: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    clients: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                status?: 'active' | 'suspended' | undefined;
                external_id?: string | undefined;
                q?: string | undefined;
                created_after?: string | undefined;
                created_before?: string | undefined;
              }
            | undefined;
          output: {
            clients: {
              id: string;
              partner_id: string;
              name: string | null;
              external_id: string | null;
              partner_payload: string | null;
              status: 'active' | 'suspended';
              payment_model: 'direct' | 'partner';
              billing_status: 'ok' | 'past_due' | 'suspended';
              terms_version: number | null;
              price_list_version: number | null;
              terms_accepted_at: string | null;
              created_at: string;
              updated_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        get: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            client_id: string;
          };
          output: {
            id: string;
            partner_id: string;
            name: string | null;
            external_id: string | null;
            partner_payload: string | null;
            status: 'active' | 'suspended';
            payment_model: 'direct' | 'partner';
            billing_status: 'ok' | 'past_due' | 'suspended';
            terms_version: number | null;
            price_list_version: number | null;
            terms_accepted_at: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        update: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            client_id: string;
            partner_payload: string | null;
          };
          output: {
            id: string;
            partner_id: string;
            name: string | null;
            external_id: string | null;
            partner_payload: string | null;
            status: 'active' | 'suspended';
            payment_model: 'direct' | 'partner';
            billing_status: 'ok' | 'past_due' | 'suspended';
            terms_version: number | null;
            price_list_version: number | null;
            terms_accepted_at: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        portalLink: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            client_id: string;
            expires_in_seconds?: number | undefined;
            show_deliveries?: boolean | undefined;
          };
          output: {
            id: string;
            client_id: string;
            url: string;
            expires_at: string;
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    channels: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                client_id?: string | undefined;
                waba_id?: string | undefined;
                status?:
                  | 'connected'
                  | 'deleted'
                  | 'disconnected'
                  | 'failed'
                  | 'live'
                  | 'pending'
                  | 'restricted'
                  | undefined;
                phone_number?: string | undefined;
                quality_rating?: string | undefined;
                current_limit?: string | undefined;
              }
            | undefined;
          output: {
            channels: {
              id: string;
              client_id: string;
              phone_number: string;
              display_name: string | null;
              verified_name: string | null;
              waba_id: string;
              phone_number_id: string;
              business_id: string | null;
              status: 'connected' | 'deleted' | 'disconnected' | 'failed' | 'live' | 'pending' | 'restricted';
              status_reason: string | null;
              connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
              quality_rating: string | null;
              current_limit: string | null;
              max_phone_numbers: number | null;
              name_status: string | null;
              requested_display_name: string | null;
              business_app_seen_at: string | null;
              tenant_id: string | null;
              metadata: Record<string, unknown> | null;
              webhook_overridden: boolean;
              webhook_override_url: string | null;
              created_at: string;
              updated_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        get: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            channel_id: string;
          };
          output: {
            id: string;
            client_id: string;
            phone_number: string;
            display_name: string | null;
            verified_name: string | null;
            waba_id: string;
            phone_number_id: string;
            business_id: string | null;
            status: 'connected' | 'deleted' | 'disconnected' | 'failed' | 'live' | 'pending' | 'restricted';
            status_reason: string | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
            quality_rating: string | null;
            current_limit: string | null;
            max_phone_numbers: number | null;
            name_status: string | null;
            requested_display_name: string | null;
            business_app_seen_at: string | null;
            tenant_id: string | null;
            metadata: Record<string, unknown> | null;
            webhook_overridden: boolean;
            webhook_override_url: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        update: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            metadata?: Record<string, unknown> | null | undefined;
            webhook_override_url?: string | null | undefined;
            webhook_verify_token?: string | undefined;
            skip_webhook_preflight?: boolean | undefined;
            display_name?: string | undefined;
            channel_id: string;
          };
          output: {
            id: string;
            client_id: string;
            phone_number: string;
            display_name: string | null;
            verified_name: string | null;
            waba_id: string;
            phone_number_id: string;
            business_id: string | null;
            status: 'connected' | 'deleted' | 'disconnected' | 'failed' | 'live' | 'pending' | 'restricted';
            status_reason: string | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
            quality_rating: string | null;
            current_limit: string | null;
            max_phone_numbers: number | null;
            name_status: string | null;
            requested_display_name: string | null;
            business_app_seen_at: string | null;
            tenant_id: string | null;
            metadata: Record<string, unknown> | null;
            webhook_overridden: boolean;
            webhook_override_url: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        disconnect: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            channel_id: string;
          };
          output: {
            id: string;
            client_id: string;
            phone_number: string;
            display_name: string | null;
            verified_name: string | null;
            waba_id: string;
            phone_number_id: string;
            business_id: string | null;
            status: 'connected' | 'deleted' | 'disconnected' | 'failed' | 'live' | 'pending' | 'restricted';
            status_reason: string | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
            quality_rating: string | null;
            current_limit: string | null;
            max_phone_numbers: number | null;
            name_status: string | null;
            requested_display_name: string | null;
            business_app_seen_at: string | null;
            tenant_id: string | null;
            metadata: Record<string, unknown> | null;
            webhook_overridden: boolean;
            webhook_override_url: string | null;
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        health: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            channel_id: string;
          };
          output: {
            channel_id: string;
            phone_number_id: string;
            status: 'connected' | 'deleted' | 'disconnected' | 'failed' | 'live' | 'pending' | 'restricted';
            status_reason: string | null;
            quality_rating: string | null;
            current_limit: string | null;
            name_status: string | null;
            can_send_messages: boolean;
            can_receive_messages: boolean;
            capabilities: {
              can_send_messages: boolean;
              can_receive_messages: boolean;
            };
            reasons: string[];
            webhook_configured: boolean;
            webhook_overridden: boolean;
            meta_health_status: Record<string, unknown> | null;
          };
          meta: ProcedureMeta;
        }>;
        grants: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            limit?: unknown;
            cursor?: string | undefined;
            channel_id: string;
          };
          output: {
            grants: {
              id: string;
              channel_id: string;
              client_id: string;
              granted_at: string;
              granted_by: {
                type:
                  | 'channel_api_key'
                  | 'client_user'
                  | 'operator'
                  | 'partner_token'
                  | 'partner_user'
                  | 'system'
                  | null;
                id: string | null;
              } | null;
              revoked_at: string | null;
              revoked_by: {
                type:
                  | 'channel_api_key'
                  | 'client_user'
                  | 'operator'
                  | 'partner_token'
                  | 'partner_user'
                  | 'system'
                  | null;
                id: string | null;
              } | null;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        messages: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            limit?: unknown;
            cursor?: string | undefined;
            channel_id: string;
            direction?: 'inbound' | 'outbound' | undefined;
            contact?: string | undefined;
            status?: string | undefined;
            since?: string | undefined;
            until?: string | undefined;
          };
          output: {
            messages: {
              id: string;
              channel_id: string;
              direction: 'inbound' | 'outbound';
              wamid: string;
              contact: string | null;
              type: string | null;
              source: string;
              status: string;
              status_at: string;
              error: {
                code: number | null;
                title: string | null;
              } | null;
              payload: Record<string, unknown> | null;
              sent_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        revealSecrets: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            secret_types: ('access_token' | 'registration_pin')[];
            channel_id: string;
          };
          output: {
            channel_id: string;
            secrets: {
              access_token?: string | null | undefined;
              registration_pin?: string | null | undefined;
            };
            revealed_at: string;
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    apiKeys: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        create: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            grace_period_seconds?: number | undefined;
            channel_id: string;
          };
          output: {
            id: string;
            api_key: string;
            address: string;
            created_at: string;
          };
          meta: ProcedureMeta;
        }>;
        list: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            limit?: unknown;
            cursor?: string | undefined;
            channel_id: string;
          };
          output: {
            api_keys: {
              id: string;
              prefix: string;
              last4: string;
              created_at: string;
              expires_at: string | null;
              last_used_at: string | null;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        revoke: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            channel_id: string;
            key_id: string;
          };
          output: undefined;
          meta: ProcedureMeta;
        }>;
      }>
    >;
    onboarding: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        create: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            tenant_id: string;
            tenant_name?: string | undefined;
            success_redirect_url?: string | undefined;
            failure_redirect_url?: string | undefined;
            cancel_redirect_url?: string | undefined;
            webhook_override_url?: string | undefined;
            webhook_verify_token?: string | undefined;
            skip_webhook_preflight?: boolean | undefined;
            webhook_url?: string | undefined;
            webhook_secret?: string | undefined;
            webhook_events?: string[] | undefined;
            expires_in_seconds?: number | undefined;
            metadata?: Record<string, unknown> | undefined;
            connection_types?: ('cloud_api' | 'coexistence')[] | undefined;
          };
          output: {
            id: string;
            onboarding_url: string;
            tenant_id: string;
            tenant_name: string | null;
            status: 'cancelled' | 'completed' | 'completing' | 'expired' | 'failed' | 'opened' | 'pending';
            expires_at: string;
            success_redirect_url: string | null;
            failure_redirect_url: string | null;
            cancel_redirect_url: string | null;
            webhook_override_url: string | null;
            webhook_url: string | null;
            webhook_events: string[] | null;
            webhook_endpoint_id: string | null;
            connection_types: ('cloud_api' | 'coexistence')[];
            metadata: Record<string, unknown> | null;
            client_id: string | null;
            channel_id: string | null;
            phone_number: string | null;
            waba_id: string | null;
            phone_number_id: string | null;
            is_phone_registered: boolean | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device' | null;
            failure_reason: string | null;
            opened_at: string | null;
            finished_at: string | null;
            abandoned_at: string | null;
            last_signup_event: {
              event:
                | 'CANCEL'
                | 'ERROR'
                | 'FINISH'
                | 'FINISH_ONLY_WABA'
                | 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING';
              current_step: string | null;
              error_message: string | null;
              error_id: string | null;
              waba_id: string | null;
              phone_number_id: string | null;
              recorded_at: string;
            } | null;
            created_at: string;
          };
          meta: ProcedureMeta;
        }>;
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                tenant_id?: string | undefined;
                status?:
                  | 'cancelled'
                  | 'completed'
                  | 'completing'
                  | 'expired'
                  | 'failed'
                  | 'opened'
                  | 'pending'
                  | undefined;
              }
            | undefined;
          output: {
            onboarding_sessions: {
              id: string;
              onboarding_url: string;
              tenant_id: string;
              tenant_name: string | null;
              status: 'cancelled' | 'completed' | 'completing' | 'expired' | 'failed' | 'opened' | 'pending';
              expires_at: string;
              success_redirect_url: string | null;
              failure_redirect_url: string | null;
              cancel_redirect_url: string | null;
              webhook_override_url: string | null;
              webhook_url: string | null;
              webhook_events: string[] | null;
              webhook_endpoint_id: string | null;
              connection_types: ('cloud_api' | 'coexistence')[];
              metadata: Record<string, unknown> | null;
              client_id: string | null;
              channel_id: string | null;
              phone_number: string | null;
              waba_id: string | null;
              phone_number_id: string | null;
              is_phone_registered: boolean | null;
              connection_type: 'cloud_api' | 'coexistence' | 'linked_device' | null;
              failure_reason: string | null;
              opened_at: string | null;
              finished_at: string | null;
              abandoned_at: string | null;
              last_signup_event: {
                event:
                  | 'CANCEL'
                  | 'ERROR'
                  | 'FINISH'
                  | 'FINISH_ONLY_WABA'
                  | 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING';
                current_step: string | null;
                error_message: string | null;
                error_id: string | null;
                waba_id: string | null;
                phone_number_id: string | null;
                recorded_at: string;
              } | null;
              created_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        get: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            session_id: string;
          };
          output: {
            id: string;
            onboarding_url: string;
            tenant_id: string;
            tenant_name: string | null;
            status: 'cancelled' | 'completed' | 'completing' | 'expired' | 'failed' | 'opened' | 'pending';
            expires_at: string;
            success_redirect_url: string | null;
            failure_redirect_url: string | null;
            cancel_redirect_url: string | null;
            webhook_override_url: string | null;
            webhook_url: string | null;
            webhook_events: string[] | null;
            webhook_endpoint_id: string | null;
            connection_types: ('cloud_api' | 'coexistence')[];
            metadata: Record<string, unknown> | null;
            client_id: string | null;
            channel_id: string | null;
            phone_number: string | null;
            waba_id: string | null;
            phone_number_id: string | null;
            is_phone_registered: boolean | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device' | null;
            failure_reason: string | null;
            opened_at: string | null;
            finished_at: string | null;
            abandoned_at: string | null;
            last_signup_event: {
              event:
                | 'CANCEL'
                | 'ERROR'
                | 'FINISH'
                | 'FINISH_ONLY_WABA'
                | 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING';
              current_step: string | null;
              error_message: string | null;
              error_id: string | null;
              waba_id: string | null;
              phone_number_id: string | null;
              recorded_at: string;
            } | null;
            created_at: string;
          };
          meta: ProcedureMeta;
        }>;
        cancel: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            session_id: string;
          };
          output: {
            id: string;
            onboarding_url: string;
            tenant_id: string;
            tenant_name: string | null;
            status: 'cancelled' | 'completed' | 'completing' | 'expired' | 'failed' | 'opened' | 'pending';
            expires_at: string;
            success_redirect_url: string | null;
            failure_redirect_url: string | null;
            cancel_redirect_url: string | null;
            webhook_override_url: string | null;
            webhook_url: string | null;
            webhook_events: string[] | null;
            webhook_endpoint_id: string | null;
            connection_types: ('cloud_api' | 'coexistence')[];
            metadata: Record<string, unknown> | null;
            client_id: string | null;
            channel_id: string | null;
            phone_number: string | null;
            waba_id: string | null;
            phone_number_id: string | null;
            is_phone_registered: boolean | null;
            connection_type: 'cloud_api' | 'coexistence' | 'linked_device' | null;
            failure_reason: string | null;
            opened_at: string | null;
            finished_at: string | null;
            abandoned_at: string | null;
            last_signup_event: {
              event:
                | 'CANCEL'
                | 'ERROR'
                | 'FINISH'
                | 'FINISH_ONLY_WABA'
                | 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING';
              current_step: string | null;
              error_message: string | null;
              error_id: string | null;
              waba_id: string | null;
              phone_number_id: string | null;
              recorded_at: string;
            } | null;
            created_at: string;
          };
          meta: ProcedureMeta;
        }>;
        delete: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            session_id: string;
          };
          output: undefined;
          meta: ProcedureMeta;
        }>;
      }>
    >;
    linkedDevices: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        create: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            client_id: string;
            name?: string | undefined;
            pairing_phone_number?: string | undefined;
          };
          output: {
            id: string;
            client_id: string;
            channel_id: string;
            name: string | null;
            status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
            status_reason: string | null;
            qr: string | null;
            pairing_code: string | null;
            pairing_expires_at: string | null;
            pairing_phone_number: string | null;
            phone_number: string | null;
            push_name: string | null;
            connected_at: string | null;
            health: {
              state: 'healthy' | 'offline' | 'unowned' | 'unresponsive';
              last_activity_at: string | null;
              last_probe_at: string | null;
              last_probe_ok: boolean | null;
              last_message_at: string | null;
            };
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                client_id?: string | undefined;
                status?:
                  | 'CONNECTED'
                  | 'CONNECTING'
                  | 'DISCONNECTED'
                  | 'LOGGED_OUT'
                  | 'PENDING'
                  | 'QR'
                  | undefined;
              }
            | undefined;
          output: {
            linked_device_sessions: {
              id: string;
              client_id: string;
              channel_id: string;
              name: string | null;
              status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
              status_reason: string | null;
              qr: string | null;
              pairing_code: string | null;
              pairing_expires_at: string | null;
              pairing_phone_number: string | null;
              phone_number: string | null;
              push_name: string | null;
              connected_at: string | null;
              health: {
                state: 'healthy' | 'offline' | 'unowned' | 'unresponsive';
                last_activity_at: string | null;
                last_probe_at: string | null;
                last_probe_ok: boolean | null;
                last_message_at: string | null;
              };
              created_at: string;
              updated_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        get: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            session_id: string;
          };
          output: {
            id: string;
            client_id: string;
            channel_id: string;
            name: string | null;
            status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
            status_reason: string | null;
            qr: string | null;
            pairing_code: string | null;
            pairing_expires_at: string | null;
            pairing_phone_number: string | null;
            phone_number: string | null;
            push_name: string | null;
            connected_at: string | null;
            health: {
              state: 'healthy' | 'offline' | 'unowned' | 'unresponsive';
              last_activity_at: string | null;
              last_probe_at: string | null;
              last_probe_ok: boolean | null;
              last_message_at: string | null;
            };
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        qr: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            session_id: string;
          };
          output: {
            qr: string | null;
            pairing_code: string | null;
            expires_at: string | null;
            png_data_url: string | null;
            svg: string | null;
          };
          meta: ProcedureMeta;
        }>;
        logout: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            session_id: string;
          };
          output: {
            id: string;
            client_id: string;
            channel_id: string;
            name: string | null;
            status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
            status_reason: string | null;
            qr: string | null;
            pairing_code: string | null;
            pairing_expires_at: string | null;
            pairing_phone_number: string | null;
            phone_number: string | null;
            push_name: string | null;
            connected_at: string | null;
            health: {
              state: 'healthy' | 'offline' | 'unowned' | 'unresponsive';
              last_activity_at: string | null;
              last_probe_at: string | null;
              last_probe_ok: boolean | null;
              last_message_at: string | null;
            };
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
        restart: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            pairing_phone_number?: string | null | undefined;
            session_id: string;
          };
          output: {
            id: string;
            client_id: string;
            channel_id: string;
            name: string | null;
            status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
            status_reason: string | null;
            qr: string | null;
            pairing_code: string | null;
            pairing_expires_at: string | null;
            pairing_phone_number: string | null;
            phone_number: string | null;
            push_name: string | null;
            connected_at: string | null;
            health: {
              state: 'healthy' | 'offline' | 'unowned' | 'unresponsive';
              last_activity_at: string | null;
              last_probe_at: string | null;
              last_probe_ok: boolean | null;
              last_message_at: string | null;
            };
            created_at: string;
            updated_at: string;
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    tokens: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        rotate: import('@trpc/server').TRPCMutationProcedure<{
          input:
            | {
                grace_period_seconds?: number | undefined;
              }
            | undefined;
          output: {
            id: string;
            token: string;
            last4: string;
            created_at: string;
            previous_tokens_expire_at: string;
          };
          meta: ProcedureMeta;
        }>;
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
              }
            | undefined;
          output: {
            tokens: {
              id: string;
              prefix: string;
              last4: string;
              created_at: string;
              expires_at: string | null;
              last_used_at: string | null;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
        revoke: import('@trpc/server').TRPCMutationProcedure<{
          input: {
            token_id: string;
          };
          output: undefined;
          meta: ProcedureMeta;
        }>;
      }>
    >;
    usage: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        report: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                from?: string | undefined;
                to?: string | undefined;
                channel_id?: string | undefined;
              }
            | undefined;
          output: {
            from: string;
            to: string;
            rows: {
              day: string;
              channel_id: string;
              direction: 'inbound' | 'outbound';
              category: string;
              pricing_model: string;
              billable: boolean;
              country: string;
              messages: number;
            }[];
            totals: {
              messages: number;
              billable: number;
            };
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    templates: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                name?: string | undefined;
                name_prefix?: string | undefined;
                status?: string | undefined;
                category?: string | undefined;
                language?: string | undefined;
                channel_id?: string | undefined;
              }
            | undefined;
          output: {
            templates: {
              id: string;
              template_id: string;
              waba_id: string;
              channel_ids: string[];
              name: string;
              language: string;
              status: string;
              category: string;
              components: unknown[];
              quality_score: string | null;
              rejected_reason: string | null;
              updated_at: string;
            }[];
            next_cursor: string | null;
            syncs: {
              waba_id: string;
              synced_at: string | null;
              last_error: string | null;
              next_attempt_at: string | null;
            }[];
          };
          meta: ProcedureMeta;
        }>;
        refresh: import('@trpc/server').TRPCMutationProcedure<{
          input:
            | {
                channel_id?: string | undefined;
              }
            | undefined;
          output: {
            results: {
              waba_id: string;
              channel_ids: string[];
              ok: boolean;
              templates: number | null;
              error: string | null;
              synced_at: string | null;
            }[];
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    audit: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        list: import('@trpc/server').TRPCQueryProcedure<{
          input:
            | {
                limit?: unknown;
                cursor?: string | undefined;
                action?: string | undefined;
                action_prefix?: string | undefined;
                actor_type?:
                  | 'channel_api_key'
                  | 'client_user'
                  | 'operator'
                  | 'partner_token'
                  | 'partner_user'
                  | 'system'
                  | undefined;
                actor_id?: string | undefined;
                target_id?: string | undefined;
                since?: string | undefined;
                until?: string | undefined;
              }
            | undefined;
          output: {
            entries: {
              id: string;
              actor_type:
                | 'channel_api_key'
                | 'client_user'
                | 'operator'
                | 'partner_token'
                | 'partner_user'
                | 'system';
              actor_id: string | null;
              action: string;
              target_type: string | null;
              target_id: string | null;
              request_id: string | null;
              ip: string | null;
              user_agent: string | null;
              details: Record<string, unknown> | null;
              created_at: string;
            }[];
            next_cursor: string | null;
          };
          meta: ProcedureMeta;
        }>;
      }>
    >;
    billing: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        get: import('@trpc/server').TRPCQueryProcedure<{
          input: {} | undefined;
          output: {
            payment_model: 'direct' | 'partner';
            terms: {
              version: number;
              url: string;
              effective_at: string;
            } | null;
            price_list: {
              version: number;
              currency: string;
              effective_at: string;
              rates: {
                category: string;
                country: string;
                meta_rate: string;
                markup_percent: number;
                price: string;
              }[];
            } | null;
          };
          meta: ProcedureMeta;
        }>;
        balance: import('@trpc/server').TRPCQueryProcedure<{
          input: {
            client_id: string;
            start_date?: string | undefined;
            end_date?: string | undefined;
            granularity?: 'DAY' | 'MONTH' | undefined;
          };
          output: {
            partner_id: string;
            client_id: string;
            payment_model: 'direct' | 'partner';
            currency: string | null;
            start_date: string;
            end_date: string;
            granularity: 'DAY' | 'MONTH';
            balance: string;
            billing_status: 'ok' | 'past_due' | 'suspended';
            usage: {
              period_date: string;
              quantity: number;
              paid_quantity: number;
              free_quantity: number;
              paid_by_category: Record<string, number>;
              total_price: string;
            }[];
            total_price: string;
          };
          meta: ProcedureMeta;
        }>;
        statements: import('@trpc/server').TRPCBuiltRouter<
          {
            ctx: object;
            meta: ProcedureMeta;
            errorShape: {
              code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
              message: string;
              data: {
                code:
                  | 'BAD_GATEWAY'
                  | 'BAD_REQUEST'
                  | 'CLIENT_CLOSED_REQUEST'
                  | 'CONFLICT'
                  | 'FORBIDDEN'
                  | 'GATEWAY_TIMEOUT'
                  | 'INTERNAL_SERVER_ERROR'
                  | 'METHOD_NOT_SUPPORTED'
                  | 'NOT_FOUND'
                  | 'NOT_IMPLEMENTED'
                  | 'PARSE_ERROR'
                  | 'PAYLOAD_TOO_LARGE'
                  | 'PAYMENT_REQUIRED'
                  | 'PRECONDITION_FAILED'
                  | 'PRECONDITION_REQUIRED'
                  | 'SERVICE_UNAVAILABLE'
                  | 'TIMEOUT'
                  | 'TOO_MANY_REQUESTS'
                  | 'UNAUTHORIZED'
                  | 'UNPROCESSABLE_CONTENT'
                  | 'UNSUPPORTED_MEDIA_TYPE';
                httpStatus: number;
                error_code:
                  | 'batch_too_large'
                  | 'channel_not_ready'
                  | 'client_suspended'
                  | 'conflict'
                  | 'database_unavailable'
                  | 'forbidden'
                  | 'headers_too_large'
                  | 'idempotency_key_in_progress'
                  | 'idempotency_key_reused'
                  | 'internal_error'
                  | 'invalid_csrf_token'
                  | 'invalid_json'
                  | 'invalid_redirect_url'
                  | 'linked_device_send_failed'
                  | 'linked_device_unavailable'
                  | 'linked_devices_disabled'
                  | 'message_type_not_supported'
                  | 'meta_error'
                  | 'meta_token_expired'
                  | 'meta_unavailable'
                  | 'not_found'
                  | 'not_ready'
                  | 'onboarding_session_closed'
                  | 'partner_suspended'
                  | 'payload_too_large'
                  | 'payment_failed'
                  | 'payment_provider_error'
                  | 'payment_provider_unavailable'
                  | 'payment_required'
                  | 'rate_limited'
                  | 'request_timeout'
                  | 'resend_limit_reached'
                  | 'server_busy'
                  | 'session_not_connected'
                  | 'token_superseded'
                  | 'too_many_pairings'
                  | 'too_many_tokens'
                  | 'unauthorized'
                  | 'unsupported_media_type'
                  | 'validation_failed'
                  | 'waba_not_in_scopes'
                  | 'waba_override_conflict'
                  | 'webhook_preflight_failed'
                  | 'webhook_url_not_allowed';
                issues?: import('zod/v4/core').$ZodIssue[] | undefined;
              };
            };
            transformer: false;
          },
          import('@trpc/server').TRPCDecorateCreateRouterOptions<{
            list: import('@trpc/server').TRPCQueryProcedure<{
              input:
                | {
                    limit?: unknown;
                    cursor?: string | undefined;
                    client_id?: string | undefined;
                    period?: string | undefined;
                  }
                | undefined;
              output: {
                statements: {
                  id: string;
                  partner_id: string;
                  client_id: string | null;
                  period: string;
                  payment_model: 'direct' | 'partner';
                  currency: string;
                  lines: {
                    category: string;
                    country: string;
                    price_list_version: number;
                    messages: number;
                    unit_price: string;
                    amount: string;
                  }[];
                  total: string;
                  status: 'awaiting_payment' | 'issued' | 'paid' | 'payment_failed';
                  failure_code: string | null;
                  issued_at: string;
                  paid_at: string | null;
                }[];
                next_cursor: string | null;
              };
              meta: ProcedureMeta;
            }>;
            get: import('@trpc/server').TRPCQueryProcedure<{
              input: {
                statement_id: string;
              };
              output: {
                id: string;
                partner_id: string;
                client_id: string | null;
                period: string;
                payment_model: 'direct' | 'partner';
                currency: string;
                lines: {
                  category: string;
                  country: string;
                  price_list_version: number;
                  messages: number;
                  unit_price: string;
                  amount: string;
                }[];
                total: string;
                status: 'awaiting_payment' | 'issued' | 'paid' | 'payment_failed';
                failure_code: string | null;
                issued_at: string;
                paid_at: string | null;
              };
              meta: ProcedureMeta;
            }>;
          }>
        >;
      }>
    >;
    webhooks: import('@trpc/server').TRPCBuiltRouter<
      {
        ctx: object;
        meta: ProcedureMeta;
        errorShape: {
          code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
          message: string;
          data: {
            code:
              | 'BAD_GATEWAY'
              | 'BAD_REQUEST'
              | 'CLIENT_CLOSED_REQUEST'
              | 'CONFLICT'
              | 'FORBIDDEN'
              | 'GATEWAY_TIMEOUT'
              | 'INTERNAL_SERVER_ERROR'
              | 'METHOD_NOT_SUPPORTED'
              | 'NOT_FOUND'
              | 'NOT_IMPLEMENTED'
              | 'PARSE_ERROR'
              | 'PAYLOAD_TOO_LARGE'
              | 'PAYMENT_REQUIRED'
              | 'PRECONDITION_FAILED'
              | 'PRECONDITION_REQUIRED'
              | 'SERVICE_UNAVAILABLE'
              | 'TIMEOUT'
              | 'TOO_MANY_REQUESTS'
              | 'UNAUTHORIZED'
              | 'UNPROCESSABLE_CONTENT'
              | 'UNSUPPORTED_MEDIA_TYPE';
            httpStatus: number;
            error_code:
              | 'batch_too_large'
              | 'channel_not_ready'
              | 'client_suspended'
              | 'conflict'
              | 'database_unavailable'
              | 'forbidden'
              | 'headers_too_large'
              | 'idempotency_key_in_progress'
              | 'idempotency_key_reused'
              | 'internal_error'
              | 'invalid_csrf_token'
              | 'invalid_json'
              | 'invalid_redirect_url'
              | 'linked_device_send_failed'
              | 'linked_device_unavailable'
              | 'linked_devices_disabled'
              | 'message_type_not_supported'
              | 'meta_error'
              | 'meta_token_expired'
              | 'meta_unavailable'
              | 'not_found'
              | 'not_ready'
              | 'onboarding_session_closed'
              | 'partner_suspended'
              | 'payload_too_large'
              | 'payment_failed'
              | 'payment_provider_error'
              | 'payment_provider_unavailable'
              | 'payment_required'
              | 'rate_limited'
              | 'request_timeout'
              | 'resend_limit_reached'
              | 'server_busy'
              | 'session_not_connected'
              | 'token_superseded'
              | 'too_many_pairings'
              | 'too_many_tokens'
              | 'unauthorized'
              | 'unsupported_media_type'
              | 'validation_failed'
              | 'waba_not_in_scopes'
              | 'waba_override_conflict'
              | 'webhook_preflight_failed'
              | 'webhook_url_not_allowed';
            issues?: import('zod/v4/core').$ZodIssue[] | undefined;
          };
        };
        transformer: false;
      },
      import('@trpc/server').TRPCDecorateCreateRouterOptions<{
        endpoints: import('@trpc/server').TRPCBuiltRouter<
          {
            ctx: object;
            meta: ProcedureMeta;
            errorShape: {
              code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
              message: string;
              data: {
                code:
                  | 'BAD_GATEWAY'
                  | 'BAD_REQUEST'
                  | 'CLIENT_CLOSED_REQUEST'
                  | 'CONFLICT'
                  | 'FORBIDDEN'
                  | 'GATEWAY_TIMEOUT'
                  | 'INTERNAL_SERVER_ERROR'
                  | 'METHOD_NOT_SUPPORTED'
                  | 'NOT_FOUND'
                  | 'NOT_IMPLEMENTED'
                  | 'PARSE_ERROR'
                  | 'PAYLOAD_TOO_LARGE'
                  | 'PAYMENT_REQUIRED'
                  | 'PRECONDITION_FAILED'
                  | 'PRECONDITION_REQUIRED'
                  | 'SERVICE_UNAVAILABLE'
                  | 'TIMEOUT'
                  | 'TOO_MANY_REQUESTS'
                  | 'UNAUTHORIZED'
                  | 'UNPROCESSABLE_CONTENT'
                  | 'UNSUPPORTED_MEDIA_TYPE';
                httpStatus: number;
                error_code:
                  | 'batch_too_large'
                  | 'channel_not_ready'
                  | 'client_suspended'
                  | 'conflict'
                  | 'database_unavailable'
                  | 'forbidden'
                  | 'headers_too_large'
                  | 'idempotency_key_in_progress'
                  | 'idempotency_key_reused'
                  | 'internal_error'
                  | 'invalid_csrf_token'
                  | 'invalid_json'
                  | 'invalid_redirect_url'
                  | 'linked_device_send_failed'
                  | 'linked_device_unavailable'
                  | 'linked_devices_disabled'
                  | 'message_type_not_supported'
                  | 'meta_error'
                  | 'meta_token_expired'
                  | 'meta_unavailable'
                  | 'not_found'
                  | 'not_ready'
                  | 'onboarding_session_closed'
                  | 'partner_suspended'
                  | 'payload_too_large'
                  | 'payment_failed'
                  | 'payment_provider_error'
                  | 'payment_provider_unavailable'
                  | 'payment_required'
                  | 'rate_limited'
                  | 'request_timeout'
                  | 'resend_limit_reached'
                  | 'server_busy'
                  | 'session_not_connected'
                  | 'token_superseded'
                  | 'too_many_pairings'
                  | 'too_many_tokens'
                  | 'unauthorized'
                  | 'unsupported_media_type'
                  | 'validation_failed'
                  | 'waba_not_in_scopes'
                  | 'waba_override_conflict'
                  | 'webhook_preflight_failed'
                  | 'webhook_url_not_allowed';
                issues?: import('zod/v4/core').$ZodIssue[] | undefined;
              };
            };
            transformer: false;
          },
          import('@trpc/server').TRPCDecorateCreateRouterOptions<{
            list: import('@trpc/server').TRPCQueryProcedure<{
              input: {} | undefined;
              output: {
                webhook_endpoints: {
                  id: string;
                  url: string;
                  description: string | null;
                  event_types: string[] | null;
                  channel_id: string | null;
                  waba_id: string | null;
                  format: 'standard_webhooks' | 'whathooks';
                  status: 'disabled' | 'enabled';
                  disabled_reason: string | null;
                  failing_since: string | null;
                  previous_secret_expires_at: string | null;
                  created_at: string;
                  updated_at: string;
                }[];
              };
              meta: ProcedureMeta;
            }>;
            create: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                channel_id?: string | null | undefined;
                waba_id?: string | null | undefined;
                url: string;
                description?: string | null | undefined;
                event_types?: string[] | null | undefined;
                format?: 'standard_webhooks' | 'whathooks' | undefined;
                secret?: string | undefined;
              };
              output: {
                id: string;
                url: string;
                description: string | null;
                event_types: string[] | null;
                channel_id: string | null;
                waba_id: string | null;
                format: 'standard_webhooks' | 'whathooks';
                status: 'disabled' | 'enabled';
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
                secret: string;
                standard_webhooks_secret: string;
              };
              meta: ProcedureMeta;
            }>;
            get: import('@trpc/server').TRPCQueryProcedure<{
              input: {
                endpoint_id: string;
              };
              output: {
                id: string;
                url: string;
                description: string | null;
                event_types: string[] | null;
                channel_id: string | null;
                waba_id: string | null;
                format: 'standard_webhooks' | 'whathooks';
                status: 'disabled' | 'enabled';
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              meta: ProcedureMeta;
            }>;
            update: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
                channel_id?: string | null | undefined;
                waba_id?: string | null | undefined;
                url?: string | undefined;
                description?: string | null | undefined;
                event_types?: string[] | null | undefined;
                format?: 'standard_webhooks' | 'whathooks' | undefined;
              };
              output: {
                id: string;
                url: string;
                description: string | null;
                event_types: string[] | null;
                channel_id: string | null;
                waba_id: string | null;
                format: 'standard_webhooks' | 'whathooks';
                status: 'disabled' | 'enabled';
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              meta: ProcedureMeta;
            }>;
            delete: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
              };
              output: undefined;
              meta: ProcedureMeta;
            }>;
            test: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
              };
              output: {
                event_id: string;
                delivery_id: string;
              };
              meta: ProcedureMeta;
            }>;
            rotateSecret: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
                grace_period_seconds?: number | undefined;
                secret?: string | undefined;
              };
              output: {
                secret: string;
                standard_webhooks_secret: string;
                previous_secret_expires_at: string;
              };
              meta: ProcedureMeta;
            }>;
            enable: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
              };
              output: {
                id: string;
                url: string;
                description: string | null;
                event_types: string[] | null;
                channel_id: string | null;
                waba_id: string | null;
                format: 'standard_webhooks' | 'whathooks';
                status: 'disabled' | 'enabled';
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              meta: ProcedureMeta;
            }>;
            disable: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                endpoint_id: string;
              };
              output: {
                id: string;
                url: string;
                description: string | null;
                event_types: string[] | null;
                channel_id: string | null;
                waba_id: string | null;
                format: 'standard_webhooks' | 'whathooks';
                status: 'disabled' | 'enabled';
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              meta: ProcedureMeta;
            }>;
          }>
        >;
        events: import('@trpc/server').TRPCBuiltRouter<
          {
            ctx: object;
            meta: ProcedureMeta;
            errorShape: {
              code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
              message: string;
              data: {
                code:
                  | 'BAD_GATEWAY'
                  | 'BAD_REQUEST'
                  | 'CLIENT_CLOSED_REQUEST'
                  | 'CONFLICT'
                  | 'FORBIDDEN'
                  | 'GATEWAY_TIMEOUT'
                  | 'INTERNAL_SERVER_ERROR'
                  | 'METHOD_NOT_SUPPORTED'
                  | 'NOT_FOUND'
                  | 'NOT_IMPLEMENTED'
                  | 'PARSE_ERROR'
                  | 'PAYLOAD_TOO_LARGE'
                  | 'PAYMENT_REQUIRED'
                  | 'PRECONDITION_FAILED'
                  | 'PRECONDITION_REQUIRED'
                  | 'SERVICE_UNAVAILABLE'
                  | 'TIMEOUT'
                  | 'TOO_MANY_REQUESTS'
                  | 'UNAUTHORIZED'
                  | 'UNPROCESSABLE_CONTENT'
                  | 'UNSUPPORTED_MEDIA_TYPE';
                httpStatus: number;
                error_code:
                  | 'batch_too_large'
                  | 'channel_not_ready'
                  | 'client_suspended'
                  | 'conflict'
                  | 'database_unavailable'
                  | 'forbidden'
                  | 'headers_too_large'
                  | 'idempotency_key_in_progress'
                  | 'idempotency_key_reused'
                  | 'internal_error'
                  | 'invalid_csrf_token'
                  | 'invalid_json'
                  | 'invalid_redirect_url'
                  | 'linked_device_send_failed'
                  | 'linked_device_unavailable'
                  | 'linked_devices_disabled'
                  | 'message_type_not_supported'
                  | 'meta_error'
                  | 'meta_token_expired'
                  | 'meta_unavailable'
                  | 'not_found'
                  | 'not_ready'
                  | 'onboarding_session_closed'
                  | 'partner_suspended'
                  | 'payload_too_large'
                  | 'payment_failed'
                  | 'payment_provider_error'
                  | 'payment_provider_unavailable'
                  | 'payment_required'
                  | 'rate_limited'
                  | 'request_timeout'
                  | 'resend_limit_reached'
                  | 'server_busy'
                  | 'session_not_connected'
                  | 'token_superseded'
                  | 'too_many_pairings'
                  | 'too_many_tokens'
                  | 'unauthorized'
                  | 'unsupported_media_type'
                  | 'validation_failed'
                  | 'waba_not_in_scopes'
                  | 'waba_override_conflict'
                  | 'webhook_preflight_failed'
                  | 'webhook_url_not_allowed';
                issues?: import('zod/v4/core').$ZodIssue[] | undefined;
              };
            };
            transformer: false;
          },
          import('@trpc/server').TRPCDecorateCreateRouterOptions<{
            list: import('@trpc/server').TRPCQueryProcedure<{
              input:
                | {
                    limit?: unknown;
                    cursor?: string | undefined;
                    type?: string | undefined;
                    since?: string | undefined;
                  }
                | undefined;
              output: {
                events: {
                  id: string;
                  type: string;
                  channel_id: string | null;
                  data: Record<string, unknown>;
                  created_at: string;
                }[];
                next_cursor: string | null;
              };
              meta: ProcedureMeta;
            }>;
            get: import('@trpc/server').TRPCQueryProcedure<{
              input: {
                event_id: string;
              };
              output: {
                id: string;
                type: string;
                channel_id: string | null;
                data: Record<string, unknown>;
                created_at: string;
              };
              meta: ProcedureMeta;
            }>;
          }>
        >;
        deliveries: import('@trpc/server').TRPCBuiltRouter<
          {
            ctx: object;
            meta: ProcedureMeta;
            errorShape: {
              code: import('@trpc/server').TRPC_ERROR_CODE_NUMBER;
              message: string;
              data: {
                code:
                  | 'BAD_GATEWAY'
                  | 'BAD_REQUEST'
                  | 'CLIENT_CLOSED_REQUEST'
                  | 'CONFLICT'
                  | 'FORBIDDEN'
                  | 'GATEWAY_TIMEOUT'
                  | 'INTERNAL_SERVER_ERROR'
                  | 'METHOD_NOT_SUPPORTED'
                  | 'NOT_FOUND'
                  | 'NOT_IMPLEMENTED'
                  | 'PARSE_ERROR'
                  | 'PAYLOAD_TOO_LARGE'
                  | 'PAYMENT_REQUIRED'
                  | 'PRECONDITION_FAILED'
                  | 'PRECONDITION_REQUIRED'
                  | 'SERVICE_UNAVAILABLE'
                  | 'TIMEOUT'
                  | 'TOO_MANY_REQUESTS'
                  | 'UNAUTHORIZED'
                  | 'UNPROCESSABLE_CONTENT'
                  | 'UNSUPPORTED_MEDIA_TYPE';
                httpStatus: number;
                error_code:
                  | 'batch_too_large'
                  | 'channel_not_ready'
                  | 'client_suspended'
                  | 'conflict'
                  | 'database_unavailable'
                  | 'forbidden'
                  | 'headers_too_large'
                  | 'idempotency_key_in_progress'
                  | 'idempotency_key_reused'
                  | 'internal_error'
                  | 'invalid_csrf_token'
                  | 'invalid_json'
                  | 'invalid_redirect_url'
                  | 'linked_device_send_failed'
                  | 'linked_device_unavailable'
                  | 'linked_devices_disabled'
                  | 'message_type_not_supported'
                  | 'meta_error'
                  | 'meta_token_expired'
                  | 'meta_unavailable'
                  | 'not_found'
                  | 'not_ready'
                  | 'onboarding_session_closed'
                  | 'partner_suspended'
                  | 'payload_too_large'
                  | 'payment_failed'
                  | 'payment_provider_error'
                  | 'payment_provider_unavailable'
                  | 'payment_required'
                  | 'rate_limited'
                  | 'request_timeout'
                  | 'resend_limit_reached'
                  | 'server_busy'
                  | 'session_not_connected'
                  | 'token_superseded'
                  | 'too_many_pairings'
                  | 'too_many_tokens'
                  | 'unauthorized'
                  | 'unsupported_media_type'
                  | 'validation_failed'
                  | 'waba_not_in_scopes'
                  | 'waba_override_conflict'
                  | 'webhook_preflight_failed'
                  | 'webhook_url_not_allowed';
                issues?: import('zod/v4/core').$ZodIssue[] | undefined;
              };
            };
            transformer: false;
          },
          import('@trpc/server').TRPCDecorateCreateRouterOptions<{
            list: import('@trpc/server').TRPCQueryProcedure<{
              input:
                | {
                    limit?: unknown;
                    cursor?: string | undefined;
                    status?: 'failed' | 'pending' | 'succeeded' | undefined;
                    event_type?: string | undefined;
                    endpoint_id?: string | undefined;
                    since?: string | undefined;
                    until?: string | undefined;
                  }
                | undefined;
              output: {
                deliveries: {
                  id: string;
                  event_id: string;
                  event_type: string;
                  destination: 'channel_webhook' | 'endpoint' | 'partner_webhook';
                  endpoint_id: string | null;
                  url: string;
                  status: 'failed' | 'pending' | 'succeeded';
                  attempt_count: number;
                  next_attempt_at: string | null;
                  last_attempt_at: string | null;
                  succeeded_at: string | null;
                  created_at: string;
                }[];
                next_cursor: string | null;
              };
              meta: ProcedureMeta;
            }>;
            get: import('@trpc/server').TRPCQueryProcedure<{
              input: {
                delivery_id: string;
              };
              output: {
                id: string;
                event_id: string;
                event_type: string;
                destination: 'channel_webhook' | 'endpoint' | 'partner_webhook';
                endpoint_id: string | null;
                url: string;
                status: 'failed' | 'pending' | 'succeeded';
                attempt_count: number;
                next_attempt_at: string | null;
                last_attempt_at: string | null;
                succeeded_at: string | null;
                created_at: string;
              };
              meta: ProcedureMeta;
            }>;
            attempts: import('@trpc/server').TRPCQueryProcedure<{
              input: {
                limit?: unknown;
                cursor?: string | undefined;
                delivery_id: string;
              };
              output: {
                attempts: {
                  id: string;
                  trigger: 'manual' | 'scheduled';
                  started_at: string;
                  duration_ms: number;
                  request_headers: Record<string, string> | null;
                  response_status: number | null;
                  response_body: string | null;
                  error: string | null;
                }[];
                next_cursor: string | null;
              };
              meta: ProcedureMeta;
            }>;
            resend: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                delivery_id: string;
              };
              output: {
                delivery: {
                  id: string;
                  event_id: string;
                  event_type: string;
                  destination: 'channel_webhook' | 'endpoint' | 'partner_webhook';
                  endpoint_id: string | null;
                  url: string;
                  status: 'failed' | 'pending' | 'succeeded';
                  attempt_count: number;
                  next_attempt_at: string | null;
                  last_attempt_at: string | null;
                  succeeded_at: string | null;
                  created_at: string;
                };
                attempt: {
                  id: string;
                  trigger: 'manual' | 'scheduled';
                  started_at: string;
                  duration_ms: number;
                  request_headers: Record<string, string> | null;
                  response_status: number | null;
                  response_body: string | null;
                  error: string | null;
                } | null;
              };
              meta: ProcedureMeta;
            }>;
            recover: import('@trpc/server').TRPCMutationProcedure<{
              input: {
                since: string;
                endpoint_id?: string | undefined;
              };
              output: {
                recovered: number;
              };
              meta: ProcedureMeta;
            }>;
          }>
        >;
      }>
    >;
  }>
>;

/** Every webhook event type and the shape of its `data`. */
export type EventDataByType = {
  'account.alert': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
  };
  'account.capability_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    current_limit: string | null;
    max_phone_numbers: number | null;
  };
  'account.review_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
  };
  'account.updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    status: string;
    reason: string | null;
  };
  'api_key.created': {
    api_key_id: string;
    channel_id: string;
    client_id: string;
    last4: string;
  };
  'api_key.revoked': {
    api_key_id: string;
    channel_id: string;
    client_id: string;
    reason: 'replaced' | 'revoked';
  };
  'channel.contacts_synced': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    contacts: number;
  };
  'channel.created': {
    channel_id: string;
    client_id: string;
    phone_number: string;
    waba_id: string;
    phone_number_id: string;
    status: string;
    connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
  };
  'channel.disconnected': {
    channel_id: string;
    client_id: string;
    phone_number: string;
    waba_id: string;
    reason: string;
    unsubscribed: boolean;
  };
  'channel.heartbeat_due': {
    channel_id: string;
    client_id: string;
    phone_number: string;
    last_activity_at: string;
    link_expires_at: string;
  };
  'channel.heartbeat_overdue': {
    channel_id: string;
    client_id: string;
    phone_number: string;
    last_activity_at: string;
    link_expires_at: string;
  };
  'channel.history_synced': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    phase: number | null;
    progress: number | null;
  };
  'channel.mode_resolved': {
    channel_id: string;
    client_id: string;
    connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
  };
  'channel.name_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    requested_verified_name: string | null;
    rejection_reason: string | null;
  };
  'channel.quality_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    quality_rating: string | null;
    current_limit: string | null;
  };
  'channel.security_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
  };
  'channel.updated': {
    channel_id: string;
    client_id: string;
    status: string;
    changed_fields: string[];
  };
  'client.created': {
    client_id: string;
    external_id: string | null;
    partner_payload: string | null;
  };
  'client.deleted': {
    client_id: string;
    external_id: string | null;
  };
  'flow.updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
  };
  'message.echo': {
    phone_number_id: string;
    waba_id: string;
    field: string;
    value: Record<string, unknown>;
  };
  'message.received': {
    phone_number_id: string;
    waba_id: string;
    field: string;
    value: Record<string, unknown>;
  };
  'message.status': {
    phone_number_id: string;
    waba_id: string;
    field: string;
    value: Record<string, unknown>;
  };
  'message.update': {
    phone_number_id: string;
    waba_id: string;
    field: string;
    value: Record<string, unknown>;
  };
  'onboarding_session.abandoned': {
    session_id: string;
    tenant_id: string;
    metadata: Record<string, unknown> | null;
    event: 'CANCEL' | 'ERROR';
    current_step: string | null;
    error_message: string | null;
    error_id: string | null;
  };
  'onboarding_session.cancelled': {
    session_id: string;
    tenant_id: string;
    metadata: Record<string, unknown> | null;
  };
  'onboarding_session.completed': {
    session_id: string;
    tenant_id: string;
    metadata: Record<string, unknown> | null;
    webhook_endpoint_id: string | null;
    client_id: string;
    channel_id: string;
    waba_id: string;
    phone_number_id: string;
    phone_number: string;
    is_phone_registered: boolean;
    connection_type: 'cloud_api' | 'coexistence' | 'linked_device';
  };
  'onboarding_session.failed': {
    session_id: string;
    tenant_id: string;
    metadata: Record<string, unknown> | null;
    reason: string;
  };
  'onboarding_session.opened': {
    session_id: string;
    tenant_id: string;
    metadata: Record<string, unknown> | null;
  };
  'partner.updated': {
    partner_id: string;
    changed_fields: string[];
  };
  'payment.failed': {
    statement_id: string;
    client_id: string | null;
    period: string;
    currency: string;
    total: string;
    payment_model: 'direct' | 'partner';
    invoice_id: string | null;
    failure_code: string;
    failure_message: string;
    grace_until: string | null;
  };
  'payment.succeeded': {
    statement_id: string;
    client_id: string | null;
    period: string;
    currency: string;
    total: string;
    payment_model: 'direct' | 'partner';
    invoice_id: string | null;
  };
  'permission.granted': {
    permission_id: string;
    channel_id: string;
    client_id: string;
  };
  'permission.revoked': {
    permission_id: string;
    channel_id: string;
    client_id: string;
  };
  ping: {
    message: string;
  };
  'session.qr': {
    session_id: string;
    channel_id: string;
    client_id: string;
    qr: string | null;
    pairing_code: string | null;
    expires_at: string;
  };
  'session.status': {
    session_id: string;
    channel_id: string;
    client_id: string;
    status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR';
    previous_status: 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT' | 'PENDING' | 'QR' | null;
    reason: string | null;
    phone_number: string | null;
  };
  'statement.issued': {
    statement_id: string;
    client_id: string | null;
    period: string;
    currency: string;
    total: string;
    payment_model: 'direct' | 'partner';
  };
  'template.category_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    template_id: string | null;
    template_name: string | null;
    template_language: string | null;
  };
  'template.components_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    template_id: string | null;
    template_name: string | null;
    template_language: string | null;
  };
  'template.quality_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    template_id: string | null;
    template_name: string | null;
    template_language: string | null;
  };
  'template.status_updated': {
    channel_id: string;
    client_id: string;
    waba_id: string;
    phone_number_id: string;
    field: string;
    event: string | null;
    value: Record<string, unknown>;
    template_id: string | null;
    template_name: string | null;
    template_language: string | null;
    reason: string | null;
  };
  'waba.change': {
    waba_id: string;
    field: string;
    value: Record<string, unknown>;
    phone_number_id: string | null;
  };
  'webhook_endpoint.disabled': {
    endpoint_id: string;
    url: string;
    reason: string;
  };
};
