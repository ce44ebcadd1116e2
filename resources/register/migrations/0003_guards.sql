-- Append-only, the roles, and who sees what.

-- Nothing the register holds is changed or removed: row triggers refuse UPDATE and DELETE, a statement
-- trigger refuses TRUNCATE. A superuser can still switch triggers off, so the signatures stay the
-- evidence, and `register verify` checks every chain again from the database alone.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the register is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['settings', 'register_keys', 'journal', 'desks', 'imports', 'entries', 'case_versions',
                             'keys', 'certificates', 'packs', 'cosignatures', 'forks', 'reads', 'schema_migrations']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_change()',
                       t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()',
                       t || '_no_truncate', t);
    END LOOP;
END
$$;

-- The roles (cluster-wide, so made only where missing). Log-in users are IT's: each is granted one of these.
--   safedesk_admin       enrols desks, accepts a restored desk's branch, imports, reads everything
--   safedesk_importer    imports bundles: inserts and reads, never updates or deletes
--   safedesk_solicitor   reads cases of every desk (each read audited)
--   safedesk_town        reads cases of its own agencies' desks only (row-level security), audited
--   safedesk_oversight   reads the figures only (report_facts, report_anchors, desk_status): no case data
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['safedesk_admin', 'safedesk_importer', 'safedesk_solicitor', 'safedesk_town',
                             'safedesk_oversight']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA safedesk FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA safedesk FROM PUBLIC;
GRANT USAGE ON SCHEMA safedesk TO safedesk_admin, safedesk_importer, safedesk_solicitor, safedesk_town,
    safedesk_oversight;

-- Everyone reads what the register is, and the figures.
GRANT SELECT ON settings, schema_migrations TO safedesk_admin, safedesk_importer, safedesk_solicitor,
    safedesk_town, safedesk_oversight;
GRANT EXECUTE ON FUNCTION sees(text, name), report_facts(date, date, text[]), report_anchors(text[]), desk_status()
    TO safedesk_admin, safedesk_importer, safedesk_solicitor, safedesk_town, safedesk_oversight;

-- The importer: reads what it checks against, inserts what it verified. No UPDATE, DELETE or TRUNCATE.
GRANT SELECT ON desks, current_desks, register_keys, journal, imports, entries, case_versions, keys, certificates,
    packs, cosignatures, forks TO safedesk_importer;
GRANT INSERT ON imports, entries, case_versions, keys, certificates, packs, cosignatures, forks, reads
    TO safedesk_importer;
GRANT USAGE ON SEQUENCE imports_import_id_seq, cosignatures_cosignature_id_seq, forks_fork_id_seq,
    reads_read_id_seq TO safedesk_importer;

-- The admin: all the importer does, and enrols, accepts branches, names the register and keeps its key.
GRANT safedesk_importer TO safedesk_admin;
GRANT SELECT ON reads TO safedesk_admin;
GRANT INSERT ON settings, register_keys, journal, desks TO safedesk_admin;
GRANT USAGE ON SEQUENCE desks_desk_id_seq TO safedesk_admin;

-- The Solicitor and the towns read cases; every read of case data is written to `reads`.
GRANT SELECT ON desks, current_desks, imports, entries, case_versions, cosignatures, forks
    TO safedesk_solicitor, safedesk_town;
GRANT INSERT ON reads TO safedesk_solicitor, safedesk_town;
GRANT USAGE ON SEQUENCE reads_read_id_seq TO safedesk_solicitor, safedesk_town;

-- Row-level security: a town sees the desks of its agencies, everyone else with a grant sees all.
ALTER TABLE desks ENABLE ROW LEVEL SECURITY;
CREATE POLICY desks_all ON desks FOR SELECT TO safedesk_admin, safedesk_importer, safedesk_solicitor USING (true);
CREATE POLICY desks_add ON desks FOR INSERT TO safedesk_admin WITH CHECK (true);
CREATE POLICY desks_town ON desks FOR SELECT TO safedesk_town USING (sees(agency, session_user));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['imports', 'entries', 'case_versions', 'keys', 'certificates', 'cosignatures', 'forks']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO safedesk_admin, safedesk_importer, safedesk_solicitor '
                       'USING (true)', t || '_all', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT TO safedesk_admin, safedesk_importer WITH CHECK (true)',
                       t || '_add', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO safedesk_town '
                       'USING (desk_id IN (SELECT d.desk_id FROM desks d))', t || '_town', t);
    END LOOP;
END
$$;
