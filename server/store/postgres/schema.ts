import type pg from 'pg';
import { analyticsDdl, rollupByDepthDdl } from '../analytics-columns.ts';

/**
 * Schema migrations, applied in order; `schema_migrations` records how many ran. Same tables as the SQLite
 * schema, plus `log_head`, the single-row counter that hands out event seqs (see incidents.ts for why).
 * Region ids use COLLATE "C" so the prefix range `[p, p || ':')` compares bytewise whatever the database's
 * default collation is (':' sorts right after '9' only in byte order).
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

  CREATE TABLE users (
    id text PRIMARY KEY,
    username text NOT NULL UNIQUE,
    display_name text NOT NULL,
    role text NOT NULL,
    region_id text COLLATE "C" NOT NULL,
    password_hash text NOT NULL,
    created_ms bigint NOT NULL
  );

  CREATE TABLE incidents (
    id text PRIMARY KEY,
    connector_id text NOT NULL,
    external_id text,
    status text NOT NULL,
    severity text NOT NULL,
    -- grid id, or the root region for points outside every grid: scope filters are prefix ranges on it
    region_id text COLLATE "C" NOT NULL,
    reported_ms bigint NOT NULL,
    updated_ms bigint NOT NULL,
    due_ms bigint,
    closed_ms bigint,
    -- seq of the creating event: insertion order, the tie-breaker SQLite gets from rowid
    created_seq bigint NOT NULL,
    data text NOT NULL
  );
  CREATE UNIQUE INDEX incidents_external ON incidents (connector_id, external_id) WHERE external_id IS NOT NULL;
  CREATE INDEX incidents_region_reported ON incidents (region_id, reported_ms);
  CREATE INDEX incidents_status ON incidents (status, reported_ms);

  -- Append-only: one row per change; seq is the global, gap-free order of changes, assigned from log_head.
  CREATE TABLE events (
    seq bigint PRIMARY KEY,
    at_ms bigint NOT NULL,
    type text NOT NULL,
    incident_id text NOT NULL,
    region_id text COLLATE "C" NOT NULL,
    data text NOT NULL
  );

  -- Exactly one row: the seq of the newest committed event.
  CREATE TABLE log_head (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq bigint NOT NULL
  );
  INSERT INTO log_head (one, seq) VALUES (true, 0);

  CREATE TABLE rejected (
    id bigserial PRIMARY KEY,
    connector_id text NOT NULL,
    received_ms bigint NOT NULL,
    reason text NOT NULL,
    payload text NOT NULL
  );
  CREATE INDEX rejected_connector ON rejected (connector_id, id);
  `,
  // Reports merged into incidents, the case history, and coordinates for finding merge candidates.
  `
  ALTER TABLE incidents ADD COLUMN lng double precision, ADD COLUMN lat double precision;
  UPDATE incidents SET
    lng = (data::jsonb #>> '{location,lng}')::double precision,
    lat = (data::jsonb #>> '{location,lat}')::double precision,
    data = jsonb_set(data::jsonb, '{reportCount}', '1')::text;
  CREATE INDEX incidents_open_reported ON incidents (reported_ms) WHERE status NOT IN ('rejected', 'closed');

  CREATE TABLE reports (
    id bigserial PRIMARY KEY,
    incident_id text NOT NULL,
    connector_id text NOT NULL,
    external_id text,
    data text NOT NULL
  );
  CREATE UNIQUE INDEX reports_external ON reports (connector_id, external_id) WHERE external_id IS NOT NULL;
  CREATE INDEX reports_incident ON reports (incident_id);
  INSERT INTO reports (incident_id, connector_id, external_id, data)
    SELECT id, connector_id, external_id, jsonb_build_object(
      'incidentId', id, 'connectorId', connector_id, 'externalId', external_id,
      'source', data::jsonb -> 'source', 'category', data::jsonb -> 'category', 'title', data::jsonb -> 'title',
      'location', data::jsonb -> 'location', 'reportedAt', data::jsonb -> 'reportedAt', 'receivedAt', data::jsonb -> 'reportedAt')::text
    FROM incidents ORDER BY created_seq;

  CREATE TABLE incident_history (
    id bigserial PRIMARY KEY,
    incident_id text NOT NULL,
    seq bigint NOT NULL,
    data text NOT NULL
  );
  CREATE INDEX incident_history_incident ON incident_history (incident_id, id);
  `,
  // Population aggregates per grid and month (counts only, as JSON; no person-level data is ever stored).
  `
  CREATE TABLE population (
    grid_id text COLLATE "C" NOT NULL,
    month text COLLATE "C" NOT NULL,
    synthetic boolean NOT NULL,
    data text NOT NULL,
    updated_ms bigint NOT NULL,
    PRIMARY KEY (grid_id, month)
  );
  `,
  `
  -- dispatch-parties: worker accounts linked to roster workers, the party registry, assignee workload indexes
  ALTER TABLE users ADD COLUMN worker_id text;
  CREATE UNIQUE INDEX users_worker ON users (worker_id) WHERE worker_id IS NOT NULL;

  CREATE TABLE parties (
    id text PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    categories text NOT NULL,
    contact_name text,
    contact_phone text,
    synthetic boolean NOT NULL,
    updated_ms bigint NOT NULL
  );
  -- One row per covered region root: "parties covering region R" is region_id IN (R and its ancestors).
  CREATE TABLE party_regions (
    party_id text NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    region_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (party_id, region_id)
  );
  CREATE INDEX party_regions_region ON party_regions (region_id);

  -- Open cases held and on-time closures per assignee, without a scan of every incident.
  CREATE INDEX incidents_assignee_open ON incidents ((data::jsonb ->> 'assigneeId'))
    WHERE status NOT IN ('rejected', 'closed');
  CREATE INDEX incidents_assignee_closed ON incidents ((data::jsonb ->> 'assigneeId'), closed_ms)
    WHERE closed_ms IS NOT NULL;
  `,
  `
  -- dispatch-flow: case-flow fields on every incident (version, co-dispatch, SLA stage, extension, merge) and Idempotency-Key replays
  UPDATE incidents SET data = (
    jsonb_build_object('version', 1, 'assistingPartyIds', '[]'::jsonb, 'slaStage', NULL, 'extension', NULL, 'mergedInto', NULL) || data::jsonb
  )::text;
  CREATE TABLE idempotency_keys (
    user_id text NOT NULL,
    key text NOT NULL,
    -- what the first request was (incident, body): the same key for another request is refused
    fingerprint text NOT NULL,
    -- the claim of the request that runs it; status and body stay NULL until it finishes
    owner text NOT NULL,
    status integer,
    body text,
    created_ms bigint NOT NULL,
    expires_ms bigint NOT NULL,
    PRIMARY KEY (user_id, key)
  );
  CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_ms);
  `,
  `
  -- sec-realtime: users can be disabled; wall links are recorded so they can be listed and revoked
  ALTER TABLE users ADD COLUMN disabled integer NOT NULL DEFAULT 0;
  CREATE TABLE wall_links (
    id text PRIMARY KEY,
    label text NOT NULL,
    created_by text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint
  );
  `,
  `
  -- sec2-auth: failed logins per account, shared by every node (server/auth/routes.ts)
  CREATE TABLE login_failures (
    account TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    failures INTEGER NOT NULL
  );
  `,
  `
  -- sec2-input: dead-letter retention prunes by age (DEAD_LETTER_RETENTION_DAYS)
  CREATE INDEX IF NOT EXISTS rejected_received ON rejected (received_ms);
  `,
  `
  -- community-life (issue 11): care registry (person-level), visits, activities, registrations, time bank,
  -- welfare tasks (one per resident and due period: the primary key is the claim across nodes)
  CREATE TABLE care_residents (id TEXT PRIMARY KEY, grid_id TEXT COLLATE "C" NOT NULL, data TEXT NOT NULL, updated_ms BIGINT NOT NULL);
  CREATE INDEX care_residents_grid ON care_residents (grid_id);
  CREATE TABLE care_visits (id TEXT PRIMARY KEY, resident_id TEXT NOT NULL, grid_id TEXT COLLATE "C" NOT NULL, visited_ms BIGINT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX care_visits_grid ON care_visits (grid_id, visited_ms);
  CREATE INDEX care_visits_resident ON care_visits (resident_id, visited_ms);
  CREATE TABLE activities (id TEXT PRIMARY KEY, uid TEXT NOT NULL UNIQUE, region_id TEXT COLLATE "C" NOT NULL, start_ms BIGINT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX activities_region ON activities (region_id);
  CREATE TABLE activity_registrations (id TEXT PRIMARY KEY, activity_id TEXT NOT NULL, region_id TEXT COLLATE "C" NOT NULL, occurrence_ms BIGINT NOT NULL, attended BOOLEAN, data TEXT NOT NULL);
  CREATE INDEX activity_registrations_activity ON activity_registrations (activity_id, occurrence_ms);
  CREATE INDEX activity_registrations_region ON activity_registrations (region_id, occurrence_ms);
  CREATE TABLE volunteer_hours (id TEXT PRIMARY KEY, party_id TEXT NOT NULL, region_id TEXT COLLATE "C" NOT NULL, at_ms BIGINT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX volunteer_hours_region ON volunteer_hours (region_id, at_ms);
  CREATE TABLE welfare_tasks (resident_id TEXT NOT NULL, due_ms BIGINT NOT NULL, grid_id TEXT COLLATE "C" NOT NULL, incident_id TEXT, created_ms BIGINT NOT NULL, PRIMARY KEY (resident_id, due_ms));
  CREATE INDEX welfare_tasks_grid ON welfare_tasks (grid_id);
  `,
  `
  -- worker-field (issue 9): photos of incidents (bytes in the MediaStore), grid workers' positions, patrols, check-ins
  CREATE TABLE incident_media (
    id text PRIMARY KEY,
    incident_id text NOT NULL,
    kind text NOT NULL,
    uploaded_by text NOT NULL,
    at_ms bigint NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    bytes integer NOT NULL
  );
  CREATE INDEX incident_media_incident ON incident_media (incident_id, at_ms);
  -- personal data: pruned after POSITION_RETENTION_DAYS
  CREATE TABLE worker_positions (
    worker_id text NOT NULL,
    at_ms bigint NOT NULL,
    lng double precision NOT NULL,
    lat double precision NOT NULL,
    accuracy double precision,
    patrol_id text
  );
  CREATE INDEX worker_positions_worker ON worker_positions (worker_id, at_ms);
  CREATE INDEX worker_positions_at ON worker_positions (at_ms);
  CREATE TABLE patrols (
    id text PRIMARY KEY,
    worker_id text NOT NULL,
    user_id text NOT NULL,
    started_ms bigint NOT NULL,
    ended_ms bigint,
    distance_m double precision
  );
  CREATE INDEX patrols_worker ON patrols (worker_id, started_ms);
  -- at most one patrol under way per worker, across nodes
  CREATE UNIQUE INDEX patrols_current ON patrols (worker_id) WHERE ended_ms IS NULL;
  CREATE TABLE checkins (
    id text PRIMARY KEY,
    worker_id text NOT NULL,
    user_id text NOT NULL,
    at_ms bigint NOT NULL,
    lng double precision NOT NULL,
    lat double precision NOT NULL,
    grid_id text,
    note text
  );
  CREATE INDEX checkins_worker ON checkins (worker_id, at_ms);
  CREATE INDEX checkins_at ON checkins (at_ms);
  `,
  `
  -- speed: merge candidates through a spatial index (server/store/merge-cells.ts); filled for open incidents on open
  ALTER TABLE incidents ADD COLUMN merge_cell text;
  CREATE INDEX incidents_open_merge_cell ON incidents (merge_cell, reported_ms) WHERE status NOT IN ('rejected', 'closed');
  `,
  // leader-analytics: rollups, per-case facts and feedback links (server/store/analytics-columns.ts)
  analyticsDdl('BIGINT', 'text COLLATE "C"'),
  `
  -- leader-replay: the state at an instant (latest change of each incident up to it) and a day's changes
  CREATE INDEX IF NOT EXISTS events_incident ON events (incident_id, seq);
  CREATE INDEX IF NOT EXISTS events_at ON events (at_ms);
  `,
  `
  -- operations: account lifetime, append-only audit log, admin-entered holiday calendar
  ALTER TABLE users ADD COLUMN must_change_password integer NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN tokens_after_ms bigint NOT NULL DEFAULT 0;
  CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at_ms bigint NOT NULL,
    actor_id text,
    actor_role text,
    actor_name text,
    action text NOT NULL,
    target text,
    detail text,
    ip text,
    user_agent text
  );
  CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
  CREATE INDEX audit_log_action ON audit_log (action, id);
  CREATE INDEX audit_log_target ON audit_log (target, id);
  CREATE INDEX audit_log_at ON audit_log (at_ms);
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
  CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  CREATE TABLE holiday_days (
    date text PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    updated_by text,
    updated_ms bigint NOT NULL
  );
  `,
  `
  -- water meters' last message times; raised_for_ms = the silence period (its last_seen_ms) already raised
  CREATE TABLE meter_heartbeats (
    device_key text PRIMARY KEY,
    last_seen_ms bigint NOT NULL,
    raised_for_ms bigint
  );
  CREATE INDEX meter_heartbeats_seen ON meter_heartbeats (last_seen_ms);
  `,
  `
  -- wall links: optional theme rotation (JSON, common/wall/rotation.ts)
  ALTER TABLE wall_links ADD COLUMN rotation TEXT;
  `,
  `
  -- a registered meter never heard yet is silent from its registration (heard = false, last_seen_ms = registered)
  ALTER TABLE meter_heartbeats ADD COLUMN heard boolean NOT NULL DEFAULT true;
  -- the region an audit entry is about (GET /api/audit is region-scoped); NULL = the whole deployment
  ALTER TABLE audit_log ADD COLUMN region_id text;
  CREATE INDEX audit_log_region ON audit_log (region_id, id);
  `,
  // analytics-scale: rollup rows per region depth, so a query never sums a district's grids (rebuilt at start)
  rollupByDepthDdl('integer', 'bigint', 'text COLLATE "C"', ''),
  `
  -- reports with an address the gazetteer could not place, until a dispatcher places them (server/ingest/locate.ts)
  CREATE TABLE parked_reports (
    id bigserial PRIMARY KEY,
    connector_id text NOT NULL,
    external_id text NOT NULL,
    region_id text COLLATE "C" NOT NULL,
    received_ms bigint NOT NULL,
    placed_ms bigint,
    incident_id text,
    placed_by text,
    data text NOT NULL,
    UNIQUE (connector_id, external_id)
  );
  CREATE INDEX parked_reports_open ON parked_reports (region_id, id) WHERE placed_ms IS NULL;
  `,
  `
  -- city-index (issue 14): the district-wide incident list newest first, and by category, without a scan
  -- of a million rows (server/store/postgres/list.ts); created_seq completes the list's order
  CREATE INDEX incidents_reported ON incidents (reported_ms, created_seq);
  CREATE INDEX incidents_category_reported ON incidents ((data::jsonb ->> 'category'), reported_ms, created_seq);
  `,
  `
  -- wall links: the region each shows (an existing link keeps the wall account's, the region it had) and its
  -- token generation (POST /api/wall-links/{id}/reissue: a token of an older generation fails)
  ALTER TABLE wall_links ADD COLUMN region_id text;
  ALTER TABLE wall_links ADD COLUMN token_gen integer NOT NULL DEFAULT 0;
  ALTER TABLE wall_links ADD COLUMN reissued_at bigint;
  UPDATE wall_links SET region_id = (SELECT region_id FROM users WHERE username = 'wall');
  `,
  `
  -- ingest-sqlite (issue 14): the category as a column, as in SQLite (migration 22 there), for the list and the
  -- merge-candidate read. Generated from the JSON, so PostgreSQL fills it for existing rows and keeps it in step on
  -- every write without a store statement naming it (an absorbed report still re-derives it, as the index did)
  ALTER TABLE incidents ADD COLUMN category text GENERATED ALWAYS AS (data::jsonb ->> 'category') STORED;
  DROP INDEX incidents_category_reported;
  CREATE INDEX incidents_category_reported ON incidents (category, reported_ms, created_seq);
  `,
  `
  -- pg-ratio (issue 14): the assignee as a generated column, its two indexes on it instead of on the JSON, and
  -- room on each page. With \`data\` in no index, an absorbed report's UPDATE (data, severity, updated_ms) can be
  -- a HOT update — no entry in any of the ten incident indexes — when its page has room: fillfactor 80 leaves it
  -- (set before the column, so the rewrite that adds it packs the pages to 80 %). PostgreSQL only: SQLite has no HOT
  ALTER TABLE incidents SET (fillfactor = 80);
  ALTER TABLE incidents ADD COLUMN assignee_id text GENERATED ALWAYS AS (data::jsonb ->> 'assigneeId') STORED;
  DROP INDEX incidents_assignee_open;
  DROP INDEX incidents_assignee_closed;
  CREATE INDEX incidents_assignee_open ON incidents (assignee_id) WHERE status NOT IN ('rejected', 'closed');
  CREATE INDEX incidents_assignee_closed ON incidents (assignee_id, closed_ms) WHERE closed_ms IS NOT NULL;
  `,
  `
  -- rollup-rows (issue 14): kind '' (all cases) is no longer stored: it is the 's' rows (one source per case)
  -- summed; no reader groups the unassigned 'a' rows (value ''); the grid depth (15) has no month rows, its
  -- ranges are read from day rows. Those old rows go; nothing is rebuilt (common/analytics/rollup.ts)
  DELETE FROM analytics_rollup WHERE kind = '' OR (kind = 'a' AND value = '') OR (level = 'm' AND depth = 15);
  `,
];

/**
 * Bring the schema (the first one on the connection's search_path) up to date. Several nodes may start at
 * once: a transaction-scoped advisory lock keyed by the schema name lets one of them migrate while the
 * others wait, then find nothing left to do.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('gridops:migrate:' || current_schema()))");
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let i = rows[0]?.v ?? 0; i < MIGRATIONS.length; i++) {
      await client.query(MIGRATIONS[i]!);
      await client.query('INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)', [i + 1, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
