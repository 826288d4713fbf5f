import { z } from 'zod';
import { passwordChangeSchema, passwordResetResponseSchema, userPatchSchema } from '#common/accounts/schema';
import { auditQuerySchema } from '#common/audit/types';
import { holidayYearSchema } from '#common/calendar/schema';
import { ingestEventSchema } from '#common/ingest/schema';
import { loginSchema, newUserSchema } from '../auth/routes.ts';
import { newLinkSchema } from '../auth/wall-routes.ts';
import { newPartySchema, patchPartySchema } from '../dispatch/parties.ts';
import { candidatesQuery, listQuery as partyListQuery } from '../dispatch/routes.ts';
import { locateSchema } from '../geo/routes.ts';
import { actionBody, listQuery as incidentListQuery } from '../incidents/routes.ts';
import { newKey } from '../ingest/key-routes.ts';

/** Who may call a route: a user token, an upstream's ingest key, the metrics guard, or anyone. */
export type Security = 'bearer' | 'ingestKey' | 'metrics' | 'none';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path (`{id}` parameters), as served. */
  path: string;
  summary: string;
  tag: string;
  security: Security;
  /** Roles allowed, when narrower than any signed-in user. */
  roles?: readonly string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A non-JSON request body (CSV upload, form). */
  bodyType?: string;
  /** Success status → description, with a schema when one exists. */
  ok: { status: number; description: string; schema?: z.ZodType; type?: string };
}

const STAFF = ['admin', 'leader', 'dispatcher', 'worker'] as const;

/**
 * Every HTTP route the server serves: the single source of the OpenAPI document. test/integration/openapi.test.ts
 * checks it against the routes in the server source and in the README's tables, so a route cannot be added
 * without being documented. Schemas are the validators the routes use (common/ or the route's own module).
 */
export const ROUTES: readonly RouteDoc[] = [
  // Auth and accounts
  { method: 'post', path: '/api/auth/login', summary: 'Sign in; returns a 12 h token and the user', tag: 'auth', security: 'none', body: loginSchema, ok: { status: 200, description: '{ token, user }' } },
  { method: 'post', path: '/api/auth/wall-token', summary: 'Read-only wall token for a browser on the server’s own machine (WALL_AUTO_LOGIN)', tag: 'auth', security: 'none', ok: { status: 200, description: '{ token, user }' } },
  { method: 'get', path: '/api/auth/me', summary: 'The signed-in user', tag: 'auth', security: 'bearer', ok: { status: 200, description: 'PublicUser' } },
  { method: 'get', path: '/api/users', summary: 'Accounts in the admin’s scope', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ users: PublicUser[] }' } },
  { method: 'post', path: '/api/users', summary: 'Create an account in the admin’s scope', tag: 'accounts', security: 'bearer', roles: ['admin'], body: newUserSchema, ok: { status: 201, description: 'PublicUser' } },
  { method: 'patch', path: '/api/users/{id}', summary: 'Disable/enable, change role, region or name; role/region/disable end sessions on every node', tag: 'accounts', security: 'bearer', roles: ['admin'], body: userPatchSchema, ok: { status: 200, description: 'PublicUser' } },
  { method: 'post', path: '/api/users/{id}/password-reset', summary: 'One-time temporary password; the user must change it at next sign-in', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 200, description: 'Shown once', schema: passwordResetResponseSchema } },
  { method: 'post', path: '/api/me/password', summary: 'Change one’s own password (policy: common/accounts/password-policy.ts); other sessions end', tag: 'accounts', security: 'bearer', body: passwordChangeSchema, ok: { status: 200, description: '{ token, user }' } },
  { method: 'get', path: '/api/wall-links', summary: 'Recorded wall links (never their tokens)', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ items }' } },
  { method: 'post', path: '/api/wall-links', summary: 'Issue a wall link; its token is returned once', tag: 'accounts', security: 'bearer', roles: ['admin'], body: newLinkSchema, ok: { status: 201, description: '{ link, url, token }' } },
  { method: 'delete', path: '/api/wall-links/{id}', summary: 'Revoke a wall link (REST and sockets end within seconds)', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 204, description: 'Revoked' } },
  // Operations
  { method: 'get', path: '/api/audit', summary: 'The append-only audit log, newest first, filtered and paged', tag: 'operations', security: 'bearer', roles: ['admin'], query: auditQuerySchema, ok: { status: 200, description: '{ items: AuditEntry[], nextCursor }' } },
  { method: 'get', path: '/api/holidays', summary: 'Holiday calendar: years known from chinese-days and the admin-entered years', tag: 'operations', security: 'bearer', ok: { status: 200, description: '{ years, warning }' } },
  { method: 'get', path: '/api/holidays/{year}', summary: 'The holidays and make-up working days of one year, and where they come from', tag: 'operations', security: 'bearer', ok: { status: 200, description: 'HolidayYear' } },
  { method: 'put', path: '/api/holidays/{year}', summary: 'Enter or replace a year’s schedule the package does not know yet', tag: 'operations', security: 'bearer', roles: ['admin'], body: holidayYearSchema, ok: { status: 200, description: 'HolidayYear' } },
  { method: 'get', path: '/metrics', summary: 'Prometheus text (METRICS_TOKEN bearer or an address in METRICS_ALLOW)', tag: 'operations', security: 'metrics', ok: { status: 200, description: 'Prometheus text format 0.0.4', type: 'text/plain' } },
  { method: 'get', path: '/healthz', summary: 'Liveness and readiness: database, sources', tag: 'operations', security: 'none', ok: { status: 200, description: 'Health report' } },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'operations', security: 'none', ok: { status: 200, description: 'OpenAPI 3.1' } },
  { method: 'get', path: '/api/docs/docs.js', summary: 'The reference page’s script', tag: 'operations', security: 'none', ok: { status: 200, description: 'JavaScript', type: 'text/javascript' } },
  { method: 'get', path: '/api/docs/docs.css', summary: 'The reference page’s style', tag: 'operations', security: 'none', ok: { status: 200, description: 'CSS', type: 'text/css' } },
  { method: 'get', path: '/api/docs', summary: 'Offline API reference page rendered from this document', tag: 'operations', security: 'none', ok: { status: 200, description: 'HTML', type: 'text/html' } },
  // Incidents
  { method: 'get', path: '/api/incidents', summary: 'Newest first, keyset cursor paging, projected per role', tag: 'incidents', security: 'bearer', query: incidentListQuery, ok: { status: 200, description: '{ items, nextCursor }' } },
  { method: 'get', path: '/api/incidents.csv', summary: 'The same filters as CSV (UTF-8 with BOM; lang=en for English headers)', tag: 'incidents', security: 'bearer', roles: ['admin', 'leader', 'dispatcher'], query: incidentListQuery, ok: { status: 200, description: 'CSV', type: 'text/csv' } },
  { method: 'get', path: '/api/incidents/{id}', summary: 'One incident with history and linked reports; an unmasked reporter read is audited', tag: 'incidents', security: 'bearer', ok: { status: 200, description: '{ incident, history, reports }' } },
  { method: 'post', path: '/api/incidents/{id}/actions', summary: 'A case-flow step (common/incidents/lifecycle.ts); Idempotency-Key header; 409 incident/conflict on a stale version', tag: 'incidents', security: 'bearer', body: actionBody, ok: { status: 200, description: '{ incident, seq, entry }' } },
  { method: 'get', path: '/api/incidents/{id}/candidates', summary: 'Best assignees: roster workers near it and parties covering it', tag: 'dispatch', security: 'bearer', roles: STAFF, query: candidatesQuery, ok: { status: 200, description: '{ items }' } },
  { method: 'get', path: '/api/workers', summary: 'Roster workers in scope with duty, open cases, last position', tag: 'dispatch', security: 'bearer', roles: STAFF, ok: { status: 200, description: '{ items }' } },
  { method: 'get', path: '/api/parties', summary: 'Party registry (contacts masked for leaders and workers)', tag: 'dispatch', security: 'bearer', roles: STAFF, query: partyListQuery, ok: { status: 200, description: '{ items }' } },
  { method: 'get', path: '/api/parties/{id}', summary: 'One party', tag: 'dispatch', security: 'bearer', roles: STAFF, ok: { status: 200, description: 'Party' } },
  { method: 'post', path: '/api/parties', summary: 'Create a party whose regions lie in the admin’s scope', tag: 'dispatch', security: 'bearer', roles: ['admin'], body: newPartySchema, ok: { status: 201, description: 'Party' } },
  { method: 'patch', path: '/api/parties/{id}', summary: 'Change a party', tag: 'dispatch', security: 'bearer', roles: ['admin'], body: patchPartySchema, ok: { status: 200, description: 'Party' } },
  { method: 'delete', path: '/api/parties/{id}', summary: 'Delete a party', tag: 'dispatch', security: 'bearer', roles: ['admin'], ok: { status: 204, description: 'Deleted' } },
  { method: 'post', path: '/api/parties/import', summary: 'CSV import (UTF-8 or GBK, zh or en headers)', tag: 'dispatch', security: 'bearer', roles: ['admin'], bodyType: 'text/csv', ok: { status: 200, description: '{ imported, errors }' } },
  // Geography and population
  { method: 'get', path: '/api/regions', summary: 'Region tree of the caller’s scope', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'RegionNode' } },
  { method: 'get', path: '/api/geo/regions.geojson', summary: 'Region boundaries in scope', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'GeoJSON', type: 'application/geo+json' } },
  { method: 'get', path: '/api/geo/tiles/{z}/{x}/{y}.pbf', summary: 'Vector tiles cut on the server', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'Mapbox vector tile', type: 'application/x-protobuf' } },
  { method: 'get', path: '/api/geo/grids/{id}', summary: 'Grid facts', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'Grid facts' } },
  { method: 'get', path: '/api/geo/map-config', summary: 'Base-map configuration', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'Map config' } },
  { method: 'get', path: '/api/geo/base.pmtiles', summary: 'The hosted PMTiles base layer (MAP_BASE_PMTILES)', tag: 'geo', security: 'bearer', ok: { status: 200, description: 'PMTiles', type: 'application/octet-stream' } },
  { method: 'get', path: '/api/geo/locate', summary: 'Point → grid', tag: 'geo', security: 'bearer', query: locateSchema, ok: { status: 200, description: '{ gridId, path }' } },
  { method: 'get', path: '/api/population', summary: 'Aggregates, indicators, 24-month history (walls: counts under 5 shown as "<5")', tag: 'population', security: 'bearer', ok: { status: 200, description: 'Population view' } },
  { method: 'get', path: '/api/population/grids', summary: 'Per-grid aggregates for the map', tag: 'population', security: 'bearer', ok: { status: 200, description: 'Grid aggregates' } },
  { method: 'post', path: '/api/population/import', summary: 'Population-registry CSV upload (rows outside scope refused)', tag: 'population', security: 'bearer', roles: ['admin'], bodyType: 'text/csv', ok: { status: 200, description: 'Import report' } },
  // Ingest
  { method: 'post', path: '/api/ingest/events', summary: 'Upstream events, one or an array; 202 with a result per item', tag: 'ingest', security: 'ingestKey', body: z.union([ingestEventSchema, z.array(ingestEventSchema)]), ok: { status: 202, description: '{ results }' } },
  { method: 'post', path: '/api/ingest/hotline', summary: '12345 hotline work orders', tag: 'ingest', security: 'ingestKey', ok: { status: 202, description: '{ results }' } },
  { method: 'get', path: '/api/ingest/rejected', summary: 'Dead letters of refused upstream messages', tag: 'ingest', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ items }' } },
  { method: 'get', path: '/api/ingest/keys', summary: 'Ingest keys in scope (never the keys)', tag: 'ingest', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ items }' } },
  { method: 'post', path: '/api/ingest/keys', summary: 'Issue an ingest key for a source; returned once', tag: 'ingest', security: 'bearer', roles: ['admin'], body: newKey, ok: { status: 201, description: '{ id, source, key }' } },
  { method: 'delete', path: '/api/ingest/keys/{id}', summary: 'Revoke an ingest key', tag: 'ingest', security: 'bearer', roles: ['admin'], ok: { status: 204, description: 'Revoked' } },
  ...(['json', 'xml'] as const).flatMap((ext): RouteDoc[] => [
    { method: 'get', path: `/open311/v2/services.${ext}`, summary: 'Open311 service list', tag: 'open311', security: 'none', ok: { status: 200, description: `Open311 ${ext}` } },
    { method: 'post', path: `/open311/v2/requests.${ext}`, summary: 'Open311 service request (form-encoded; api_key of source open311)', tag: 'open311', security: 'ingestKey', bodyType: 'application/x-www-form-urlencoded', ok: { status: 200, description: `Open311 ${ext}` } },
    { method: 'get', path: `/open311/v2/requests.${ext}`, summary: 'Open311 requests (masked, no sensitive categories)', tag: 'open311', security: 'none', ok: { status: 200, description: `Open311 ${ext}` } },
    { method: 'get', path: `/open311/v2/requests/{id}.${ext}`, summary: 'One Open311 request', tag: 'open311', security: 'none', ok: { status: 200, description: `Open311 ${ext}` } },
  ]),
];
