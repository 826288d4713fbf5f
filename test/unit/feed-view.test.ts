import { describe, expect, it } from 'vitest';
import { ALERT_ACK_WINDOW_MS } from '#common/incidents/alerting';
import type { Incident } from '#common/incidents/types';
import { cstClock } from '#common/time';
import { feedView } from '../../client/stores/feed-view';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');

function inc(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id, source: 'hotline', connectorId: 't', externalId: id, category: 'garbage_exposed', severity: 'low', title: id,
    description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: '510108003002001', status: 'reported',
    reportedAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), dueAt: null, assigneeId: null,
    reportCount: 1, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, ...over,
  };
}

describe('feed view at the screen clock', () => {
  // Newest first, as the store lists them: C reported at 10:00, B at 09:59:30, A at 09:50.
  const a = inc('A', { severity: 'high', reportedAt: new Date(T0 - 10 * 60_000).toISOString() });
  const b = inc('B', { severity: 'critical', reportedAt: new Date(T0 - 30_000).toISOString() });
  const c = inc('C', { severity: 'low' });
  const list = [c, b, a];

  it('flags an alert only once it is a minute unacknowledged at the instant shown, not at the wall clock', () => {
    // At 10:00 (a replayed instant) B is 30 s old: not yet flagged; A is.
    expect([...feedView(list, T0, 40).unacked]).toEqual(['A']);
    // At today's clock, long after, both would be.
    expect([...feedView(list, Date.now(), 40).unacked].sort()).toEqual(['A', 'B']);
    // Exactly at the window B is flagged (≥ 60 s).
    expect([...feedView(list, T0 - 30_000 + ALERT_ACK_WINDOW_MS, 40).unacked].sort()).toEqual(['A', 'B']);
    expect([...feedView(list, T0 - 30_000 + ALERT_ACK_WINDOW_MS - 1, 40).unacked]).toEqual(['A']);
  });

  it('puts flagged alerts first, keeps the rest in order, and caps the rows', () => {
    expect(feedView(list, T0, 40).rows.map((i) => i.id)).toEqual(['A', 'C', 'B']);
    expect(feedView(list, T0, 2).rows.map((i) => i.id)).toEqual(['A', 'C']);
  });

  it('does not flag an acknowledged or finished case, nor a low one', () => {
    const later = T0 + 3600_000;
    const acked = inc('D', { severity: 'critical', acknowledgedAt: new Date(T0).toISOString() });
    const closed = inc('E', { severity: 'critical', status: 'closed' });
    expect([...feedView([acked, closed, c], later, 40).unacked]).toEqual([]);
  });

  it('hands back the previous view when nothing shown changed, so the list is not re-rendered', () => {
    const first = feedView(list, T0, 40);
    // A second later, and a new array of the same incident objects (a scrub that changed nothing shown).
    expect(feedView([...list], T0 + 1000, 40, first)).toBe(first);
    // A flag that appears, a changed incident object or a new order is a new view.
    expect(feedView(list, T0 + 60_000, 40, first)).not.toBe(first);
    expect(feedView([c, { ...b }, a], T0, 40, first)).not.toBe(first);
    expect(feedView([b, c, a], T0, 40, first)).not.toBe(first);
    // Rows past the cap do not matter.
    const capped = feedView(list, T0, 2);
    expect(feedView([...list, inc('Z')], T0, 2, capped)).toBe(capped);
  });

  it('writes the instant as China Standard Time of day', () => {
    expect(cstClock(T0)).toBe('10:00:00');
    expect(cstClock(Date.parse('2026-11-25T23:59:59+08:00'))).toBe('23:59:59');
    expect(cstClock(Date.parse('2026-11-25T16:00:05Z'))).toBe('00:00:05');
  });
});
