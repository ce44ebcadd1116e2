-- The county register: every desk's signed log as the desk gave it, and what the register did with it.
-- Applied by desktop/register/migrate.py in one transaction with the others, recorded in schema_migrations.
-- Nothing here is ever changed or removed: every table refuses UPDATE, DELETE and TRUNCATE (0003).

-- What the register is called on its cosignatures, and its own key (sealed under the register's passphrase
-- with the desk's own key sealing, desktop/signing.py: scrypt, then AES-256-GCM).
CREATE TABLE settings (
    name text PRIMARY KEY,
    value text NOT NULL,
    set_at timestamptz NOT NULL DEFAULT now(),
    set_by text NOT NULL DEFAULT session_user
);
CREATE TABLE register_keys (
    key_id text PRIMARY KEY,
    public_key text NOT NULL UNIQUE,
    password text NOT NULL,
    sealed bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user
);

-- The register's own signed journal: each desk enrolled, each branch accepted, hash chained and signed
-- with the register's key.
CREATE TABLE journal (
    seq bigint PRIMARY KEY,
    at text NOT NULL,
    kind text NOT NULL,
    origin text,
    detail text NOT NULL,
    actor text NOT NULL,
    prev_hash text NOT NULL,
    entry_hash text NOT NULL UNIQUE,
    key_id text NOT NULL REFERENCES register_keys,
    signature text NOT NULL
);

-- A desk's history in the register. Each desk is enrolled once (branch 1) with its admin root; a desk
-- restored from a backup meets the register as a fork, and an admin who accepts the new branch makes
-- branch 2, which shares the entries before the fork and keeps branch 1 as it was.
CREATE TABLE desks (
    desk_id serial PRIMARY KEY,
    origin text NOT NULL CHECK (origin ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?/[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
    branch integer NOT NULL CHECK (branch >= 1),
    agency text NOT NULL,
    root_key_id text NOT NULL CHECK (root_key_id ~ '^[0-9a-f]{32}$'),
    forked_at bigint,
    parent integer REFERENCES desks,
    journal_seq bigint NOT NULL REFERENCES journal,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    UNIQUE (origin, branch)
);

CREATE TABLE imports (
    import_id bigserial PRIMARY KEY,
    desk_id integer NOT NULL REFERENCES desks,
    bundle_sha256 text NOT NULL,
    file_name text NOT NULL,
    from_seq bigint NOT NULL,
    to_seq bigint NOT NULL,
    added_entries bigint NOT NULL,
    added_versions bigint NOT NULL,
    head text NOT NULL,
    checkpoint text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by text NOT NULL DEFAULT session_user
);

-- Each desk's audit entries, exactly as its log holds them: the entry hash is recomputed from these
-- columns (and `extra`, the canonical JSON of any column a later schema adds) with the project's own code.
CREATE TABLE entries (
    desk_id integer NOT NULL REFERENCES desks,
    seq bigint NOT NULL,
    at text NOT NULL,
    kind text NOT NULL,
    case_number text,
    version integer,
    actor text NOT NULL,
    detail text NOT NULL,
    record_hash text,
    prev_hash text NOT NULL,
    entry_hash text NOT NULL,
    signer text,
    signature text,
    extra text,
    import_id bigint NOT NULL REFERENCES imports,
    PRIMARY KEY (desk_id, seq)
);
CREATE INDEX entries_case ON entries (desk_id, case_number, seq) WHERE case_number IS NOT NULL;

CREATE TABLE case_versions (
    desk_id integer NOT NULL REFERENCES desks,
    case_number text NOT NULL,
    version integer NOT NULL,
    record_hash text NOT NULL,
    previous_hash text,
    intake_json text NOT NULL,
    decision_json text NOT NULL,
    policy_sha256 text NOT NULL,
    officer text NOT NULL,
    desk text NOT NULL,
    received_at text NOT NULL,
    recorded_at text NOT NULL,
    recorded_zone text NOT NULL,
    status text NOT NULL,
    amendment_reason text,
    override_reason text,
    override_officer text,
    extra text,
    received_day date NOT NULL,
    import_id bigint NOT NULL REFERENCES imports,
    PRIMARY KEY (desk_id, case_number, version)
);
CREATE INDEX case_versions_day ON case_versions (received_day);
CREATE INDEX case_versions_referred ON case_versions (desk_id, case_number) WHERE status = 'referred';

-- Keys and certificates as each desk's log holds them (the whole row, canonical JSON), and the packs.
CREATE TABLE keys (
    desk_id integer NOT NULL REFERENCES desks,
    key_id text NOT NULL,
    row_json text NOT NULL,
    PRIMARY KEY (desk_id, key_id)
);
CREATE TABLE certificates (
    desk_id integer NOT NULL REFERENCES desks,
    cert_id bigint NOT NULL,
    row_json text NOT NULL,
    PRIMARY KEY (desk_id, cert_id)
);
CREATE TABLE packs (
    sha256 text PRIMARY KEY,
    pack_id text NOT NULL,
    version text NOT NULL,
    content bytea NOT NULL
);

-- Each head the register cosigned (the same cosignature written beside the bundle).
CREATE TABLE cosignatures (
    cosignature_id bigserial PRIMARY KEY,
    desk_id integer NOT NULL REFERENCES desks,
    size bigint NOT NULL,
    head text NOT NULL,
    at text NOT NULL,
    register_key_id text NOT NULL REFERENCES register_keys,
    signature text NOT NULL,
    bundle_sha256 text NOT NULL
);
CREATE INDEX cosignatures_desk ON cosignatures (desk_id, size);

-- A fork: a desk offered another entry at a place the register holds. The bundle is refused, and this
-- evidence is written after the refusal, so it outlives it.
CREATE TABLE forks (
    fork_id bigserial PRIMARY KEY,
    desk_id integer NOT NULL REFERENCES desks,
    seq bigint NOT NULL,
    held_hash text NOT NULL,
    offered_hash text NOT NULL,
    offered_entry text NOT NULL,
    bundle_sha256 text NOT NULL,
    file_name text NOT NULL,
    checkpoint text NOT NULL,
    found_at timestamptz NOT NULL DEFAULT now(),
    found_by text NOT NULL DEFAULT session_user
);

-- Who read case data through the register, and what.
CREATE TABLE reads (
    read_id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    who text NOT NULL DEFAULT session_user,
    what text NOT NULL,
    origin text,
    case_number text
);
