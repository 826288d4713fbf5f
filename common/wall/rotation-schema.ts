import { z } from 'zod';
import { WALL_THEMES, type WallRotation } from './rotation.ts';

/**
 * The validation of a wall link's rotation, for the server. Apart from rotation.ts so the wall, which only
 * reads a rotation the server checked, does not load zod.
 */
export const wallRotationSchema: z.ZodType<WallRotation> = z
  .object({
    themes: z.array(z.enum(WALL_THEMES)).min(1).max(WALL_THEMES.length),
    minutes: z.number().int().min(1).max(24 * 60),
  })
  .strict()
  .refine((r) => new Set(r.themes).size === r.themes.length, { message: 'themes must not repeat', path: ['themes'] });
