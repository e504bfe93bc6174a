import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';

/** Path ids are opaque: a malformed one is simply not found; only text the database cannot hold is a validation error. */
const pathId = (description: string) => safeString().max(64).meta({ description });

export const PartnerPath = z.object({ partner_id: pathId('Your partner id') });
export const ClientPath = PartnerPath.extend({ client_id: pathId('Client id') });
export const ChannelPath = PartnerPath.extend({ channel_id: pathId('Channel id') });
export const ApiKeyPath = ChannelPath.extend({ key_id: pathId('API key id') });
export const TokenPath = PartnerPath.extend({ token_id: pathId('Partner token id') });
export const EndpointPath = PartnerPath.extend({ endpoint_id: pathId('`primary` or a webhook endpoint id') });
export const EventPath = PartnerPath.extend({ event_id: pathId('Event id') });
export const DeliveryPath = PartnerPath.extend({ delivery_id: pathId('Delivery id') });
