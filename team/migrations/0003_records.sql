-- Team server, version 3: the records other than incidents — people, rota, training, plans,
-- inspections, categories, corrective actions… — one row per record with a version. A laptop
-- sends a change with the version it edited; a stale version is a conflict returned with the
-- server's value, never a silent overwrite. Who may change what is decided here, by role.

CREATE SEQUENCE yunwei.record_changes;

CREATE TABLE yunwei.records (
    entity    text   NOT NULL,
    entity_id text   NOT NULL,
    version   bigint NOT NULL CHECK (version > 0),
    -- The record's fields; NULL once removed.
    data      jsonb  CHECK (data IS NULL OR jsonb_typeof(data) = 'object'),
    device    text   NOT NULL,
    pushed_by text   NOT NULL,
    xid       xid8   NOT NULL DEFAULT pg_current_xact_id(),
    change    bigint NOT NULL DEFAULT nextval('yunwei.record_changes'),
    PRIMARY KEY (entity, entity_id)
);
CREATE INDEX records_by_xid ON yunwei.records (xid, change);

-- Which role may change which kind of record (the database's owner may change all).
CREATE TABLE yunwei.entity_writers (
    entity text NOT NULL,
    role   name NOT NULL,
    PRIMARY KEY (entity, role)
);
INSERT INTO yunwei.entity_writers (entity, role)
SELECT e, r FROM (VALUES
    ('settings', 'yunwei_pm'),
    ('people', 'yunwei_pm'),
    ('rotations', 'yunwei_pm'),
    ('rota_overrides', 'yunwei_pm'),
    ('calendars', 'yunwei_pm'),
    ('sla_policies', 'yunwei_pm'),
    ('training_audiences', 'yunwei_pm'), ('training_audiences', 'yunwei_trainer'),
    ('training_plans', 'yunwei_pm'), ('training_plans', 'yunwei_trainer'),
    ('training_sessions', 'yunwei_pm'), ('training_sessions', 'yunwei_trainer'),
    ('training_attendees', 'yunwei_pm'), ('training_attendees', 'yunwei_trainer'),
    ('contingency_plans', 'yunwei_pm'),
    ('drills', 'yunwei_pm'), ('drills', 'yunwei_engineer'),
    ('inspection_templates', 'yunwei_pm'), ('inspection_templates', 'yunwei_engineer'),
    ('inspection_plans', 'yunwei_pm'), ('inspection_plans', 'yunwei_engineer'),
    ('assets', 'yunwei_pm'), ('assets', 'yunwei_engineer'),
    ('categories', 'yunwei_pm'), ('categories', 'yunwei_quality'),
    ('category_mappings', 'yunwei_pm'), ('category_mappings', 'yunwei_quality'),
    ('corrective_actions', 'yunwei_pm'), ('corrective_actions', 'yunwei_quality'),
    ('corrective_actions', 'yunwei_engineer'),
    -- The team's CA certificate, which every laptop trusts: the PM's to publish.
    ('team_certificates', 'yunwei_pm')
) AS w (e, r);

-- Two values of a record are the same record when they differ only in when they were made.
CREATE FUNCTION yunwei.same_record(a jsonb, b jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT (a - 'created_at' - 'updated_at') IS NOT DISTINCT FROM (b - 'created_at' - 'updated_at')
$$;

-- Sends one record's value (`p_data`, NULL for removed) edited from version `base` (0: never
-- synced). Accepted when `base` is the server's version (the record goes to the next one), or
-- when the server already holds the same value; else a conflict, with the server's value; or
-- refused when the login's role may not change this kind of record.
CREATE FUNCTION yunwei.push_record(p_entity text, p_id text, base bigint, p_data jsonb, p_device text)
RETURNS TABLE (outcome text, version bigint, data jsonb, pushed_by text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
DECLARE
    r records%ROWTYPE;
    may boolean;
BEGIN
    IF p_data IS NOT NULL AND jsonb_typeof(p_data) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'yunwei: record % % is not an object', p_entity, p_id USING ERRCODE = '22023';
    END IF;
    SELECT * INTO r FROM records WHERE entity = p_entity AND entity_id = p_id FOR UPDATE;
    IF FOUND AND same_record(r.data, p_data) THEN
        RETURN QUERY SELECT 'same'::text, r.version, r.data, r.pushed_by;
        RETURN;
    END IF;
    may := pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'yunwei'), 'MEMBER')
        OR EXISTS (SELECT 1 FROM entity_writers w
                   WHERE w.entity = p_entity AND pg_has_role(session_user, w.role, 'MEMBER'));
    IF NOT may THEN
        RETURN QUERY SELECT 'refused'::text, coalesce(r.version, 0::bigint), r.data, r.pushed_by;
        RETURN;
    END IF;
    IF NOT FOUND THEN
        INSERT INTO records (entity, entity_id, version, data, device, pushed_by)
        VALUES (p_entity, p_id, 1, p_data, p_device, session_user);
        RETURN QUERY SELECT 'accepted'::text, 1::bigint, p_data, session_user::text;
    ELSIF r.version = base THEN
        UPDATE records SET version = r.version + 1, data = p_data, device = p_device, pushed_by = session_user,
                           xid = pg_current_xact_id(), change = nextval('record_changes')
        WHERE entity = p_entity AND entity_id = p_id;
        RETURN QUERY SELECT 'accepted'::text, r.version + 1, p_data, session_user::text;
    ELSE
        RETURN QUERY SELECT 'conflict'::text, r.version, r.data, r.pushed_by;
    END IF;
END
$$;

-- The records changed after the cursor, in commit-safe order (as pull_events).
CREATE FUNCTION yunwei.pull_records(after_xid xid8, after_change bigint, max_rows integer)
RETURNS TABLE (entity text, entity_id text, version bigint, data jsonb, pushed_by text, xid text, change bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
    SELECT r.entity, r.entity_id, r.version, r.data, r.pushed_by, r.xid::text, r.change
    FROM records r
    WHERE (r.xid, r.change) > (after_xid, after_change)
      AND r.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY r.xid, r.change
    LIMIT max_rows
$$;

REVOKE ALL ON yunwei.records, yunwei.entity_writers FROM PUBLIC;
REVOKE ALL ON FUNCTION yunwei.push_record(text, text, bigint, jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yunwei.pull_records(xid8, bigint, integer) FROM PUBLIC;
GRANT SELECT ON yunwei.records, yunwei.entity_writers
    TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
GRANT EXECUTE ON FUNCTION yunwei.pull_records(xid8, bigint, integer)
    TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
-- Every member may call it: it refuses, record by record, what a role may not change (so a
-- leadership laptop's sync still reads, and says what was refused).
GRANT EXECUTE ON FUNCTION yunwei.push_record(text, text, bigint, jsonb, text)
    TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
