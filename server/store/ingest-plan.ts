import { pickMergeTarget } from '#common/incidents/merge';
import type { Incident, IncidentChange, IncidentReport, Severity } from '#common/incidents/types';
import { SEVERITIES } from '#common/incidents/types';
import type { IngestOutcome, NewIncident } from './types.ts';

/**
 * What an ingest transaction writes, decided once for every store: dedupe on (connector, external id),
 * merge into an open incident of the same happening, otherwise a new incident; one event per change with
 * consecutive seqs after the head. The stores only read the inputs and write the plan, inside one
 * transaction that holds the log's write lock.
 */
export interface PlanInput {
  batch: readonly NewIncident[];
  now: Date;
  headSeq: number;
  /** reportKey → incident id of every report already stored with a key in this batch. */
  known: Map<string, string>;
  /** Open incidents near the batch's reports in place and time (merge candidates); empty when not merging. */
  candidates: readonly Incident[];
  merge: boolean;
}

export interface IngestPlan {
  outcomes: IngestOutcome[];
  /** New incidents in their final state, with the seq of the event that created them. */
  created: { incident: Incident; createdSeq: number }[];
  /** Existing incidents that absorbed reports, in their final state. */
  updated: Incident[];
  /** Every change, in seq order. */
  events: IncidentChange[];
  reports: IncidentReport[];
  headSeq: number;
}

export const reportKey = (connectorId: string, externalId: string): string => JSON.stringify([connectorId, externalId]);

/** `INC-<local date>-<seq>`: readable on a phone call, unique because the seq is. */
export function incidentId(seq: number, at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `INC-${d}-${String(seq).padStart(6, '0')}`;
}

const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b);

export function planIngest(input: PlanInput): IngestPlan {
  const { now } = input;
  const nowIso = now.toISOString();
  const known = new Map(input.known);
  // Open incidents by id, including those this batch creates, so two reports in one batch can merge too.
  const open = new Map(input.candidates.map((c) => [c.id, c]));
  const createdById = new Map<string, { incident: Incident; createdSeq: number }>();
  const updatedById = new Map<string, Incident>();
  const events: IncidentChange[] = [];
  const reports: IncidentReport[] = [];
  let seq = input.headSeq;

  const outcomes = input.batch.map((item): IngestOutcome => {
    const key = item.externalId === null ? null : reportKey(item.connectorId, item.externalId);
    const dup = key === null ? undefined : known.get(key);
    if (dup) return { kind: 'duplicate', incidentId: dup };

    const target = input.merge ? pickMergeTarget([...open.values()], item) : null;
    let change: IncidentChange;
    if (target) {
      const incident: Incident = {
        ...target,
        severity: maxSeverity(target.severity, item.severity),
        reportCount: target.reportCount + 1,
        updatedAt: nowIso,
      };
      change = { seq: ++seq, type: 'updated', incident };
      open.set(incident.id, incident);
      const created = createdById.get(incident.id);
      if (created) created.incident = incident;
      else updatedById.set(incident.id, incident);
    } else {
      seq += 1;
      const incident: Incident = {
        ...item,
        id: incidentId(seq, now),
        status: 'reported',
        updatedAt: nowIso,
        dueAt: null,
        assigneeId: null,
        reportCount: 1,
      };
      change = { seq, type: 'created', incident };
      createdById.set(incident.id, { incident, createdSeq: seq });
      if (input.merge) open.set(incident.id, incident);
    }
    events.push(change);
    if (key !== null) known.set(key, change.incident.id);
    reports.push({
      incidentId: change.incident.id,
      connectorId: item.connectorId,
      externalId: item.externalId,
      source: item.source,
      category: item.category,
      title: item.title,
      location: item.location,
      reportedAt: item.reportedAt,
      receivedAt: nowIso,
    });
    return { kind: target ? 'merged' : 'created', change };
  });

  return {
    outcomes,
    created: [...createdById.values()],
    updated: [...updatedById.values()],
    events,
    reports,
    headSeq: seq,
  };
}
