import type { UsageReport } from './schemas/usage.ts';

const CSV_COLUMNS = [
  'day',
  'channel_id',
  'direction',
  'category',
  'pricing_model',
  'billable',
  'messages',
  'country',
] as const;

/**
 * The report as CSV (RFC 4180, a header line): values are ids, days, Meta's words and numbers.
 * Shared by the REST answer (`Accept: text/csv`) and the console's download, so both agree.
 */
export function usageCsv(report: Pick<UsageReport, 'rows'>): string {
  const cell = (v: string | number | boolean) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [
    CSV_COLUMNS.join(','),
    ...report.rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
