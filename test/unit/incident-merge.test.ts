import { describe, expect, it } from 'vitest';
import { canMerge, mergeBox, pickMergeTarget, sameFamily } from '#common/incidents/merge';

const at = (min: number) => new Date(Date.UTC(2026, 10, 25, 2, min)).toISOString();
// About 0.001° of latitude is 111 m; of longitude at 30.67° N, 95.7 m.
const base = { category: 'fire', location: { lng: 104.1, lat: 30.67 }, reportedAt: at(0), status: 'reported' as const };

describe('merging reports into incidents', () => {
  it('merges a hotline call about a fire into the smoke alarm 60 m away, 5 minutes later', () => {
    expect(canMerge(base, { category: 'fire', location: { lng: 104.1, lat: 30.67054 }, reportedAt: at(5) })).toBe(true);
  });

  it('merges related categories of one family, not unrelated ones', () => {
    expect(sameFamily('elevator', 'elevator_fault')).toBe(true);
    expect(sameFamily('fire', 'elevator')).toBe(false);
    expect(canMerge({ ...base, category: 'elevator' }, { category: 'elevator_fault', location: base.location, reportedAt: at(1) })).toBe(true);
    expect(canMerge(base, { category: 'elevator', location: base.location, reportedAt: at(1) })).toBe(false);
  });

  it('keeps apart what is too far, too late, or already finished', () => {
    expect(canMerge(base, { category: 'fire', location: { lng: 104.1, lat: 30.6715 }, reportedAt: at(1) })).toBe(false); // 167 m
    expect(canMerge(base, { category: 'fire', location: base.location, reportedAt: at(31) })).toBe(false);
    expect(canMerge({ ...base, status: 'closed' }, { category: 'fire', location: base.location, reportedAt: at(1) })).toBe(false);
  });

  it('picks the nearest open candidate', () => {
    const near = { ...base, location: { lng: 104.1003, lat: 30.67 }, reportedAt: at(2) };
    const far = { ...base, location: { lng: 104.1009, lat: 30.67 } };
    expect(pickMergeTarget([far, near], { category: 'fire', location: base.location, reportedAt: at(3) })).toBe(near);
    expect(pickMergeTarget([], { category: 'fire', location: base.location, reportedAt: at(3) })).toBeNull();
  });

  it('gives a bounding box that covers the radius', () => {
    const { dLat, dLng } = mergeBox(30.67);
    expect(dLat * 111_320).toBeCloseTo(150, 0);
    expect(dLng).toBeGreaterThan(dLat);
  });
});
