/**
 * What the analytics need to know of one case, folded from its snapshots in the event log: each event
 * carries the whole incident after a change, so comparing it with the facts so far tells which step
 * happened (filed, dispatched, accepted, feedback, rework, extension, closed, verdict). The rollups are a
 * function of the facts (rollup.ts): incremental upkeep and a rebuild from the log fold the same events.
 */
import type { Incident, IncidentStatus, SourceKind } from '../incidents/types.ts';
import type { VerdictResult } from '../incidents/verdict.ts';

export interface CaseFacts {
  id: string;
  /** Grid id, or the root region for cases outside every grid. */
  grid: string;
  category: string;
  source: SourceKind;
  /** Lead assignee (worker or party id); '' when none. */
  assignee: string;
  status: IncidentStatus;
  /** Merged into another case: a duplicate report, counted nowhere. */
  merged: boolean;
  reportedMs: number;
  /** First filing (立案). */
  filedMs: number | null;
  /** Latest dispatch; null before and after a return. */
  dispatchedMs: number | null;
  /** Acceptance of the latest dispatch. */
  acceptedMs: number | null;
  /** Latest submit_feedback (the resolution the check passes). */
  feedbackMs: number | null;
  /** Current closure; null while (re)opened. */
  closedMs: number | null;
  dueMs: number | null;
  /** Times sent back (rework after check, or 发回重办 after an unsatisfied verdict). */
  reworks: number;
  /** An extension was granted at least once (延期). */
  extended: boolean;
  extensionPending: boolean;
  /** Latest resident verdict (回访). */
  verdict: VerdictResult | null;
}

export function foldFacts(prev: CaseFacts | null, inc: Incident, atMs: number, rootRegionId: string): CaseFacts {
  const dueMs = inc.dueAt ? Date.parse(inc.dueAt) : null;
  const f: CaseFacts = prev
    ? { ...prev }
    : {
        id: inc.id,
        grid: '',
        category: '',
        source: inc.source,
        assignee: '',
        status: inc.status,
        merged: false,
        reportedMs: Date.parse(inc.reportedAt),
        filedMs: null,
        dispatchedMs: null,
        acceptedMs: null,
        feedbackMs: null,
        closedMs: inc.status === 'closed' ? atMs : null,
        dueMs,
        reworks: 0,
        extended: false,
        extensionPending: false,
        verdict: null,
      };
  f.grid = inc.gridId ?? rootRegionId;
  f.category = inc.category;
  f.source = inc.source;
  f.assignee = inc.assigneeId ?? '';
  f.merged = inc.mergedInto !== null;
  f.reportedMs = Date.parse(inc.reportedAt);
  const from = prev ? prev.status : null;
  const to = inc.status;
  if (from !== to) {
    if (to === 'filed' && f.filedMs === null) f.filedMs = atMs;
    if (to === 'filed') f.dispatchedMs = f.acceptedMs = null;
    if (to === 'dispatched' && from === 'filed') {
      f.dispatchedMs = atMs;
      f.acceptedMs = null;
    }
    if (to === 'in_progress' && from === 'dispatched' && f.acceptedMs === null) f.acceptedMs = atMs;
    if (to === 'feedback') f.feedbackMs = atMs;
    if (to === 'dispatched' && (from === 'checking' || from === 'closed')) f.reworks++;
    if (to === 'closed') f.closedMs = atMs;
    if (from === 'closed') f.closedMs = null;
  }
  // approve_extension: the pending request is cleared and the deadline moves, the status stays.
  if (prev && prev.extensionPending && !inc.extension && dueMs !== prev.dueMs && from === to) f.extended = true;
  f.extensionPending = inc.extension !== null;
  f.dueMs = dueMs;
  f.status = to;
  f.verdict = inc.verdict?.result ?? null;
  return f;
}
