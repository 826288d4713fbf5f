import { z } from 'zod';
import { WALL_THEMES, type WallRotation } from './rotation.ts';

/** The validator of a wall link's rotation (server side; the wall never imports zod). */
export const wallRotationSchema = z
  .object({
    themes: z.array(z.enum(WALL_THEMES)).min(1).max(WALL_THEMES.length),
    minutes: z.number().int().min(1).max(24 * 60).optional(),
    seconds: z.number().int().min(10).max(24 * 3600).optional(),
  })
  .strict()
  .refine((r) => new Set(r.themes).size === r.themes.length, { message: 'themes must not repeat', path: ['themes'] })
  .refine((r) => (r.minutes === undefined) !== (r.seconds === undefined), { message: 'give the dwell in seconds or minutes (one of them)', path: ['seconds'] });

// The schema and the hand-written type must agree.
const _same: (r: z.infer<typeof wallRotationSchema>) => WallRotation = (r) => r;
void _same;
