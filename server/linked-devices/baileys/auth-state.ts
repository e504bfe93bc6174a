import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
} from 'baileys';
import type { DeviceAuthStore } from '../connector.ts';

/** The store category holding Baileys' credentials (key types are Baileys' own names). */
export const CREDS_CATEGORY = 'creds';
const CREDS_ID = 'creds';

// Buffers and Uint8Arrays survive the round trip as `{type: 'Buffer', data: <base64>}`.
const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

export interface StoredAuthState {
  state: AuthenticationState;
  /**
   * Writes the current credentials (Baileys mutates `state.creds` in place before `creds.update`).
   * Saves run one after another, so an older copy never lands after a newer one.
   */
  saveCreds(): Promise<void>;
  /** Resolves once every save asked for so far is done (before clearing the store, say). */
  idle(): Promise<void>;
}

/**
 * Baileys' `AuthenticationState` on a `DeviceAuthStore`: the credentials as one entry, each
 * Signal key as an entry of its type. Fresh credentials when the store holds none (a new pairing).
 */
export async function loadAuthState(store: DeviceAuthStore): Promise<StoredAuthState> {
  const stored = (await store.read(CREDS_CATEGORY, [CREDS_ID])).get(CREDS_ID);
  const creds = stored === undefined ? initAuthCreds() : (decode(stored) as AuthenticationCreds);
  let saving: Promise<void> = Promise.resolve();
  const saveCreds = (): Promise<void> => {
    const save = saving.then(() =>
      store.write([{ category: CREDS_CATEGORY, id: CREDS_ID, value: encode(creds) }]),
    );
    saving = save.catch(() => {});
    return save;
  };
  return {
    state: {
      creds,
      keys: {
        async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
          const found = await store.read(type, ids);
          const result: { [id: string]: SignalDataTypeMap[T] } = {};
          for (const [id, text] of found) {
            const value = decode(text);
            // Baileys expects the protobuf class here, not the plain object JSON gives back.
            result[id] = (
              type === 'app-state-sync-key'
                ? proto.Message.AppStateSyncKeyData.fromObject(value as object)
                : value
            ) as SignalDataTypeMap[T];
          }
          return result;
        },
        async set(data: SignalDataSet) {
          const entries: { category: string; id: string; value: string | null }[] = [];
          for (const [category, values] of Object.entries(data)) {
            for (const [id, value] of Object.entries(values ?? {})) {
              entries.push({ category, id, value: value == null ? null : encode(value) });
            }
          }
          await store.write(entries);
        },
      },
    },
    saveCreds,
    idle: () => saving,
  };
}
