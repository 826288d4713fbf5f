import { describe, expect, it } from 'vitest';
import { chunkIds, ReadCoalescer, unmaskedReporterIds } from '#common/audit/reporter-reads';
import { audienceOf } from '#common/incidents/projection';
import type { Incident } from '#common/incidents/types';

const inc = (id: string, reporter: Incident['reporter']) => ({ id, reporter });

describe('reporter reads in lists and on sockets', () => {
  it('only the full audience gets reporters unmasked: admins and dispatchers, never leaders, workers or walls', () => {
    expect(['admin', 'dispatcher', 'leader', 'worker', 'wall'].map((r) => audienceOf(r as never))).toEqual(['full', 'full', 'masked', 'masked', 'wall']);
    const list = [inc('a', { name: '刘德明', phone: '13900001111' }), inc('b', null), inc('c', { name: null, phone: null }), inc('d', { name: null, phone: '110' }), inc('e', undefined)];
    expect(unmaskedReporterIds(list, 'full')).toEqual(['a', 'd']);
    expect(unmaskedReporterIds(list, 'masked')).toEqual([]);
    expect(unmaskedReporterIds(list, 'wall')).toEqual([]);
    expect(unmaskedReporterIds([...list, list[0]!], 'full')).toEqual(['a', 'd']); // once each
  });

  it('cuts long id lists into entries, dropping none', () => {
    const ids = Array.from({ length: 2501 }, (_, i) => `INC-${i}`);
    const parts = chunkIds(ids);
    expect(parts.map((p) => p.length)).toEqual([1000, 1000, 501]);
    expect(parts.flat()).toEqual(ids);
    expect(chunkIds([])).toEqual([]);
  });

  it('coalesces per socket: one batch per window, each incident once, handed out when the window ends or the socket closes', () => {
    const c = new ReadCoalescer<string>(60_000);
    c.add('s1', 'admin', ['a', 'b'], 1000);
    c.add('s1', 'admin', ['b', 'c'], 2000);
    c.add('s2', 'disp', ['a'], 30_000);
    c.add('s3', 'disp', [], 30_000); // nothing unmasked: nothing to record
    expect(c.size).toBe(2);
    expect(c.due(60_999)).toEqual([]);
    expect(c.due(61_000)).toEqual([{ key: 's1', meta: 'admin', ids: ['a', 'b', 'c'], reads: 2, firstMs: 1000, lastMs: 2000 }]);
    expect(c.due(61_000)).toEqual([]);
    c.add('s1', 'admin', ['d'], 62_000); // a new window
    expect(c.take('s2')).toEqual({ key: 's2', meta: 'disp', ids: ['a'], reads: 1, firstMs: 30_000, lastMs: 30_000 });
    expect(c.take('s2')).toBeNull();
    expect(c.drain().map((b) => [b.key, b.ids])).toEqual([['s1', ['d']]]);
    expect(c.size).toBe(0);
  });

  it('under load a socket still gets one batch per window', () => {
    const c = new ReadCoalescer<null>(60_000);
    for (let t = 0; t < 60_000; t += 10) c.add('s', null, [`INC-${(t / 10) % 500}`], t);
    const [b, ...rest] = c.due(60_000);
    expect(rest).toEqual([]);
    expect(b!.reads).toBe(6000);
    expect(b!.ids).toHaveLength(500);
  });
});
