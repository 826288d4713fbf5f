import { z } from 'zod';
import type { Role } from '../auth/types.ts';
import { PASSWORD_MAX } from './password-policy.ts';

/** Roles an admin may give an account through PATCH (wall accounts belong to wall links and keep their role). */
export const ASSIGNABLE_ROLES = ['admin', 'leader', 'dispatcher', 'worker'] as const satisfies readonly Role[];

/** `PATCH /api/users/{id}`: every field optional, at least one. */
export const userPatchSchema = z
  .object({
    disabled: z.boolean().optional(),
    role: z.enum(ASSIGNABLE_ROLES).optional(),
    regionId: z.string().regex(/^\d{6,15}$/).optional(),
    displayName: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one of disabled, role, regionId, displayName' });
export type UserPatchBody = z.infer<typeof userPatchSchema>;

/** `POST /api/me/password`. */
export const passwordChangeSchema = z.object({ current: z.string().min(1).max(PASSWORD_MAX), next: z.string().min(1).max(PASSWORD_MAX) }).strict();

/** `POST /api/users/{id}/password-reset` answer: shown once to the admin, who hands it over. */
export const passwordResetResponseSchema = z.object({ temporaryPassword: z.string(), mustChangePassword: z.literal(true) });
export type PasswordResetResponse = z.infer<typeof passwordResetResponseSchema>;
