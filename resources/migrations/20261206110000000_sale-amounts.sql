-- Up Migration
--
-- Counterbook server schema, part 5: push refuses a finalised sale whose amounts do not
-- add up, mirroring the device (src/shared/counter/totals.ts and payments.ts, as
-- stored by sales-service finalise):
--   - totalMinor = the sum of the lines' totalMinor + roundingMinor;
--   - the payments' applied amountMinor add up to totalMinor exactly (settlePayments:
--     nothing due, and nothing applied beyond the total);
--   - a cash payment's tenderedMinor (when given) is at least its amountMinor, and
--     changeDueMinor is the cash tendered beyond the amounts applied.
-- Negative amounts are already refused by the schema check (payments at least 1, totals
-- at least 0). Draft and parked sales are not checked: a parked sale keeps the payments
-- as typed (tendered), which may exceed its total.
-- The refusal is per row (reason `invalid`, a message naming the figures); the rest of
-- the batch is decided as usual.

-- Why a finalised sale's amounts are wrong, or NULL (also when a field has the wrong
-- type: the schema check then says so).
CREATE FUNCTION counterbook.sale_amount_problem(doc jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_total numeric;
  v_rounding numeric;
  v_change_due numeric;
  v_lines numeric;
  v_paid numeric;
  v_change numeric;
  v_short boolean;
BEGIN
  IF jsonb_typeof(doc -> 'totalMinor') IS DISTINCT FROM 'number' OR jsonb_typeof(doc -> 'roundingMinor') IS DISTINCT FROM 'number'
     OR jsonb_typeof(doc -> 'changeDueMinor') IS DISTINCT FROM 'number'
     OR jsonb_typeof(doc -> 'lines') IS DISTINCT FROM 'array' OR jsonb_typeof(doc -> 'payments') IS DISTINCT FROM 'array'
     OR EXISTS (SELECT FROM jsonb_array_elements(doc -> 'lines') l WHERE jsonb_typeof(l -> 'totalMinor') IS DISTINCT FROM 'number')
     OR EXISTS (SELECT FROM jsonb_array_elements(doc -> 'payments') p
                WHERE jsonb_typeof(p -> 'amountMinor') IS DISTINCT FROM 'number'
                   OR (p ? 'tenderedMinor' AND jsonb_typeof(p -> 'tenderedMinor') <> 'number')) THEN
    RETURN NULL;
  END IF;
  v_total := (doc -> 'totalMinor')::numeric;
  v_rounding := (doc -> 'roundingMinor')::numeric;
  v_change_due := (doc -> 'changeDueMinor')::numeric;
  IF v_total <> trunc(v_total) OR v_rounding <> trunc(v_rounding) OR v_change_due <> trunc(v_change_due)
     OR EXISTS (SELECT FROM jsonb_array_elements(doc -> 'lines') l WHERE (l -> 'totalMinor')::numeric <> trunc((l -> 'totalMinor')::numeric))
     OR EXISTS (SELECT FROM jsonb_array_elements(doc -> 'payments') p
                WHERE (p -> 'amountMinor')::numeric <> trunc((p -> 'amountMinor')::numeric)
                   OR (p ? 'tenderedMinor' AND (p -> 'tenderedMinor')::numeric <> trunc((p -> 'tenderedMinor')::numeric))) THEN
    RETURN NULL;  -- not whole numbers: the schema check names the field
  END IF;
  SELECT coalesce(sum((l -> 'totalMinor')::numeric), 0) INTO v_lines FROM jsonb_array_elements(doc -> 'lines') l;
  SELECT coalesce(sum((p -> 'amountMinor')::numeric), 0),
         coalesce(sum(CASE WHEN p ->> 'method' = 'cash' AND p ? 'tenderedMinor'
                           THEN (p -> 'tenderedMinor')::numeric - (p -> 'amountMinor')::numeric ELSE 0 END), 0),
         coalesce(bool_or(p ->> 'method' = 'cash' AND p ? 'tenderedMinor' AND (p -> 'tenderedMinor')::numeric < (p -> 'amountMinor')::numeric), false)
  INTO v_paid, v_change, v_short
  FROM jsonb_array_elements(doc -> 'payments') p;
  IF v_lines + v_rounding <> v_total THEN
    RETURN format('totalMinor %s is not the lines'' totals (%s) plus roundingMinor (%s)', v_total, v_lines, v_rounding);
  ELSIF v_paid <> v_total THEN
    RETURN format('the payments add up to %s but totalMinor is %s: a finalised sale is paid exactly', v_paid, v_total);
  ELSIF v_short THEN
    RETURN 'a cash payment''s tenderedMinor is less than its amountMinor';
  ELSIF v_change <> v_change_due THEN
    RETURN format('changeDueMinor %s is not the cash tendered beyond the amounts applied (%s)', v_change_due, v_change);
  END IF;
  RETURN NULL;
END
$$;

-- The finalised sales of a batch whose amounts are wrong, as push_batch's refusals
-- ({"<row index>": {"reason": "invalid", "message"}}), or NULL.
CREATE FUNCTION counterbook.amount_refusals(batch jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_object_agg((x.n - 1)::text, jsonb_build_object('reason', 'invalid', 'message', p.problem))
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(batch -> 'rows') = 'array' THEN batch -> 'rows' ELSE '[]'::jsonb END)
         WITH ORDINALITY AS x(r, n),
    LATERAL (SELECT counterbook.sale_amount_problem(x.r -> 'doc') AS problem) AS p
  WHERE jsonb_typeof(x.r) = 'object' AND x.r ->> 'collection' = 'sales'
    AND jsonb_typeof(x.r -> 'doc') = 'object' AND x.r -> 'doc' ->> 'status' = 'finalised'
    AND p.problem IS NOT NULL
$$;

-- The two entry points of the unstorable-text migration, with the amount refusals
-- (refusals of unstorable text win: that row cannot be read at all).
CREATE OR REPLACE FUNCTION counterbook.push(batch text) RETURNS jsonb
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
    RETURN counterbook.push_batch(v_lenient.storable,
      nullif(coalesce(counterbook.amount_refusals(v_lenient.storable), '{}') || coalesce(v_lenient.refused, '{}'), '{}'));
  END;
  RETURN counterbook.push_batch(v_batch, counterbook.amount_refusals(v_batch));
END
$$;

CREATE OR REPLACE FUNCTION counterbook.push(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_nestloop = off
AS $$
BEGIN
  RETURN counterbook.push_batch(batch, counterbook.amount_refusals(batch));
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA counterbook FROM PUBLIC;
GRANT EXECUTE ON FUNCTION counterbook.sale_amount_problem(jsonb), counterbook.amount_refusals(jsonb) TO counterbook_sync;

-- Down Migration
-- Back to the entry points of the unstorable-text migration.
CREATE OR REPLACE FUNCTION counterbook.push(batch text) RETURNS jsonb
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

DROP FUNCTION counterbook.amount_refusals(jsonb);
DROP FUNCTION counterbook.sale_amount_problem(jsonb);
