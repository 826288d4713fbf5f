import { z } from 'zod';
import { passwordChangeSchema, passwordResetResponseSchema, userPatchSchema } from '#common/accounts/schema';
import { auditQuerySchema } from '#common/audit/types';
import { analyticsQuerySchema } from '#common/analytics/api';
import { holidayYearSchema } from '#common/calendar/schema';
import { attendanceSchema, careResidentInputSchema, newActivitySchema, newRegistrationSchema, newVisitSchema, tierRulesSchema, volunteerHoursSchema } from '#common/care/types';
import { checkinInput, positionsBody } from '#common/field/schema';
import { VERDICT_RESULTS } from '#common/incidents/verdict';
import { ingestEventSchema } from '#common/ingest/schema';
import { placeBodySchema } from '#common/ingest/parked';
import { patrolReportSchema } from '#common/mobile/report';
import { replayAtQuery, replayDayQuery } from '#common/replay/schema';
import { monthlyQuery } from '#common/reports/monthly';
import { loginSchema, newUserSchema } from '../auth/routes.ts';
import { linkPatchSchema, newLinkSchema } from '../auth/wall-routes.ts';
import { newPartySchema, patchPartySchema } from '../dispatch/parties.ts';
import { candidatesQuery, listQuery as partyListQuery } from '../dispatch/routes.ts';
import { callbackSchema } from '../feedback/routes.ts';
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
const WORKER = ['worker'] as const;

/*
 * Queries some routes read by hand, without a validator of their own (server/field, server/care): described here
 * as the routes read them, so that the document shows them. The routes' own validators are used wherever they exist.
 */
const regionQuery = z.object({ regionId: z.string().regex(/^\d{6,15}$/).optional().describe('Region code; default the caller’s own') });
const dayQuery = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('China-time day; default today') });
const windowQuery = regionQuery.extend({
  from: z.string().optional().describe('ISO date-time; default a week ago'),
  to: z.string().optional().describe('ISO date-time; default from + 6 weeks'),
});
const daysQuery = regionQuery.extend({ days: z.coerce.number().int().optional().describe('Look-back in days') });
/** The one-time feedback page's form (POST /f/{token}). */
const feedbackForm = z.object({ result: z.enum(VERDICT_RESULTS) });

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
  { method: 'get', path: '/api/wall-links', summary: 'Recorded wall links (never their tokens)', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ links }' } },
  { method: 'post', path: '/api/wall-links', summary: 'Issue a wall link for a region within the issuer’s scope (default their own); its token is returned once', tag: 'accounts', security: 'bearer', roles: ['admin'], body: newLinkSchema, ok: { status: 201, description: '{ link, token, path }' } },
  { method: 'get', path: '/api/wall-links/current', summary: 'The signed-in wall link’s settings: its theme rotation (or null) and its region', tag: 'accounts', security: 'bearer', roles: ['wall'], ok: { status: 200, description: '{ rotation, regionId }' } },
  { method: 'patch', path: '/api/wall-links/{id}', summary: 'Change a live wall link’s label, theme rotation (its walls follow at their next theme slot) or region (within the admin’s scope; its walls reload into it)', tag: 'accounts', security: 'bearer', roles: ['admin'], body: linkPatchSchema, ok: { status: 200, description: '{ link }' } },
  { method: 'post', path: '/api/wall-links/{id}/reissue', summary: 'A new token for a live wall link, same region, rotation and expiry; the old token stops working at once', tag: 'accounts', security: 'bearer', roles: ['admin'], ok: { status: 200, description: '{ link, token, path }' } },
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
  // Grid worker app (server/mobile) and field work (server/field)
  { method: 'get', path: '/api/me/tasks', summary: 'Open cases assigned to me or my roster worker (or assisted by either), in any region', tag: 'field', security: 'bearer', roles: WORKER, ok: { status: 200, description: '{ items }' } },
  { method: 'post', path: '/api/me/reports', summary: 'A street report (巡查上报) through the ingest pipeline as source patrol; the client-made id is the Idempotency-Key', tag: 'field', security: 'bearer', roles: WORKER, body: patrolReportSchema, ok: { status: 201, description: '{ id, incidentId, merged, duplicate } (200 for a resend)' } },
  { method: 'get', path: '/api/me/reports', summary: 'My last 50 street reports with their incident’s status, reportCount and mergedInto', tag: 'field', security: 'bearer', roles: WORKER, ok: { status: 200, description: '{ items: MyReport[] }' } },
  { method: 'post', path: '/api/me/positions', summary: 'Position fixes of a worker account linked to a roster worker; fixes too close, too old or too far ahead are dropped', tag: 'field', security: 'bearer', roles: WORKER, body: positionsBody, ok: { status: 202, description: '{ kept, dropped }' } },
  { method: 'get', path: '/api/me/patrols/current', summary: 'The patrol under way, if any', tag: 'field', security: 'bearer', roles: WORKER, ok: { status: 200, description: '{ patrol }' } },
  { method: 'post', path: '/api/me/patrols', summary: 'Start a patrol (200 with alreadyStarted when one is under way)', tag: 'field', security: 'bearer', roles: WORKER, ok: { status: 201, description: '{ patrol }' } },
  { method: 'post', path: '/api/me/patrols/current/end', summary: 'End the patrol under way, with its distance; 404 field/no_patrol', tag: 'field', security: 'bearer', roles: WORKER, ok: { status: 200, description: '{ patrol }' } },
  { method: 'post', path: '/api/me/checkins', summary: 'Grid check-in (打卡) with the grid of the place', tag: 'field', security: 'bearer', roles: WORKER, body: checkinInput, ok: { status: 201, description: '{ checkin }' } },
  { method: 'get', path: '/api/me/day', summary: 'My day (China time): fixes, patrols, check-ins, mileage and time', tag: 'field', security: 'bearer', roles: WORKER, query: dayQuery, ok: { status: 200, description: '{ workerId, date, fixes, patrols, checkins, stats }' } },
  { method: 'get', path: '/api/workers/{id}/track', summary: 'A roster worker’s day in scope: fixes, patrols, check-ins, mileage and time', tag: 'field', security: 'bearer', roles: ['admin', 'leader', 'dispatcher'], query: dayQuery, ok: { status: 200, description: '{ workerId, date, fixes, patrols, checkins, stats }' } },
  { method: 'get', path: '/api/workers/patrol-counts', summary: 'Workers on patrol per community in scope (all a wall gets of positions)', tag: 'field', security: 'bearer', ok: { status: 200, description: '{ byCommunity }' } },
  // Media
  { method: 'post', path: '/api/incidents/{id}/media', summary: 'Upload a photo (multipart, field file); re-encoded without EXIF/GPS, with a thumbnail; Idempotency-Key header replays a resend', tag: 'media', security: 'bearer', roles: STAFF, bodyType: 'multipart/form-data', ok: { status: 201, description: '{ id, url, thumbUrl }' } },
  { method: 'get', path: '/api/incidents/{id}/media', summary: 'The incident’s photos (walls 403, out of scope 404)', tag: 'media', security: 'bearer', roles: STAFF, ok: { status: 200, description: '{ items: MediaRef[] }' } },
  { method: 'get', path: '/api/incidents/{id}/media/{mediaId}', summary: 'One photo (a MediaRef url), Cache-Control private', tag: 'media', security: 'bearer', roles: STAFF, ok: { status: 200, description: 'JPEG', type: 'image/jpeg' } },
  { method: 'get', path: '/api/incidents/{id}/media/{mediaId}/thumb', summary: 'A photo’s 320 px thumbnail (a MediaRef thumbUrl)', tag: 'media', security: 'bearer', roles: STAFF, ok: { status: 200, description: 'JPEG', type: 'image/jpeg' } },
  // Analytics, replay, reports
  { method: 'get', path: '/api/analytics', summary: 'Governance indicators for a region subtree over local dates, grouped; walls get aggregate groups only', tag: 'analytics', security: 'bearer', roles: ['admin', 'leader', 'dispatcher', 'wall'], query: analyticsQuerySchema, ok: { status: 200, description: '{ regionId, from, to, groupBy, items, total, previous? }' } },
  { method: 'get', path: '/api/replay', summary: 'The incidents open at an instant and the KPIs then, rebuilt from the event log', tag: 'replay', security: 'bearer', query: replayAtQuery, ok: { status: 200, description: '{ regionId, at, seq, incidents, kpis }' } },
  { method: 'get', path: '/api/replay/day', summary: 'The incidents open at a day’s start and every change of the day (at most 60,000)', tag: 'replay', security: 'bearer', query: replayDayQuery, ok: { status: 200, description: '{ from, to, base, changes, truncated }' } },
  { method: 'get', path: '/api/reports/monthly.pdf', summary: 'Monthly report as A4 PDF rendered by headless Chromium (two at a time, six waiting); 503 reports/no_chromium without one, 503 reports/busy past the line', tag: 'reports', security: 'bearer', roles: ['admin', 'leader'], query: monthlyQuery, ok: { status: 200, description: 'PDF', type: 'application/pdf' } },
  { method: 'get', path: '/api/reports/monthly.xlsx', summary: 'Monthly report as a workbook', tag: 'reports', security: 'bearer', roles: ['admin', 'leader'], query: monthlyQuery, ok: { status: 200, description: 'XLSX', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  // Feedback (回访): no login
  { method: 'post', path: '/api/ingest/hotline/callback', summary: '12345 revisit result (满意, 基本满意, 不满意) for a closed case; 不满意 sends it back for rework', tag: 'feedback', security: 'ingestKey', body: callbackSchema, ok: { status: 200, description: '{ ok, id, status, seq }' } },
  { method: 'get', path: '/f/feedback.css', summary: 'The feedback page’s style', tag: 'feedback', security: 'none', ok: { status: 200, description: 'CSS', type: 'text/css' } },
  { method: 'get', path: '/f/{token}', summary: 'A reporter’s one-time feedback page (no login, no script); 410 once answered or expired', tag: 'feedback', security: 'none', ok: { status: 200, description: 'HTML', type: 'text/html' } },
  { method: 'post', path: '/f/{token}', summary: 'Answer the feedback page (one answer per link)', tag: 'feedback', security: 'none', body: feedbackForm, bodyType: 'application/x-www-form-urlencoded', ok: { status: 200, description: 'HTML', type: 'text/html' } },
  // Community life (server/care)
  { method: 'get', path: '/api/activities', summary: 'Activities held in the region or by an ancestor, with occurrences in the window (walls: counts null)', tag: 'care', security: 'bearer', query: windowQuery, ok: { status: 200, description: '{ activities, from, to }' } },
  { method: 'post', path: '/api/activities', summary: 'Create an activity', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher', 'leader'], body: newActivitySchema, ok: { status: 201, description: 'Activity' } },
  { method: 'get', path: '/api/activities.ics', summary: 'The region’s activities as an RFC 5545 calendar', tag: 'care', security: 'bearer', query: regionQuery, ok: { status: 200, description: 'iCalendar', type: 'text/calendar' } },
  { method: 'post', path: '/api/activities/import', summary: 'Import an .ics body: each VEVENT an activity, matched on UID', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher', 'leader'], query: regionQuery, bodyType: 'text/calendar', ok: { status: 200, description: '{ created, updated, errors }' } },
  { method: 'get', path: '/api/activities/{id}/registrations', summary: 'An activity’s registrations (personal data; not for walls)', tag: 'care', security: 'bearer', roles: STAFF, ok: { status: 200, description: '{ registrations }' } },
  { method: 'post', path: '/api/activities/{id}/registrations', summary: 'Register for an occurrence; 409 care/full past capacity', tag: 'care', security: 'bearer', roles: STAFF, body: newRegistrationSchema, ok: { status: 201, description: 'Registration' } },
  { method: 'post', path: '/api/activities/{id}/attendance', summary: 'Record who came to an occurrence; walk-ins registered as attended', tag: 'care', security: 'bearer', roles: STAFF, body: attendanceSchema, ok: { status: 200, description: '{ occurrence, attended, walkIns }' } },
  { method: 'get', path: '/api/care/residents', summary: 'The care registry of the region (not for walls)', tag: 'care', security: 'bearer', roles: STAFF, query: regionQuery, ok: { status: 200, description: '{ residents }' } },
  { method: 'post', path: '/api/care/residents', summary: 'Add a resident to the care registry', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher'], body: careResidentInputSchema, ok: { status: 201, description: 'CareResident (200 when the id existed)' } },
  { method: 'put', path: '/api/care/residents/{id}', summary: 'Create or replace a resident of the care registry', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher'], body: careResidentInputSchema, ok: { status: 200, description: 'CareResident (201 when new)' } },
  { method: 'delete', path: '/api/care/residents/{id}', summary: 'Remove a resident from the care registry', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher'], ok: { status: 204, description: 'Deleted' } },
  { method: 'post', path: '/api/care/residents/import', summary: 'Care-registry CSV upload; the good rows imported', tag: 'care', security: 'bearer', roles: ['admin'], bodyType: 'text/csv', ok: { status: 200, description: '{ counts, errors }' } },
  { method: 'get', path: '/api/visits', summary: 'Visits in the region, newest first (not for walls)', tag: 'care', security: 'bearer', roles: STAFF, query: daysQuery, ok: { status: 200, description: '{ visits }' } },
  { method: 'get', path: '/api/visits/schedule', summary: 'Every resident’s tier, last visit and due date, overdue first', tag: 'care', security: 'bearer', roles: STAFF, query: regionQuery, ok: { status: 200, description: '{ schedule }' } },
  { method: 'post', path: '/api/visits', summary: 'Record a visit; needs_help opens an elderly_care incident', tag: 'care', security: 'bearer', roles: STAFF, body: newVisitSchema, ok: { status: 201, description: 'Visit' } },
  { method: 'get', path: '/api/volunteers/hours', summary: 'Volunteer time bank per team and community', tag: 'care', security: 'bearer', query: daysQuery, ok: { status: 200, description: '{ teams, communities }' } },
  { method: 'get', path: '/api/volunteers/entries', summary: 'Volunteer hour entries with members (not for walls)', tag: 'care', security: 'bearer', roles: STAFF, query: regionQuery, ok: { status: 200, description: '{ entries }' } },
  { method: 'post', path: '/api/volunteers/hours', summary: 'Record volunteer hours', tag: 'care', security: 'bearer', roles: ['admin', 'dispatcher', 'leader'], body: volunteerHoursSchema, ok: { status: 201, description: 'VolunteerHours' } },
  { method: 'get', path: '/api/care/tiers', summary: 'The visit tier table (name, condition, interval per tier; first match wins)', tag: 'care', security: 'bearer', ok: { status: 200, description: '{ rules, custom }' } },
  { method: 'put', path: '/api/care/tiers', summary: 'Replace the visit tier table', tag: 'care', security: 'bearer', roles: ['admin'], body: tierRulesSchema, ok: { status: 200, description: '{ rules, custom }' } },
  { method: 'get', path: '/api/care/indicators', summary: 'Care indicators for the region and every community and grid in it', tag: 'care', security: 'bearer', query: regionQuery, ok: { status: 200, description: '{ region, children, attendanceTrend, synthetic }' } },
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
  { method: 'get', path: '/api/parked', summary: 'Parked reports (待定位): addresses the gazetteer could not place, in the caller’s scope, oldest first', tag: 'ingest', security: 'bearer', roles: ['admin', 'dispatcher', 'leader'], ok: { status: 200, description: '{ items, total }' } },
  { method: 'post', path: '/api/parked/{id}/place', summary: 'Place a parked report on the map: it then enters the pipeline (grid, merge, push)', tag: 'ingest', security: 'bearer', roles: ['admin', 'dispatcher'], body: placeBodySchema, ok: { status: 200, description: '{ parkedId, incidentId, merged }' } },
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
