-- Team server, version 2: the server numbers incidents. An incident gets its INC-yyyy-nnnn when
-- its `reported` event is first pushed, in the same transaction, so every laptop that pulls the
-- event pulls its number with it; until then the laptop shows a provisional label (TMP-…) and
-- signs nothing with it. A number a copy gave before it joined the team is kept when free.

CREATE TABLE yunwei.incidents (
    id          uuid        PRIMARY KEY,
    number      text        NOT NULL UNIQUE,
    year        integer     NOT NULL,
    numbered_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE yunwei.number_sequences (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

-- The number of incident `incident` reported in `year`: the one it has, else `claimed` when it
-- is this year's form and free, else the next of the year. Numbering is serialised per year by
-- the lock on the year's counter.
CREATE FUNCTION yunwei.number_incident(incident uuid, in_year integer, claimed text) RETURNS text
LANGUAGE plpgsql SET search_path = yunwei, pg_temp AS $$
DECLARE
    held text;
    n integer;
    candidate text;
BEGIN
    SELECT number INTO held FROM incidents WHERE id = incident;
    IF FOUND THEN
        RETURN held;
    END IF;
    IF in_year IS NULL OR in_year < 2000 OR in_year > 2999 THEN
        RAISE EXCEPTION 'yunwei: incident % has no year to be numbered in', incident USING ERRCODE = '22023';
    END IF;
    INSERT INTO number_sequences (year, last) VALUES (in_year, 0) ON CONFLICT (year) DO NOTHING;
    SELECT last INTO n FROM number_sequences WHERE year = in_year FOR UPDATE;
    IF claimed ~ ('^INC-' || in_year || '-[0-9]{4,9}$')
       AND NOT EXISTS (SELECT 1 FROM incidents WHERE number = claimed) THEN
        INSERT INTO incidents (id, number, year) VALUES (incident, claimed, in_year);
        UPDATE number_sequences SET last = greatest(last, substring(claimed FROM '[0-9]+$')::integer)
        WHERE year = in_year;
        RETURN claimed;
    END IF;
    LOOP
        n := n + 1;
        candidate := 'INC-' || in_year || '-' || lpad(n::text, greatest(4, length(n::text)), '0');
        EXIT WHEN NOT EXISTS (SELECT 1 FROM incidents WHERE number = candidate);
    END LOOP;
    INSERT INTO incidents (id, number, year) VALUES (incident, candidate, in_year);
    UPDATE number_sequences SET last = n WHERE year = in_year;
    RETURN candidate;
END
$$;
REVOKE ALL ON FUNCTION yunwei.number_incident(uuid, integer, text) FROM PUBLIC;

-- As version 1, and a `reported` event numbers its incident.
CREATE OR REPLACE FUNCTION yunwei.push_events(batch jsonb, device text) RETURNS integer
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
        IF e ->> 'kind' = 'reported' THEN
            PERFORM number_incident((e ->> 'incident_id')::uuid,
                                    (e -> 'payload' -> 'incident' ->> 'year')::integer,
                                    e -> 'payload' -> 'incident' ->> 'number');
        END IF;
    END LOOP;
    RETURN added;
END
$$;

-- As version 1, with the number of the incident a `reported` event opens.
DROP FUNCTION yunwei.pull_events(xid8, uuid, integer);
CREATE FUNCTION yunwei.pull_events(after_xid xid8, after_id uuid, max_rows integer)
RETURNS TABLE (id uuid, incident_id uuid, kind text, payload jsonb, device text, xid text, number text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yunwei, pg_temp AS $$
    SELECT e.id, e.incident_id, e.kind, e.payload, e.device, e.xid::text, n.number
    FROM events e
    LEFT JOIN incidents n ON e.kind = 'reported' AND n.id = e.incident_id
    WHERE (e.xid, e.id) > (after_xid, after_id)
      AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.xid, e.id
    LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION yunwei.pull_events(xid8, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yunwei.pull_events(xid8, uuid, integer)
    TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;

REVOKE ALL ON yunwei.incidents, yunwei.number_sequences FROM PUBLIC;
GRANT SELECT ON yunwei.incidents TO yunwei_pm, yunwei_engineer, yunwei_trainer, yunwei_quality, yunwei_leadership;
