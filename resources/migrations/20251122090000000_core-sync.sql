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
-- Roles (roles are cluster-wide; these groups are shared by every database that runs this)
--   counterbook_device  NOLOGIN group of all device roles. May only EXECUTE
--                       counterbook.pull / push / whoami. No table privileges at all.
--   counterbook_sync    NOLOGIN owner of those SECURITY DEFINER functions. It holds the
--                       few table privileges the functions need and is NOT the table
--                       owner and NOT a superuser, so row-level security still applies
--                       inside the functions (defence in depth).
--   cb_device_<32 hex>  one LOGIN role per paired device (created by
--                       counterbook.admin_create_device_role, never by hand).
--   counterbook_pairing NOLOGIN group of the pairing logins. May only EXECUTE
--                       counterbook.redeem_pairing.
--   cb_pairing_<24 hex> one short-lived LOGIN role per pairing code (its password is
--                       the code's secret, VALID UNTIL a day after the code expires;
--                       NOLOGIN once used; dropped by the next `server pair-device`).
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
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'counterbook_pairing') THEN
    CREATE ROLE counterbook_pairing NOLOGIN NOINHERIT;
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
  -- The id the device made for itself (its local store's deviceId), for reference.
  local_id text CHECK (length(local_id) BETWEEN 1 AND 40),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  UNIQUE (role_name),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);

-- One-time pairing codes: only a SHA-256 of the code's secret is stored; the secret is
-- also the password of the code's own pairing login (role_name). A code is spent when
-- used_at is set and is worthless after expires_at.
CREATE TABLE counterbook.pairing_codes (
  tenant_id uuid NOT NULL REFERENCES counterbook.tenants (id),
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  role_name text NOT NULL UNIQUE CHECK (role_name ~ '^cb_pairing_[0-9a-f]{24}$'),
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
-- Set-based push (see counterbook.push)
-- ---------------------------------------------------------------------------

-- A pushed row once its envelope is checked.
CREATE TYPE counterbook.push_item AS (n integer, id text, revision text, base text, deleted boolean, doc jsonb);
-- Every row of a batch: entry is its rejection, or NULL while it is still to decide;
-- repeated: the batch names the same document more than once.
CREATE TYPE counterbook.push_row AS (n integer, collection text, id text, revision text, base text, deleted boolean,
                                     doc jsonb, append_only boolean, repeated boolean, entry jsonb);
-- The decision for one row: its result entry (NULL: an insert lost a race, decide again)
-- and whether the row was written.
CREATE TYPE counterbook.push_outcome AS (n integer, entry jsonb, changed boolean);

-- Applies the rows of one collection stored in counterbook.documents, set-based: locks
-- the existing rows in key order, decides every row (insert, resend, conflict,
-- immutable, update) and writes the inserts and updates, each in one statement. The
-- rows name distinct documents.
CREATE FUNCTION counterbook.documents_apply(p_collection text, p_tenant uuid, p_device uuid, p_append_only boolean, p_items counterbook.push_item[])
RETURNS SETOF counterbook.push_outcome
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- Every join here is between sets of a batch's size: hash joins. A nested loop over the
-- CTEs (chosen on a table whose statistics say it is empty) would be quadratic.
SET enable_nestloop = off
AS $$
DECLARE
  v_ids text[] := ARRAY(SELECT i.id FROM unnest(p_items) AS i);
BEGIN
  RETURN QUERY
    WITH cur AS MATERIALIZED (
      SELECT x.id, x.revision, x.deleted, x.xid, x.data AS doc
      FROM counterbook.documents x
      WHERE x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = ANY (v_ids)
      ORDER BY x.id
      FOR UPDATE
    ),
    decided AS MATERIALIZED (
      SELECT i.n, i.id, i.revision, i.deleted, i.doc,
             c.revision AS cur_revision, c.deleted AS cur_deleted, c.doc AS cur_doc, c.xid AS cur_xid,
             CASE
               WHEN c.id IS NULL THEN 'insert'
               WHEN c.revision = i.revision THEN CASE WHEN c.doc = i.doc AND c.deleted = i.deleted THEN 'unchanged' ELSE 'same_revision' END
               WHEN p_append_only THEN 'immutable'
               WHEN i.base IS NOT DISTINCT FROM c.revision THEN 'update'
               ELSE 'conflict'
             END AS action
      FROM unnest(p_items) AS i LEFT JOIN cur c ON c.id = i.id
    ),
    ins AS (
      INSERT INTO counterbook.documents (tenant_id, collection, id, revision, deleted, data, updated_at, written_by)
      SELECT p_tenant, p_collection, a.id, a.revision, a.deleted, a.doc, counterbook.doc_updated_at(a.doc), p_device
      FROM decided a WHERE a.action = 'insert' ORDER BY a.id
      ON CONFLICT DO NOTHING
      RETURNING id
    ),
    upd AS (
      UPDATE counterbook.documents x
      SET revision = a.revision, deleted = a.deleted, data = a.doc, updated_at = counterbook.doc_updated_at(a.doc), written_by = p_device
      FROM decided a
      WHERE a.action = 'update' AND x.tenant_id = p_tenant AND x.collection = p_collection AND x.id = ANY (v_ids) AND x.id = a.id
      RETURNING x.id
    )
    SELECT a.n, counterbook.push_entry(p_collection, a.action, ins.id IS NOT NULL, a.id, a.cur_revision, a.cur_deleted, a.cur_doc, a.cur_xid),
           a.action = 'update' OR ins.id IS NOT NULL
    FROM decided a LEFT JOIN ins ON ins.id = a.id;
END
$$;

-- The result entry of a decision of *_apply. No SET search_path on purpose: a SQL
-- function with a SET clause is never inlined, and calling it once per row cost about
-- 40 us. It is only called from the sync functions, whose search_path is pinned (an
-- inlined body is parsed with the caller's), and only counterbook_sync may execute it.
CREATE FUNCTION counterbook.push_entry(collection text, action text, inserted boolean, id text, cur_revision text, cur_deleted boolean, cur_doc jsonb, cur_xid xid8)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT CASE action
    WHEN 'insert' THEN CASE WHEN inserted THEN '{"status": "accepted"}'::jsonb END
    WHEN 'update' THEN '{"status": "accepted"}'::jsonb
    WHEN 'unchanged' THEN '{"status": "accepted", "unchanged": true}'::jsonb
    WHEN 'same_revision' THEN jsonb_build_object('status', 'conflict', 'message', 'same revision with different content',
      'server', counterbook.server_row(collection, id, cur_revision, cur_deleted, cur_doc, cur_xid))
    WHEN 'immutable' THEN jsonb_build_object('status', 'rejected', 'reason', 'immutable',
      'message', format('%s is append-only: entries are never changed, write a reversal entry instead', collection),
      'server', counterbook.server_row(collection, id, cur_revision, cur_deleted, cur_doc, cur_xid))
    ELSE jsonb_build_object('status', 'conflict',
      'server', counterbook.server_row(collection, id, cur_revision, cur_deleted, cur_doc, cur_xid))
  END
$$;

-- Storage extension point for push: applies distinct rows of one collection
-- set-based. The collection migrations route their collections to their tables.
CREATE FUNCTION counterbook.rows_apply(p_collection text, p_tenant uuid, p_device uuid, p_append_only boolean, p_items counterbook.push_item[])
RETURNS SETOF counterbook.push_outcome
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT * FROM counterbook.documents_apply(p_collection, p_tenant, p_device, p_append_only, p_items);
END
$$;

-- One row the slow way, for batches that name a document more than once (its
-- versions apply in batch order). Locks the row; returns the entry and whether the row
-- was written.
CREATE FUNCTION counterbook.push_one(p_collection text, p_tenant uuid, p_device uuid, p_append_only boolean, p_item counterbook.push_item,
                                     OUT entry jsonb, OUT changed boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_current record;
BEGIN
  changed := false;
  SELECT * INTO v_current FROM counterbook.row_current(p_collection, p_tenant, p_item.id);
  IF NOT FOUND THEN
    -- New on the server. (A base the server never had is not a conflict: there is
    -- nothing here to overwrite.)
    IF counterbook.row_insert(p_collection, p_tenant, p_device, p_item.id, p_item.revision, p_item.deleted, p_item.doc) THEN
      entry := '{"status": "accepted"}';
      changed := true;
      RETURN;
    END IF;
    -- Another transaction inserted it meanwhile: decide against its row.
    SELECT * INTO v_current FROM counterbook.row_current(p_collection, p_tenant, p_item.id);
  END IF;
  IF v_current.revision = p_item.revision THEN
    entry := counterbook.push_entry(p_collection,
      CASE WHEN v_current.doc = p_item.doc AND v_current.deleted = p_item.deleted THEN 'unchanged' ELSE 'same_revision' END,
      false, p_item.id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid);
  ELSIF p_append_only THEN
    entry := counterbook.push_entry(p_collection, 'immutable', false, p_item.id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid);
  ELSIF p_item.base IS NOT DISTINCT FROM v_current.revision THEN
    PERFORM counterbook.row_update(p_collection, p_tenant, p_device, p_item.id, p_item.revision, p_item.deleted, p_item.doc);
    entry := '{"status": "accepted"}';
    changed := true;
  ELSE
    entry := counterbook.push_entry(p_collection, 'conflict', false, p_item.id, v_current.revision, v_current.deleted, v_current.doc, v_current.xid);
  END IF;
END
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
--
-- Set-based: one statement checks every row (envelope, tenant, collection, size,
-- schema); then per collection (in name order) one statement locks the existing rows
-- in key order, decides each row and writes the inserts and updates
-- (counterbook.rows_apply). Only a collection that the batch names the same document
-- of more than once goes row by row (counterbook.push_one), so that its versions apply
-- in batch order.
CREATE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
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

-- How many row versions of the caller's tenant wait after the cursor's transaction
-- (an estimate for progress: it counts the rest of that transaction's rows again).
-- Replaced by the collection migrations to count every table.
CREATE FUNCTION counterbook.pull_backlog(after_xid xid8) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d counterbook.devices := counterbook.require_device();
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
  cur_xid xid8 := coalesce(after_xid, '0'::xid8);
BEGIN
  RETURN (SELECT count(*) FROM counterbook.documents x
          WHERE x.tenant_id = d.tenant_id AND x.xid >= cur_xid AND x.xid < horizon);
END
$$;

-- ---------------------------------------------------------------------------
-- Pairing (the only thing a pairing login may call)
-- ---------------------------------------------------------------------------

-- A device redeems its pairing code: it logs in as the code's own pairing role
-- (cb_pairing_<24 hex>, whose password is the code's secret) and sends the SCRAM
-- verifier of a password it made itself, so the device password never leaves the
-- device and never reaches this server or its logs. Creates the device's LOGIN role,
-- its row and its invoice-series code (the proposed one when it is free in the tenant,
-- else the next D01, D02, ...), spends the code and closes the pairing login.
-- Errors: CBP01 not a pairing login (or its code is gone), CBP02 already used,
-- CBP03 expired, 22023 a bad argument.
-- SECURITY DEFINER owned by the admin who migrated (it needs CREATEROLE): nothing in
-- it comes from the caller except the three checked arguments.
CREATE FUNCTION counterbook.redeem_pairing(local_device_id text, proposed_code text, scram_verifier text)
RETURNS TABLE (device_id uuid, tenant_id uuid, tenant_name text, device_code text, device_name text, role_name text, channel text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  p counterbook.pairing_codes;
  t counterbook.tenants;
  v_code text;
  v_number integer;
  v_device uuid := gen_random_uuid();
  v_role text;
BEGIN
  SELECT * INTO p FROM counterbook.pairing_codes pc WHERE pc.role_name = session_user::text FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this connection is not a Counterbook pairing login, or its code was withdrawn' USING ERRCODE = 'CBP01';
  END IF;
  IF p.used_at IS NOT NULL THEN
    RAISE EXCEPTION 'this pairing code was already used' USING ERRCODE = 'CBP02';
  END IF;
  IF p.expires_at <= now() THEN
    RAISE EXCEPTION 'this pairing code expired at %', to_char(p.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      USING ERRCODE = 'CBP03';
  END IF;
  IF local_device_id IS NULL OR length(local_device_id) NOT BETWEEN 1 AND 40 OR local_device_id ~ '[[:cntrl:]]' THEN
    RAISE EXCEPTION 'local_device_id must be 1 to 40 printable characters' USING ERRCODE = '22023';
  END IF;

  SELECT * INTO t FROM counterbook.tenants x WHERE x.id = p.tenant_id FOR UPDATE;
  IF proposed_code ~ '^[A-Z0-9]{1,8}$'
     AND NOT EXISTS (SELECT FROM counterbook.devices x WHERE x.tenant_id = t.id AND x.code = proposed_code) THEN
    v_code := proposed_code;
  ELSE
    v_number := t.next_device_number;
    LOOP
      v_code := 'D' || CASE WHEN v_number < 10 THEN '0' ELSE '' END || v_number::text;
      v_number := v_number + 1;
      EXIT WHEN NOT EXISTS (SELECT FROM counterbook.devices x WHERE x.tenant_id = t.id AND x.code = v_code);
    END LOOP;
    -- Device codes are never reused, even after a revoke.
    UPDATE counterbook.tenants x SET next_device_number = v_number WHERE x.id = t.id;
  END IF;

  v_role := 'cb_device_' || replace(v_device::text, '-', '');
  PERFORM counterbook.admin_create_device_role(v_role, scram_verifier);
  INSERT INTO counterbook.devices (tenant_id, id, name, code, role_name, local_id)
  VALUES (t.id, v_device, p.device_name, v_code, v_role, local_device_id);
  UPDATE counterbook.pairing_codes x SET used_at = now(), device_id = v_device
  WHERE x.tenant_id = p.tenant_id AND x.code_hash = p.code_hash;
  -- The pairing login is spent (the code is refused above in any case).
  BEGIN
    EXECUTE format('ALTER ROLE %I NOLOGIN', session_user);
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  RETURN QUERY SELECT v_device, t.id, t.name, v_code, p.device_name, v_role, counterbook.tenant_channel(t.id);
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

-- Creates the LOGIN role of one pairing code: member of counterbook_pairing (which may
-- only execute counterbook.redeem_pairing), a SCRAM verifier of the code's secret as
-- its password, valid until valid_until (a day after the code expires, so that a late
-- device hears "expired" rather than "wrong password").
CREATE FUNCTION counterbook.admin_create_pairing_role(role_name text, scram_verifier text, valid_until timestamptz) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF role_name IS NULL OR role_name !~ '^cb_pairing_[0-9a-f]{24}$' THEN
    RAISE EXCEPTION 'invalid pairing role name' USING ERRCODE = '22023';
  END IF;
  IF scram_verifier IS NULL OR scram_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$' THEN
    RAISE EXCEPTION 'expected a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
  END IF;
  IF valid_until IS NULL THEN
    RAISE EXCEPTION 'valid_until is required' USING ERRCODE = '22023';
  END IF;
  EXECUTE format(
    'CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT '
    'CONNECTION LIMIT 2 PASSWORD %L VALID UNTIL %L IN ROLE counterbook_pairing',
    role_name, scram_verifier, to_char(valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00');
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', role_name, '30s');
  EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', role_name, '10s');
END
$$;

-- Drops the pairing logins that can no longer be of use: used more than ten minutes
-- ago, or expired more than `grace` ago. Run by `server pair-device`.
CREATE FUNCTION counterbook.admin_drop_pairing_roles(grace interval DEFAULT interval '1 day') RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  dropped integer := 0;
  r text;
BEGIN
  FOR r IN
    SELECT pc.role_name FROM counterbook.pairing_codes pc
    JOIN pg_catalog.pg_roles ro ON ro.rolname = pc.role_name
    WHERE pc.used_at < now() - interval '10 minutes' OR pc.expires_at < now() - grace
  LOOP
    BEGIN
      EXECUTE format('DROP ROLE %I', r);
      dropped := dropped + 1;
    EXCEPTION WHEN OTHERS THEN
      NULL;  -- still connected, or not ours to drop: the next run tries again
    END;
  END LOOP;
  RETURN dropped;
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
GRANT USAGE ON SCHEMA counterbook TO counterbook_device, counterbook_sync, counterbook_pairing;

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
  counterbook.doc_updated_at(jsonb), counterbook.server_row(text, text, text, boolean, jsonb, xid8),
  counterbook.push_entry(text, text, boolean, text, text, boolean, jsonb, xid8),
  counterbook.documents_apply(text, uuid, uuid, boolean, counterbook.push_item[]),
  counterbook.rows_apply(text, uuid, uuid, boolean, counterbook.push_item[]),
  counterbook.push_one(text, uuid, uuid, boolean, counterbook.push_item)
  TO counterbook_sync;

-- Hand the entry points to counterbook_sync (it needs CREATE on the schema only for the
-- moment of the hand-over), then let devices execute them.
GRANT CREATE ON SCHEMA counterbook TO counterbook_sync;
ALTER FUNCTION counterbook.whoami() OWNER TO counterbook_sync;
ALTER FUNCTION counterbook.pull(xid8, text, text, integer) OWNER TO counterbook_sync;
ALTER FUNCTION counterbook.push(jsonb) OWNER TO counterbook_sync;
ALTER FUNCTION counterbook.pull_backlog(xid8) OWNER TO counterbook_sync;
REVOKE CREATE ON SCHEMA counterbook FROM counterbook_sync;
REVOKE ALL ON FUNCTION counterbook.whoami(), counterbook.pull(xid8, text, text, integer), counterbook.push(jsonb), counterbook.pull_backlog(xid8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.whoami(), counterbook.pull(xid8, text, text, integer), counterbook.push(jsonb), counterbook.pull_backlog(xid8)
  TO counterbook_device;

-- Pairing logins may redeem their code and do nothing else. redeem_pairing stays owned
-- by the admin who migrated: creating the device role needs CREATEROLE.
REVOKE ALL ON FUNCTION counterbook.redeem_pairing(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.redeem_pairing(text, text, text) TO counterbook_pairing;

-- Down Migration
-- Leaves the roles (cluster-wide, possibly used by other databases) and the device
-- roles in place; drop them by hand once no database uses them.
DROP FUNCTION IF EXISTS counterbook.redeem_pairing(text, text, text);
DROP FUNCTION IF EXISTS counterbook.pull_backlog(xid8);
DROP FUNCTION IF EXISTS counterbook.push(jsonb);
DROP FUNCTION IF EXISTS counterbook.push_one(text, uuid, uuid, boolean, counterbook.push_item);
DROP FUNCTION IF EXISTS counterbook.rows_apply(text, uuid, uuid, boolean, counterbook.push_item[]);
DROP FUNCTION IF EXISTS counterbook.documents_apply(text, uuid, uuid, boolean, counterbook.push_item[]);
DROP FUNCTION IF EXISTS counterbook.push_entry(text, text, boolean, text, text, boolean, jsonb, xid8);
DROP TYPE IF EXISTS counterbook.push_outcome;
DROP TYPE IF EXISTS counterbook.push_row;
DROP TYPE IF EXISTS counterbook.push_item;
DROP FUNCTION IF EXISTS counterbook.admin_drop_pairing_roles(interval);
DROP FUNCTION IF EXISTS counterbook.admin_create_pairing_role(text, text, timestamptz);
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
