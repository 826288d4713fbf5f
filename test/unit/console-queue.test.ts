import { describe, expect, it } from 'vitest';
import { CASE_FLOW_DEFAULTS, type Incident } from '#common/incidents/types';
import { audible, dueRepeats, shouldAlert } from '../../client/stores/alert-policy';
import { caseTitle, countdownText, reasonsText } from '../../client/stores/desk-format';
import { buildQueue, countTabs, emptyFilters, formatCountdown, matchesSearch, slaLevel, tabOf } from '../../client/stores/queue-filter';
import { fromLocalInput, mergeTargets, toLocalInput } from '../../client/stores/case-ops';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);
function inc(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-20261125-${String(n).padStart(6, '0')}`,
    source: 'hotline',
    connectorId: 'test',
    externalId: `e${n}`,
    category: 'garbage_exposed',
    severity: 'low',
    title: `t${n}`,
    description: '',
    location: { lng: 104.1, lat: 30.67 },
    address: null,
    gridId: '510108003002001',
    status: 'reported',
    reportedAt: new Date(NOW - 3_600_000 + n * 1000).toISOString(),
    updatedAt: new Date(NOW - 3_600_000 + n * 1000).toISOString(),
    dueAt: null,
    assigneeId: null,
    reportCount: 1,
    ...CASE_FLOW_DEFAULTS,
    ...over,
  };
}
const due = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('queue tabs', () => {
  it('puts each open status in its group and overdue before its stage; finished ones nowhere', () => {
    expect(tabOf(inc(1, { status: 'reported' }), NOW)).toBe('intake');
    expect(tabOf(inc(1, { status: 'verifying' }), NOW)).toBe('intake');
    expect(tabOf(inc(1, { status: 'filed' }), NOW)).toBe('toDispatch');
    expect(tabOf(inc(1, { status: 'dispatched', dueAt: due(10) }), NOW)).toBe('inHand');
    expect(tabOf(inc(1, { status: 'in_progress', dueAt: due(-1) }), NOW)).toBe('overdue');
    expect(tabOf(inc(1, { status: 'checking' }), NOW)).toBe('toCheck');
    expect(tabOf(inc(1, { status: 'closed', dueAt: due(-100) }), NOW)).toBeNull();
    expect(tabOf(inc(1, { status: 'rejected' }), NOW)).toBeNull();
  });
  it('counts every tab', () => {
    const list = [inc(1), inc(2, { status: 'filed' }), inc(3, { status: 'dispatched', dueAt: due(-5) }), inc(4, { status: 'closed' })];
    expect(countTabs(list, NOW)).toEqual({ intake: 1, toDispatch: 1, inHand: 0, toCheck: 0, overdue: 1 });
  });
});

describe('queue filters and search', () => {
  const list = [
    inc(1, { severity: 'critical', title: '井盖缺失', address: '建设路 12 号', source: 'iot' }),
    inc(2, { severity: 'high', title: '垃圾暴露', category: 'road_cleaning', gridId: '510108004001001' }),
    inc(3, { severity: 'low', title: 'Noise at night', assigneeId: 'W-7' }),
  ];
  const q = (over: Partial<ReturnType<typeof emptyFilters>>, me: string | null = null) =>
    buildQueue(list, 'intake', { ...emptyFilters(), ...over }, 'time', me, NOW).map((i) => i.id.slice(-1));

  it('searches id, title and address, case-insensitively, every term', () => {
    expect(matchesSearch(list[0]!, '建设路')).toBe(true);
    expect(matchesSearch(list[2]!, 'noise NIGHT')).toBe(true);
    expect(matchesSearch(list[2]!, 'noise day')).toBe(false);
    expect(q({ search: '000002' })).toEqual(['2']);
    expect(q({ search: '  ' })).toEqual(['3', '2', '1']);
  });
  it('filters by severity, category, source, region prefix, assignee and mine', () => {
    expect(q({ severity: ['critical', 'high'] })).toEqual(['2', '1']);
    expect(q({ category: ['road_cleaning'] })).toEqual(['2']);
    expect(q({ source: ['iot'] })).toEqual(['1']);
    expect(q({ regionId: '510108004' })).toEqual(['2']);
    expect(q({ assigneeId: 'W-7' })).toEqual(['3']);
    expect(q({ mine: true }, 'W-7')).toEqual(['3']);
    expect(q({ mine: true }, null)).toEqual([]);
  });
});

describe('queue sort', () => {
  const list = [
    inc(1, { status: 'dispatched', dueAt: due(30), severity: 'low' }),
    inc(2, { status: 'dispatched', dueAt: due(5), severity: 'low' }),
    inc(3, { status: 'dispatched', dueAt: due(30), severity: 'critical' }),
  ];
  const ids = (s: 'sla' | 'severity' | 'time') => buildQueue(list, 'inHand', emptyFilters(), s, null, NOW).map((i) => i.id.slice(-1));
  it('by SLA left (ties by severity), severity (ties newest) or time', () => {
    expect(ids('sla')).toEqual(['2', '3', '1']);
    expect(ids('severity')).toEqual(['3', '2', '1']);
    expect(ids('time')).toEqual(['3', '2', '1']);
  });
  it('puts incidents without a deadline after those with one', () => {
    const l = [inc(1, { status: 'filed' }), inc(2, { status: 'filed', dueAt: due(60) })];
    expect(buildQueue(l, 'toDispatch', emptyFilters(), 'sla', null, NOW).map((i) => i.id.slice(-1))).toEqual(['2', '1']);
  });
});

describe('countdown and SLA level', () => {
  it('formats h:mm:ss, days when long, and overdue', () => {
    expect(formatCountdown(3_723_000)).toEqual({ overdue: false, text: '1:02:03' });
    expect(formatCountdown(-61_000)).toEqual({ overdue: true, text: '0:01:01' });
    expect(formatCountdown(90_061_000)).toEqual({ overdue: false, text: '1d 1:01:01' });
  });
  it('turns amber at 80 % of the time since dispatch and red once due', () => {
    const start = new Date(NOW - 80 * 60_000).toISOString();
    expect(slaLevel({ dueAt: due(21) }, NOW, start)).toBe('ok');
    expect(slaLevel({ dueAt: due(20) }, NOW, start)).toBe('warn');
    expect(slaLevel({ dueAt: due(0) }, NOW, start)).toBe('overdue');
    expect(slaLevel({ dueAt: null }, NOW)).toBe('none');
  });
  it('words the countdown per locale', () => {
    const t = (k: string, p?: Record<string, unknown>) => `${k}${p ? JSON.stringify(p) : ''}`;
    expect(countdownText(null, NOW, t)).toBe('desk.noDeadline');
    expect(countdownText(due(-1), NOW, t)).toBe('desk.overdueBy{"t":"0:01:00"}');
  });
});

describe('candidate reasons', () => {
  it('reads as the dispatcher expects', () => {
    const zh: Record<string, string> = { 'desk.reason.distance_m': '距离 {v} 米', 'desk.reason.on_duty': '在岗', 'desk.reason.open_cases': '在办 {v} 件', 'desk.reason.on_time_rate': '按期率 {v}%', 'desk.reason.handles_category': '对口' };
    const t = (k: string, p?: Record<string, unknown>) => (zh[k] ?? k).replace('{v}', String(p?.v ?? ''));
    expect(reasonsText([
      { code: 'distance_m', value: 320.4 },
      { code: 'on_duty', value: true },
      { code: 'open_cases', value: 3 },
      { code: 'on_time_rate', value: 0.92 },
      { code: 'home_grid', value: false },
    ], t)).toBe('距离 320 米 · 在岗 · 在办 3 件 · 按期率 92%');
  });
});

describe('alert policy', () => {
  it('alerts for live new critical/high incidents awaiting intake only', () => {
    expect(shouldAlert(inc(1, { severity: 'critical' }), { live: true, known: false })).toBe(true);
    expect(shouldAlert(inc(1, { severity: 'high' }), { live: true, known: false })).toBe(true);
    expect(shouldAlert(inc(1, { severity: 'medium' }), { live: true, known: false })).toBe(false);
    expect(shouldAlert(inc(1, { severity: 'critical' }), { live: false, known: false })).toBe(false);
    expect(shouldAlert(inc(1, { severity: 'critical' }), { live: true, known: true })).toBe(false);
    expect(shouldAlert(inc(1, { severity: 'critical', status: 'closed' }), { live: true, known: false })).toBe(false);
  });
  it('mutes high on request, never critical', () => {
    expect(audible({ severity: 'critical' }, true)).toBe(true);
    expect(audible({ severity: 'high' }, true)).toBe(false);
    expect(audible({ severity: 'high' }, false)).toBe(true);
  });
  it('repeats an unacknowledged alert after 60 s', () => {
    const a = [{ id: 'a', title: 'x', severity: 'critical' as const, soundedAt: NOW - 59_999 }, { id: 'b', title: 'y', severity: 'high' as const, soundedAt: NOW - 60_000 }];
    expect(dueRepeats(a, NOW).map((x) => x.id)).toEqual(['b']);
  });
});

describe('case title in the screen language', () => {
  const names: Record<string, [string, string]> = { root: ['成华区', 'Chenghua District'], g1: ['志强社区第6网格', 'Zhiqiang Grid 6'] };
  const regions = { rootId: 'root', nameOf: (id: string | null, l: string) => (id && names[id] ? names[id][l === 'en' ? 1 : 0] : null) };
  it('matches the server title in Chinese and translates both parts in English', () => {
    expect(caseTitle({ category: 'pipe_burst', gridId: 'g1' }, 'zh-CN', regions)).toBe('供水管道爆裂 · 志强社区第6网格');
    expect(caseTitle({ category: 'pipe_burst', gridId: 'g1' }, 'en', regions)).toBe('Burst water main · Zhiqiang Grid 6');
  });
  it('names the district for a point outside every grid', () => {
    expect(caseTitle({ category: 'pipe_burst', gridId: null }, 'en', regions)).toBe('Burst water main · Chenghua District');
  });
});

describe('merge targets', () => {
  it('offers open cases within 1 km, the same category first, then the nearest; never itself or a closed one', () => {
    const me = inc(1);
    const near = inc(2, { category: 'noise', location: { lng: 104.1005, lat: 30.67 } }); // ~48 m, other category
    const sameFar = inc(3, { location: { lng: 104.108, lat: 30.67 } }); // ~766 m, same category
    const tooFar = inc(4, { location: { lng: 104.12, lat: 30.67 } }); // ~1.9 km
    const closed = inc(5, { status: 'closed', location: { lng: 104.1001, lat: 30.67 } });
    const got = mergeTargets(me, [me, near, sameFar, tooFar, closed]);
    expect(got.map((m) => m.incident.id)).toEqual([sameFar.id, near.id]);
    expect(got[1]!.distanceM).toBeGreaterThan(40);
    expect(got[1]!.distanceM).toBeLessThan(60);
  });
  it('round-trips a deadline through the datetime-local input', () => {
    const iso = '2026-11-26T09:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
  });
});
