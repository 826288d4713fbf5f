import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '#common/incidents/history';
import { knownNames, projectHistoryEntry, projectIncident, projectReport } from '#common/incidents/projection';
import { CASE_FLOW_DEFAULTS, type Incident, type IncidentReport } from '#common/incidents/types';

const incident: Incident = {
  id: 'INC-20261129-000001',
  source: 'hotline',
  connectorId: 'hotline',
  externalId: 'GD1',
  category: 'elderly_care',
  severity: 'medium',
  title: '为老服务 · 双林社区第3网格',
  description: '我叫蒋大卫，电话13812345678，身份证51010419850312461X，住9栋3单元1702',
  location: { lng: 104.1, lat: 30.67 },
  address: '9栋3单元1702，联系人韩梅梅',
  gridId: '510108001001003',
  status: 'reported',
  reportedAt: '2026-11-29T01:00:00.000Z',
  updatedAt: '2026-11-29T01:00:00.000Z',
  dueAt: null,
  reporter: { name: '韩梅梅', phone: '13812345678' },
  assigneeId: null,
  reportCount: 2,
  ...CASE_FLOW_DEFAULTS,
};
const report: IncidentReport = {
  incidentId: incident.id,
  connectorId: 'open311',
  externalId: 'o311-1',
  source: 'open311',
  category: 'elderly_care',
  title: '为老服务 · 双林社区第3网格',
  description: '蒋大卫家里没人接电话，回电13900001111',
  address: '12栋1单元302',
  reporter: { name: '钱多多', phone: '13900001111' },
  location: { lng: 104.1, lat: 30.67 },
  reportedAt: '2026-11-29T01:05:00.000Z',
  receivedAt: '2026-11-29T01:05:00.000Z',
};
const entry: HistoryEntry = {
  incidentId: incident.id, at: '2026-11-29T01:10:00.000Z', actorId: 'u1', actorRole: 'dispatcher', action: 'verify',
  from: 'reported', to: 'verifying', note: '已回电钱多多 13900001111', assigneeId: null, dueAt: null,
};

describe('projection by audience', () => {
  it('gives dispatchers and admins everything', () => {
    expect(projectIncident(incident, 'full')).toBe(incident);
    expect(projectReport(report, 'full')).toBe(report);
    expect(projectHistoryEntry(entry, 'full')).toBe(entry);
  });

  it('masks phones, ID numbers and names in every free-text field for leaders and workers', () => {
    const names = knownNames(incident, [report]);
    expect(names).toEqual(expect.arrayContaining(['韩梅梅', '钱多多', '蒋大卫']));
    const text = JSON.stringify([projectIncident(incident, 'masked', names), projectReport(report, 'masked', names), projectHistoryEntry(entry, 'masked', names)]);
    for (const secret of ['13812345678', '13900001111', '51010419850312461X', '韩梅梅', '钱多多', '蒋大卫']) expect(text).not.toContain(secret);
    expect(text).toContain('138****5678');
    expect(text).toContain('钱*多');
    expect(projectIncident(incident, 'masked').address).toBe('9栋3单元1702，联系人韩*梅');
  });

  it('gives a wall no citizen text, no reporter, no notes', () => {
    const wall = projectIncident(incident, 'wall');
    expect(wall).toMatchObject({ title: '为老服务 · 双林社区第3网格', description: '', address: null });
    expect('reporter' in wall).toBe(false);
    expect(projectReport(report, 'wall')).toMatchObject({ description: '', address: null, reporter: null });
    expect(projectHistoryEntry(entry, 'wall').note).toBeNull();
  });

  it('masks the worker\'s extension reason for leaders and drops it for walls', () => {
    const ext = { requestedBy: 'w1', requestedAt: '2026-03-02T08:00:00.000Z', reason: '住户王小明先生不在家，电话13812345678', proposedDueAt: null };
    const withExt = { ...incident, extension: ext };
    expect(projectIncident(withExt, 'full').extension).toEqual(ext);
    expect(projectIncident(withExt, 'masked').extension?.reason).not.toContain('13812345678');
    expect(projectIncident(withExt, 'masked').extension?.reason).not.toContain('王小明');
    expect(projectIncident(withExt, 'wall').extension).toBeNull();
  });

  it('never shows a wall a title stored before titles were made by the server', () => {
    expect(projectIncident({ ...incident, title: '我叫蒋大卫 13812345678 9栋3单元1702' }, 'wall').title).toBe('为老服务');
  });
});

describe('the upstream id', () => {
  // A generic upstream picks its own ids; some use the caller's phone or ID number ("wx-13812345678").
  const byPhone = { ...incident, externalId: 'wx-13812345678-51010419850312461X' };

  it('reaches no wall, and a masked audience masked', () => {
    expect(projectIncident(byPhone, 'wall').externalId).toBeNull();
    const masked = projectIncident(byPhone, 'masked').externalId!;
    expect(masked).not.toContain('13812345678');
    expect(masked).not.toContain('51010419850312461X');
    expect(masked.startsWith('wx-138')).toBe(true);
    expect(projectIncident(byPhone, 'full').externalId).toBe(byPhone.externalId);
  });

  it('of a report is masked for a masked audience', () => {
    const r = projectReport({ ...report, externalId: 'wx-13900001111' }, 'masked');
    expect(r.externalId).not.toContain('13900001111');
  });
});
