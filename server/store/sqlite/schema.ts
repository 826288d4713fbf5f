import { analyticsDdl, rollupByDepthDdl } from '../analytics-columns.ts';
/** Schema migrations, applied in order; `user_version` records how many ran. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    region_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  );

  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    connector_id TEXT NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- grid id, or the root region for points outside every grid: scope filters are prefix ranges on it
    region_id TEXT NOT NULL,
    reported_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    due_ms INTEGER,
    closed_ms INTEGER,
    data TEXT NOT NULL
  );
  CREATE UNIQUE INDEX incidents_external ON incidents (connector_id, external_id) WHERE external_id IS NOT NULL;
  CREATE INDEX incidents_region_reported ON incidents (region_id, reported_ms);
  CREATE INDEX incidents_status ON incidents (status, reported_ms);

  -- Append-only: one row per change; seq is the global, gap-free order of changes.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    type TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    data TEXT NOT NULL
  );

  CREATE TABLE rejected (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connector_id TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    reason TEXT NOT NULL,
    payload TEXT NOT NULL
  );
  CREATE INDEX rejected_connector ON rejected (connector_id, id);
  `,
  // Reports merged into incidents, the case history, and coordinates for finding merge candidates.
  `
  ALTER TABLE incidents ADD COLUMN lng REAL;
  ALTER TABLE incidents ADD COLUMN lat REAL;
  UPDATE incidents SET
    lng = json_extract(data, '$.location.lng'),
    lat = json_extract(data, '$.location.lat'),
    data = json_set(data, '$.reportCount', 1);
  CREATE INDEX incidents_open_reported ON incidents (reported_ms) WHERE status NOT IN ('rejected', 'closed');

  CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL,
    connector_id TEXT NOT NULL,
    external_id TEXT,
    data TEXT NOT NULL
  );
  CREATE UNIQUE INDEX reports_external ON reports (connector_id, external_id) WHERE external_id IS NOT NULL;
  CREATE INDEX reports_incident ON reports (incident_id);
  INSERT INTO reports (incident_id, connector_id, external_id, data)
    SELECT id, connector_id, external_id, json_object(
      'incidentId', id, 'connectorId', connector_id, 'externalId', external_id,
      'source', json_extract(data, '$.source'), 'category', json_extract(data, '$.category'),
      'title', json_extract(data, '$.title'), 'location', json(data -> '$.location'),
      'reportedAt', json_extract(data, '$.reportedAt'), 'receivedAt', json_extract(data, '$.reportedAt'))
    FROM incidents;

  CREATE TABLE incident_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX incident_history_incident ON incident_history (incident_id, id);
  `,
  // Population aggregates per grid and month (counts only, as JSON; no person-level data is ever stored).
  `
  CREATE TABLE population (
    grid_id TEXT NOT NULL,
    month TEXT NOT NULL,
    synthetic INTEGER NOT NULL,
    data TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (grid_id, month)
  );
  `,
  `
  -- dispatch-parties: worker accounts linked to roster workers, the party registry, assignee workload indexes
  ALTER TABLE users ADD COLUMN worker_id TEXT;
  CREATE UNIQUE INDEX users_worker ON users (worker_id) WHERE worker_id IS NOT NULL;

  CREATE TABLE parties (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    categories TEXT NOT NULL,
    contact_name TEXT,
    contact_phone TEXT,
    synthetic INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  -- One row per covered region root: "parties covering region R" is region_id IN (R and its ancestors).
  CREATE TABLE party_regions (
    party_id TEXT NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL,
    PRIMARY KEY (party_id, region_id)
  );
  CREATE INDEX party_regions_region ON party_regions (region_id);

  -- Open cases held and on-time closures per assignee, without a scan of every incident.
  CREATE INDEX incidents_assignee_open ON incidents (json_extract(data, '$.assigneeId'))
    WHERE status NOT IN ('rejected', 'closed');
  CREATE INDEX incidents_assignee_closed ON incidents (json_extract(data, '$.assigneeId'), closed_ms)
    WHERE closed_ms IS NOT NULL;
  `,
  `
  -- dispatch-flow: case-flow fields on every incident (version, co-dispatch, SLA stage, extension, merge) and Idempotency-Key replays
  UPDATE incidents SET data = json_insert(data,
    '$.version', 1, '$.assistingPartyIds', json('[]'), '$.slaStage', NULL, '$.extension', NULL, '$.mergedInto', NULL);
  CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    -- what the first request was (incident, body): the same key for another request is refused
    fingerprint TEXT NOT NULL,
    -- the claim of the request that runs it; status and body stay NULL until it finishes
    owner TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
  );
  CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_ms);
  `,
  `
  -- sec-realtime: users can be disabled; wall links are recorded so they can be listed and revoked
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE wall_links (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  `,
  `
  -- sec2-auth: failed logins per account, shared by every node (server/auth/routes.ts)
  CREATE TABLE login_failures (
    account TEXT PRIMARY KEY,
    window_start_ms INTEGER NOT NULL,
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
  CREATE TABLE care_residents (id TEXT PRIMARY KEY, grid_id TEXT NOT NULL, data TEXT NOT NULL, updated_ms INTEGER NOT NULL);
  CREATE INDEX care_residents_grid ON care_residents (grid_id);
  CREATE TABLE care_visits (id TEXT PRIMARY KEY, resident_id TEXT NOT NULL, grid_id TEXT NOT NULL, visited_ms INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX care_visits_grid ON care_visits (grid_id, visited_ms);
  CREATE INDEX care_visits_resident ON care_visits (resident_id, visited_ms);
  CREATE TABLE activities (id TEXT PRIMARY KEY, uid TEXT NOT NULL UNIQUE, region_id TEXT NOT NULL, start_ms INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX activities_region ON activities (region_id);
  CREATE TABLE activity_registrations (id TEXT PRIMARY KEY, activity_id TEXT NOT NULL, region_id TEXT NOT NULL, occurrence_ms INTEGER NOT NULL, attended INTEGER, data TEXT NOT NULL);
  CREATE INDEX activity_registrations_activity ON activity_registrations (activity_id, occurrence_ms);
  CREATE INDEX activity_registrations_region ON activity_registrations (region_id, occurrence_ms);
  CREATE TABLE volunteer_hours (id TEXT PRIMARY KEY, party_id TEXT NOT NULL, region_id TEXT NOT NULL, at_ms INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX volunteer_hours_region ON volunteer_hours (region_id, at_ms);
  CREATE TABLE welfare_tasks (resident_id TEXT NOT NULL, due_ms INTEGER NOT NULL, grid_id TEXT NOT NULL, incident_id TEXT, created_ms INTEGER NOT NULL, PRIMARY KEY (resident_id, due_ms));
  CREATE INDEX welfare_tasks_grid ON welfare_tasks (grid_id);
  `,
  `
  -- worker-field (issue 9): photos of incidents (bytes in the MediaStore), grid workers' positions, patrols, check-ins
  CREATE TABLE incident_media (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    bytes integer NOT NULL
  );
  CREATE INDEX incident_media_incident ON incident_media (incident_id, at_ms);
  -- personal data: pruned after POSITION_RETENTION_DAYS
  CREATE TABLE worker_positions (
    worker_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    lng REAL NOT NULL,
    lat REAL NOT NULL,
    accuracy REAL,
    patrol_id TEXT
  );
  CREATE INDEX worker_positions_worker ON worker_positions (worker_id, at_ms);
  CREATE INDEX worker_positions_at ON worker_positions (at_ms);
  CREATE TABLE patrols (
    id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    distance_m REAL
  );
  CREATE INDEX patrols_worker ON patrols (worker_id, started_ms);
  -- at most one patrol under way per worker, across nodes
  CREATE UNIQUE INDEX patrols_current ON patrols (worker_id) WHERE ended_ms IS NULL;
  CREATE TABLE checkins (
    id TEXT PRIMARY KEY,
    worker_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    lng REAL NOT NULL,
    lat REAL NOT NULL,
    grid_id TEXT,
    note TEXT
  );
  CREATE INDEX checkins_worker ON checkins (worker_id, at_ms);
  CREATE INDEX checkins_at ON checkins (at_ms);
  `,
  `
  -- speed: merge candidates through a spatial index (server/store/merge-cells.ts); filled for open incidents on open
  ALTER TABLE incidents ADD COLUMN merge_cell TEXT;
  CREATE INDEX incidents_open_merge_cell ON incidents (merge_cell, reported_ms) WHERE status NOT IN ('rejected', 'closed');
  `,
  // leader-analytics: rollups, per-case facts and feedback links (server/store/analytics-columns.ts)
  analyticsDdl('INTEGER'),
  `
  -- leader-replay: the state at an instant (latest change of each incident up to it) and a day's changes
  CREATE INDEX IF NOT EXISTS events_incident ON events (incident_id, seq);
  CREATE INDEX IF NOT EXISTS events_at ON events (at_ms);
  `,
  `
  -- operations: account lifetime, append-only audit log, admin-entered holiday calendar
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN tokens_after_ms INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    ip TEXT,
    user_agent TEXT
  );
  CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
  CREATE INDEX audit_log_action ON audit_log (action, id);
  CREATE INDEX audit_log_target ON audit_log (target, id);
  CREATE INDEX audit_log_at ON audit_log (at_ms);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TABLE holiday_days (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    updated_by TEXT,
    updated_ms INTEGER NOT NULL
  );
  `,
  `
  -- water meters' last message times; raised_for_ms = the silence period (its last_seen_ms) already raised
  CREATE TABLE meter_heartbeats (
    device_key TEXT PRIMARY KEY,
    last_seen_ms INTEGER NOT NULL,
    raised_for_ms INTEGER
  );
  CREATE INDEX meter_heartbeats_seen ON meter_heartbeats (last_seen_ms);
  `,
  `
  -- wall links: optional theme rotation (JSON, common/wall/rotation.ts)
  ALTER TABLE wall_links ADD COLUMN rotation TEXT;
  `,
  `
  -- a registered meter never heard yet is silent from its registration (heard = 0, last_seen_ms = registered)
  ALTER TABLE meter_heartbeats ADD COLUMN heard INTEGER NOT NULL DEFAULT 1;
  -- the region an audit entry is about (GET /api/audit is region-scoped); NULL = the whole deployment
  ALTER TABLE audit_log ADD COLUMN region_id TEXT;
  CREATE INDEX audit_log_region ON audit_log (region_id, id);
  `,
  // analytics-scale: rollup rows per region depth, so a query never sums a district's grids (rebuilt at start)
  rollupByDepthDdl('INTEGER', 'INTEGER', 'TEXT', ' WITHOUT ROWID'),
  `
  -- reports with an address the gazetteer could not place, until a dispatcher places them (server/ingest/locate.ts)
  CREATE TABLE parked_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connector_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    placed_ms INTEGER,
    incident_id TEXT,
    placed_by TEXT,
    data TEXT NOT NULL,
    UNIQUE (connector_id, external_id)
  );
  CREATE INDEX parked_reports_open ON parked_reports (region_id, id) WHERE placed_ms IS NULL;
  `,
  `
  -- city-index (issue 14): the district-wide incident list newest first, and by category, without a scan
  -- of a million rows (server/store/sqlite/list.ts says which query uses which)
  CREATE INDEX incidents_reported ON incidents (reported_ms);
  CREATE INDEX incidents_category_reported ON incidents (json_extract(data, '$.category'), reported_ms);
  `,
  `
  -- wall links: the region each shows (an existing link keeps the wall account's, the region it had) and its
  -- token generation (POST /api/wall-links/{id}/reissue: a token of an older generation fails)
  ALTER TABLE wall_links ADD COLUMN region_id TEXT;
  ALTER TABLE wall_links ADD COLUMN token_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE wall_links ADD COLUMN reissued_at INTEGER;
  UPDATE wall_links SET region_id = (SELECT region_id FROM users WHERE username = 'wall');
  `,
  `
  -- ingest-sqlite (issue 14): the category as a column, written by the store on every insert and update. A
  -- report absorbed by an open incident rewrites its JSON: with the index over json_extract(data) that meant
  -- two JSON parses and one more random index page per merge; the merge-candidate read and the list filter
  -- read the column too
  ALTER TABLE incidents ADD COLUMN category TEXT;
  UPDATE incidents SET category = json_extract(data, '$.category');
  DROP INDEX incidents_category_reported;
  CREATE INDEX incidents_category_reported ON incidents (category, reported_ms);
  `,
  `
  -- rollup-rows (issue 14): kind '' (all cases) is no longer stored: it is the 's' rows (one source per case)
  -- summed; no reader groups the unassigned 'a' rows (value ''); the grid depth (15) has no month rows, its
  -- ranges are read from day rows. Those old rows go; nothing is rebuilt (common/analytics/rollup.ts)
  DELETE FROM analytics_rollup WHERE kind = '' OR (kind = 'a' AND value = '') OR (level = 'm' AND depth = 15);
  `,
  `
  -- merge-pages (issue 14): the assignee as a column, written by the store on every insert and update, its two
  -- indexes on it instead of on the JSON (PostgreSQL's migration 23 generates it). A report absorbed by an open
  -- incident rewrites only severity, updated_ms and data, so it now touches no index of the incidents table
  ALTER TABLE incidents ADD COLUMN assignee_id TEXT;
  UPDATE incidents SET assignee_id = json_extract(data, '$.assigneeId');
  DROP INDEX incidents_assignee_open;
  DROP INDEX incidents_assignee_closed;
  CREATE INDEX incidents_assignee_open ON incidents (assignee_id) WHERE status NOT IN ('rejected', 'closed');
  CREATE INDEX incidents_assignee_closed ON incidents (assignee_id, closed_ms) WHERE closed_ms IS NOT NULL;
  `,
];
