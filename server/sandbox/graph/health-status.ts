import type { BanState, PhoneStatus, QualityRating } from '../store/accounts.ts';

export type CanSend = 'AVAILABLE' | 'LIMITED' | 'BLOCKED';

interface HealthError {
  error_code: number;
  error_description: string;
  possible_solution: string;
}

interface HealthEntity {
  entity_type: 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'APP';
  id: string;
  can_send_message: CanSend;
  errors?: HealthError[];
  additional_info?: string[];
}

export interface HealthInput {
  phoneNumberId?: string;
  phoneStatus?: PhoneStatus;
  qualityRating?: QualityRating;
  wabaId: string;
  wabaBanState: BanState | null;
  businessId: string;
  appId: string;
}

const RANK: Record<CanSend, number> = { AVAILABLE: 0, LIMITED: 1, BLOCKED: 2 };

/**
 * Meta's `health_status`: whether each layer (number, WABA, business, app) lets messages
 * out, and overall the worst of them.
 */
export function healthStatus(input: HealthInput): { can_send_message: CanSend; entities: HealthEntity[] } {
  const entities: HealthEntity[] = [];
  if (input.phoneNumberId) {
    const phone: HealthEntity = {
      entity_type: 'PHONE_NUMBER',
      id: input.phoneNumberId,
      can_send_message: 'AVAILABLE',
    };
    if (input.phoneStatus !== 'CONNECTED') {
      phone.can_send_message = 'BLOCKED';
      phone.errors = [
        {
          error_code: 133010,
          error_description: 'Account not registered',
          possible_solution: 'Register the phone number with POST /{phone_number_id}/register.',
        },
      ];
    } else if (input.qualityRating === 'RED') {
      phone.can_send_message = 'LIMITED';
      phone.additional_info = ['The quality rating of this phone number is low; messaging may be limited.'];
    }
    entities.push(phone);
  }
  const waba: HealthEntity = { entity_type: 'WABA', id: input.wabaId, can_send_message: 'AVAILABLE' };
  if (input.wabaBanState === 'DISABLE') {
    waba.can_send_message = 'BLOCKED';
    waba.errors = [
      {
        error_code: 131031,
        error_description: 'Business Account locked',
        possible_solution:
          'The WhatsApp Business Account was disabled for policy violations; request a review.',
      },
    ];
  } else if (input.wabaBanState === 'SCHEDULE_FOR_DISABLE') {
    waba.can_send_message = 'LIMITED';
    waba.additional_info = ['This WhatsApp Business Account is scheduled to be disabled.'];
  }
  entities.push(waba);
  entities.push({ entity_type: 'BUSINESS', id: input.businessId, can_send_message: 'AVAILABLE' });
  entities.push({ entity_type: 'APP', id: input.appId, can_send_message: 'AVAILABLE' });
  const worst = entities.reduce<CanSend>(
    (acc, e) => (RANK[e.can_send_message] > RANK[acc] ? e.can_send_message : acc),
    'AVAILABLE',
  );
  return { can_send_message: worst, entities };
}
