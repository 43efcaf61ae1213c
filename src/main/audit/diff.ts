export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

// Bookkeeping fields that change on every write and say nothing about the action.
const IGNORED = new Set(['updatedAt']);

/** Field-level diff of two documents (top-level fields; RxDB's _meta/_rev and updatedAt are left out). */
export function diffDocuments(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (key.startsWith('_') || IGNORED.has(key)) continue;
    const b = before?.[key];
    const a = after?.[key];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    const change: FieldChange = {};
    if (b !== undefined) change.before = b;
    if (a !== undefined) change.after = a;
    diff[key] = change;
  }
  return diff;
}
