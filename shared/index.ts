export * from './errors.ts';
export * from './ids.ts';
export * from './schemas/partner.ts';
export * from './statuses.ts';
