-- Up Migration
--
-- Counterbook server schema, part 6: a compact push answer. A device may ask for it
-- with "compact": true in the batch; the answer then lists only the rows whose result
-- is more than a plain acceptance (conflicts, rejections, unchanged resends), each
-- with its index, and says "compact": true: every row it does not list was accepted.
-- Building, storing (for replays), sending and reading one small object per accepted
-- row was about a tenth of a push. Without "compact" the answer is as before, so older
-- devices are unaffected. Otherwise counterbook.push_batch is that of the
-- unstorable-text migration.

CREATE OR REPLACE FUNCTION counterbook.push_batch(batch jsonb, p_refused jsonb) RETURNS jsonb
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
  v_compact boolean;
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
  IF batch ? 'compact' AND jsonb_typeof(batch -> 'compact') <> 'boolean' THEN
    RAISE EXCEPTION 'malformed batch: compact must be true or false' USING ERRCODE = 'CBB01';
  END IF;
  v_compact := coalesce((batch ->> 'compact')::boolean, false);
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
           -- Compact: only the rows whose answer is more than a plain acceptance.
           'results', coalesce(jsonb_agg(jsonb_build_object('index', x.n - 1, 'collection', x.collection, 'id', x.id) || x.entry ORDER BY x.n)
                                 FILTER (WHERE NOT v_compact OR x.entry IS DISTINCT FROM '{"status": "accepted"}'::jsonb), '[]'::jsonb))
         || CASE WHEN v_compact THEN '{"compact": true}'::jsonb ELSE '{}'::jsonb END,
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

-- Down Migration
-- The answer as before (every row listed).

CREATE OR REPLACE FUNCTION counterbook.push_batch(batch jsonb, p_refused jsonb) RETURNS jsonb
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
