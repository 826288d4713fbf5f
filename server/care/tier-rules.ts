import { Router } from 'express';
import { DEFAULT_TIER_RULES, type TierRule } from '#common/care/tiers';
import { tierRulesSchema } from '#common/care/types';
import { requireRole } from '../auth/middleware.ts';
import type { Audit } from '../audit/index.ts';
import type { Store } from '../store/types.ts';
import { bad, issues } from './scope.ts';

/** The visit tier table lives in the settings store (both stores), so every node reads the same table. */
export const TIER_RULES_KEY = 'care.tier_rules';

/** The stored table, or the default one (none stored yet, or unreadable after a schema change). */
export async function loadTierRules(store: Store): Promise<readonly TierRule[]> {
  const raw = await store.settings.get(TIER_RULES_KEY);
  if (!raw) return DEFAULT_TIER_RULES;
  try {
    const parsed = tierRulesSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.rules : DEFAULT_TIER_RULES;
  } catch {
    return DEFAULT_TIER_RULES;
  }
}

/** GET /care/tiers (anyone signed in: no personal data), PUT /care/tiers (admins). */
export function tierRoutes(deps: { store: Store; audit?: Audit; changed: () => void }): Router {
  const r = Router();
  r.get('/care/tiers', async (_req, res) => {
    const raw = await deps.store.settings.get(TIER_RULES_KEY);
    res.json({ rules: await loadTierRules(deps.store), custom: raw !== null });
  });
  r.put('/care/tiers', requireRole('admin'), async (req, res) => {
    const parsed = tierRulesSchema.safeParse(req.body);
    if (!parsed.success) return bad(res, 'care/invalid_tiers', issues(parsed.error));
    await deps.store.settings.set(TIER_RULES_KEY, JSON.stringify(parsed.data));
    await deps.audit?.record({ action: 'care.tiers_set', target: 'care:tiers', detail: { rules: parsed.data.rules } }, req);
    deps.changed();
    res.json({ rules: parsed.data.rules, custom: true });
  });
  return r;
}
