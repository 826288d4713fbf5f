import { countdown } from '#common/mobile/tasks';

/** "1:05:09" / "12:09": a countdown short enough for a phone's list row. */
export function clock(dueAt: string | null, now: number): { text: string; overdue: boolean; soon: boolean } | null {
  const c = countdown(dueAt, now);
  if (!c) return null;
  const mm = String(c.m).padStart(2, '0');
  const ss = String(c.s).padStart(2, '0');
  const text = c.h > 0 ? `${c.h}:${mm}:${ss}` : `${mm}:${ss}`;
  return { text, overdue: c.overdue, soon: !c.overdue && c.h < 1 };
}

/** 350 m / 1.2 km (the same in both languages: units read the same on a Chinese phone). */
export function metres(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}
