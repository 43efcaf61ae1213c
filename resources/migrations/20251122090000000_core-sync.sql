-- Up Migration
--
-- Counterbook server schema, part 1: tenants, devices, pairing codes, the change
-- feed and the sync functions. Applied by `counterbook server migrate` (node-pg-migrate,
-- one transaction, advisory lock). Read src/main/sync/server/README.md first.
--
-- Layout
--   Schema `counterbook`. Every key is led by tenant_id so a distributed PostgreSQL
--   (Citus) can shard by tenant. Nothing here runs Citus functions; on Citus, run once
--   after migrating (as the Citus admin):
--     SELECT create_reference_table('counterbook.tenants');
--     SELECT create_reference_table('counterbook.collections');
--     SELECT create_reference_table('counterbook.devices');        -- looked up by role name on every call
--     SELECT create_reference_table('counterbook.pairing_codes');  -- looked up by code hash
--     SELECT create_distributed_table('counterbook.documents', 'tenant_id');
--     SELECT create_distributed_table('counterbook.push_batches', 'tenant_id', colocate_with => 'counterbook.documents');
--   The two unique keys not led by tenant_id (devices.role_name, pairing_codes.code_hash)
--   sit on those small reference tables, where Citus allows them.
--   Caveat: transaction ids are per node. On Citus the change position must be taken
--   and compared on the node that holds the tenant's shard (run pull/push there, e.g.
--   as distributed functions colocated by tenant_id), or the feed switches to the
--   per-tenant counter described in the README.
--
-- Roles (roles are cluster-wide; these two are shared by every database that runs this)
--   counterbook_device  NOLOGIN group of all device roles. May only EXECUTE
--                       counterbook.pull / push / whoami. No table privileges at all.
--   counterbook_sync    NOLOGIN owner of those SECURITY DEFINER functions. It holds the
--                       few table privileges the functions need and is NOT the table
--                       owner and NOT a superuser, so row-level security still applies
--                       inside the functions (defence in depth).
--   cb_device_<32 hex>  one LOGIN role per paired device (created by
--                       counterbook.admin_create_device_role, never by hand).
--
-- Change feed (why not updated_at or a sequence): `now()` is the transaction's start
-- and sequence values are handed out before commit, so a cursor built on them can pass
-- a row whose transaction commits later, and that row is never pulled. Instead every
-- row version stores the id of the transaction that wrote it (xid8, set by a trigger,
-- so nobody can forge it), and pull returns only rows whose xid is below the xmin of
-- the current snapshot: every transaction below xmin has finished (committed or rolled
-- back), so nothing can appear below the cursor later. A long-running writer holds the
-- horizon back (its row and everything after it wait) instead of being skipped. The
-- cursor is (xid, collection, id): the same transaction writes many rows.

CREATE SCHEMA IF NOT EXISTS counterbook;

DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'counterbook_device') THEN
    CREATE ROLE counterbook_device NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'counterbook_sync') THEN
    CREATE ROLE counterbook_sync NOLOGIN NOINHERIT;
  END IF;
  -- To hand the sync functions to counterbook_sync a non-superuser admin (Neon,
  -- Supabase, RDS) must be a member of it; creating it gave the admin ADMIN OPTION.
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
     AND NOT pg_catalog.pg_has_role(current_user, 'counterbook_sync', 'MEMBER') THEN
    EXECUTE format('GRANT counterbook_sync TO %I', current_user);
  END IF;
END
$roles$;

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

CREATE TABLE counterbook.tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Device codes (D01, D02, ...) are never reused, even after a revoke.
  next_device_number integer NOT NULL DEFAULT 1 CHECK (next_device_number > 0)
);

CREATE TABLE counterbook.devices (
  tenant_id uuid NOT NULL REFERENCES counterbook.tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Short code for the device's invoice series (shop prefix, device code, sequence).
  code text NOT NULL CHECK (code ~ '^[A-Z0-9]{1,8}$'),
  role_name text NOT NULL CHECK (role_name ~ '^cb_device_[0-9a-f]{32}$'),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  paired_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seen_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  UNIQUE (role_name),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);

-- One-time pairing codes: only a SHA-256 of the code is stored; a code is spent when
-- used_at is set and is worthless after expires_at.
CREATE TABLE counterbook.pairing_codes (
  tenant_id uuid NOT NULL REFERENCES counterbook.tenants (id),
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  device_name text NOT NULL CHECK (length(device_name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid,
  PRIMARY KEY (tenant_id, code_hash),
  CHECK (expires_at > created_at),
  CHECK ((used_at IS NULL) = (device_id IS NULL))
);
CREATE UNIQUE INDEX pairing_codes_code_hash ON counterbook.pairing_codes (code_hash);

-- The replicated collections the server accepts (not per tenant). kind 'append-only'
-- rows are never changed once written (ledgers, audit): a different version of an
-- existing row is rejected, never a conflict. Filled by the collection migrations.
CREATE TABLE counterbook.collections (
  name text COLLATE "C" PRIMARY KEY CHECK (name ~ '^[a-z][A-Za-z0-9]{0,62}$'),
  kind text NOT NULL CHECK (kind IN ('append-only', 'mutable')),
  max_doc_bytes integer NOT NULL DEFAULT 262144 CHECK (max_doc_bytes BETWEEN 1 AND 16777216),
  -- 'documents': rows live in counterbook.documents (generic jsonb); 'table': in the
  -- collection's own typed table, wired into the counterbook.row_* functions.
  storage text NOT NULL DEFAULT 'documents' CHECK (storage IN ('documents', 'table'))
);

-- Generic document store: the first working feed. Typed per-collection tables come
-- in later migrations with the same bookkeeping columns (tenant_id, id, revision,
-- deleted, xid, written_at, written_by) and the same trigger, and pull reads them in
-- the same (xid, collection, id) order.
CREATE TABLE counterbook.documents (
  tenant_id uuid NOT NULL REFERENCES counterbook.tenants (id),
  collection text COLLATE "C" NOT NULL REFERENCES counterbook.collections (name),
  id text COLLATE "C" NOT NULL CHECK (length(id) BETWEEN 1 AND 40),
  -- Revision the writing device gave this version (RxDB's _rev); the base for the next write.
  revision text NOT NULL CHECK (length(revision) BETWEEN 1 AND 128),
  deleted boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL,
  -- The document's own updatedAt (epoch ms, device clock), when it has one.
  updated_at bigint,
  -- Change position: the writing transaction (set by counterbook.stamp_change_position).
  xid xid8 NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  written_by uuid,
  PRIMARY KEY (tenant_id, collection, id)
);
CREATE INDEX documents_feed ON counterbook.documents (tenant_id, xid, collection, id);

-- Push idempotency: a resent batch (same device, same batchId) gets the stored answer
-- back and changes nothing. Rows older than a few weeks can be pruned with
-- counterbook.prune_push_batches().
CREATE TABLE counterbook.push_batches (
  tenant_id uuid NOT NULL,
  device_id uuid NOT NULL,
  batch_id text COLLATE "C" NOT NULL CHECK (length(batch_id) BETWEEN 1 AND 64),
  received_at timestamptz NOT NULL DEFAULT now(),
  result jsonb,
  PRIMARY KEY (tenant_id, device_id, batch_id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES counterbook.devices (tenant_id, id)
);

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- Every write stamps the row with its transaction: the commit-safe change position.
-- pg_current_xact_id() is the top-level transaction's id even inside a subtransaction.
CREATE FUNCTION counterbook.stamp_change_position() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  NEW.xid := pg_current_xact_id();
  NEW.written_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER documents_change_position
  BEFORE INSERT OR UPDATE ON counterbook.documents
  FOR EACH ROW EXECUTE FUNCTION counterbook.stamp_change_position();

-- A device session is one whose login role is a device role. session_user, not
-- current_user: inside the SECURITY DEFINER sync functions current_user is
-- counterbook_sync, while session_user stays the device that connected (SET ROLE
-- does not change it, SET SESSION AUTHORIZATION needs a superuser).
CREATE FUNCTION counterbook.is_device_session() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT starts_with(session_user::text, 'cb_device_') $$;

-- The tenant of the device behind this session; NULL for a revoked or unknown device.
CREATE FUNCTION counterbook.session_tenant() RETURNS uuid
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT d.tenant_id FROM counterbook.devices d
  WHERE d.role_name = session_user AND d.status = 'active'
$$;

-- LISTEN channel of a tenant: counterbook_tenant_<uuid without dashes> (a plain
-- lower-case identifier, so `LISTEN counterbook_tenant_...` needs no quoting).
CREATE FUNCTION counterbook.tenant_channel(tenant uuid) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 'counterbook_tenant_' || replace(tenant::text, '-', '') $$;

-- The calling device, or an error: CBD01 not a paired device, CBD02 revoked.
CREATE FUNCTION counterbook.require_device() RETURNS counterbook.devices
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d counterbook.devices;
BEGIN
  SELECT * INTO d FROM counterbook.devices WHERE role_name = session_user;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this connection is not a paired Counterbook device' USING ERRCODE = 'CBD01';
  END IF;
  IF d.status <> 'active' THEN
    RAISE EXCEPTION 'this device was revoked on the server; pair it again' USING ERRCODE = 'CBD02';
  END IF;
  RETURN d;
END
$$;

CREATE FUNCTION counterbook.touch_device(device counterbook.devices) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE counterbook.devices SET last_seen_at = now()
  WHERE tenant_id = device.tenant_id AND id = device.id
    AND (last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds')
$$;

-- Storage extension points. push and pull reach rows only through these, so that the
-- collection migrations can route collections to their own typed tables by replacing
-- them (CREATE OR REPLACE); until then every collection lives in counterbook.documents.
-- All run as the caller (inside push: counterbook_sync), so row-level security applies.

-- Why the document does not fit its collection's schema (NULL: it fits).
CREATE FUNCTION counterbook.row_problem(collection text, doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT NULL::text $$;

-- The server's current version of a row, locked FOR UPDATE; no row when it is new.
CREATE FUNCTION counterbook.row_current(p_collection text, p_tenant uuid, p_id text)
RETURNS TABLE (revision text, deleted boolean, doc jsonb, xid xid8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN QUERY
    SELECT x.revision, x.deleted, x.data, x.xid FROM counterbook.documents x
    WHERE x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = p_id
    FOR UPDATE;
END
$$;

-- Inserts a new row; false when a concurrent transaction inserted it first.
CREATE FUNCTION counterbook.row_insert(p_collection text, p_tenant uuid, p_device uuid, p_id text, p_revision text, p_deleted boolean, p_doc jsonb)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO counterbook.documents (tenant_id, collection, id, revision, deleted, data, updated_at, written_by)
  VALUES (p_tenant, p_collection, p_id, p_revision, p_deleted, p_doc, counterbook.doc_updated_at(p_doc), p_device)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

-- Replaces the (locked) row with a new version.
CREATE FUNCTION counterbook.row_update(p_collection text, p_tenant uuid, p_device uuid, p_id text, p_revision text, p_deleted boolean, p_doc jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE counterbook.documents x
  SET revision = p_revision, deleted = p_deleted, data = p_doc, updated_at = counterbook.doc_updated_at(p_doc), written_by = p_device
  WHERE x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = p_id;
END
$$;

-- The document's updatedAt (epoch ms) when it is a plausible one.
CREATE FUNCTION counterbook.doc_updated_at(doc jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN jsonb_typeof(doc -> 'updatedAt') = 'number' AND (doc -> 'updatedAt')::numeric BETWEEN 0 AND 253402300799999
              THEN floor((doc -> 'updatedAt')::numeric)::bigint END
$$;

-- A row as push reports it back in a conflict.
CREATE FUNCTION counterbook.server_row(collection text, id text, revision text, deleted boolean, doc jsonb, xid xid8) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_build_object('collection', collection, 'id', id, 'revision', revision, 'deleted', deleted,
                            'doc', doc, 'updatedAt', counterbook.doc_updated_at(doc), 'xid', xid::text)
$$;

-- ---------------------------------------------------------------------------
-- Sync functions (the only things a device may call)
-- ---------------------------------------------------------------------------

-- Who am I: the device, its tenant and the LISTEN channel to wait on.
CREATE FUNCTION counterbook.whoami()
RETURNS TABLE (device_id uuid, tenant_id uuid, tenant_name text, device_code text, device_name text, channel text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d counterbook.devices := counterbook.require_device();
BEGIN
  RETURN QUERY
    SELECT d.id, d.tenant_id, t.name, d.code, d.name, counterbook.tenant_channel(d.tenant_id)
    FROM counterbook.tenants t WHERE t.id = d.tenant_id;
END
$$;

-- Rows of the caller's tenant after the cursor (after_xid, after_collection, after_id),
-- in (xid, collection, id) order, at most max_rows (default 1000, at most 10000), and
-- only below the snapshot's xmin (see the header). The tenant comes from the session's
-- device role, never from an argument. Start with NULLs. The next cursor is the last
-- row's (xid, collection, id). CBC01: the cursor is ahead of this server's transaction
-- counter (a different or restored server): pull again from the start.
CREATE FUNCTION counterbook.pull(after_xid xid8, after_collection text, after_id text, max_rows integer)
RETURNS TABLE (xid xid8, collection text, id text, revision text, deleted boolean, doc jsonb, updated_at bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d counterbook.devices := counterbook.require_device();
  snap pg_snapshot := pg_current_snapshot();
  horizon xid8 := pg_snapshot_xmin(snap);
  cur_xid xid8 := coalesce(after_xid, '0'::xid8);
  cur_collection text := coalesce(after_collection, '');
  cur_id text := coalesce(after_id, '');
  lim integer := least(greatest(coalesce(max_rows, 1000), 1), 10000);
BEGIN
  IF cur_xid >= pg_snapshot_xmax(snap) THEN
    RAISE EXCEPTION 'the pull cursor is ahead of this server (restored or replaced?); pull again from the start'
      USING ERRCODE = 'CBC01';
  END IF;
  RETURN QUERY
    SELECT x.xid, x.collection::text, x.id::text, x.revision, x.deleted, x.data, x.updated_at
    FROM counterbook.documents x
    WHERE x.tenant_id = d.tenant_id
      AND (x.xid, x.collection, x.id) > (cur_xid, cur_collection COLLATE "C", cur_id COLLATE "C")
      AND x.xid < horizon
    ORDER BY x.xid, x.collection, x.id
    LIMIT lim;
  PERFORM counterbook.touch_device(d);
END
$$;

-- Push a batch: {"batchId": "...", "rows": [{"collection", "id", "revision",
-- "baseRevision" (the revision the device last saw, null for new), "deleted", "doc"}]}.
-- Returns {"batchId", "accepted", "conflicts", "rejected", "results": [{"index",
-- "collection", "id", "status": accepted|conflict|rejected, "reason", "message",
-- "server" (the server's row, for conflicts)}]} in input order. Every row gets a
-- result; one bad row never costs the others. Idempotent: the same batchId from the
-- same device returns the stored answer ("replayed": true) and changes nothing, and a
-- row whose revision is already the server's is accepted without a write.
-- Errors for the whole batch: CBB01 malformed batch, CBB02 too many rows or bytes.
CREATE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  max_rows constant integer := 5000;
  max_bytes constant integer := 33554432;
  d counterbook.devices := counterbook.require_device();
  v_batch_id text;
  v_count integer;
  v_results jsonb[];
  v_previous jsonb;
  v_result jsonb;
  v_changed integer := 0;
  v_accepted integer := 0;
  v_conflicts integer := 0;
  v_rejected integer := 0;
  r record;
  v_spec counterbook.collections;
  v_current record;
  v_found boolean;
  v_collection text;
  v_id text;
  v_doc jsonb;
  v_deleted boolean;
  v_revision text;
  v_base text;
  v_size integer;
  v_reason text;
  v_message text;
  v_entry jsonb;
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

  v_results := array_fill(NULL::jsonb, ARRAY[v_count]);
  -- Rows are locked in key order so that two devices pushing overlapping batches
  -- cannot deadlock; versions of one document keep their order within the batch.
  FOR r IN
    SELECT e.value AS row, e.n::integer AS n
    FROM jsonb_array_elements(batch -> 'rows') WITH ORDINALITY AS e(value, n)
    ORDER BY (CASE WHEN jsonb_typeof(e.value) = 'object' THEN e.value ->> 'collection' END) COLLATE "C" NULLS FIRST,
             (CASE WHEN jsonb_typeof(e.value) = 'object' THEN e.value ->> 'id' END) COLLATE "C" NULLS FIRST,
             e.n
  LOOP
    v_reason := NULL;
    v_message := NULL;
    v_entry := NULL;
    v_collection := NULL;
    v_id := NULL;

    IF jsonb_typeof(r.row) <> 'object' THEN
      v_reason := 'malformed'; v_message := 'a row must be a JSON object';
    ELSE
      IF jsonb_typeof(r.row -> 'collection') = 'string' THEN v_collection := r.row ->> 'collection'; END IF;
      IF jsonb_typeof(r.row -> 'id') = 'string' THEN v_id := r.row ->> 'id'; END IF;
      IF v_collection IS NULL THEN
        v_reason := 'malformed'; v_message := 'collection must be a string';
      ELSIF v_id IS NULL OR length(v_id) NOT BETWEEN 1 AND 40 OR v_id ~ '[[:cntrl:]]' THEN
        v_reason := 'malformed'; v_message := 'id must be a string of 1 to 40 printable characters';
      ELSIF jsonb_typeof(r.row -> 'revision') IS DISTINCT FROM 'string' OR length(r.row ->> 'revision') NOT BETWEEN 1 AND 128 THEN
        v_reason := 'malformed'; v_message := 'revision must be a string of 1 to 128 characters';
      ELSIF r.row ? 'baseRevision' AND jsonb_typeof(r.row -> 'baseRevision') NOT IN ('string', 'null') THEN
        v_reason := 'malformed'; v_message := 'baseRevision must be a string or null';
      ELSIF r.row ? 'deleted' AND jsonb_typeof(r.row -> 'deleted') <> 'boolean' THEN
        v_reason := 'malformed'; v_message := 'deleted must be true or false';
      ELSIF jsonb_typeof(r.row -> 'doc') IS DISTINCT FROM 'object' THEN
        v_reason := 'malformed'; v_message := 'doc must be a JSON object';
      ELSIF (r.row -> 'doc') ? 'id' AND (r.row -> 'doc' -> 'id') IS DISTINCT FROM (r.row -> 'id') THEN
        v_reason := 'malformed'; v_message := 'doc.id differs from the row id';
      ELSIF (r.row ? 'tenantId' AND lower(r.row ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text)
         OR ((r.row -> 'doc') ? 'tenantId' AND lower(r.row -> 'doc' ->> 'tenantId') IS DISTINCT FROM d.tenant_id::text) THEN
        v_reason := 'wrong_tenant'; v_message := 'the row names another tenant than this device''s';
      ELSE
        SELECT * INTO v_spec FROM counterbook.collections c WHERE c.name = v_collection;
        IF NOT FOUND THEN
          v_reason := 'unknown_collection'; v_message := format('the server does not know the collection %s', v_collection);
        ELSE
          v_doc := r.row -> 'doc';
          v_size := octet_length(v_doc::text);
          IF v_size > v_spec.max_doc_bytes THEN
            v_reason := 'oversized';
            v_message := format('the document is %s bytes; %s allows %s', v_size, v_collection, v_spec.max_doc_bytes);
          ELSE
            v_message := counterbook.row_problem(v_collection, v_doc);
            IF v_message IS NOT NULL THEN
              v_reason := 'invalid';
            END IF;
          END IF;
        END IF;
      END IF;
    END IF;

    IF v_reason IS NOT NULL THEN
      v_rejected := v_rejected + 1;
      v_entry := jsonb_build_object('status', 'rejected', 'reason', v_reason, 'message', v_message);
    ELSE
      v_deleted := coalesce((r.row ->> 'deleted')::boolean, false);
      v_revision := r.row ->> 'revision';
      v_base := r.row ->> 'baseRevision';

      SELECT * INTO v_current FROM counterbook.row_current(v_collection, d.tenant_id, v_id);
      v_found := FOUND;
      IF NOT v_found THEN
        -- New on the server. (A base the server never had is not a conflict: there is
        -- nothing here to overwrite.)
        IF counterbook.row_insert(v_collection, d.tenant_id, d.id, v_id, v_revision, v_deleted, v_doc) THEN
          v_changed := v_changed + 1;
          v_accepted := v_accepted + 1;
          v_entry := jsonb_build_object('status', 'accepted');
        ELSE
          -- Another transaction inserted it meanwhile: decide against its row.
          SELECT * INTO v_current FROM counterbook.row_current(v_collection, d.tenant_id, v_id);
          v_found := true;
        END IF;
      END IF;

      IF v_found THEN
        IF v_current.revision = v_revision THEN
          IF v_current.doc = v_doc AND v_current.deleted = v_deleted THEN
            v_accepted := v_accepted + 1;   -- already there: a resend
            v_entry := jsonb_build_object('status', 'accepted', 'unchanged', true);
          ELSE
            v_conflicts := v_conflicts + 1;
            v_entry := jsonb_build_object('status', 'conflict', 'message', 'same revision with different content',
              'server', counterbook.server_row(v_collection, v_id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid));
          END IF;
        ELSIF v_spec.kind = 'append-only' THEN
          v_rejected := v_rejected + 1;
          v_entry := jsonb_build_object('status', 'rejected', 'reason', 'immutable',
            'message', format('%s is append-only: entries are never changed, write a reversal entry instead', v_collection),
            'server', counterbook.server_row(v_collection, v_id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid));
        ELSIF v_base IS NOT DISTINCT FROM v_current.revision THEN
          PERFORM counterbook.row_update(v_collection, d.tenant_id, d.id, v_id, v_revision, v_deleted, v_doc);
          v_changed := v_changed + 1;
          v_accepted := v_accepted + 1;
          v_entry := jsonb_build_object('status', 'accepted');
        ELSE
          v_conflicts := v_conflicts + 1;
          v_entry := jsonb_build_object('status', 'conflict',
            'server', counterbook.server_row(v_collection, v_id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid));
        END IF;
      END IF;
    END IF;

    v_results[r.n] := jsonb_build_object('index', r.n - 1, 'collection', v_collection, 'id', v_id) || v_entry;
  END LOOP;

  v_result := jsonb_build_object(
    'batchId', v_batch_id, 'accepted', v_accepted, 'conflicts', v_conflicts, 'rejected', v_rejected,
    'results', coalesce(to_jsonb(v_results), '[]'::jsonb));
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
-- Admin helpers (run by the provisioning code over the admin's connection)
-- ---------------------------------------------------------------------------

-- Creates a device's LOGIN role. Takes a SCRAM-SHA-256 verifier, never a password,
-- so the password never reaches the server or its statement log. Identifiers are
-- checked against a strict pattern and quoted with format('%I').
CREATE FUNCTION counterbook.admin_create_device_role(role_name text, scram_verifier text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF role_name IS NULL OR role_name !~ '^cb_device_[0-9a-f]{32}$' THEN
    RAISE EXCEPTION 'invalid device role name' USING ERRCODE = '22023';
  END IF;
  IF scram_verifier IS NULL OR scram_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$' THEN
    RAISE EXCEPTION 'expected a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
  END IF;
  EXECUTE format(
    'CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT '
    'CONNECTION LIMIT 10 PASSWORD %L IN ROLE counterbook_device', role_name, scram_verifier);
  -- Honest clients never hold a transaction open (an open writer holds the feed back).
  EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', role_name, '60s');
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', role_name, '300s');
END
$$;

-- Refuses the device's logins from now on and ends its open sessions where the admin
-- may (the sync functions refuse a revoked device in any case).
CREATE FUNCTION counterbook.admin_disable_device_role(role_name text) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ended integer := 0;
  session_pid integer;
BEGIN
  IF role_name IS NULL OR role_name !~ '^cb_device_[0-9a-f]{32}$' THEN
    RAISE EXCEPTION 'invalid device role name' USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
    EXECUTE format('ALTER ROLE %I NOLOGIN', role_name);
    -- Pick the pids first, then signal them one by one: in a single WHERE clause the
    -- planner may call pg_terminate_backend before the user name filter.
    FOR session_pid IN
      SELECT a.pid FROM pg_catalog.pg_stat_activity a
      WHERE a.usename::text = role_name AND a.pid <> pg_catalog.pg_backend_pid()
    LOOP
      BEGIN
        IF pg_catalog.pg_terminate_backend(session_pid) THEN
          ended := ended + 1;
        END IF;
      EXCEPTION WHEN insufficient_privilege THEN
        NULL;
      END;
    END LOOP;
  END IF;
  RETURN ended;
END
$$;

-- Drops push_batches rows older than keep (default 30 days). Run from a maintenance job.
CREATE FUNCTION counterbook.prune_push_batches(keep interval DEFAULT interval '30 days') RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  WITH gone AS (DELETE FROM counterbook.push_batches WHERE received_at < now() - keep RETURNING 1)
  SELECT count(*) FROM gone
$$;

-- ---------------------------------------------------------------------------
-- Row-level security: enabled and forced on every tenant table. Device sessions see
-- their own tenant only (their own device row only); any other role (the admin, the
-- migration) is not confined here and is governed by its table privileges.
-- The (SELECT ...) wrappers make PostgreSQL evaluate the lookups once per query.
-- ---------------------------------------------------------------------------

ALTER TABLE counterbook.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE counterbook.tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counterbook.tenants
  USING (NOT (SELECT counterbook.is_device_session()) OR id = (SELECT counterbook.session_tenant()))
  WITH CHECK (NOT (SELECT counterbook.is_device_session()));

-- No lookup of session_tenant() here: it reads this table (no policy recursion).
ALTER TABLE counterbook.devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE counterbook.devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counterbook.devices
  USING (NOT (SELECT counterbook.is_device_session()) OR role_name = session_user)
  WITH CHECK (NOT (SELECT counterbook.is_device_session()) OR role_name = session_user);

ALTER TABLE counterbook.pairing_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE counterbook.pairing_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counterbook.pairing_codes
  USING (NOT (SELECT counterbook.is_device_session()))
  WITH CHECK (NOT (SELECT counterbook.is_device_session()));

ALTER TABLE counterbook.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE counterbook.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counterbook.documents
  USING (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()))
  WITH CHECK (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()));

ALTER TABLE counterbook.push_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE counterbook.push_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counterbook.push_batches
  USING (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()))
  WITH CHECK (NOT (SELECT counterbook.is_device_session()) OR tenant_id = (SELECT counterbook.session_tenant()));

-- ---------------------------------------------------------------------------
-- Privileges. Functions are executable by PUBLIC by default, so every migration ends
-- by revoking everything in the schema from PUBLIC and granting back exactly what is
-- meant. (ALTER DEFAULT PRIVILEGES was considered: a per-schema rule cannot take away
-- the global EXECUTE-to-PUBLIC default, and a global one would change the admin's
-- functions in every other schema of this database, so the explicit REVOKE stays.)
-- ---------------------------------------------------------------------------

REVOKE ALL ON SCHEMA counterbook FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA counterbook FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA counterbook FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA counterbook FROM PUBLIC;
GRANT USAGE ON SCHEMA counterbook TO counterbook_device, counterbook_sync;

-- What the sync functions (running as counterbook_sync) need, and nothing more.
GRANT SELECT ON counterbook.tenants, counterbook.collections TO counterbook_sync;
GRANT SELECT, UPDATE (last_seen_at) ON counterbook.devices TO counterbook_sync;
GRANT SELECT, INSERT, UPDATE ON counterbook.documents, counterbook.push_batches TO counterbook_sync;
GRANT EXECUTE ON FUNCTION
  counterbook.is_device_session(), counterbook.session_tenant(), counterbook.tenant_channel(uuid),
  counterbook.require_device(), counterbook.touch_device(counterbook.devices),
  counterbook.row_problem(text, jsonb), counterbook.row_current(text, uuid, text),
  counterbook.row_insert(text, uuid, uuid, text, text, boolean, jsonb),
  counterbook.row_update(text, uuid, uuid, text, text, boolean, jsonb),
  counterbook.doc_updated_at(jsonb), counterbook.server_row(text, text, text, boolean, jsonb, xid8)
  TO counterbook_sync;

-- Hand the entry points to counterbook_sync (it needs CREATE on the schema only for the
-- moment of the hand-over), then let devices execute them.
GRANT CREATE ON SCHEMA counterbook TO counterbook_sync;
ALTER FUNCTION counterbook.whoami() OWNER TO counterbook_sync;
ALTER FUNCTION counterbook.pull(xid8, text, text, integer) OWNER TO counterbook_sync;
ALTER FUNCTION counterbook.push(jsonb) OWNER TO counterbook_sync;
REVOKE CREATE ON SCHEMA counterbook FROM counterbook_sync;
REVOKE ALL ON FUNCTION counterbook.whoami(), counterbook.pull(xid8, text, text, integer), counterbook.push(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.whoami(), counterbook.pull(xid8, text, text, integer), counterbook.push(jsonb)
  TO counterbook_device;

-- Down Migration
-- Leaves the roles (cluster-wide, possibly used by other databases) and the device
-- roles in place; drop them by hand once no database uses them.
DROP FUNCTION IF EXISTS counterbook.push(jsonb);
DROP FUNCTION IF EXISTS counterbook.pull(xid8, text, text, integer);
DROP FUNCTION IF EXISTS counterbook.whoami();
DROP FUNCTION IF EXISTS counterbook.prune_push_batches(interval);
DROP FUNCTION IF EXISTS counterbook.admin_disable_device_role(text);
DROP FUNCTION IF EXISTS counterbook.admin_create_device_role(text, text);
DROP FUNCTION IF EXISTS counterbook.server_row(text, text, text, boolean, jsonb, xid8);
DROP FUNCTION IF EXISTS counterbook.row_update(text, uuid, uuid, text, text, boolean, jsonb);
DROP FUNCTION IF EXISTS counterbook.row_insert(text, uuid, uuid, text, text, boolean, jsonb);
DROP FUNCTION IF EXISTS counterbook.row_current(text, uuid, text);
DROP FUNCTION IF EXISTS counterbook.row_problem(text, jsonb);
DROP FUNCTION IF EXISTS counterbook.doc_updated_at(jsonb);
DROP FUNCTION IF EXISTS counterbook.touch_device(counterbook.devices);
DROP FUNCTION IF EXISTS counterbook.require_device();
DROP TABLE IF EXISTS counterbook.push_batches;
DROP TABLE IF EXISTS counterbook.documents;
DROP TABLE IF EXISTS counterbook.collections;
DROP TABLE IF EXISTS counterbook.pairing_codes;
DROP TABLE IF EXISTS counterbook.devices;
DROP TABLE IF EXISTS counterbook.tenants;
DROP FUNCTION IF EXISTS counterbook.tenant_channel(uuid);
DROP FUNCTION IF EXISTS counterbook.session_tenant();
DROP FUNCTION IF EXISTS counterbook.is_device_session();
DROP FUNCTION IF EXISTS counterbook.stamp_change_position();
