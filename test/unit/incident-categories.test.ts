import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  categoriesOfClass,
  categoryByCode,
  categoryKind,
  MAJOR_CLASSES,
} from '#common/incidents/categories';
import type { MajorClass } from '#common/incidents/categories';
import { SEVERITIES } from '#common/incidents/types';

describe('categories', () => {
  it('keeps the codes the simulator uses', () => {
    for (const code of [
      'garbage_exposed', 'road_cleaning', 'illegal_parking', 'dispute', 'elderly_care',
      'elderly_alone_anomaly', 'fire', 'elevator', 'safety_hazard',
    ]) {
      expect(categoryByCode(code)?.code).toBe(code);
    }
    expect(categoryByCode('no_such_code')).toBeUndefined();
  });

  it('has 30–50 well-formed, unique categories', () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(30);
    expect(CATEGORIES.length).toBeLessThanOrEqual(50);
    expect(new Set(CATEGORIES.map((c) => c.code)).size).toBe(CATEGORIES.length);
    expect(new Set(CATEGORIES.map((c) => c.nameZh)).size).toBe(CATEGORIES.length);
    for (const c of CATEGORIES) {
      expect(c.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(c.nameZh).toMatch(/\p{Script=Han}/u);
      expect(c.nameEn.length).toBeGreaterThan(2);
      expect(SEVERITIES).toContain(c.defaultSeverity);
      expect(Number.isFinite(c.slaHours) && c.slaHours > 0).toBe(true);
      expect(Object.keys(MAJOR_CLASSES)).toContain(c.majorClass);
    }
  });

  it('covers every event and component class with sub-categories', () => {
    const names = Object.values(MAJOR_CLASSES).map((m) => m.nameZh);
    for (const n of ['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件', '公用设施', '道路交通', '市容环境设施', '园林绿化', '房屋土地']) {
      expect(names).toContain(n);
    }
    for (const m of Object.keys(MAJOR_CLASSES) as MajorClass[]) {
      expect(categoriesOfClass(m).length, m).toBeGreaterThan(0);
    }
  });

  it('groups consistently with the class kind', () => {
    for (const c of CATEGORIES) {
      const kind = categoryKind(c);
      if (kind !== 'community') expect(c.group, c.code).toBe('city');
      else expect(c.group, c.code).not.toBe('city');
      if (c.majorClass === 'community_safety') expect(c.group, c.code).toBe('safety');
    }
  });

  it('uses realistic limits: urgent ones on the 24/7 clock, routine ones in working time', () => {
    const limit = (code: string) => {
      const c = categoryByCode(code);
      return c && { h: c.slaHours, wh: c.workingHours, sev: c.defaultSeverity };
    };
    expect(limit('garbage_exposed')).toEqual({ h: 4, wh: true, sev: 'low' });
    expect(limit('road_cleaning')).toEqual({ h: 2, wh: true, sev: 'low' });
    expect(limit('elevator')).toMatchObject({ h: 0.5, wh: false });
    expect(limit('manhole_cover')).toMatchObject({ wh: false });
    expect(limit('gas_leak')).toMatchObject({ wh: false, sev: 'critical' });
    expect(categoryByCode('manhole_cover')?.slaHours).toBeLessThanOrEqual(2);
    for (const c of CATEGORIES) {
      if (c.defaultSeverity === 'critical') expect(c.workingHours, c.code).toBe(false);
      if (!c.workingHours) expect(c.slaHours, c.code).toBeLessThanOrEqual(24);
      else expect(c.slaHours, c.code).toBeLessThanOrEqual(5 * 7);
    }
  });
});
