import { describe, expect, it } from 'vitest';
import { layoutScale, scaleChartOption, scaleMapSize, textScale } from '../../client/wall/scale';

describe('wall scale', () => {
  it('follows the smaller of the width and height ratios', () => {
    expect(layoutScale(1920, 1080)).toBe(1);
    expect(layoutScale(3840, 2160)).toBe(2);
    // A spliced 3×2 wall of 1080p panels: the height limits it.
    expect(layoutScale(5760, 2160)).toBe(2);
    expect(layoutScale(1024, 768)).toBeCloseTo(0.625);
    expect(textScale(1024, 768)).toBe(1);
    expect(textScale(3840, 2160)).toBe(2);
  });

  it('scales chart fonts, symbols and grid margins, and gives default-sized text an explicit size', () => {
    const o = {
      grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { color: '#fff' } },
      yAxis: { type: 'category', data: ['a', 'b'], axisLabel: { fontSize: 13 } },
      tooltip: { textStyle: { fontSize: 12 } },
      series: [{ type: 'line', data: [1, 2], symbolSize: 6, label: { show: true } }],
    };
    const s = scaleChartOption(o, 2);
    expect(s.grid).toEqual({ left: 16, right: 72, top: 16, bottom: 16, containLabel: true });
    expect(s.yAxis.axisLabel.fontSize).toBe(26);
    expect((s.xAxis.axisLabel as { fontSize?: number }).fontSize).toBe(24);
    expect(s.tooltip.textStyle.fontSize).toBe(24);
    expect(s.series[0]!.symbolSize).toBe(12);
    expect((s.series[0]!.label as { fontSize?: number }).fontSize).toBe(24);
    // Data is not a size.
    expect(s.series[0]!.data).toEqual([1, 2]);
    expect(s.yAxis.data).toEqual(['a', 'b']);
    // The input is not changed, and scale 1 is the identity.
    expect(o.yAxis.axisLabel.fontSize).toBe(13);
    expect(scaleChartOption(o, 1)).toBe(o);
  });

  it('scales MapLibre sizes inside zoom expressions, where a factor around them would be invalid', () => {
    expect(scaleMapSize(11, 2)).toBe(22);
    expect(scaleMapSize(['interpolate', ['linear'], ['zoom'], 12, 14, 15, 17], 2)).toEqual(['interpolate', ['linear'], ['zoom'], 12, 28, 15, 34]);
    expect(scaleMapSize(['step', ['get', 'point_count'], 13, 10, 17, 50, 22], 2)).toEqual(['step', ['get', 'point_count'], 26, 10, 34, 50, 44]);
    expect(scaleMapSize(['match', ['get', 'kind'], 'arterial', 1.6, 0.8], 2)).toEqual(['match', ['get', 'kind'], 'arterial', 3.2, 1.6]);
    expect(scaleMapSize(['interpolate', ['linear'], ['zoom'], 12, ['match', ['get', 'k'], 'a', 1, 2], 17, 4], 2)).toEqual(
      ['interpolate', ['linear'], ['zoom'], 12, ['match', ['get', 'k'], 'a', 2, 4], 17, 8],
    );
    expect(scaleMapSize(['to-number', ['get', 'r']], 2)).toEqual(['*', ['to-number', ['get', 'r']], 2]);
  });
});
