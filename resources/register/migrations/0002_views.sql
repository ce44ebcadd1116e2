-- What the reports, the status and the queue read. The functions run with the owner's rights and
-- filter by who called them (`sees`), so oversight reads figures without a grant on any table of case
-- data, and a town reads only its own desks.

-- The newest branch of each desk: where its history goes on (read with the reader's own rights and rows).
CREATE VIEW current_desks WITH (security_invoker = true) AS
SELECT DISTINCT ON (origin) * FROM desks ORDER BY origin, branch DESC;

-- Whether `who` may see the desks of `agency`: the register's admins, importers, the Solicitor and
-- oversight see every desk; a town's role sees the desks of the agencies whose role
-- (safedesk_agency_<agency>) it is a member of.
CREATE FUNCTION sees(agency text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = safedesk, pg_catalog AS $$
    SELECT pg_has_role(who, 'safedesk_admin', 'MEMBER')
        OR pg_has_role(who, 'safedesk_importer', 'MEMBER')
        OR pg_has_role(who, 'safedesk_solicitor', 'MEMBER')
        OR pg_has_role(who, 'safedesk_oversight', 'MEMBER')
        OR EXISTS (
            SELECT 1 FROM pg_roles r
             WHERE r.rolname = 'safedesk_agency_' || agency AND pg_has_role(who, r.oid, 'MEMBER')
        )
$$;

-- The facts a report counts, per version, for the cases of a period (by the day the current version was
-- received, in its pack's zone): enum values, codes and times only. No case number (each case gets an
-- ordinal in this answer), name, booking number, address or note.
CREATE FUNCTION report_facts(p_from date, p_to date, p_origins text[])
RETURNS TABLE (origin text, case_key bigint, received_day date, version integer, status text, recorded_at text,
               received_at text, overridden boolean, intake text, responses text, refer_to_counsel boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = safedesk, pg_catalog AS $$
    WITH visible AS (
        SELECT d.desk_id, d.origin FROM current_desks d
         WHERE sees(d.agency, session_user) AND (p_origins IS NULL OR d.origin = ANY (p_origins))
    ), candidates AS (
        SELECT DISTINCT v.desk_id, v.case_number FROM case_versions v JOIN visible USING (desk_id)
         WHERE v.received_day BETWEEN p_from AND p_to
    ), cases AS (
        SELECT c.desk_id, c.case_number, cur.received_day
          FROM candidates c
          CROSS JOIN LATERAL (SELECT v.received_day FROM case_versions v
                               WHERE v.desk_id = c.desk_id AND v.case_number = c.case_number
                               ORDER BY v.version DESC LIMIT 1) cur
         WHERE cur.received_day BETWEEN p_from AND p_to
    )
    SELECT vis.origin,
           dense_rank() OVER (ORDER BY vis.origin, c.case_number),
           c.received_day, v.version, v.status, v.recorded_at, v.received_at, v.override_reason IS NOT NULL,
           jsonb_build_array(i -> 'channel', i -> 'requester', i -> 'documents', i -> 'actions', i -> 'info',
                             i -> 'subject' -> 'minor', i -> 'benefit')::text,
           coalesce((SELECT jsonb_agg(jsonb_build_array(jsonb_build_array(r -> 'action', r -> 'info', r -> 'code',
                                                                            r -> 'refer')))
                       FROM jsonb_array_elements(d -> 'responses') r), '[]'::jsonb)::text,
           coalesce((d ->> 'refer_to_counsel')::boolean, false)
      FROM cases c
      JOIN visible vis USING (desk_id)
      JOIN case_versions v ON v.desk_id = c.desk_id AND v.case_number = c.case_number
     -- OFFSET 0 keeps each version's JSON parsed once: pulled up, the casts ran once per field (4 s a year at 13,000).
     CROSS JOIN LATERAL (SELECT v.intake_json::jsonb AS i, v.decision_json::jsonb AS d OFFSET 0) parsed
     ORDER BY vis.origin, c.case_number, v.version
$$;

-- Each desk's newest entry that recorded a case or an amendment: what a report was made from.
CREATE FUNCTION report_anchors(p_origins text[])
RETURNS TABLE (origin text, seq bigint, entry_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = safedesk, pg_catalog AS $$
    SELECT d.origin, a.seq, a.entry_hash
      FROM current_desks d
      CROSS JOIN LATERAL (SELECT e.seq, e.entry_hash FROM entries e
                           WHERE e.desk_id = d.desk_id AND e.kind IN ('recorded', 'amended')
                           ORDER BY e.seq DESC LIMIT 1) a
     WHERE sees(d.agency, session_user) AND (p_origins IS NULL OR d.origin = ANY (p_origins))
     ORDER BY d.origin
$$;

-- Each desk and branch: what the register holds, its last import, its newest cosignature, its forks.
CREATE FUNCTION desk_status()
RETURNS TABLE (origin text, branch integer, current boolean, agency text, root_key_id text, forked_at bigint,
               entries bigint, head text, last_import timestamptz, imported_by text, witnessed bigint,
               witnessed_at text, forks bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = safedesk, pg_catalog AS $$
    SELECT d.origin, d.branch, d.desk_id = cur.desk_id, d.agency, d.root_key_id, d.forked_at,
           coalesce(h.seq, 0), h.entry_hash, i.imported_at, i.imported_by, c.size, c.at,
           (SELECT count(*) FROM forks f WHERE f.desk_id = d.desk_id)
      FROM desks d
      JOIN current_desks cur ON cur.origin = d.origin
      LEFT JOIN LATERAL (SELECT e.seq, e.entry_hash FROM entries e WHERE e.desk_id = d.desk_id
                          ORDER BY e.seq DESC LIMIT 1) h ON true
      LEFT JOIN LATERAL (SELECT imported_at, imported_by FROM imports WHERE imports.desk_id = d.desk_id
                          ORDER BY import_id DESC LIMIT 1) i ON true
      LEFT JOIN LATERAL (SELECT size, at FROM cosignatures WHERE cosignatures.desk_id = d.desk_id
                          ORDER BY size DESC, cosignature_id DESC LIMIT 1) c ON true
     WHERE sees(d.agency, session_user)
     ORDER BY d.origin, d.branch
$$;
