import { ulid } from 'ulid';
import { ID_PREFIXES, type IdKind } from '../shared/ids.ts';

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}
