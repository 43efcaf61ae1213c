/**
 * query() and count() driven by RxDB's query plan (`preparedQuery.queryPlan`).
 *
 * The plan names an index and start/end keys. They become keys encoded like the
 * stored key column (index-key.ts), and a range scan
 * `key >(=) lower AND key <(=) upper ORDER BY key`.
 *
 * - selector and sort satisfied by the index: SQL does it all, with LIMIT/OFFSET.
 * - sort satisfied, selector not: stream the range in key order, match each
 *   document in JS (getQueryMatcher) and stop after skip + limit matches.
 * - sort not satisfied: match the whole range, sort with getSortComparator,
 *   then apply skip/limit.
 * count(): SQL COUNT(*) on the range when the index satisfies the selector
 * (mode 'fast'), else the matches on the range are counted in JS ('slow').
 *
 * This is what RxDB's memory storage does on its sorted arrays, so results
 * (including their order) are identical; query-equivalence.test.ts checks it.
 */
import type { PreparedQuery, RxDocumentData, RxJsonSchema, RxStorageCountResult } from 'rxdb';
import { getQueryMatcher, getSortComparator } from 'rxdb';
import type { CollectionTable, RangeBounds, RangeRow } from './collection-table';
import type { KeyColumn } from './table-layout';

type Plan = { keyColumn: KeyColumn; bounds: RangeBounds } | undefined;

function planRange<RxDocType>(
  table: CollectionTable,
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  preparedQuery: PreparedQuery<RxDocType>,
): Plan {
  const plan = preparedQuery.queryPlan;
  const keyColumn = table.layout.keyColumnByIndexName.get(plan.index.join(','));
  if (!keyColumn) return undefined;
  return {
    keyColumn,
    bounds: {
      lower: keyColumn.lower(plan.startKeys),
      upper: keyColumn.upper(plan.endKeys),
      inclusiveStart: plan.inclusiveStart,
      inclusiveEnd: plan.inclusiveEnd,
    },
  };
}

export function runQuery<RxDocType>(
  table: CollectionTable,
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  preparedQuery: PreparedQuery<RxDocType>,
): RxDocumentData<RxDocType>[] {
  const { query, queryPlan } = preparedQuery;
  const skip = query.skip ? query.skip : 0;
  const limit = typeof query.limit === 'number' ? query.limit : Infinity;
  if (limit <= 0) return [];
  const skipPlusLimit = skip + limit;
  const range = planRange(table, schema, preparedQuery);
  // An index the table does not have (a custom `index` on the query): scan everything.
  const selectorSatisfied = !!range && queryPlan.selectorSatisfiedByIndex;
  const sortSatisfied = !!range && queryPlan.sortSatisfiedByIndex;

  const signature = range
    ? `${range.keyColumn.column}\u0000${range.bounds.lower}\u0000${range.bounds.upper}\u0000${range.bounds.inclusiveStart}${range.bounds.inclusiveEnd}`
    : 'all';
  const decoder = table.rangeDecoder(table.mayCacheReads, signature);
  const keyed = decoder.keyed;
  if (range && selectorSatisfied && sortSatisfied) {
    const sqlLimit = limit === Infinity ? -1 : limit;
    if (keyed) {
      const docs = table.selectRangeCached<RxDocType>(range.keyColumn, range.bounds, sqlLimit, skip, decoder);
      decoder.finish();
      return docs;
    }
    const found = table.selectRange(range.keyColumn, range.bounds, sqlLimit, skip, keyed);
    const docs = new Array<RxDocumentData<RxDocType>>(found.length);
    for (let i = 0; i < found.length; i++) docs[i] = decoder.toDoc<RxDocType>(found[i] as RangeRow);
    decoder.finish();
    return docs;
  }

  const matcher = selectorSatisfied ? undefined : getQueryMatcher(schema, query);
  const source = range ? table.iterateRange(range.keyColumn, range.bounds, keyed) : table.iterateAll(keyed);
  let rows: RxDocumentData<RxDocType>[] = [];
  for (const row of source) {
    // Documents the matcher rejects are not cached: a wide scan would evict the useful ones.
    const doc = decoder.toDoc<RxDocType>(row, false);
    if (matcher && !matcher(doc)) continue;
    decoder.keep(doc);
    rows.push(doc);
    // Leaving the loop resets the statement and stops reading.
    if (sortSatisfied && rows.length >= skipPlusLimit) break;
  }
  decoder.finish();
  if (!sortSatisfied) rows.sort(getSortComparator(schema, query));
  if (skip !== 0 || rows.length > skipPlusLimit) rows = rows.slice(skip, skipPlusLimit);
  return rows;
}

export function runCount<RxDocType>(
  table: CollectionTable,
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  preparedQuery: PreparedQuery<RxDocType>,
): RxStorageCountResult {
  const range = planRange(table, schema, preparedQuery);
  if (range && preparedQuery.queryPlan.selectorSatisfiedByIndex) {
    return { count: table.countRange(range.keyColumn, range.bounds), mode: 'fast' };
  }
  const matcher = getQueryMatcher(schema, preparedQuery.query);
  // Counted documents are not cached (they are not handed out) and do not count as reads.
  const decoder = table.rangeDecoder(false);
  const source = range ? table.iterateRange(range.keyColumn, range.bounds, decoder.keyed) : table.iterateAll(decoder.keyed);
  let count = 0;
  for (const row of source) {
    if (matcher(decoder.toDoc<RxDocType>(row))) count++;
  }
  return { count, mode: 'slow' };
}
