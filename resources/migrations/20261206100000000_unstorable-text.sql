-- Up Migration
--
-- Counterbook server schema, part 4: text that PostgreSQL cannot store costs only its
-- row. jsonb (and text) cannot hold a NUL character (\u0000) or a lone UTF-16
-- surrogate (\ud800 without its pair), both valid in JSON and in a device's store. As
-- the jsonb argument of push, one such string made the whole call fail before push
-- ran, and the device resent that batch forever.
--
-- counterbook.push(batch text) is the push devices call now: the same answer, but a
-- row with such a string is refused on its own (reason `invalid` naming the field when
-- it is in the document, `malformed` when in the envelope) and every other row of the
-- batch is decided as usual. counterbook.push(jsonb) stays for older devices. Both
-- run counterbook.push_batch (push of the trust layer, plus refusals decided before it
-- by row index).

-- Push of the trust-layer migration with one addition: p_refused ({"<row index>":
-- {"reason", "message"}}, or NULL) refuses rows before any other check.
CREATE FUNCTION counterbook.push_batch(batch jsonb, p_refused jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE
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
           CASE WHEN jsonb_typeof(x.value) = 'object' THEN x.value -> 'doc' END AS doc,
           CASE WHEN p_refused IS NOT NULL THEN p_refused -> (x.n - 1)::text END AS refused
    FROM jsonb_array_elements(batch -> 'rows') WITH ORDINALITY AS x(value, n)
  ),
  envelope AS MATERIALIZED (
    SELECT e.r, e.n, e.doc, e.refused,
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
        WHEN k.refused IS NOT NULL THEN jsonb_build_object('status', 'rejected') || k.refused
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



-- The first place (path) in a value where a string or a field name contains p_mark,
-- or NULL: `doc.lines[0].name`, `doc.notes (a field name)`.
CREATE FUNCTION counterbook.marked_path(v jsonb, p_mark text, p_path text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text;
  x jsonb;
  i bigint;
  found text;
BEGIN
  CASE jsonb_typeof(v)
    WHEN 'string' THEN
      RETURN CASE WHEN strpos(v #>> '{}', p_mark) > 0 THEN p_path END;
    WHEN 'object' THEN
      FOR k, x IN SELECT e.key, e.value FROM jsonb_each(v) e ORDER BY e.key COLLATE "C" LOOP
        IF strpos(k, p_mark) > 0 THEN
          RETURN concat_ws('.', nullif(p_path, ''), '(a field name)');
        END IF;
        found := counterbook.marked_path(x, p_mark, concat_ws('.', nullif(p_path, ''), k));
        IF found IS NOT NULL THEN
          RETURN found;
        END IF;
      END LOOP;
    WHEN 'array' THEN
      FOR x, i IN SELECT e.value, e.n FROM jsonb_array_elements(v) WITH ORDINALITY e(value, n) LOOP
        found := counterbook.marked_path(x, p_mark, p_path || '[' || (i - 1)::text || ']');
        IF found IS NOT NULL THEN
          RETURN found;
        END IF;
      END LOOP;
    ELSE
      NULL;
  END CASE;
  RETURN NULL;
END
$$;

-- A batch whose text jsonb refused, made storable: every \u0000 escape and every lone
-- surrogate escape is replaced by a random mark, and each row holding a mark gets its
-- refusal. Only the JSON text is rewritten (no JSON parser here), so escapes are found
-- by position: once every escaped backslash (\\) is set aside, every backslash left
-- starts an escape. Raises CBB01 when the text is not JSON even then.
CREATE FUNCTION counterbook.storable_batch(batch text, OUT storable jsonb, OUT refused jsonb)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- Letters and digits only: valid inside any JSON string, never in a device's text by chance.
  nul_mark text := 'cbnul' || replace(gen_random_uuid()::text, '-', '');
  surrogate_mark text := 'cbsur' || replace(gen_random_uuid()::text, '-', '');
  t text;
BEGIN
  -- chr(1) and chr(2) stand in for backslashes below; unescaped they are never valid JSON.
  IF strpos(batch, chr(1)) > 0 OR strpos(batch, chr(2)) > 0 THEN
    RAISE EXCEPTION 'malformed batch: not valid JSON' USING ERRCODE = 'CBB01';
  END IF;
  t := replace(batch, '\\', chr(1));
  -- Surrogate pairs are fine: set them aside before looking for lone halves.
  t := regexp_replace(t, '\\(u[dD][89abAB][0-9a-fA-F]{2})\\(u[dD][c-fC-F][0-9a-fA-F]{2})', chr(2) || '\1' || chr(2) || '\2', 'g');
  t := regexp_replace(t, '\\u0000', nul_mark, 'g');
  t := regexp_replace(t, '\\u[dD][89a-fA-F][0-9a-fA-F]{2}', surrogate_mark, 'g');
  t := replace(replace(t, chr(2), '\'), chr(1), '\\');
  BEGIN
    storable := t::jsonb;
  EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
    RAISE EXCEPTION 'malformed batch: not valid JSON (%)', SQLERRM USING ERRCODE = 'CBB01';
  END;
  IF jsonb_typeof(storable -> 'rows') IS DISTINCT FROM 'array' THEN
    RETURN;  -- push_batch says what is wrong with the batch
  END IF;
  IF strpos((storable - 'rows')::text, nul_mark) > 0 OR strpos((storable - 'rows')::text, surrogate_mark) > 0 THEN
    RAISE EXCEPTION 'malformed batch: its batchId contains text the server cannot store' USING ERRCODE = 'CBB01';
  END IF;
  SELECT jsonb_object_agg((x.n - 1)::text, jsonb_build_object(
           'reason', CASE WHEN p.path LIKE 'doc.%' THEN 'invalid' ELSE 'malformed' END,
           'message', format('%s contains %s, which the server cannot store',
                             CASE WHEN p.path LIKE 'doc.%' THEN substr(p.path, 5) ELSE p.path END,
                             CASE WHEN p.kind = 'nul' THEN 'a NUL character (\u0000)' ELSE 'a lone UTF-16 surrogate (broken Unicode text)' END)))
  INTO refused
  FROM jsonb_array_elements(storable -> 'rows') WITH ORDINALITY AS x(value, n),
    LATERAL (SELECT m.kind, counterbook.marked_path(x.value, m.mark, '') AS path
             FROM (VALUES (1, 'nul', nul_mark), (2, 'surrogate', surrogate_mark)) AS m(o, kind, mark)
             WHERE strpos(x.value::text, m.mark) > 0
             ORDER BY m.o LIMIT 1) AS p;
END
$$;

-- Push a batch given as JSON text (see push_batch for the batch and the answer). The
-- text is cast to jsonb in one go; only when that fails does storable_batch find the
-- rows jsonb cannot hold, so the usual batch pays nothing more than before.
CREATE FUNCTION counterbook.push(batch text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_nestloop = off
AS $$
DECLARE
  v_batch jsonb;
  v_lenient record;
BEGIN
  BEGIN
    v_batch := batch::jsonb;
  EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
    SELECT * INTO v_lenient FROM counterbook.storable_batch(batch);
    RETURN counterbook.push_batch(v_lenient.storable, v_lenient.refused);
  END;
  RETURN counterbook.push_batch(v_batch, NULL);
END
$$;

CREATE OR REPLACE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_nestloop = off
AS $$
BEGIN
  RETURN counterbook.push_batch(batch, NULL);
END
$$;

-- Privileges: nothing for PUBLIC; push(text) is an entry point like push(jsonb).
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA counterbook FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.push_batch(jsonb, jsonb), counterbook.marked_path(jsonb, text, text),
  counterbook.storable_batch(text) TO counterbook_sync;
GRANT CREATE ON SCHEMA counterbook TO counterbook_sync;
ALTER FUNCTION counterbook.push(text) OWNER TO counterbook_sync;
REVOKE CREATE ON SCHEMA counterbook FROM counterbook_sync;
REVOKE ALL ON FUNCTION counterbook.push(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.push(text) TO counterbook_device;

-- Down Migration
-- Back to the trust layer's push(jsonb).
DROP FUNCTION counterbook.push(text);
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



DROP FUNCTION counterbook.storable_batch(text);
DROP FUNCTION counterbook.marked_path(jsonb, text, text);
DROP FUNCTION counterbook.push_batch(jsonb, jsonb);
