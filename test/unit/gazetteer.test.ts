import { describe, expect, it } from 'vitest';
import { Gazetteer, normalizeAddress, parseUnitNumbers, type GazetteerFeature } from '#server/geo/gazetteer';

const b = (name: string, lng: number, lat: number, gridId = '510108001001001'): GazetteerFeature => ({ kind: 'building', name, gridId, point: [lng, lat] });
const FEATURES: GazetteerFeature[] = [
  b('双林安置小区1栋', 104.1, 30.67),
  b('双林安置小区2栋', 104.1005, 30.67),
  b('双林安置小区3栋', 104.101, 30.6705),
  b('双林2号华庭1栋', 104.105, 30.672, '510108001001002'),
  b('建华安置小区1栋', 104.12, 30.68, '510108001002001'),
  { kind: 'poi', name: '双林社区党群服务中心', gridId: '510108001001003', point: [104.102, 30.671] },
  { kind: 'poi', name: '幸福超市', gridId: '510108001001001', point: [104.1, 30.66] },
  { kind: 'poi', name: '幸福超市', gridId: '510108001002002', point: [104.13, 30.69] },
  { kind: 'road', name: '建设路', gridId: null, point: [104.11, 30.675] },
];
const gaz = new Gazetteer(FEATURES, ['四川省', '成都市', '成华区', '双桥子街道', '双林社区']);

describe('normalising and parsing', () => {
  it('folds full-width characters, spaces and Chinese numerals before 栋/单元', () => {
    expect(normalizeAddress('双林安置小区　三栋 二单元 ５０１室')).toBe('双林安置小区3栋2单元501室');
    expect(normalizeAddress('十二栋')).toBe('12栋');
  });
  it('reads building, unit and room in the usual spellings', () => {
    expect(parseUnitNumbers('3栋2单元501室')).toEqual({ building: 3, unit: 2, room: '501' });
    expect(parseUnitNumbers('3幢2单元1203')).toEqual({ building: 3, unit: 2, room: '1203' });
    expect(parseUnitNumbers('5-2-1203')).toEqual({ building: 5, unit: 2, room: '1203' });
    expect(parseUnitNumbers('3号楼')).toEqual({ building: 3, unit: null, room: null });
  });
});

describe('gazetteer', () => {
  it('exact: a full address with region names, building, unit and room', () => {
    expect(gaz.locate('四川省成都市成华区双林社区双林安置小区3栋2单元501室')).toMatchObject({
      precision: 'building', matched: '双林安置小区3栋', point: [104.101, 30.6705], gridId: '510108001001001', score: 1, building: 3, unit: 2, room: '501',
    });
  });

  it('abbreviated: 双林小区 for 双林安置小区, still to the building', () => {
    const m = gaz.locate('成华区双林小区3栋');
    expect(m).toMatchObject({ precision: 'building', matched: '双林安置小区3栋', building: 3 });
    expect(m!.score).toBeGreaterThanOrEqual(0.7);
    expect(m!.score).toBeLessThan(1);
  });

  it('Chinese numerals and the dashed building-unit-room form', () => {
    expect(gaz.locate('双林安置小区三栋二单元')).toMatchObject({ building: 3, unit: 2, point: [104.101, 30.6705] });
    expect(gaz.locate('双林安置小区 3-2-1203')).toMatchObject({ building: 3, unit: 2, room: '1203' });
  });

  it('an estate name with its own digits is not read as a building number', () => {
    expect(gaz.locate('双林2号华庭1栋')).toMatchObject({ matched: '双林2号华庭1栋', gridId: '510108001001002', building: 1 });
  });

  it('estate without a building, POI and road', () => {
    expect(gaz.locate('双林安置小区门口')).toMatchObject({ precision: 'estate', gridId: '510108001001001' });
    expect(gaz.locate('双林社区党群服务中心门口')).toMatchObject({ precision: 'poi', gridId: '510108001001003' });
    expect(gaz.locate('建设路88号')).toMatchObject({ precision: 'road', matched: '建设路' });
  });

  it('never guesses: unknown places and two far-apart places of one name give null (parked for a dispatcher)', () => {
    expect(gaz.locate('火星基地1号')).toBeNull();
    expect(gaz.locate('幸福超市')).toBeNull();
    expect(gaz.locate('成华区')).toBeNull();
    expect(gaz.locate('')).toBeNull();
  });
});

describe('gazetteer of the demo dataset', () => {
  it('locates a real building, an abbreviated estate and a POI from geo/data', async () => {
    const { gazetteerFromDataset } = await import('#server/geo/gazetteer-data');
    const { BUNDLED_GEO_DIR } = await import('#server/geo/dataset');
    const g = gazetteerFromDataset(BUNDLED_GEO_DIR);
    expect(g.locate('成华区双林社区双林安置小区3栋2单元501室')).toMatchObject({ precision: 'building', building: 3, unit: 2, room: '501' });
    expect(g.locate('建华小区1栋')).toMatchObject({ matched: '建华安置小区1栋' });
    expect(g.locate('双林社区党群服务中心')).toMatchObject({ precision: 'poi' });
    expect(g.locate('不存在的地方8号')).toBeNull();
  });
});
