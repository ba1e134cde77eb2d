-- Team server, version 1: the incident timelines' events as the system of record, and the
-- functions laptops push and pull them through. Run by `yunwei server init` as the server's
-- administrator; members log in as their own roles, members of the group roles below.
CREATE SCHEMA yunwei;

CREATE TABLE yunwei.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Every event of every incident timeline, as pushed by the laptop that recorded it. `xid` is the
-- transaction that stored it: the pull cursor orders by it (never by a sequence alone, never by
-- a laptop's clock).
CREATE TABLE yunwei.events (
    id          uuid        PRIMARY KEY,
    incident_id uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind <> ''),
    payload     jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    device      text        NOT NULL,
    pushed_by   text        NOT NULL,
    xid         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    pushed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_xid ON yunwei.events (xid, id);
CREATE INDEX events_by_incident ON yunwei.events (incident_id);

-- Stores a batch of events, each checked, each once: an event already held (a retried push) is
-- left as it is. Returns how many were new. All or nothing: a malformed event refuses the batch.
CREATE FUNCTION yunwei.push_events(batch jsonb, device text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
DECLARE
    e jsonb;
    added integer := 0;
    n integer;
BEGIN
    IF jsonb_typeof(batch) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'yunwei: a batch is an array of events' USING ERRCODE = '22023';
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(batch) LOOP
        IF jsonb_typeof(e) IS DISTINCT FROM 'object'
           OR jsonb_typeof(e -> 'id') IS DISTINCT FROM 'string'
           OR jsonb_typeof(e -> 'incident_id') IS DISTINCT FROM 'string'
           OR jsonb_typeof(e -> 'kind') IS DISTINCT FROM 'string'
           OR jsonb_typeof(e -> 'payload') IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'yunwei: malformed event %', coalesce(e ->> 'id', '?') USING ERRCODE = '22023';
        END IF;
        INSERT INTO events (id, incident_id, kind, payload, device, pushed_by)
        VALUES ((e ->> 'id')::uuid, (e ->> 'incident_id')::uuid, e ->> 'kind', e -> 'payload', device, session_user)
        ON CONFLICT (id) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        added := added + n;
    END LOOP;
    RETURN added;
END
$$;

-- The events committed after the cursor (`after_xid`, `after_id`), oldest first, at most `max_rows`.
-- Only transactions older than every one still running are read (`pg_snapshot_xmin`): a
-- transaction that began earlier and commits later is never skipped, it is read next time.
CREATE FUNCTION yunwei.pull_events(after_xid xid8, after_id uuid, max_rows integer)
RETURNS TABLE (id uuid, incident_id uuid, kind text, payload jsonb, device text, xid text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
    SELECT e.id, e.incident_id, e.kind, e.payload, e.device, e.xid::text
    FROM events e
    WHERE (e.xid, e.id) > (after_xid, after_id)
      AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.xid, e.id
    LIMIT max_rows
$$;

REVOKE ALL ON FUNCTION yunwei.push_events(jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yunwei.pull_events(xid8, uuid, integer) FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA yunwei FROM PUBLIC;

-- What each role may do, enforced here and not only by the window: every member reads;
-- leadership writes nothing.
GRANT USAGE ON SCHEMA yunwei TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
GRANT SELECT ON yunwei.meta, yunwei.events TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
GRANT EXECUTE ON FUNCTION yunwei.pull_events(xid8, uuid, integer)
    TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
GRANT EXECUTE ON FUNCTION yunwei.push_events(jsonb, text) TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality;
