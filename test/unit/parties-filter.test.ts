import { describe, expect, it } from 'vitest';
import type { Party } from '#common/dispatch/types';
import { bodyOf, draftOf, emptyDraft, filterParties, looksMasked } from '../../client/stores/parties-filter';

const party = (id: string, kind: Party['kind'], name: string, contact: Party['contact'] = null): Party => ({
  id, kind, name, categories: ['noise'], regionIds: ['510108003'], contact, synthetic: false,
});
const list = [
  party('p1', 'volunteer_team', '志强社区志愿服务队', { name: '李红', phone: '13800001111' }),
  party('p2', 'department', '成华区城管执法局'),
  party('p3', 'department', '成华区住建局'),
  party('p4', 'property', '万科物业'),
];

describe('party registry list', () => {
  it('filters by kind and searches name, id and contact; departments first, by name', () => {
    expect(filterParties(list, { kind: null, search: '' }).map((p) => p.id)).toEqual(['p2', 'p3', 'p4', 'p1']);
    expect(filterParties(list, { kind: 'department', search: '' }).map((p) => p.id)).toEqual(['p2', 'p3']);
    expect(filterParties(list, { kind: null, search: '李红' }).map((p) => p.id)).toEqual(['p1']);
    expect(filterParties(list, { kind: null, search: 'P4' }).map((p) => p.id)).toEqual(['p4']);
    expect(filterParties(list, { kind: 'property', search: '城管' })).toEqual([]);
  });

  it('turns a draft into the REST body: trimmed, and an empty contact is none', () => {
    expect(bodyOf({ ...emptyDraft(), name: '  消防站 ', categories: ['fire_hazard'], regionIds: ['510108'] })).toEqual({
      kind: 'department', name: '消防站', categories: ['fire_hazard'], regionIds: ['510108'], contact: null,
    });
    expect(bodyOf({ ...draftOf(list[0]!), contactName: '' }).contact).toEqual({ name: null, phone: '13800001111' });
  });

  it('recognises a masked contact so it is never saved over the real one', () => {
    expect(looksMasked('139****1111')).toBe(true);
    expect(looksMasked('13900001111')).toBe(false);
  });
});
