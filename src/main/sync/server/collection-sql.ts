// Writes the SQL of a collection-tables migration from the RxDB schemas in
// src/shared/schema: one typed table per replicated collection in schema
// counterbook_data (typed columns, jsonb only for embedded lists and objects, keys led
// by tenant_id, tombstones), a validation function per collection, and new versions
// of the storage extension points (counterbook.row_*) and of counterbook.pull that
// route each collection to its table. See README.md "Collection tables".
//
//   npx tsx src/main/sync/server/collection-sql.ts > resources/migrations/<timestamp>_collection-tables.sql
//
// Migrations are immutable once released: for a later schema change write a new
// migration (ALTER TABLE ...) and regenerate only the functions part
// (collectionFunctionsSql), which is CREATE OR REPLACE and safe to re-run.

import { collections } from '@shared/schema/index';

/** The subset of JSON Schema the RxDB schemas use. */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: boolean | JsonSchema;
  primaryKey?: unknown;
}

export interface CollectionInput {
  name: string;
  kind: 'append-only' | 'mutable';
  schema: JsonSchema;
  /** Largest document the server accepts (bytes of its JSON text). Default 1 MiB. */
  maxDocBytes?: number;
}

export const DATA_SCHEMA = 'counterbook_data';
const DEFAULT_MAX_DOC_BYTES = 1_048_576;
/** Columns every collection table has besides the document's own fields. */
const BOOKKEEPING = ['tenant_id', 'revision', 'deleted', 'xid', 'written_at', 'written_by'];

// Keywords that cannot be bare column names in PostgreSQL (reserved, or reserved but
// allowed as function or type names).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp ' +
    'current_user default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ' +
    'ilike in initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not ' +
    'notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar ' +
    'some symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with'
  ).split(' '),
);

/** camelCase -> snake_case (customerCreditEntries -> customer_credit_entries). */
export function snakeCase(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(s)) throw new Error(`cannot make an SQL name of "${name}"`);
  return s;
}

/** An identifier, quoted only when PostgreSQL needs it. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  if (value.includes('\0')) throw new Error('NUL in an SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

export function tableName(collection: string): string {
  return `${DATA_SCHEMA}.${ident(snakeCase(collection))}`;
}

interface Column {
  field: string;
  column: string;
  sqlType: 'text' | 'bigint' | 'double precision' | 'boolean' | 'jsonb';
  required: boolean;
}

function columnsOf(c: CollectionInput): Column[] {
  const props = c.schema.properties ?? {};
  if (c.schema.primaryKey !== 'id' || !props.id) throw new Error(`${c.name}: the primary key must be "id"`);
  const required = new Set(c.schema.required ?? []);
  const columns = Object.entries(props).map(([field, p]): Column => {
    const column = snakeCase(field);
    if (BOOKKEEPING.includes(column)) throw new Error(`${c.name}.${field}: the column name ${column} is taken by the sync bookkeeping`);
    const sqlType = (() => {
      switch (p.type) {
        case 'string':
          return 'text';
        case 'integer':
          return 'bigint';
        case 'number':
          return 'double precision';
        case 'boolean':
          return 'boolean';
        case 'array':
        case 'object':
          return 'jsonb';
        default:
          throw new Error(`${c.name}.${field}: unsupported type ${JSON.stringify(p.type)}`);
      }
    })();
    return { field, column, sqlType, required: required.has(field) || field === 'id' };
  });
  const names = columns.map((col) => col.column);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash) throw new Error(`${c.name}: two fields map to the column ${clash}`);
  return columns;
}

// ---------------------------------------------------------------------------
// Validation: a CASE expression that yields the first problem of a value, or NULL.

let aliasCounter = 0;

/** A path for messages, as an SQL text expression. */
function childPath(path: string | null, key: string): string {
  if (path === null) return literal(key);
  if (/^'[^']*'$/.test(path)) return literal(`${path.slice(1, -1)}.${key}`);
  return `${path} || ${literal(`.${key}`)}`;
}

const msg = (path: string, text: string): string =>
  /^'[^']*'$/.test(path) ? literal(`${path.slice(1, -1)} ${text}`) : `${path} || ${literal(` ${text}`)}`;

/** [condition, message] pairs, in order; each condition may assume the earlier ones were false. */
function checks(expr: string, s: JsonSchema, path: string): [string, string][] {
  const out: [string, string][] = [];
  switch (s.type) {
    case 'string': {
      out.push([`jsonb_typeof(${expr}) <> 'string'`, msg(path, 'must be a string')]);
      const v = `(${expr} #>> '{}')`;
      if (s.enum) out.push([`${v} <> ALL (ARRAY[${s.enum.map(literal).join(', ')}])`, msg(path, `must be one of: ${s.enum.join(', ')}`)]);
      if (s.minLength !== undefined && s.minLength > 0) out.push([`char_length(${v}) < ${s.minLength}`, msg(path, `must have at least ${s.minLength} character${s.minLength === 1 ? '' : 's'}`)]);
      if (s.maxLength !== undefined) out.push([`char_length(${v}) > ${s.maxLength}`, msg(path, `must have at most ${s.maxLength} characters`)]);
      if (s.pattern) out.push([`${v} !~ ${literal(s.pattern)}`, msg(path, `must match ${s.pattern}`)]);
      break;
    }
    case 'integer':
    case 'number': {
      out.push([`jsonb_typeof(${expr}) <> 'number'`, msg(path, 'must be a number')]);
      const n = `(${expr})::numeric`;
      if (s.type === 'integer') out.push([`${n} <> trunc(${n})`, msg(path, 'must be a whole number')]);
      if (s.minimum !== undefined) out.push([`${n} < ${s.minimum}`, msg(path, `must be at least ${s.minimum}`)]);
      if (s.maximum !== undefined) out.push([`${n} > ${s.maximum}`, msg(path, `must be at most ${s.maximum}`)]);
      break;
    }
    case 'boolean':
      out.push([`jsonb_typeof(${expr}) <> 'boolean'`, msg(path, 'must be true or false')]);
      break;
    case 'array': {
      out.push([`jsonb_typeof(${expr}) <> 'array'`, msg(path, 'must be a list')]);
      if (s.minItems !== undefined && s.minItems > 0) out.push([`jsonb_array_length(${expr}) < ${s.minItems}`, msg(path, `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`)]);
      if (s.maxItems !== undefined) out.push([`jsonb_array_length(${expr}) > ${s.maxItems}`, msg(path, `must have at most ${s.maxItems} items`)]);
      if (s.items) {
        const a = `e${++aliasCounter}`;
        const itemPath = `${path} || '[' || (${a}.i - 1)::text || ']'`;
        const item = caseOf(checks(`${a}.v`, s.items, itemPath));
        const first = `(SELECT ${a}_p.p FROM jsonb_array_elements(${expr}) WITH ORDINALITY AS ${a}(v, i), LATERAL (SELECT ${item} AS p) AS ${a}_p WHERE ${a}_p.p IS NOT NULL ORDER BY ${a}.i LIMIT 1)`;
        out.push([`${first} IS NOT NULL`, first]);
      }
      break;
    }
    case 'object': {
      out.push([`jsonb_typeof(${expr}) <> 'object'`, msg(path, 'must be an object')]);
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      if (s.additionalProperties === false) {
        // `-` drops the known keys: one cheap test, the name only for a document that fails it.
        const rest = keys.length ? `(${expr} - ARRAY[${keys.map(literal).join(', ')}]::text[])` : expr;
        out.push([`${rest} <> '{}'::jsonb`, `${path} || ${literal(': unknown field ')} || (SELECT min(k) FROM jsonb_object_keys(${rest}) AS k)`]);
      }
      out.push(...objectFieldChecks(expr, s, path));
      break;
    }
    default:
      throw new Error(`unsupported schema type ${JSON.stringify(s.type)} at ${path}`);
  }
  return out;
}

/**
 * `field(key)`, when given, names the field's value already taken out of the object
 * (SQL NULL when the key is missing): each field is then extracted once, not once per check.
 */
function objectFieldChecks(expr: string, s: JsonSchema, path: string | null, field?: (key: string) => string): [string, string][] {
  const out: [string, string][] = [];
  const required = new Set(s.required ?? []);
  for (const [key, p] of Object.entries(s.properties ?? {})) {
    const value = field ? field(key) : `(${expr} -> ${literal(key)})`;
    const present = field ? `${value} IS NOT NULL` : `(${expr} ? ${literal(key)})`;
    const where = childPath(path, key);
    if (required.has(key)) out.push([field ? `${value} IS NULL` : `NOT ${present}`, msg(where, 'is required')]);
    for (const [cond, message] of checks(value, p, where)) out.push([`${present} AND ${cond}`, message]);
  }
  return out;
}

function caseOf(pairs: [string, string][]): string {
  if (pairs.length === 0) return 'NULL::text';
  return `CASE\n${pairs.map(([c, m]) => `      WHEN ${c}\n        THEN ${m}`).join('\n')}\n    END`;
}

/** The first problem of a whole document of the collection (NULL when it fits). */
function documentProblem(c: CollectionInput, doc = 'doc', field?: (key: string) => string): string {
  const keys = Object.keys(c.schema.properties ?? {});
  const pairs: [string, string][] = [];
  if (c.schema.additionalProperties === false) {
    const rest = `(${doc} - ARRAY[${keys.map(literal).join(', ')}]::text[])`;
    pairs.push([`${rest} <> '{}'::jsonb`, `${literal('unknown field ')} || (SELECT min(k) FROM jsonb_object_keys(${rest}) AS k)`]);
  }
  pairs.push(...objectFieldChecks(doc, c.schema, null, field));
  return caseOf(pairs);
}

// ---------------------------------------------------------------------------
// Row <-> document

function fromDoc(col: Column, doc: string): string {
  const v = `${doc} -> ${literal(col.field)}`;
  switch (col.sqlType) {
    case 'text':
      return `${doc} ->> ${literal(col.field)}`;
    case 'bigint':
      return `(${v})::numeric::bigint`;
    case 'double precision':
      return `(${v})::numeric::double precision`;
    case 'boolean':
      return `(${v})::boolean`;
    case 'jsonb':
      return `(${v})`;
  }
}

/** The document of a row (alias t): optional fields that are NULL are left out. */
function toDoc(columns: Column[], t: string): string {
  const required = columns.filter((c) => c.required);
  const optional = columns.filter((c) => !c.required);
  const parts: string[] = [];
  for (let i = 0; i < required.length; i += 40) {
    parts.push(`jsonb_build_object(${required.slice(i, i + 40).map((c) => `${literal(c.field)}, ${t}.${ident(c.column)}`).join(', ')})`);
  }
  for (const c of optional) {
    parts.push(`CASE WHEN ${t}.${ident(c.column)} IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(${literal(c.field)}, ${t}.${ident(c.column)}) END`);
  }
  return parts.join('\n        || ');
}

// ---------------------------------------------------------------------------
// DDL

function tableSql(c: CollectionInput): string {
  const columns = columnsOf(c);
  const t = tableName(c.name);
  const base = snakeCase(c.name);
  const lines = [
    `  tenant_id uuid NOT NULL REFERENCES counterbook.tenants (id)`,
    ...columns.map((col) => `  ${ident(col.column)} ${col.sqlType}${col.column === 'id' ? ' COLLATE "C"' : ''}${col.required ? ' NOT NULL' : ''}`),
    `  revision text NOT NULL CHECK (length(revision) BETWEEN 1 AND 128)`,
    `  deleted boolean NOT NULL DEFAULT false`,
    `  xid xid8 NOT NULL`,
    `  written_at timestamptz NOT NULL DEFAULT now()`,
    `  written_by uuid`,
    `  PRIMARY KEY (tenant_id, id)`,
  ];
  const description = c.schema.description ? ` ${c.schema.description}` : '';
  return [
    `-- ${c.name} (${c.kind}).${description}`,
    `CREATE TABLE ${t} (\n${lines.join(',\n')}\n);`,
    `CREATE INDEX ${ident(`${base}_feed`)} ON ${t} (tenant_id, xid, id);`,
    `CREATE TRIGGER ${ident(`${base}_change_position`)} BEFORE INSERT OR UPDATE ON ${t}\n  FOR EACH ROW EXECUTE FUNCTION counterbook.stamp_change_position();`,
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY tenant_isolation ON ${t}\n  USING (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()))\n  WITH CHECK (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()));`,
    c.schema.description ? `COMMENT ON TABLE ${t} IS ${literal(`${c.name} (${c.kind}): ${c.schema.description}`)};` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Runs a generator with fresh subquery aliases (e1, e2, ...), so the output does not depend on what ran before. */
function aliasCounterReset(make: () => string): string {
  aliasCounter = 0;
  return make();
}

function problemFunctionSql(c: CollectionInput): string {
  aliasCounter = 0;
  return `CREATE OR REPLACE FUNCTION ${DATA_SCHEMA}.${ident(`${snakeCase(c.name)}_problem`)}(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT ${documentProblem(c)}
$fn$;`;
}

/** IF p_collection = ... THEN ... ELSIF ... ELSE <fallback> END IF (just the fallback when there are no branches). */
function dispatch(branches: { collection: string; body: string }[], fallback: string): string {
  if (branches.length === 0) return fallback;
  return `${branches.map((b, i) => `  ${i === 0 ? 'IF' : 'ELSIF'} p_collection = ${literal(b.collection)} THEN\n${b.body}`).join('\n')}\n  ELSE\n${fallback}\n  END IF;`;
}

const SIGNATURE = {
  current: 'counterbook.row_current(p_collection text, p_tenant uuid, p_id text)',
  insert: 'counterbook.row_insert(p_collection text, p_tenant uuid, p_device uuid, p_id text, p_revision text, p_deleted boolean, p_doc jsonb)',
  update: 'counterbook.row_update(p_collection text, p_tenant uuid, p_device uuid, p_id text, p_revision text, p_deleted boolean, p_doc jsonb)',
};

/**
 * The set-based push of one collection's table (see counterbook.documents_apply in the
 * core migration, which this mirrors for counterbook.documents): lock the existing
 * rows in key order, decide every row, insert and update each in one statement.
 */
function applyFunctionSql(c: CollectionInput, table: string, columns: Column[]): string {
  const own = columns.filter((col) => col.column !== 'id');
  return `CREATE OR REPLACE FUNCTION ${DATA_SCHEMA}.${ident(`${snakeCase(c.name)}_apply`)}(p_tenant uuid, p_device uuid, p_append_only boolean, p_items counterbook.push_item[])
RETURNS SETOF counterbook.push_outcome
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- Every join here is between sets of a batch's size: hash joins. A nested loop over the
-- CTEs (chosen on a table whose statistics say it is empty) would be quadratic.
SET enable_nestloop = off
AS $fn$
DECLARE
  v_ids text[] := ARRAY(SELECT i.id FROM unnest(p_items) AS i);
BEGIN
  RETURN QUERY
    WITH cur AS MATERIALIZED (
      SELECT t.id, t.revision, t.deleted, t.xid,
        ${toDoc(columns, 't')} AS doc
      FROM ${table} t
      WHERE t.tenant_id = p_tenant AND t.id = ANY (v_ids)
      ORDER BY t.id
      FOR UPDATE
    ),
    -- The collection's schema, checked inline (a function call per row costs more than the checks).
    -- (each field taken out of the document once, in f: OFFSET 0 keeps it from being inlined)
    checked AS MATERIALIZED (
      SELECT i.n, i.id, i.revision, i.base, i.deleted, i.doc,
        ${aliasCounterReset(() => documentProblem(c, 'i.doc', (key) => `f.${ident(`f_${snakeCase(key)}`)}`))} AS problem
      FROM unnest(p_items) AS i,
        LATERAL (SELECT ${Object.keys(c.schema.properties ?? {}).map((key) => `i.doc -> ${literal(key)} AS ${ident(`f_${snakeCase(key)}`)}`).join(', ')} OFFSET 0) AS f
    ),
    decided AS MATERIALIZED (
      SELECT i.n, i.id, i.revision, i.deleted, i.doc, i.problem,
             c.revision AS cur_revision, c.deleted AS cur_deleted, c.doc AS cur_doc, c.xid AS cur_xid,
             CASE
               WHEN i.problem IS NOT NULL THEN 'invalid'
               WHEN c.id IS NULL THEN 'insert'
               WHEN c.revision = i.revision THEN CASE WHEN c.doc = i.doc AND c.deleted = i.deleted THEN 'unchanged' ELSE 'same_revision' END
               WHEN p_append_only THEN 'immutable'
               WHEN i.base IS NOT DISTINCT FROM c.revision THEN 'update'
               ELSE 'conflict'
             END AS action
      FROM checked AS i LEFT JOIN cur c ON c.id = i.id
    ),
    ins AS (
      INSERT INTO ${table} (tenant_id, ${columns.map((col) => ident(col.column)).join(', ')}, revision, deleted, written_by)
      SELECT p_tenant, ${columns.map((col) => (col.column === 'id' ? 'a.id' : fromDoc(col, 'a.doc'))).join(', ')}, a.revision, a.deleted, p_device
      FROM decided a WHERE a.action = 'insert' ORDER BY a.id
      ON CONFLICT DO NOTHING
      RETURNING id
    ),
    upd AS (
      UPDATE ${table} t SET
        ${own.map((col) => `${ident(col.column)} = ${fromDoc(col, 'a.doc')}`).join(',\n        ')},
        revision = a.revision, deleted = a.deleted, written_by = p_device
      FROM decided a
      WHERE a.action = 'update' AND t.tenant_id = p_tenant AND t.id = ANY (v_ids) AND t.id = a.id
      RETURNING t.id
    )
    SELECT a.n,
           CASE WHEN a.action = 'invalid' THEN jsonb_build_object('status', 'rejected', 'reason', 'invalid', 'message', a.problem)
                ELSE counterbook.push_entry(${literal(c.name)}, a.action, ins.id IS NOT NULL, a.id, a.cur_revision, a.cur_deleted, a.cur_doc, a.cur_xid) END,
           a.action = 'update' OR ins.id IS NOT NULL
    FROM decided a LEFT JOIN ins ON ins.id = a.id;
END
$fn$;`;
}

/**
 * counterbook.row_problem / row_current / row_insert / row_update / rows_apply and
 * counterbook.pull / pull_backlog for these collections (their own tables) and every
 * other registered collection (counterbook.documents), plus the per-table
 * counterbook_data.<table>_apply. CREATE OR REPLACE: owners and grants stay as they are.
 */
export function collectionFunctionsSql(collections: readonly CollectionInput[]): string {
  const items = collections.map((c) => ({ c, table: tableName(c.name), columns: columnsOf(c) }));

  const problem = `CREATE OR REPLACE FUNCTION counterbook.row_problem(collection text, doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT ${
    items.length === 0
      ? 'NULL::text'
      : `CASE collection
${items.map(({ c }) => `    WHEN ${literal(c.name)} THEN ${DATA_SCHEMA}.${ident(`${snakeCase(c.name)}_problem`)}(doc)`).join('\n')}
    ELSE NULL::text
  END`
  }
$fn$;`;

  const current = `CREATE OR REPLACE FUNCTION ${SIGNATURE.current}
RETURNS TABLE (revision text, deleted boolean, doc jsonb, xid xid8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
${dispatch(
  items.map(({ c, table, columns }) => ({
    collection: c.name,
    body: `    RETURN QUERY
      SELECT t.revision, t.deleted,
        ${toDoc(columns, 't')},
        t.xid
      FROM ${table} t WHERE t.tenant_id = p_tenant AND t.id = p_id
      FOR UPDATE;`,
  })),
  `    RETURN QUERY
      SELECT x.revision, x.deleted, x.data, x.xid FROM counterbook.documents x
      WHERE x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = p_id
      FOR UPDATE;`,
)}
END
$fn$;`;

  const insert = `CREATE OR REPLACE FUNCTION ${SIGNATURE.insert}
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
${dispatch(
  items.map(({ c, table, columns }) => ({
    collection: c.name,
    body: `    INSERT INTO ${table} (tenant_id, ${columns.map((col) => ident(col.column)).join(', ')}, revision, deleted, written_by)
    VALUES (p_tenant, ${columns.map((col) => (col.column === 'id' ? 'p_id' : fromDoc(col, 'p_doc'))).join(', ')}, p_revision, p_deleted, p_device)
    ON CONFLICT DO NOTHING;`,
  })),
  `    INSERT INTO counterbook.documents (tenant_id, collection, id, revision, deleted, data, updated_at, written_by)
    VALUES (p_tenant, p_collection, p_id, p_revision, p_deleted, p_doc, counterbook.doc_updated_at(p_doc), p_device)
    ON CONFLICT DO NOTHING;`,
)}
  RETURN FOUND;
END
$fn$;`;

  const update = `CREATE OR REPLACE FUNCTION ${SIGNATURE.update}
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
${dispatch(
  items.map(({ c, table, columns }) => ({
    collection: c.name,
    body: `    UPDATE ${table} t SET
      ${columns
        .filter((col) => col.column !== 'id')
        .map((col) => `${ident(col.column)} = ${fromDoc(col, 'p_doc')}`)
        .join(',\n      ')},
      revision = p_revision, deleted = p_deleted, written_by = p_device
    WHERE t.tenant_id = p_tenant AND t.id = p_id;`,
  })),
  `    UPDATE counterbook.documents x
    SET revision = p_revision, deleted = p_deleted, data = p_doc, updated_at = counterbook.doc_updated_at(p_doc), written_by = p_device
    WHERE x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = p_id;`,
)}
END
$fn$;`;

  const branches = [
    `      SELECT x.tenant_id, x.xid, x.collection, x.id, x.revision, x.deleted, x.data, x.updated_at
      FROM counterbook.documents x`,
    ...items.map(
      ({ c, table, columns }) => `      SELECT t.tenant_id, t.xid, ${literal(c.name)}::text COLLATE "C", t.id, t.revision, t.deleted,
        ${toDoc(columns, 't')},
        ${columns.some((col) => col.field === 'updatedAt') ? 't.updated_at' : 'NULL::bigint'}
      FROM ${table} t`,
    ),
  ];

  const pull = `CREATE OR REPLACE FUNCTION counterbook.pull(after_xid xid8, after_collection text, after_id text, max_rows integer)
RETURNS TABLE (xid xid8, collection text, id text, revision text, deleted boolean, doc jsonb, updated_at bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d counterbook.devices := counterbook.require_device();
  snap pg_snapshot := pg_current_snapshot();
  horizon xid8 := pg_snapshot_xmin(snap);
  cur_xid xid8 := coalesce(after_xid, '0'::xid8);
  cur_collection text := coalesce(after_collection, '');
  cur_id text := coalesce(after_id, '');
  -- The cursor's transaction + 1: where a table sorting before the cursor's collection resumes.
  next_xid xid8 := (cur_xid::text::numeric + 1)::text::xid8;
  lim integer := least(greatest(coalesce(max_rows, 1000), 1), 10000);
BEGIN
  IF cur_xid >= pg_snapshot_xmax(snap) THEN
    RAISE EXCEPTION 'the pull cursor is ahead of this server (restored or replaced?); pull again from the start'
      USING ERRCODE = 'CBC01';
  END IF;
  -- The conditions sit outside the UNION ALL so that PostgreSQL pushes them into every
  -- branch and merges the branches' feed indexes (tenant_id, xid, ...) in xid order
  -- (Merge Append; rows of one transaction are then put in (collection, id) order by an
  -- incremental sort), stopping after lim rows instead of sorting the whole feed.
  RETURN QUERY
    SELECT u.xid, u.collection::text, u.id::text, u.revision, u.deleted, u.doc, u.updated_at FROM (
${branches.join('\n      UNION ALL\n')}
    ) AS u (tenant_id, xid, collection, id, revision, deleted, doc, updated_at)
    WHERE u.tenant_id = d.tenant_id AND u.xid >= cur_xid AND u.xid < horizon
      AND (u.xid, u.collection, u.id) > (cur_xid, cur_collection COLLATE "C", cur_id COLLATE "C")
      -- The same condition in a form each table's feed index (tenant_id, xid, id) can seek
      -- on: in a branch the collection is a constant, so the cursor's (collection, id)
      -- becomes an id bound within the cursor's transaction. Without it, a transaction
      -- that wrote many rows of one table (an import) is scanned from its start for
      -- every page.
      AND (u.xid, u.id) > (CASE WHEN u.collection < cur_collection COLLATE "C" THEN next_xid ELSE cur_xid END,
                           CASE WHEN u.collection = cur_collection COLLATE "C" THEN cur_id ELSE '' END COLLATE "C")
    ORDER BY u.xid, u.collection, u.id
    LIMIT lim;
  PERFORM counterbook.touch_device(d);
END
$fn$;`;

  const applyArgs = 'p_tenant, p_device, p_append_only, p_items';
  const rowsApply = `CREATE OR REPLACE FUNCTION counterbook.rows_apply(p_collection text, p_tenant uuid, p_device uuid, p_append_only boolean, p_items counterbook.push_item[])
RETURNS SETOF counterbook.push_outcome
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
${dispatch(
  items.map(({ c }) => ({
    collection: c.name,
    body: `    RETURN QUERY SELECT * FROM ${DATA_SCHEMA}.${ident(`${snakeCase(c.name)}_apply`)}(${applyArgs});`,
  })),
  `    RETURN QUERY SELECT * FROM counterbook.documents_apply(p_collection, ${applyArgs});`,
)}
END
$fn$;`;

  const backlog = `CREATE OR REPLACE FUNCTION counterbook.pull_backlog(after_xid xid8) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d counterbook.devices := counterbook.require_device();
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
  cur_xid xid8 := coalesce(after_xid, '0'::xid8);
BEGIN
  RETURN (SELECT count(*) FROM (
${[`      SELECT x.tenant_id, x.xid FROM counterbook.documents x`, ...items.map(({ table }) => `      SELECT t.tenant_id, t.xid FROM ${table} t`)].join('\n      UNION ALL\n')}
    ) AS u (tenant_id, xid)
    WHERE u.tenant_id = d.tenant_id AND u.xid >= cur_xid AND u.xid < horizon);
END
$fn$;`;

  return [...items.map(({ c, table, columns }) => applyFunctionSql(c, table, columns)), problem, current, insert, update, rowsApply, pull, backlog].join('\n\n');
}

/** The whole collection-tables migration (up and down). */
export function collectionMigrationSql(collections: readonly CollectionInput[]): string {
  const sorted = [...collections];
  const up = [
    `-- Up Migration
--
-- GENERATED by src/main/sync/server/collection-sql.ts from the RxDB schemas in
-- src/shared/schema: do not edit by hand (see README.md "Collection tables").
--
-- One typed table per replicated collection in schema ${DATA_SCHEMA}: the document's
-- fields as columns (camelCase -> snake_case; strings text, integers bigint, money in
-- minor units, times epoch ms), jsonb only for embedded lists and objects, then the
-- sync bookkeeping (revision, deleted = tombstone, xid = change position,
-- written_at, written_by). Keys are led by tenant_id. On Citus, distribute each table
-- like counterbook.documents:
--   SELECT create_distributed_table('${DATA_SCHEMA}.<table>', 'tenant_id', colocate_with => 'counterbook.documents');
-- Per collection, ${DATA_SCHEMA}.<table>_problem(doc) says why a document does not fit
-- its schema (push rejects it with reason "invalid"), e.g.
--   SELECT ${DATA_SCHEMA}.products_problem('{"id": "x"}');
-- The storage functions counterbook.row_* and counterbook.pull are replaced with
-- versions that route these collections to their tables; collections registered
-- with storage 'documents' keep using counterbook.documents.

CREATE SCHEMA ${DATA_SCHEMA};
COMMENT ON SCHEMA ${DATA_SCHEMA} IS 'Counterbook business data: one table per replicated collection. Written only through counterbook.push.';`,
    ...sorted.map(tableSql),
    ...sorted.map(problemFunctionSql),
    `INSERT INTO counterbook.collections (name, kind, max_doc_bytes, storage) VALUES
${sorted.map((c) => `  (${literal(c.name)}, ${literal(c.kind)}, ${c.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES}, 'table')`).join(',\n')}
ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, max_doc_bytes = EXCLUDED.max_doc_bytes, storage = EXCLUDED.storage;`,
    collectionFunctionsSql(sorted),
    `-- Privileges: nothing for PUBLIC or devices; the sync functions' owner reads and writes.
REVOKE ALL ON SCHEMA ${DATA_SCHEMA} FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA ${DATA_SCHEMA} FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${DATA_SCHEMA} FROM PUBLIC;
GRANT USAGE ON SCHEMA ${DATA_SCHEMA} TO counterbook_sync;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${DATA_SCHEMA} TO counterbook_sync;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${DATA_SCHEMA} TO counterbook_sync;`,
  ];
  const down = [
    `-- Down Migration
-- Back to one generic store: the functions without typed tables, then the tables go
-- (with their rows: export them first if they matter).`,
    collectionFunctionsSql([]),
    `DELETE FROM counterbook.collections WHERE storage = 'table';
DROP SCHEMA ${DATA_SCHEMA} CASCADE;`,
  ];
  return `${up.join('\n\n')}\n\n${down.join('\n\n')}\n`;
}

/** The replicated collections of src/shared/schema as generator input. */
export function sharedCollections(): CollectionInput[] {
  return Object.entries(collections).map(([name, spec]) => ({ name, kind: spec.kind, schema: spec.schema as unknown as JsonSchema }));
}

if (require.main === module) {
  process.stdout.write(collectionMigrationSql(sharedCollections()));
}
