// The conflict policy (README "Conflicts"): what to do when the server's version of a
// document and this device's unpushed version both changed since the version the
// device last had from the server (the base).
//
//  - Append-only collections never get here: their entries are never changed.
//  - Same content on both sides (bookkeeping fields aside): nothing to do.
//  - The fields changed locally and the fields changed on the server do not overlap
//    (or overlap with equal values): merged field by field.
//  - Otherwise (the same field changed to different values, an edit against a
//    delete, or no known base, e.g. the same id created on both sides): a conflict.
//    The server's version stands locally and the local one goes to syncConflicts.
// Embedded lists (sale lines, payments) are single fields: never merged item by item.

/** A document version without RxDB's `_` fields, and whether it is a tombstone. */
export interface Version {
  doc: Record<string, unknown>;
  deleted: boolean;
}

export type MergeResult =
  | { kind: 'same' }
  | { kind: 'merged'; version: Version; fields: string[] }
  | { kind: 'conflict'; fields: string[] };

/** Bookkeeping fields: they change with every write, so they never make a conflict. The newer side's values win. */
export const BOOKKEEPING_FIELDS = ['updatedAt', 'updatedBy'] as const;
const BOOKKEEPING = new Set<string>(BOOKKEEPING_FIELDS);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** The document without RxDB's `_` fields (what the server stores). */
export function stripMeta(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in doc) if (key.charCodeAt(0) !== 95 /* _ */) out[key] = doc[key];
  return out;
}

function contentKeys(...docs: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const d of docs) for (const k of Object.keys(d)) if (!BOOKKEEPING.has(k)) keys.add(k);
  return [...keys].sort();
}

function differing(a: Version, b: Version): string[] {
  const fields = contentKeys(a.doc, b.doc).filter((k) => !deepEqual(a.doc[k], b.doc[k]));
  if (a.deleted !== b.deleted) fields.unshift('_deleted');
  return fields;
}

/** Same content, bookkeeping fields aside. */
export function sameContent(a: Version, b: Version): boolean {
  return differing(a, b).length === 0;
}

/**
 * Three-way merge of the local and the server version against their base (null when
 * unknown). `validate` may refuse a merged document (it then is a conflict).
 */
export function mergeVersions(base: Version | null, local: Version, server: Version, options: { appendOnly?: boolean; validate?: (doc: Record<string, unknown>) => boolean } = {}): MergeResult {
  const both = differing(local, server);
  if (both.length === 0 || (local.deleted && server.deleted)) return { kind: 'same' };
  if (!base || options.appendOnly) return { kind: 'conflict', fields: both };

  const localFields = differing(base, local);
  const serverFields = differing(base, server);
  // A delete on one side against any edit on the other is a conflict.
  const deletedAgainstEdit =
    (local.deleted && localFields.includes('_deleted') && serverFields.length > 0) || (server.deleted && serverFields.includes('_deleted') && localFields.length > 0);
  if (deletedAgainstEdit) return { kind: 'conflict', fields: [...new Set(['_deleted', ...localFields, ...serverFields])].sort() };
  const serverSet = new Set(serverFields);
  const clash = localFields.filter((f) => serverSet.has(f) && both.includes(f));
  if (clash.length > 0) return { kind: 'conflict', fields: clash };

  const doc: Record<string, unknown> = {};
  const localSet = new Set(localFields);
  for (const k of contentKeys(base.doc, local.doc, server.doc)) {
    const from = localSet.has(k) ? local.doc : server.doc;
    if (from[k] !== undefined) doc[k] = from[k];
  }
  const localTime = typeof local.doc.updatedAt === 'number' ? local.doc.updatedAt : 0;
  const serverTime = typeof server.doc.updatedAt === 'number' ? server.doc.updatedAt : 0;
  const newer = localTime > serverTime ? local.doc : server.doc;
  for (const k of BOOKKEEPING_FIELDS) if (newer[k] !== undefined) doc[k] = newer[k];
  const deleted = localSet.has('_deleted') ? local.deleted : server.deleted;
  if (!deleted && options.validate && !options.validate(doc)) return { kind: 'conflict', fields: both };
  return { kind: 'merged', version: { doc, deleted }, fields: [...new Set([...localFields, ...serverFields])].sort() };
}
