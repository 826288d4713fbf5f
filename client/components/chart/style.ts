/** Shared look of the wall's charts: dark navy with cyan axes. */
export const AXIS_LABEL = { color: '#8fb4d6', fontSize: 11 };
export const SPLIT_LINE = { lineStyle: { color: 'rgba(85,199,255,0.12)' } };
export const AXIS_LINE = { lineStyle: { color: 'rgba(85,199,255,0.3)' } };
export const TOOLTIP = {
  backgroundColor: 'rgba(6,20,38,0.92)',
  borderColor: 'rgba(76,195,255,0.4)',
  textStyle: { color: '#dcecff', fontSize: 12 },
};
export const MALE = '#2f9bff';
export const FEMALE = '#ff6f91';
export const SHARE60 = '#f2c14e';
export const SHARE65 = '#f2784b';

/** `12.345` → `'12.3%'`; null → '—'. */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v.toFixed(1)}%`);
