import { p } from '@mikro-orm/core';
import type { IdKind } from '../../shared/ids.ts';
import { newId } from '../ids.ts';

/** Prefixed, time-ordered text primary key (see shared/ids.ts). */
export const idProperty = (kind: IdKind) =>
  p
    .string()
    .length(32)
    .primary()
    .onCreate(() => newId(kind));

export const createdAtProperty = () => p.datetime().onCreate(() => new Date());

export const updatedAtProperty = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date());
