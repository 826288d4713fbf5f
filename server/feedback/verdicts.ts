import { applyAction } from '#common/incidents/lifecycle';
import type { IncidentChange } from '#common/incidents/types';
import type { VerdictChannel, VerdictResult } from '#common/incidents/verdict';
import type { Store } from '../store/types.ts';

export type VerdictOutcome = { ok: true; change: IncidentChange } | { ok: false; error: { code: string; message: string } };

/**
 * A verdict that arrived by the hotline callback or a resident's feedback link, written through the rule table
 * (lifecycle.ts): 满意/基本满意 → record_verdict, 不满意 → revisit_rework (发回重办). The server writes it for the
 * resident: the history names the channel (`hotline`, `resident`) as actor, role `system`.
 */
export async function recordVerdict(
  deps: { store: Store; publish: (changes: IncidentChange[]) => void },
  incidentId: string,
  result: VerdictResult,
  channel: VerdictChannel,
  actorId: string,
  now: Date,
): Promise<VerdictOutcome> {
  const action = result === 'unsatisfied' ? 'revisit_rework' : 'record_verdict';
  const r = await deps.store.incidents.transition(
    incidentId,
    (cur) => {
      const a = applyAction(cur, action, { id: actorId, role: 'admin' }, { verdict: { result, channel } }, now);
      return a.ok ? { ok: true, incident: a.incident, entry: { ...a.event, actorRole: 'system' } } : a;
    },
    now,
  );
  if (!r) return { ok: false, error: { code: 'incident/not_found', message: `No incident ${incidentId}.` } };
  if (!r.ok) return r;
  deps.publish([r.change]);
  return { ok: true, change: r.change };
}
