import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import { event, ingest, INGEST_KEY, login, startApp, type Running } from './helpers';

/** The generic JSON ingest, POST /api/ingest/events, under a mix of good and malformed messages. */
let app: Running;
let token: string;
beforeAll(async () => {
  app = await startApp({}, undefined, { deadLetterCapPerHour: 100_000 }); // over 1,000 bad messages on purpose
  token = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

const MALFORMED: ((n: number) => unknown)[] = [
  (n) => ({ ...event(n), location: undefined }),
  (n) => ({ ...event(n), location: { lng: 'east', lat: 30 } }),
  (n) => ({ ...event(n), location: { lng: 204.1, lat: 30.67 } }),
  (n) => ({ ...event(n), category: 'flying_saucer' }),
  (n) => ({ ...event(n), title: '' }),
  (n) => ({ ...event(n), externalId: 42 }),
  (n) => ({ ...event(n), reportedAt: 'yesterday' }),
  (n) => ({ ...event(n), source: 'carrier_pigeon' }),
  (n) => ({ ...event(n), unexpected: true }),
  (n) => `just a string ${n}`,
  () => null,
  (n) => [event(n)],
];

describe('generic JSON ingest', () => {
  it('takes 1,000 good events mixed with 1,000 malformed ones: each good one once, each bad one kept with a reason', { timeout: 180_000 }, async () => {
    const items: unknown[] = [];
    for (let i = 0; i < 1000; i++) items.push(event(10_000 + i), MALFORMED[i % MALFORMED.length]!(20_000 + i));
    for (let i = 0; i < items.length; i += 100) {
      const res = await ingest(app.url, items.slice(i, i + 100));
      expect(res.status).toBe(202);
      const body = (await res.json()) as { accepted: number; rejected: number; results: { ok: boolean; error?: { message: string } }[] };
      expect([body.accepted, body.rejected]).toEqual([50, 50]);
      for (const r of body.results.filter((x) => !x.ok)) expect(r.error!.message.length).toBeGreaterThan(5);
    }
    // Redelivering the good ones changes nothing.
    const again = await ingest(app.url, items.filter((_, i) => i % 2 === 0).slice(0, 100));
    expect(((await again.json()) as { results: { duplicate: boolean }[] }).results.every((r) => r.duplicate)).toBe(true);
    // And a body that is not JSON at all is kept too.
    const broken = await fetch(`${app.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
      body: '{"externalId": "half',
    });
    expect(broken.status).toBe(400);

    const stored: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await fetch(`${app.url}/api/incidents?connector=hotline&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
      const page = (await res.json()) as { items: Incident[]; nextCursor: string | null };
      stored.push(...page.items.map((i) => i.externalId!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(stored.length).toBe(1000);
    expect(new Set(stored)).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `ext-${10_000 + i}`)));

    const rejected = await fetch(`${app.url}/api/ingest/rejected?connector=hotline&limit=5000`, { headers: { Authorization: `Bearer ${token}` } });
    const { items: list } = (await rejected.json()) as { items: { reason: string; payload: string }[] };
    expect(list).toHaveLength(1001);
    expect(list.every((d) => d.reason.length > 5)).toBe(true);
    expect(list.some((d) => d.payload.includes('flying_saucer'))).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
