import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsResponse } from '#common/analytics/api';
import type { AuditPage } from '#common/audit/types';
import { isWithinScope, type RegionNode } from '#common/geo/types';
import type { Incident } from '#common/incidents/types';
import type { Snapshot } from '#common/realtime/events';
import type { WallLinkCurrent } from '#common/wall/rotation';
import type { WallLink } from '#server/store/types';
import { connected, event, ingest, login, socketFor, startApp, type Running } from './helpers';

/**
 * A wall link shows its own region (within its issuer's scope): every read the wall token makes is bounded by
 * it. A link's token can be reissued: the old one stops working at once, the new one carries the same settings.
 */
let app: Running;
let admin: string;
/** The community of the helpers' default event point, and another community with a grid (found by scanning). */
let home: string;
let away: string;
let homeIncident: string;
let awayIncident: string;

const communityOf = (gridId: string) => gridId.slice(0, 12);

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  const base = event(1).location!;
  home = communityOf(app.regions.locate(base.lng, base.lat).gridId!);
  let awayPoint: { lng: number; lat: number } | null = null;
  for (let i = 0; i < 40 && !awayPoint; i++) {
    for (let j = 0; j < 40 && !awayPoint; j++) {
      const p = { lng: 104.02 + i * 0.004, lat: 30.6 + j * 0.004 };
      const grid = app.regions.locate(p.lng, p.lat).gridId;
      if (grid && communityOf(grid) !== home) awayPoint = p;
    }
  }
  away = communityOf(app.regions.locate(awayPoint!.lng, awayPoint!.lat).gridId!);
  const ids = async (res: Response) => ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
  homeIncident = await ids(await ingest(app.url, event(1)));
  awayIncident = await ids(await ingest(app.url, event(2, { location: awayPoint! })));
});
afterAll(async () => {
  await app.stop();
});

function call(path: string, token: string, body?: unknown, method?: string) {
  return fetch(`${app.url}/api${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const json = async <T>(res: Response) => (await res.json()) as T;
type Issued = { link: WallLink; token: string; path: string };

async function issue(body: Record<string, unknown>, token = admin): Promise<Issued> {
  const res = await call('/wall-links', token, { label: 'hall', days: 30, ...body });
  expect(res.status).toBe(201);
  return json<Issued>(res);
}

async function snapshotOf(token: string, regionId?: string) {
  const socket = socketFor(app.url, token);
  await connected(socket);
  const reply = (await socket.emitWithAck('scope:subscribe', regionId ? { regionId } : {})) as { ok: true; data: Snapshot } | { ok: false; error: { code: string } };
  socket.disconnect();
  return reply;
}

describe('wall link region', () => {
  it('fixture: two incidents in two different communities', () => {
    expect(home).not.toBe(away);
    expect(homeIncident).not.toBe(awayIncident);
  });

  it('defaults to the issuer\'s region; a link made for a community scopes every read its wall makes', async () => {
    expect((await issue({})).link.regionId).toBe(app.regions.root.id);
    const { link, token } = await issue({ regionId: home });
    expect(link.regionId).toBe(home);
    expect((await json<{ links: WallLink[] }>(await call('/wall-links', admin))).links.find((l) => l.id === link.id)?.regionId).toBe(home);

    expect((await json<{ regionId: string }>(await call('/auth/me', token))).regionId).toBe(home);
    expect(await json<WallLinkCurrent>(await call('/wall-links/current', token))).toEqual({ rotation: null, regionId: home });
    expect((await json<RegionNode>(await call('/regions', token))).id).toBe(home);

    // Live feed and KPIs: the snapshot holds the community's incident and nothing from outside it.
    const snap = await snapshotOf(token);
    expect(snap.ok).toBe(true);
    const data = (snap as { data: Snapshot }).data;
    expect(data.regionId).toBe(home);
    const ids = data.incidents.map((i) => i.id);
    expect(ids).toContain(homeIncident);
    expect(ids).not.toContain(awayIncident);
    expect(data.incidents.every((i) => i.gridId !== null && isWithinScope(i.gridId, home))).toBe(true);
    expect(data.kpis.open).toBe(1); // the community's one incident, not the district's two
    const wider = await snapshotOf(token, app.regions.root.id);
    expect(wider).toMatchObject({ ok: false, error: { code: 'scope/forbidden' } });

    // Replay, analytics and the incident detail are bounded the same way.
    const replay = await call(`/replay?at=${encodeURIComponent(new Date().toISOString())}`, token);
    expect(replay.status).toBe(200);
    const replayed = await json<{ regionId: string; incidents: Incident[] }>(replay);
    expect(replayed.regionId).toBe(home);
    expect(replayed.incidents.map((i) => i.id)).not.toContain(awayIncident);
    expect((await call(`/replay?regionId=${app.regions.root.id}&at=${encodeURIComponent(new Date().toISOString())}`, token)).status).toBe(403);
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const range = `from=${day(Date.now() - 30 * 86_400_000)}&to=${day(Date.now())}`;
    const analytics = await call(`/analytics?${range}&groupBy=region`, token);
    expect(analytics.status).toBe(200);
    const a = await json<AnalyticsResponse>(analytics);
    expect(a.regionId).toBe(home);
    expect(a.items.every((i) => isWithinScope(i.key, home))).toBe(true);
    expect((await call(`/analytics?${range}&groupBy=region&regionId=${app.regions.root.id}`, token)).status).toBe(403);
    expect([403, 404]).toContain((await call(`/incidents/${awayIncident}`, token)).status);
    expect((await call(`/incidents/${homeIncident}`, token)).status).toBe(200);
  });

  it('refuses a region outside the issuer\'s scope (403 wall_links/region_out_of_scope) and an unknown one (400)', async () => {
    const street = home.slice(0, 9);
    const res = await call('/users', admin, { username: 'street-admin', displayName: '街道管理员', password: 'Password-123', role: 'admin', regionId: street });
    expect(res.status).toBe(201);
    const streetAdmin = (await login(app.url, 'street-admin', 'Password-123')).token;
    const outside = app.regions.tree(app.regions.root.id)!.children.map((c) => c.id).find((c) => c !== street)!;
    const refused = await call('/wall-links', streetAdmin, { label: 'x', days: 1, regionId: outside });
    expect(refused.status).toBe(403);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('wall_links/region_out_of_scope');
    expect((await call('/wall-links', streetAdmin, { label: 'x', days: 1, regionId: app.regions.root.id })).status).toBe(403);
    const unknown = await call('/wall-links', admin, { label: 'x', days: 1, regionId: '999999' });
    expect(unknown.status).toBe(400);
    expect((await json<{ error: { code: string } }>(unknown)).error.code).toBe('wall_links/invalid');

    // Within the scope: default the street, or one of its communities. The street admin sees only links in scope,
    // and cannot reissue, move or revoke one outside it (answered as not found).
    const own = await issue({}, streetAdmin);
    expect(own.link.regionId).toBe(street);
    const community = await issue({ regionId: home }, streetAdmin);
    const rootLink = await issue({});
    const listed = (await json<{ links: WallLink[] }>(await call('/wall-links', streetAdmin))).links;
    expect(listed.map((l) => l.id)).toEqual(expect.arrayContaining([own.link.id, community.link.id]));
    expect(listed.every((l) => isWithinScope(l.regionId, street))).toBe(true);
    expect(listed.map((l) => l.id)).not.toContain(rootLink.link.id);
    expect((await call(`/wall-links/${rootLink.link.id}/reissue`, streetAdmin, {})).status).toBe(404);
    expect((await call(`/wall-links/${rootLink.link.id}`, streetAdmin, { regionId: street }, 'PATCH')).status).toBe(404);
    expect((await call(`/wall-links/${rootLink.link.id}`, streetAdmin, undefined, 'DELETE')).status).toBe(404);
    const moveOut = await call(`/wall-links/${community.link.id}`, streetAdmin, { regionId: outside }, 'PATCH');
    expect(moveOut.status).toBe(403);
    expect((await json<{ error: { code: string } }>(moveOut)).error.code).toBe('wall_links/region_out_of_scope');
  });

  it('PATCH moves a link to another region: its wall reads the new one, its socket is closed, the change is audited', async () => {
    const { link, token } = await issue({ regionId: home });
    const socket = socketFor(app.url, token);
    await connected(socket);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const res = await call(`/wall-links/${link.id}`, admin, { regionId: away }, 'PATCH');
    expect(res.status).toBe(200);
    expect((await json<{ link: WallLink }>(res)).link).toMatchObject({ id: link.id, regionId: away, label: 'hall' });
    expect((await json<{ regionId: string }>(await call('/auth/me', token))).regionId).toBe(away);
    const snap = await snapshotOf(token);
    const ids = (snap as { data: Snapshot }).data.incidents.map((i) => i.id);
    expect(ids).toContain(awayIncident);
    expect(ids).not.toContain(homeIncident);
    await closed; // the revalidation (every 2 s) sees the region moved
    const audit = await json<AuditPage>(await call(`/audit?action=wall_link.update&target=wall_link:${link.id}`, admin));
    expect(audit.items[0]?.detail).toMatchObject({ regionId: away, status: 200 });
  });

  it('reissue: the old token stops at once (REST and socket), the new one works with the same settings, audited', async () => {
    const rotation = { themes: ['overview', 'care'], minutes: 5 };
    const { link, token } = await issue({ regionId: home, rotation });
    expect((await call('/auth/me', token)).status).toBe(200);
    const socket = socketFor(app.url, token);
    await connected(socket);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

    const res = await call(`/wall-links/${link.id}/reissue`, admin, {});
    expect(res.status).toBe(200);
    const again = await json<Issued>(res);
    expect(again.token).not.toBe(token);
    expect(again.path).toBe(`/?wall=${again.token}`);
    expect(again.link).toMatchObject({ id: link.id, regionId: home, rotation, expiresAt: link.expiresAt, revokedAt: null });
    expect(again.link.reissuedAt).not.toBeNull();

    expect((await call('/auth/me', token)).status).toBe(401);
    expect((await call('/wall-links/current', token)).status).toBe(401);
    await closed;
    const refused = socketFor(app.url, token);
    await expect(connected(refused)).rejects.toThrow();
    refused.disconnect();

    expect((await json<{ regionId: string }>(await call('/auth/me', again.token))).regionId).toBe(home);
    expect(await json<WallLinkCurrent>(await call('/wall-links/current', again.token))).toEqual({ rotation, regionId: home });
    // A second reissue ends the first reissued token too.
    const third = await json<Issued>(await call(`/wall-links/${link.id}/reissue`, admin, {}));
    expect((await call('/auth/me', again.token)).status).toBe(401);
    expect((await call('/auth/me', third.token)).status).toBe(200);

    const audit = await json<AuditPage>(await call(`/audit?action=wall_link.reissue&target=wall_link:${link.id}`, admin));
    expect(audit.items).toHaveLength(2);
    expect(audit.items[0]!.detail).toMatchObject({ status: 200 });
    expect(JSON.stringify(audit.items)).not.toContain(third.token);
  });

  it('reissue refuses a revoked link (409) and an unknown one (404)', async () => {
    const { link } = await issue({});
    expect((await call(`/wall-links/${link.id}`, admin, undefined, 'DELETE')).status).toBe(204);
    const revoked = await call(`/wall-links/${link.id}/reissue`, admin, {});
    expect(revoked.status).toBe(409);
    expect((await json<{ error: { code: string } }>(revoked)).error.code).toBe('wall_links/revoked');
    expect((await call('/wall-links/nope/reissue', admin, {})).status).toBe(404);
  });
});
