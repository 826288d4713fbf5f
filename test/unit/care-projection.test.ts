import { describe, expect, it } from 'vitest';
import { projectRegistration, projectResident, projectVisit } from '../../common/care/projection.ts';
import type { CareResident } from '../../common/care/types.ts';

const r: CareResident = {
  id: 'R1', gridId: '510108001001001', name: '欧阳秀英', phone: '13912345678', birthDate: '1940-03-05', livingAlone: true, emptyNest: false,
  conditions: [], address: '幸福里7栋 电话13912345678', location: { lng: 104.1, lat: 30.6 }, registeredAt: '2026-01-01T00:00:00.000Z', synthetic: false,
};

describe('care projection', () => {
  it('keeps everything for the full audience', () => {
    expect(projectResident(r, 'full')).toBe(r);
  });
  it('masks name, phone, address, birth date and drops the location for the masked audience', () => {
    const m = projectResident(r, 'masked');
    expect(m).toMatchObject({ name: '欧**英', phone: '139****5678', birthDate: '1940-01-01', location: null });
    expect(JSON.stringify(m)).not.toContain('13912345678');
  });
  it('masks visitors, notes and registrations', () => {
    const v = projectVisit({ id: 'V', residentId: 'R1', gridId: r.gridId, visitedAt: '', visitorKind: 'worker', visitorName: '司马志刚', partyId: null, outcome: 'well', note: '欧阳秀英说电话13912345678', hours: 0, incidentId: null, createdBy: 'u' }, 'masked', r.name);
    expect(v.visitorName).toBe('司**刚');
    expect(v.note).not.toMatch(/欧阳秀英|13912345678/);
    const g = projectRegistration({ id: 'G', activityId: 'A', occurrence: '', name: '诸葛明月', phone: '13800001111', age: 70, residentId: null, attended: true, createdAt: '' }, 'masked');
    expect(g).toMatchObject({ name: '诸**月', phone: '138****1111' });
  });
});
