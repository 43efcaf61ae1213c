-- Up Migration
--
-- Counterbook server schema, part 3: the server half of the trust layer (data rules 5
-- and 6, see src/main/sync/server/README.md "Audit log" and "Closed days").
--
-- 1. counterbook_data.audit_log is append-only for every role, the owner included: a
--    trigger refuses UPDATE, DELETE and TRUNCATE (push already answers `immutable` for a
--    different version of an entry; the trigger is the defence against raw SQL).
--    Deleting a tenant's data is a deliberate act of the table owner or a superuser:
--    ALTER TABLE counterbook_data.audit_log DISABLE TRIGGER audit_log_append_only (and
--    audit_log_no_truncate) in the same transaction as the DELETE, then ENABLE again.
-- 2. counterbook.verify_audit_chain(tenant) recomputes every entry's hash exactly as the
--    device does (src/main/audit/hash-chain.ts + canonical-json.ts) and checks each
--    device's chain: seq 1, 2, 3... without gaps, prevHash = the previous entry's hash,
--    hash = SHA-256 of the canonical entry. For the admin (owner) connection only.
-- 3. counterbook.push refuses a change of a closed day (reason `day_closed`), mirroring
--    src/main/locks/day-locks.ts; see counterbook.closed_day_refusals.

-- ---------------------------------------------------------------------------
-- 1. Append-only audit log
-- ---------------------------------------------------------------------------

CREATE FUNCTION counterbook.refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % of audit entries is refused', TG_OP
    USING ERRCODE = 'CBA01',
          HINT = 'Entries are never changed or deleted. Deleting a whole tenant is done by the owner with the trigger disabled (see README).';
END
$$;

-- Named so that they fire before audit_log_change_position (triggers fire in name order).
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON counterbook_data.audit_log
  FOR EACH ROW EXECUTE FUNCTION counterbook.refuse_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON counterbook_data.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION counterbook.refuse_audit_change();

-- Closed-day checks of push: a register's closes of a day, and the override entries of
-- a resource (looked up only for rows that hit a closed day).
CREATE INDEX day_closes_day ON counterbook_data.day_closes (tenant_id, day);
CREATE INDEX audit_log_resource ON counterbook_data.audit_log (tenant_id, resource_id);

-- ---------------------------------------------------------------------------
-- 2. Hash chain verification
-- ---------------------------------------------------------------------------

-- A JSON number as JavaScript's JSON.stringify writes it (Number::toString). The device
-- wrote the number with JSON.stringify, so its shortest round-trip digits are exactly
-- the digits jsonb keeps (numeric is exact); only the layout differs: jsonb prints
-- 1e21 as 1000000000000000000000 and 1.5e-7 as 0.00000015, JavaScript as 1e+21 and
-- 1.5e-7.
CREATE FUNCTION counterbook.js_number(v numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t text := abs(v)::text;
  ip text := ltrim(split_part(t, '.', 1), '0');
  fp text := rtrim(split_part(t, '.', 2), '0');
  digits text;
  n integer;   -- the decimal point sits after n digits (JavaScript's n)
  k integer;   -- number of significant digits
  s text;
  e integer;
BEGIN
  IF ip = '' AND fp = '' THEN
    RETURN '0';  -- also -0, which JSON.stringify writes as 0
  END IF;
  IF ip <> '' THEN
    digits := ip || fp;
    n := length(ip);
  ELSE
    digits := ltrim(fp, '0');
    n := length(digits) - length(fp);
  END IF;
  digits := rtrim(digits, '0');
  k := length(digits);
  IF k <= n AND n <= 21 THEN
    s := digits || repeat('0', n - k);
  ELSIF 0 < n AND n <= 21 THEN
    s := left(digits, n) || '.' || substr(digits, n + 1);
  ELSIF -6 < n AND n <= 0 THEN
    s := '0.' || repeat('0', -n) || digits;
  ELSE
    e := n - 1;
    s := left(digits, 1) || CASE WHEN k > 1 THEN '.' || substr(digits, 2) ELSE '' END
         || 'e' || CASE WHEN e >= 0 THEN '+' ELSE '-' END || abs(e)::text;
  END IF;
  RETURN CASE WHEN v < 0 THEN '-' || s ELSE s END;
END
$$;

-- A sort key under COLLATE "C" (UTF-8 byte order = code point order) that orders keys
-- like JavaScript's `<` on strings (UTF-16 code units). The two differ only where a
-- character U+E000..U+FFFF meets one above U+FFFF (a surrogate pair, D800..DFFF, sorts
-- below E000 in UTF-16): such characters get the prefix U+10FFFF so that they sort
-- above every supplementary character, and a real U+10FFFF becomes U+10FFFF U+0001 so
-- that it still sorts below them.
CREATE FUNCTION counterbook.utf16_order(k text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN k ~ '[\uE000-\U0010FFFF]'
    THEN regexp_replace(replace(k, chr(1114111), chr(1114111) || chr(1)), '([\uE000-\uFFFF])', chr(1114111) || '\1', 'g')
    ELSE k END
$$;

-- The canonical JSON of a jsonb value, byte for byte what canonicalJson() makes of the
-- same value on the device: object keys sorted (UTF-16 order), no whitespace, strings
-- escaped like JSON.stringify (jsonb's text form escapes exactly ", \ and control
-- characters, \u00XX in lower case, as JavaScript does), numbers as JavaScript writes them.
CREATE FUNCTION counterbook.canonical_json(v jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kind text := jsonb_typeof(v);
BEGIN
  IF kind = 'object' THEN
    RETURN '{' || coalesce((
      SELECT string_agg(to_jsonb(e.key)::text || ':' || counterbook.canonical_json(e.value), ','
                        ORDER BY counterbook.utf16_order(e.key) COLLATE "C")
      FROM jsonb_each(v) AS e), '') || '}';
  ELSIF kind = 'array' THEN
    RETURN '[' || coalesce((
      SELECT string_agg(counterbook.canonical_json(a.value), ',' ORDER BY a.i)
      FROM jsonb_array_elements(v) WITH ORDINALITY AS a(value, i)), '') || ']';
  ELSIF kind = 'number' THEN
    RETURN counterbook.js_number(v::numeric);
  END IF;
  RETURN v::text;  -- string, true, false, null
END
$$;

-- The object an entry's hash covers (HASHED_FIELDS of src/main/audit/hash-chain.ts:
-- every field but the hash). Optional fields that are NULL were absent on the device.
CREATE FUNCTION counterbook.audit_hashed_subject(a counterbook_data.audit_log) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_build_object(
           'id', a.id, 'createdAt', a.created_at, 'updatedAt', a.updated_at, 'deviceId', a.device_id,
           'seq', a.seq, 'at', a.at, 'userId', a.user_id, 'appVersion', a.app_version, 'action', a.action,
           'resourceType', a.resource_type, 'resourceId', a.resource_id, 'diff', a.diff, 'prevHash', a.prev_hash)
         || CASE WHEN a.reason IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reason', a.reason) END
         || CASE WHEN a.override_by IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('overrideBy', a.override_by) END
$$;

-- The hash the device computed for this entry (when nobody changed it since).
CREATE FUNCTION counterbook.audit_entry_hash(a counterbook_data.audit_log) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT encode(sha256(convert_to(counterbook.canonical_json(counterbook.audit_hashed_subject(a)), 'UTF8')), 'hex')
$$;

-- Verifies every device's hash chain of a tenant, like ChainVerifier on the device.
-- One row per device: entries, entries whole from seq 1 (verified), the highest seq,
-- and the first broken entry (seq, id, reason, problem) or NULLs when the chain is
-- whole. Reasons: gap (entries missing), repeated (a seq appears twice), deleted (a
-- tombstone), prev_hash (does not point at the previous entry), hash (content changed).
-- Runs as the caller: for the admin (owner) connection; devices may not execute it.
CREATE FUNCTION counterbook.verify_audit_chain(tenant uuid)
RETURNS TABLE (device_id text, entries bigint, verified bigint, last_seq bigint,
               broken_seq bigint, broken_id text, reason text, problem text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH ordered AS (
    SELECT a.device_id, a.id, a.seq, a.deleted, a.prev_hash, a.hash,
           row_number() OVER w AS expected,
           coalesce(lag(a.hash) OVER w, '') AS previous_hash,
           a AS entry
    FROM counterbook_data.audit_log a
    WHERE a.tenant_id = tenant
    WINDOW w AS (PARTITION BY a.device_id ORDER BY a.seq, a.id COLLATE "C")
  ),
  checked AS (
    SELECT o.device_id, o.id, o.seq, o.expected,
      CASE
        WHEN o.seq > o.expected THEN 'gap'
        WHEN o.seq < o.expected THEN 'repeated'
        WHEN o.deleted THEN 'deleted'
        WHEN o.prev_hash IS DISTINCT FROM o.previous_hash THEN 'prev_hash'
        WHEN o.hash IS DISTINCT FROM counterbook.audit_entry_hash(o.entry) THEN 'hash'
      END AS reason
    FROM ordered o
  ),
  first_break AS (
    SELECT DISTINCT ON (c.device_id) c.device_id, c.id, c.seq, c.expected, c.reason
    FROM checked c WHERE c.reason IS NOT NULL
    ORDER BY c.device_id, c.expected
  )
  SELECT c.device_id, count(*), coalesce(min(b.expected) - 1, count(*)), max(c.seq),
         min(b.seq), min(b.id), min(b.reason),
         min(CASE b.reason
           WHEN 'gap' THEN format('entries %s..%s are missing', b.expected, b.seq - 1)
           WHEN 'repeated' THEN format('seq %s appears again', b.seq)
           WHEN 'deleted' THEN 'it was deleted (the audit log is append-only)'
           WHEN 'prev_hash' THEN 'does not point at the previous entry (prevHash differs)'
           WHEN 'hash' THEN 'its content was changed after it was written (hash mismatch)'
         END)
  FROM checked c LEFT JOIN first_break b ON b.device_id = c.device_id AND b.id = c.id
  GROUP BY c.device_id
  ORDER BY c.device_id COLLATE "C"
$$;

-- ---------------------------------------------------------------------------
-- 3. Closed days (data rule 6), mirroring src/main/locks/day-locks.ts
-- ---------------------------------------------------------------------------

-- The rows of a batch that change a closed day, with their rejection (reason
-- day_closed). A close (a dayCloses row: on the server, or earlier in nothing but the
-- same batch) locks the sales, creditNotes, expenses and drawerMovements of its day
-- whose deviceId is the close's deviceId, or whose registerId is the close's non-empty
-- registerId. A row is checked with its new version and with the server's current one
-- (a move out of a closed day changes that day too). It passes when:
--   - it changes nothing: the server already has its revision (push decides it);
--   - it comes from the closing device (devices.local_id = the close's deviceId) and
--     was written before the close (updatedAt <= the close's createdAt, both the same
--     device's clock): the device's own sales of the day, pushed in a batch after the
--     close's (the device's lock refuses later changes without an override);
--   - the same device's audit log holds a manager override for it: an entry for the
--     resource (resourceType = collection, resourceId = id) with a non-empty
--     overrideBy, written when this version was (at >= the row's updatedAt), in the
--     same batch or already on the server.
-- p_rows are push's rows (entry NULL: still to decide); p_device_local_id is the
-- pushing device's own id.
CREATE FUNCTION counterbook.closed_day_refusals(p_rows counterbook.push_row[], p_tenant uuid, p_device_local_id text)
RETURNS TABLE (n integer, entry jsonb)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET enable_nestloop = off
AS $$
DECLARE
  v_sales text[];
  v_credit_notes text[];
  v_expenses text[];
  v_drawer text[];
  v_days text[];
  v_batch_closes boolean;
BEGIN
  -- Fast path (the usual push: today's sales, no close of their day): one pass over the
  -- rows for the days they write to and the ids of the ones that update a document
  -- (base revision set), then three index probes. A new document (no base) that exists
  -- on the server is a conflict or a resend in push and is not written, so only the
  -- updated rows' server versions can be in another day.
  SELECT array_agg(DISTINCT r.doc ->> 'day'),
         array_agg(r.id) FILTER (WHERE r.collection = 'sales' AND r.base IS NOT NULL),
         array_agg(r.id) FILTER (WHERE r.collection = 'creditNotes' AND r.base IS NOT NULL),
         array_agg(r.id) FILTER (WHERE r.collection = 'expenses' AND r.base IS NOT NULL),
         array_agg(r.id) FILTER (WHERE r.collection = 'drawerMovements' AND r.base IS NOT NULL),
         bool_or(r.collection = 'dayCloses')
  INTO v_days, v_sales, v_credit_notes, v_expenses, v_drawer, v_batch_closes
  FROM unnest(p_rows) r
  WHERE r.entry IS NULL AND r.collection IN ('sales', 'creditNotes', 'expenses', 'drawerMovements', 'dayCloses');
  IF v_days IS NULL THEN
    RETURN;
  END IF;
  IF NOT coalesce(v_batch_closes, false)
     AND NOT EXISTS (SELECT FROM counterbook_data.day_closes dc WHERE dc.tenant_id = p_tenant AND dc.day = ANY (v_days) AND NOT dc.deleted)
     AND NOT EXISTS (
       SELECT FROM (
         SELECT t.day FROM counterbook_data.sales t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_sales)
         UNION ALL SELECT t.day FROM counterbook_data.credit_notes t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_credit_notes)
         UNION ALL SELECT t.day FROM counterbook_data.expenses t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_expenses)
         UNION ALL SELECT t.day FROM counterbook_data.drawer_movements t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_drawer)
       ) AS cur
       WHERE EXISTS (SELECT FROM counterbook_data.day_closes dc WHERE dc.tenant_id = p_tenant AND dc.day = cur.day AND NOT dc.deleted))
  THEN
    RETURN;
  END IF;

  -- A close is near: every candidate, with the server's current version.
  SELECT array_agg(r.id) FILTER (WHERE r.collection = 'sales'),
         array_agg(r.id) FILTER (WHERE r.collection = 'creditNotes'),
         array_agg(r.id) FILTER (WHERE r.collection = 'expenses'),
         array_agg(r.id) FILTER (WHERE r.collection = 'drawerMovements')
  INTO v_sales, v_credit_notes, v_expenses, v_drawer
  FROM unnest(p_rows) r WHERE r.entry IS NULL;
  RETURN QUERY
    WITH cand AS MATERIALIZED (
      SELECT r.n, r.collection, r.id, r.revision, r.doc,
             CASE WHEN jsonb_typeof(r.doc -> 'updatedAt') = 'number' THEN (r.doc -> 'updatedAt')::numeric END AS updated_at
      FROM unnest(p_rows) r
      WHERE r.entry IS NULL AND r.collection IN ('sales', 'creditNotes', 'expenses', 'drawerMovements')
    ),
    -- The server's current versions (index scans on the primary keys).
    cur AS MATERIALIZED (
      SELECT 'sales'::text AS collection, t.id::text AS id, t.revision, t.day, t.device_id, t.register_id
      FROM counterbook_data.sales t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_sales)
      UNION ALL
      SELECT 'creditNotes', t.id, t.revision, t.day, t.device_id, t.register_id
      FROM counterbook_data.credit_notes t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_credit_notes)
      UNION ALL
      SELECT 'expenses', t.id, t.revision, t.day, t.device_id, ''
      FROM counterbook_data.expenses t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_expenses)
      UNION ALL
      SELECT 'drawerMovements', t.id, t.revision, t.day, t.device_id, t.register_id
      FROM counterbook_data.drawer_movements t WHERE t.tenant_id = p_tenant AND t.id = ANY (v_drawer)
    ),
    changing AS MATERIALIZED (
      SELECT c.n, c.collection, c.id, c.doc, c.updated_at, u.day AS cur_day, u.device_id AS cur_device, u.register_id AS cur_register
      FROM cand c LEFT JOIN cur u ON u.collection = c.collection AND u.id = c.id
      WHERE u.revision IS DISTINCT FROM c.revision
    ),
    -- The (day, device, register) each row touches: its new version and the server's.
    sides AS MATERIALIZED (
      SELECT g.n, g.doc ->> 'day' AS day, g.doc ->> 'deviceId' AS device_id, coalesce(g.doc ->> 'registerId', '') AS register_id
      FROM changing g
      UNION ALL
      SELECT g.n, g.cur_day, g.cur_device, coalesce(g.cur_register, '') FROM changing g WHERE g.cur_day IS NOT NULL
    ),
    closes AS MATERIALIZED (
      SELECT dc.day, dc.device_id, dc.register_id, dc.created_at::numeric AS created_at
      FROM counterbook_data.day_closes dc
      WHERE dc.tenant_id = p_tenant AND NOT dc.deleted AND dc.day = ANY (ARRAY(SELECT DISTINCT s.day FROM sides s))
      UNION ALL
      SELECT r.doc ->> 'day', r.doc ->> 'deviceId', coalesce(r.doc ->> 'registerId', ''),
             CASE WHEN jsonb_typeof(r.doc -> 'createdAt') = 'number' THEN (r.doc -> 'createdAt')::numeric END
      FROM unnest(p_rows) r WHERE r.entry IS NULL AND r.collection = 'dayCloses' AND NOT r.deleted
    ),
    hits AS MATERIALIZED (
      SELECT DISTINCT ON (s.n) s.n, g.collection, g.id, g.updated_at, c.day, c.device_id AS close_device, c.register_id AS close_register
      FROM sides s
      JOIN changing g ON g.n = s.n
      JOIN closes c ON c.day = s.day AND (c.device_id = s.device_id OR (s.register_id <> '' AND c.register_id = s.register_id))
      WHERE NOT coalesce(c.device_id = p_device_local_id AND g.updated_at <= c.created_at, false)
      ORDER BY s.n, c.day
    )
    SELECT h.n, jsonb_build_object('status', 'rejected', 'reason', 'day_closed',
      'message', format('The day %s is closed for register %s: the server refused this change of %s %s. Record a correction in an open day.',
        h.day,
        coalesce((SELECT dv.name || ' (' || dv.code || ')' FROM counterbook_data.devices dv WHERE dv.tenant_id = p_tenant AND dv.id = h.close_device),
                 nullif(h.close_register, ''), h.close_device),
        h.collection, h.id))
    FROM hits h
    WHERE NOT EXISTS (
        SELECT FROM unnest(p_rows) a
        WHERE a.entry IS NULL AND a.collection = 'auditLog' AND a.doc ->> 'resourceType' = h.collection AND a.doc ->> 'resourceId' = h.id
          AND coalesce(a.doc ->> 'overrideBy', '') <> '' AND a.doc ->> 'deviceId' = p_device_local_id
          AND jsonb_typeof(a.doc -> 'at') = 'number' AND (a.doc -> 'at')::numeric >= h.updated_at)
      AND NOT EXISTS (
        SELECT FROM counterbook_data.audit_log a
        WHERE a.tenant_id = p_tenant AND a.resource_id = h.id AND a.resource_type = h.collection
          AND a.override_by <> '' AND a.device_id = p_device_local_id AND a.at >= h.updated_at);
END
$$;

-- Replaces counterbook.push of the core-sync migration: the same function plus step 1b
-- (closed days).
--
-- Push a batch: {"batchId": "...", "rows": [{"collection", "id", "revision",
-- "baseRevision" (the revision the device last saw, null for new), "deleted", "doc"}]}.
-- Returns {"batchId", "accepted", "conflicts", "rejected", "results": [{"index",
-- "collection", "id", "status": accepted|conflict|rejected, "reason", "message",
-- "server" (the server's row, for conflicts)}]} in input order. Every row gets a
-- result; one bad row never costs the others. Idempotent: the same batchId from the
-- same device returns the stored answer ("replayed": true) and changes nothing, and a
-- row whose revision is already the server's is accepted without a write.
-- Errors for the whole batch: CBB01 malformed batch, CBB02 too many rows or bytes.
--
-- Set-based: one statement checks every row (envelope, tenant, collection, size,
-- schema); then per collection (in name order) one statement locks the existing rows
-- in key order, decides each row and writes the inserts and updates
-- (counterbook.rows_apply). Only a collection that the batch names the same document
-- of more than once goes row by row (counterbook.push_one), so that its versions apply
-- in batch order.
CREATE OR REPLACE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- Its joins are between sets of a batch's size (see counterbook.documents_apply).
SET enable_nestloop = off
AS $$
DECLARE
  max_rows constant integer := 5000;
  max_bytes constant integer := 33554432;
  d counterbook.devices := counterbook.require_device();
  v_batch_id text;
  v_count integer;
  v_previous jsonb;
  v_result jsonb;
  v_changed integer;
  v_rows counterbook.push_row[];
  v_out counterbook.push_outcome[] := '{}';
  v_part counterbook.push_outcome[];
  v_items counterbook.push_item[];
  v_item counterbook.push_item;
  v_collection text;
  v_append_only boolean;
  v_repeated boolean;
  v_one record;
  v_has_closes boolean;
  v_has_locked boolean;
  v_refused counterbook.push_outcome[];
BEGIN
  IF batch IS NULL OR jsonb_typeof(batch) <> 'object' OR jsonb_typeof(batch -> 'rows') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'malformed batch: expected {"batchId": "...", "rows": [...]}' USING ERRCODE = 'CBB01';
  END IF;
  IF batch ? 'batchId' AND jsonb_typeof(batch -> 'batchId') <> 'null' THEN
    IF jsonb_typeof(batch -> 'batchId') <> 'string' OR length(batch ->> 'batchId') NOT BETWEEN 1 AND 64 THEN
      RAISE EXCEPTION 'malformed batch: batchId must be a string of 1 to 64 characters' USING ERRCODE = 'CBB01';
    END IF;
    v_batch_id := batch ->> 'batchId';
  END IF;
  v_count := jsonb_array_length(batch -> 'rows');
  IF v_count > max_rows THEN
    RAISE EXCEPTION 'batch too large: % rows, at most % per batch', v_count, max_rows USING ERRCODE = 'CBB02';
  END IF;
  IF pg_column_size(batch) > max_bytes THEN
    RAISE EXCEPTION 'batch too large: % bytes, at most % per batch', pg_column_size(batch), max_bytes USING ERRCODE = 'CBB02';
  END IF;

  IF v_batch_id IS NOT NULL THEN
    -- A concurrent resend of the same batch waits here for the first one to finish.
    INSERT INTO counterbook.push_batches (tenant_id, device_id, batch_id)
    VALUES (d.tenant_id, d.id, v_batch_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT pb.result INTO v_previous FROM counterbook.push_batches pb
      WHERE pb.tenant_id = d.tenant_id AND pb.device_id = d.id AND pb.batch_id = v_batch_id;
      IF v_previous IS NOT NULL THEN
        PERFORM counterbook.touch_device(d);
        RETURN v_previous || jsonb_build_object('replayed', true);
      END IF;
    END IF;
  END IF;

  -- 1. Every row checked at once. A problem becomes the row's rejection (entry).
  WITH e AS (
    SELECT x.value AS r, x.n::integer AS n, jsonb_typeof(x.value) = 'object' AS obj,
           CASE WHEN jsonb_typeof(x.value) = 'object' THEN x.value -> 'doc' END AS doc
    FROM jsonb_array_elements(batch -> 'rows') WITH ORDINALITY AS x(value, n)
  ),
  envelope AS MATERIALIZED (
    SELECT e.r, e.n, e.doc,
      CASE WHEN e.obj AND jsonb_typeof(e.r -> 'collection') = 'string' THEN e.r ->> 'collection' END AS collection,
      CASE WHEN e.obj AND jsonb_typeof(e.r -> 'id') = 'string' THEN e.r ->> 'id' END AS id,
      CASE
        WHEN NOT e.obj THEN 'a row must be a JSON object'
        WHEN jsonb_typeof(e.r -> 'collection') IS DISTINCT FROM 'string' THEN 'collection must be a string'
        WHEN jsonb_typeof(e.r -> 'id') IS DISTINCT FROM 'string' OR length(e.r ->> 'id') NOT BETWEEN 1 AND 40 OR (e.r ->> 'id') ~ '[[:cntrl:]]' THEN 'id must be a string of 1 to 40 printable characters'
        WHEN jsonb_typeof(e.r -> 'revision') IS DISTINCT FROM 'string' OR length(e.r ->> 'revision') NOT BETWEEN 1 AND 128 THEN 'revision must be a string of 1 to 128 characters'
        WHEN e.r ? 'baseRevision' AND jsonb_typeof(e.r -> 'baseRevision') NOT IN ('string', 'null') THEN 'baseRevision must be a string or null'
        WHEN e.r ? 'deleted' AND jsonb_typeof(e.r -> 'deleted') <> 'boolean' THEN 'deleted must be true or false'
        WHEN jsonb_typeof(e.doc) IS DISTINCT FROM 'object' THEN 'doc must be a JSON object'
        WHEN e.doc ? 'id' AND (e.doc -> 'id') IS DISTINCT FROM (e.r -> 'id') THEN 'doc.id differs from the row id'
      END AS malformed
    FROM e
  ),
  sized AS (
    SELECT v.*, c.kind,
      CASE WHEN v.malformed IS NULL THEN
        (v.r ? 'tenantId' AND lower(v.r ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text)
        OR (v.doc ? 'tenantId' AND lower(v.doc ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text)
      END AS foreign_tenant,
      c.max_doc_bytes,
      -- The limit is on the JSON text; its length is only worked out when the binary size
      -- says it could be near (text is at most about 6 times the binary size: escapes).
      CASE WHEN v.malformed IS NULL AND c.name IS NOT NULL THEN
        CASE WHEN pg_column_size(v.doc) * 6 + 1024 <= c.max_doc_bytes THEN 0 ELSE octet_length(v.doc::text) END
      END AS size
    FROM envelope v LEFT JOIN counterbook.collections c ON c.name = v.collection
  ),
  decided AS (
    SELECT k.n, k.collection, k.id, k.r, k.doc, k.kind,
      CASE
        WHEN k.malformed IS NOT NULL THEN jsonb_build_object('status', 'rejected', 'reason', 'malformed', 'message', k.malformed)
        WHEN k.foreign_tenant THEN jsonb_build_object('status', 'rejected', 'reason', 'wrong_tenant', 'message', 'the row names another tenant than this device''s')
        WHEN k.kind IS NULL THEN jsonb_build_object('status', 'rejected', 'reason', 'unknown_collection', 'message', format('the server does not know the collection %s', k.collection))
        WHEN k.size > k.max_doc_bytes THEN jsonb_build_object('status', 'rejected', 'reason', 'oversized', 'message', format('the document is %s bytes; %s allows %s', k.size, k.collection, k.max_doc_bytes))
      END AS entry
    FROM sized k
  ),
  counted AS MATERIALIZED (
    SELECT x.*, count(*) FILTER (WHERE x.entry IS NULL) OVER (PARTITION BY x.collection, x.id) AS versions
    FROM decided x
  ),
  -- The collection's schema: checked by rows_apply for the usual rows (inline, set-based);
  -- here only for documents the batch names more than once (they go row by row).
  validated AS (
    SELECT y.n, y.collection, y.id, y.r, y.doc, y.kind, y.versions,
      CASE WHEN y.entry IS NULL AND y.versions > 1 THEN
        (SELECT jsonb_build_object('status', 'rejected', 'reason', 'invalid', 'message', p.problem)
         FROM (SELECT counterbook.row_problem(y.collection, y.doc) AS problem) p WHERE p.problem IS NOT NULL)
      ELSE y.entry END AS entry
    FROM counted y
  )
  SELECT coalesce(array_agg(ROW(
           y.n, y.collection, y.id,
           CASE WHEN y.entry IS NULL THEN y.r ->> 'revision' END,
           CASE WHEN y.entry IS NULL THEN y.r ->> 'baseRevision' END,
           CASE WHEN y.entry IS NULL THEN coalesce((y.r ->> 'deleted')::boolean, false) END,
           CASE WHEN y.entry IS NULL THEN y.doc END,
           y.kind = 'append-only',
           y.entry IS NULL AND y.versions > 1,
           y.entry)::counterbook.push_row ORDER BY y.n), '{}')
  INTO v_rows
  FROM validated y;

  -- 1b. Closed days: a change of a closed day is refused (reason day_closed, with the
  --     server's row; see counterbook.closed_day_refusals). A batch that brings a close
  --     takes the tenant's close lock exclusively, one that changes day-locked rows
  --     takes it shared, so a close and a change of its day never pass each other
  --     unseen (READ COMMITTED: the statements after the lock see what committed
  --     before it). Batches without either take no lock.
  SELECT bool_or(r.collection = 'dayCloses'), bool_or(r.collection IN ('sales', 'creditNotes', 'expenses', 'drawerMovements'))
  INTO v_has_closes, v_has_locked
  FROM unnest(v_rows) r WHERE r.entry IS NULL;
  IF v_has_closes THEN
    PERFORM pg_advisory_xact_lock(1667392611, hashtext(d.tenant_id::text));
  ELSIF v_has_locked THEN
    PERFORM pg_advisory_xact_lock_shared(1667392611, hashtext(d.tenant_id::text));
  END IF;
  IF v_has_locked THEN
    v_refused := ARRAY(SELECT ROW(x.n, x.entry, false)::counterbook.push_outcome
                       FROM counterbook.closed_day_refusals(v_rows, d.tenant_id, d.local_id) x);
    IF cardinality(v_refused) > 0 THEN
      -- The refused rows get their entry, with the server's row when it has one (locked
      -- like push_one does; refusals are rare).
      v_rows := ARRAY(
        SELECT CASE WHEN x.n IS NULL THEN r
          ELSE ROW(r.n, r.collection, r.id, NULL, NULL, NULL, NULL, r.append_only, false,
                   x.entry || coalesce((SELECT jsonb_build_object('server', counterbook.server_row(r.collection, r.id, c.revision, c.deleted, c.doc, c.xid))
                                        FROM counterbook.row_current(r.collection, d.tenant_id, r.id) c), '{}'::jsonb))::counterbook.push_row
          END
        FROM unnest(v_rows) r LEFT JOIN unnest(v_refused) x ON x.n = r.n
        ORDER BY r.n);
    END IF;
  END IF;

  -- 2. Per collection, in name order (locks are taken in (collection, id) order, so two
  --    devices pushing overlapping batches cannot deadlock).
  FOR v_collection, v_append_only, v_repeated IN
    SELECT r.collection, bool_or(r.append_only), bool_or(r.repeated)
    FROM unnest(v_rows) r WHERE r.entry IS NULL
    GROUP BY r.collection ORDER BY r.collection COLLATE "C"
  LOOP
    IF v_repeated THEN
      FOR v_item IN
        SELECT r.n, r.id, r.revision, r.base, r.deleted, r.doc FROM unnest(v_rows) r
        WHERE r.entry IS NULL AND r.collection = v_collection ORDER BY r.id COLLATE "C", r.n
      LOOP
        SELECT * INTO v_one FROM counterbook.push_one(v_collection, d.tenant_id, d.id, v_append_only, v_item);
        v_out := array_append(v_out, ROW(v_item.n, v_one.entry, v_one.changed)::counterbook.push_outcome);
      END LOOP;
    ELSE
      v_items := ARRAY(SELECT ROW(r.n, r.id, r.revision, r.base, r.deleted, r.doc)::counterbook.push_item
                       FROM unnest(v_rows) r WHERE r.entry IS NULL AND r.collection = v_collection);
      -- An insert that lost a race with another device's insert of the same id comes
      -- back without an entry: decide it again against the row that won.
      FOR attempt IN 1..3 LOOP
        v_part := ARRAY(SELECT o FROM counterbook.rows_apply(v_collection, d.tenant_id, d.id, v_append_only, v_items) o);
        v_out := v_out || ARRAY(SELECT p FROM unnest(v_part) p WHERE p.entry IS NOT NULL);
        v_items := ARRAY(SELECT i FROM unnest(v_items) i WHERE i.n IN (SELECT p.n FROM unnest(v_part) p WHERE p.entry IS NULL));
        EXIT WHEN cardinality(v_items) = 0;
      END LOOP;
      IF cardinality(v_items) > 0 THEN
        RAISE EXCEPTION 'push: documents of this batch kept changing on the server; send the batch again' USING ERRCODE = '40001';
      END IF;
    END IF;
  END LOOP;

  -- 3. The answer, in input order.
  SELECT jsonb_build_object(
           'batchId', v_batch_id,
           'accepted', count(*) FILTER (WHERE x.entry ->> 'status' = 'accepted'),
           'conflicts', count(*) FILTER (WHERE x.entry ->> 'status' = 'conflict'),
           'rejected', count(*) FILTER (WHERE x.entry ->> 'status' = 'rejected'),
           'results', coalesce(jsonb_agg(jsonb_build_object('index', x.n - 1, 'collection', x.collection, 'id', x.id) || x.entry ORDER BY x.n), '[]'::jsonb)),
         coalesce(sum(x.changed::integer), 0)
  INTO v_result, v_changed
  FROM (
    SELECT r.n, r.collection, r.id, coalesce(r.entry, o.entry) AS entry, coalesce(o.changed, false) AS changed
    FROM unnest(v_rows) r LEFT JOIN unnest(v_out) o ON o.n = r.n
  ) x;

  IF v_batch_id IS NOT NULL THEN
    UPDATE counterbook.push_batches pb SET result = v_result
    WHERE pb.tenant_id = d.tenant_id AND pb.device_id = d.id AND pb.batch_id = v_batch_id;
  END IF;
  IF v_changed > 0 THEN
    -- Delivered at commit, to every session that LISTENs on the tenant's channel.
    PERFORM pg_notify(counterbook.tenant_channel(d.tenant_id),
                      jsonb_build_object('deviceId', d.id, 'changed', v_changed)::text);
  END IF;
  PERFORM counterbook.touch_device(d);
  RETURN v_result;
END
$$;


-- ---------------------------------------------------------------------------
-- Privileges: nothing for PUBLIC (functions are executable by PUBLIC by default);
-- push (owned by counterbook_sync, grants unchanged by CREATE OR REPLACE) may call
-- the closed-day check. verify_audit_chain stays with the admin who migrated.
-- ---------------------------------------------------------------------------

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA counterbook FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.closed_day_refusals(counterbook.push_row[], uuid, text) TO counterbook_sync;

-- Down Migration
-- Back to the core push (without the closed-day step), the audit log writable again.
CREATE OR REPLACE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- Its joins are between sets of a batch's size (see counterbook.documents_apply).
SET enable_nestloop = off
AS $$
DECLARE
  max_rows constant integer := 5000;
  max_bytes constant integer := 33554432;
  d counterbook.devices := counterbook.require_device();
  v_batch_id text;
  v_count integer;
  v_previous jsonb;
  v_result jsonb;
  v_changed integer;
  v_rows counterbook.push_row[];
  v_out counterbook.push_outcome[] := '{}';
  v_part counterbook.push_outcome[];
  v_items counterbook.push_item[];
  v_item counterbook.push_item;
  v_collection text;
  v_append_only boolean;
  v_repeated boolean;
  v_one record;
BEGIN
  IF batch IS NULL OR jsonb_typeof(batch) <> 'object' OR jsonb_typeof(batch -> 'rows') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'malformed batch: expected {"batchId": "...", "rows": [...]}' USING ERRCODE = 'CBB01';
  END IF;
  IF batch ? 'batchId' AND jsonb_typeof(batch -> 'batchId') <> 'null' THEN
    IF jsonb_typeof(batch -> 'batchId') <> 'string' OR length(batch ->> 'batchId') NOT BETWEEN 1 AND 64 THEN
      RAISE EXCEPTION 'malformed batch: batchId must be a string of 1 to 64 characters' USING ERRCODE = 'CBB01';
    END IF;
    v_batch_id := batch ->> 'batchId';
  END IF;
  v_count := jsonb_array_length(batch -> 'rows');
  IF v_count > max_rows THEN
    RAISE EXCEPTION 'batch too large: % rows, at most % per batch', v_count, max_rows USING ERRCODE = 'CBB02';
  END IF;
  IF pg_column_size(batch) > max_bytes THEN
    RAISE EXCEPTION 'batch too large: % bytes, at most % per batch', pg_column_size(batch), max_bytes USING ERRCODE = 'CBB02';
  END IF;

  IF v_batch_id IS NOT NULL THEN
    -- A concurrent resend of the same batch waits here for the first one to finish.
    INSERT INTO counterbook.push_batches (tenant_id, device_id, batch_id)
    VALUES (d.tenant_id, d.id, v_batch_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT pb.result INTO v_previous FROM counterbook.push_batches pb
      WHERE pb.tenant_id = d.tenant_id AND pb.device_id = d.id AND pb.batch_id = v_batch_id;
      IF v_previous IS NOT NULL THEN
        PERFORM counterbook.touch_device(d);
        RETURN v_previous || jsonb_build_object('replayed', true);
      END IF;
    END IF;
  END IF;

  -- 1. Every row checked at once. A problem becomes the row's rejection (entry).
  WITH e AS (
    SELECT x.value AS r, x.n::integer AS n, jsonb_typeof(x.value) = 'object' AS obj,
           CASE WHEN jsonb_typeof(x.value) = 'object' THEN x.value -> 'doc' END AS doc
    FROM jsonb_array_elements(batch -> 'rows') WITH ORDINALITY AS x(value, n)
  ),
  envelope AS MATERIALIZED (
    SELECT e.r, e.n, e.doc,
      CASE WHEN e.obj AND jsonb_typeof(e.r -> 'collection') = 'string' THEN e.r ->> 'collection' END AS collection,
      CASE WHEN e.obj AND jsonb_typeof(e.r -> 'id') = 'string' THEN e.r ->> 'id' END AS id,
      CASE
        WHEN NOT e.obj THEN 'a row must be a JSON object'
        WHEN jsonb_typeof(e.r -> 'collection') IS DISTINCT FROM 'string' THEN 'collection must be a string'
        WHEN jsonb_typeof(e.r -> 'id') IS DISTINCT FROM 'string' OR length(e.r ->> 'id') NOT BETWEEN 1 AND 40 OR (e.r ->> 'id') ~ '[[:cntrl:]]' THEN 'id must be a string of 1 to 40 printable characters'
        WHEN jsonb_typeof(e.r -> 'revision') IS DISTINCT FROM 'string' OR length(e.r ->> 'revision') NOT BETWEEN 1 AND 128 THEN 'revision must be a string of 1 to 128 characters'
        WHEN e.r ? 'baseRevision' AND jsonb_typeof(e.r -> 'baseRevision') NOT IN ('string', 'null') THEN 'baseRevision must be a string or null'
        WHEN e.r ? 'deleted' AND jsonb_typeof(e.r -> 'deleted') <> 'boolean' THEN 'deleted must be true or false'
        WHEN jsonb_typeof(e.doc) IS DISTINCT FROM 'object' THEN 'doc must be a JSON object'
        WHEN e.doc ? 'id' AND (e.doc -> 'id') IS DISTINCT FROM (e.r -> 'id') THEN 'doc.id differs from the row id'
      END AS malformed
    FROM e
  ),
  sized AS (
    SELECT v.*, c.kind,
      CASE WHEN v.malformed IS NULL THEN
        (v.r ? 'tenantId' AND lower(v.r ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text)
        OR (v.doc ? 'tenantId' AND lower(v.doc ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text)
      END AS foreign_tenant,
      c.max_doc_bytes,
      -- The limit is on the JSON text; its length is only worked out when the binary size
      -- says it could be near (text is at most about 6 times the binary size: escapes).
      CASE WHEN v.malformed IS NULL AND c.name IS NOT NULL THEN
        CASE WHEN pg_column_size(v.doc) * 6 + 1024 <= c.max_doc_bytes THEN 0 ELSE octet_length(v.doc::text) END
      END AS size
    FROM envelope v LEFT JOIN counterbook.collections c ON c.name = v.collection
  ),
  decided AS (
    SELECT k.n, k.collection, k.id, k.r, k.doc, k.kind,
      CASE
        WHEN k.malformed IS NOT NULL THEN jsonb_build_object('status', 'rejected', 'reason', 'malformed', 'message', k.malformed)
        WHEN k.foreign_tenant THEN jsonb_build_object('status', 'rejected', 'reason', 'wrong_tenant', 'message', 'the row names another tenant than this device''s')
        WHEN k.kind IS NULL THEN jsonb_build_object('status', 'rejected', 'reason', 'unknown_collection', 'message', format('the server does not know the collection %s', k.collection))
        WHEN k.size > k.max_doc_bytes THEN jsonb_build_object('status', 'rejected', 'reason', 'oversized', 'message', format('the document is %s bytes; %s allows %s', k.size, k.collection, k.max_doc_bytes))
      END AS entry
    FROM sized k
  ),
  counted AS MATERIALIZED (
    SELECT x.*, count(*) FILTER (WHERE x.entry IS NULL) OVER (PARTITION BY x.collection, x.id) AS versions
    FROM decided x
  ),
  -- The collection's schema: checked by rows_apply for the usual rows (inline, set-based);
  -- here only for documents the batch names more than once (they go row by row).
  validated AS (
    SELECT y.n, y.collection, y.id, y.r, y.doc, y.kind, y.versions,
      CASE WHEN y.entry IS NULL AND y.versions > 1 THEN
        (SELECT jsonb_build_object('status', 'rejected', 'reason', 'invalid', 'message', p.problem)
         FROM (SELECT counterbook.row_problem(y.collection, y.doc) AS problem) p WHERE p.problem IS NOT NULL)
      ELSE y.entry END AS entry
    FROM counted y
  )
  SELECT coalesce(array_agg(ROW(
           y.n, y.collection, y.id,
           CASE WHEN y.entry IS NULL THEN y.r ->> 'revision' END,
           CASE WHEN y.entry IS NULL THEN y.r ->> 'baseRevision' END,
           CASE WHEN y.entry IS NULL THEN coalesce((y.r ->> 'deleted')::boolean, false) END,
           CASE WHEN y.entry IS NULL THEN y.doc END,
           y.kind = 'append-only',
           y.entry IS NULL AND y.versions > 1,
           y.entry)::counterbook.push_row ORDER BY y.n), '{}')
  INTO v_rows
  FROM validated y;

  -- 2. Per collection, in name order (locks are taken in (collection, id) order, so two
  --    devices pushing overlapping batches cannot deadlock).
  FOR v_collection, v_append_only, v_repeated IN
    SELECT r.collection, bool_or(r.append_only), bool_or(r.repeated)
    FROM unnest(v_rows) r WHERE r.entry IS NULL
    GROUP BY r.collection ORDER BY r.collection COLLATE "C"
  LOOP
    IF v_repeated THEN
      FOR v_item IN
        SELECT r.n, r.id, r.revision, r.base, r.deleted, r.doc FROM unnest(v_rows) r
        WHERE r.entry IS NULL AND r.collection = v_collection ORDER BY r.id COLLATE "C", r.n
      LOOP
        SELECT * INTO v_one FROM counterbook.push_one(v_collection, d.tenant_id, d.id, v_append_only, v_item);
        v_out := array_append(v_out, ROW(v_item.n, v_one.entry, v_one.changed)::counterbook.push_outcome);
      END LOOP;
    ELSE
      v_items := ARRAY(SELECT ROW(r.n, r.id, r.revision, r.base, r.deleted, r.doc)::counterbook.push_item
                       FROM unnest(v_rows) r WHERE r.entry IS NULL AND r.collection = v_collection);
      -- An insert that lost a race with another device's insert of the same id comes
      -- back without an entry: decide it again against the row that won.
      FOR attempt IN 1..3 LOOP
        v_part := ARRAY(SELECT o FROM counterbook.rows_apply(v_collection, d.tenant_id, d.id, v_append_only, v_items) o);
        v_out := v_out || ARRAY(SELECT p FROM unnest(v_part) p WHERE p.entry IS NOT NULL);
        v_items := ARRAY(SELECT i FROM unnest(v_items) i WHERE i.n IN (SELECT p.n FROM unnest(v_part) p WHERE p.entry IS NULL));
        EXIT WHEN cardinality(v_items) = 0;
      END LOOP;
      IF cardinality(v_items) > 0 THEN
        RAISE EXCEPTION 'push: documents of this batch kept changing on the server; send the batch again' USING ERRCODE = '40001';
      END IF;
    END IF;
  END LOOP;

  -- 3. The answer, in input order.
  SELECT jsonb_build_object(
           'batchId', v_batch_id,
           'accepted', count(*) FILTER (WHERE x.entry ->> 'status' = 'accepted'),
           'conflicts', count(*) FILTER (WHERE x.entry ->> 'status' = 'conflict'),
           'rejected', count(*) FILTER (WHERE x.entry ->> 'status' = 'rejected'),
           'results', coalesce(jsonb_agg(jsonb_build_object('index', x.n - 1, 'collection', x.collection, 'id', x.id) || x.entry ORDER BY x.n), '[]'::jsonb)),
         coalesce(sum(x.changed::integer), 0)
  INTO v_result, v_changed
  FROM (
    SELECT r.n, r.collection, r.id, coalesce(r.entry, o.entry) AS entry, coalesce(o.changed, false) AS changed
    FROM unnest(v_rows) r LEFT JOIN unnest(v_out) o ON o.n = r.n
  ) x;

  IF v_batch_id IS NOT NULL THEN
    UPDATE counterbook.push_batches pb SET result = v_result
    WHERE pb.tenant_id = d.tenant_id AND pb.device_id = d.id AND pb.batch_id = v_batch_id;
  END IF;
  IF v_changed > 0 THEN
    -- Delivered at commit, to every session that LISTENs on the tenant's channel.
    PERFORM pg_notify(counterbook.tenant_channel(d.tenant_id),
                      jsonb_build_object('deviceId', d.id, 'changed', v_changed)::text);
  END IF;
  PERFORM counterbook.touch_device(d);
  RETURN v_result;
END
$$;


DROP FUNCTION IF EXISTS counterbook.closed_day_refusals(counterbook.push_row[], uuid, text);
DROP FUNCTION IF EXISTS counterbook.verify_audit_chain(uuid);
DROP FUNCTION IF EXISTS counterbook.audit_entry_hash(counterbook_data.audit_log);
DROP FUNCTION IF EXISTS counterbook.audit_hashed_subject(counterbook_data.audit_log);
DROP FUNCTION IF EXISTS counterbook.canonical_json(jsonb);
DROP FUNCTION IF EXISTS counterbook.utf16_order(text);
DROP FUNCTION IF EXISTS counterbook.js_number(numeric);
DROP INDEX IF EXISTS counterbook_data.audit_log_resource;
DROP INDEX IF EXISTS counterbook_data.day_closes_day;
DROP TRIGGER IF EXISTS audit_log_no_truncate ON counterbook_data.audit_log;
DROP TRIGGER IF EXISTS audit_log_append_only ON counterbook_data.audit_log;
DROP FUNCTION IF EXISTS counterbook.refuse_audit_change();
