import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import { REPLAY_GROUP } from '#geo/style/layers-replay.ts';
import { buildStyle, DEFAULT_LAYERS, layerVisibility, REPLAY_SOURCE } from '#geo/style/style.ts';
import { buildTimeline, dayVersions } from '../../client/stores/replay-reducer';
import { placeKey, replayPlaces, replayStateChanges, replayStates } from '../../client/stores/replay-points';
import { scaleMapSize } from '../../client/wall/scale';

function inc(id: string, status: IncidentStatus, over: Partial<Incident> = {}): Incident {
  return {
    id, source: 'hotline', connectorId: 't', externalId: id, category: 'garbage_exposed', severity: 'low', title: id,
    description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: '510108003002001', status,
    reportedAt: '2026-11-25T00:00:00.000Z', updatedAt: '2026-11-25T00:00:00.000Z', dueAt: null, assigneeId: null,
    reportCount: 1, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, ...over,
  };
}
const moved = { location: { lng: 104.2, lat: 30.7 } };

describe('replay points (one point per place of the day, each instant as feature-state)', () => {
  const day = [inc('A', 'reported'), inc('B', 'reported', { severity: 'critical' }), inc('A', 'dispatched'), inc('B', 'checking', moved), inc('C', 'closed')];

  it('gives every place an incident stood during the day one point with a positive id, repeats once', () => {
    const places = replayPlaces(day);
    expect(places.collection.features.map((f) => [f.id, f.properties.id, f.geometry.coordinates])).toEqual([
      [1, 'A', [104.1, 30.67]], [2, 'B', [104.1, 30.67]], [3, 'B', [104.2, 30.7]], [4, 'C', [104.1, 30.67]],
    ]);
    expect(places.ids.get(placeKey(day[3]!))).toBe(3);
  });

  it('states an instant: open ones by severity and stage group at the place they had then, others absent', () => {
    const places = replayPlaces(day);
    const at = replayStates([inc('A', 'in_progress'), inc('B', 'checking', { ...moved, severity: 'critical' }), inc('C', 'closed')], places);
    expect(at.missing).toBe(0);
    expect([...at.states]).toEqual([[1, { sev: 1, grp: REPLAY_GROUP.working }], [3, { sev: 4, grp: REPLAY_GROUP.review }]]);
    expect(replayStates([inc('D', 'reported')], places).missing).toBe(1);
  });

  it('writes only what changed from one instant to the next; points no longer open go to 0', () => {
    const places = replayPlaces(day);
    const before = replayStates([inc('A', 'reported'), inc('B', 'reported', { severity: 'critical' })], places).states;
    const after = replayStates([inc('A', 'reported'), inc('B', 'checking', { ...moved, severity: 'critical' })], places).states;
    expect(replayStateChanges(before, after)).toEqual([[3, { sev: 4, grp: REPLAY_GROUP.review }], [2, { sev: 0, grp: 0 }]]);
    expect(replayStateChanges(after, after)).toEqual([]);
  });

  it("takes the day's versions from the timeline: its base, then every change", () => {
    const t = buildTimeline({
      from: '2026-11-25T00:00:00+08:00', to: '2026-11-25T23:59:59.999+08:00',
      base: [{ seq: 1, at: 0, incident: inc('A', 'reported') }],
      changes: [{ seq: 3, at: Date.parse('2026-11-25T09:00:00+08:00'), incident: inc('B', 'checking', moved) }, { seq: 2, at: Date.parse('2026-11-25T08:00:00+08:00'), incident: inc('B', 'reported') }],
    });
    expect(dayVersions(t).map((i) => `${i.id}:${i.status}`)).toEqual(['A:reported', 'B:reported', 'B:checking']);
  });

  it('swaps the live incident layers for the replay layers while replaying, both following the switches', () => {
    const shown = (layers: typeof DEFAULT_LAYERS, replaying: boolean) => Object.fromEntries(layerVisibility(layers, replaying));
    expect(shown(DEFAULT_LAYERS, false)).toMatchObject({ 'incident-point': true, 'incident-cluster': true, 'replay-point': false, 'replay-heat': false, 'grid-fill': true });
    expect(shown(DEFAULT_LAYERS, true)).toMatchObject({ 'incident-point': false, 'incident-cluster': false, 'replay-point': true, 'replay-heat': false, 'grid-fill': true });
    expect(shown({ ...DEFAULT_LAYERS, incidents: false, heatmap: true }, true)).toMatchObject({ 'replay-point': false, 'replay-heat': true, 'incident-heat': false });
  });

  it('is a valid style, the replay source unclustered and its layers hidden until a replay, also scaled for a 4K wall', () => {
    const style = buildStyle({ tiles: 'http://127.0.0.1/api/geo/tiles/{z}/{x}/{y}.pbf' });
    expect(style.sources[REPLAY_SOURCE]).toEqual({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const point = style.layers.find((l) => l.id === 'replay-point')!;
    expect(point.layout).toMatchObject({ visibility: 'none' });
    const paint = (point as { paint: Record<string, unknown> }).paint;
    for (const prop of ['circle-radius', 'circle-stroke-width']) paint[prop] = scaleMapSize(paint[prop], 2);
    expect(validateStyleMin(style).map((e) => e.message)).toEqual([]);
  });
});
