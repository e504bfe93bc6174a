import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';

/** What a template webhook tells the cache: the template it is about, and what changed. */
export interface TemplateChange {
  wabaId: string;
  field: string;
  value: Record<string, unknown>;
}

const TEMPLATE_ID = /^\d{1,64}$/;
const VOCABULARY = /^[A-Z][A-Z0-9_]{0,31}$/;

const vocabulary = (v: unknown): string | null =>
  typeof v === 'string' && VOCABULARY.test(v.toUpperCase()) ? v.toUpperCase() : null;

/**
 * Applies Meta's template webhooks to the hub's template cache as they arrive (in the routing
 * transaction), so a partner's list shows a review decision at once: the status (and rejection
 * reason), the quality score, the category. A change the cache cannot apply (a template it does
 * not hold yet, new components) marks the WABA's cache stale, so the next list refreshes it.
 */
export async function applyTemplateChange(
  tx: EntityManager,
  clock: Clock,
  change: TemplateChange,
): Promise<void> {
  const raw = change.value.message_template_id;
  const templateId = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '';
  if (!TEMPLATE_ID.test(templateId) || !TEMPLATE_ID.test(change.wabaId)) return;
  const now = clock.now();
  const set: Record<string, unknown> = {};
  switch (change.field) {
    case 'message_template_status_update': {
      const status = vocabulary(change.value.event);
      if (!status) break;
      set.status = status;
      const reason = typeof change.value.reason === 'string' ? change.value.reason.slice(0, 200) : null;
      set.rejected_reason = status === 'REJECTED' && reason && reason !== 'NONE' ? reason : null;
      break;
    }
    case 'message_template_quality_update': {
      const score = vocabulary(change.value.new_quality_score);
      if (score) set.quality_score = score;
      break;
    }
    case 'template_category_update': {
      const category = vocabulary(change.value.new_category ?? change.value.correct_category);
      if (category) set.category = category;
      break;
    }
    default:
      break;
  }
  const columns = Object.keys(set);
  const updated =
    columns.length === 0
      ? 0
      : (
          await query(
            tx,
            `update templates set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ?
              where waba_id = ? and template_id = ? returning id`,
            [...Object.values(set), now, change.wabaId, templateId],
          )
        ).length;
  if (updated === 0) {
    // Unknown to the cache, or a change it cannot apply: the next list refreshes the WABA.
    await query(tx, 'update template_syncs set synced_at = null where waba_id = ?', [change.wabaId]);
  }
}
