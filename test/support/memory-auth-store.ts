import type { DeviceAuthStore } from '../../server/linked-devices/connector.ts';

/** A DeviceAuthStore in memory, for tests: two connectors given the same one share a "database". */
export class MemoryAuthStore implements DeviceAuthStore {
  readonly entries = new Map<string, string>();

  async read(category: string, ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const id of ids) {
      const value = this.entries.get(key(category, id));
      if (value !== undefined) found.set(id, value);
    }
    return found;
  }

  async write(entries: readonly { category: string; id: string; value: string | null }[]): Promise<void> {
    for (const { category, id, value } of entries) {
      if (value === null) this.entries.delete(key(category, id));
      else this.entries.set(key(category, id), value);
    }
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}

function key(category: string, id: string): string {
  return `${category}/${id}`;
}
