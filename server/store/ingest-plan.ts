import { MERGE_WINDOW_MS, pickMergeTarget } from '#common/incidents/merge';
import type { Incident, IncidentChange, IncidentReport, Severity } from '#common/incidents/types';
import { SEVERITIES } from '#common/incidents/types';
import { mergeCell, mergeCellsNear } from './merge-cells.ts';
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

/** What deciding a merge needs of an open incident: the rest is read only for the incidents that absorb a report. */
export type LightCandidate = Pick<Incident, 'id' | 'category' | 'location' | 'reportedAt' | 'status'>;

/**
 * Open incidents by merge cell (merge-cells.ts) and half-hour of report, so each report looks at the few
 * that can merge with it: a batch of reports at one place over days does not compare every pair.
 */
class OpenIncidents<T extends LightCandidate> {
  private readonly cells = new Map<string, Map<string, T>>();

  put(incident: T): void {
    const bucket = Math.floor(Date.parse(incident.reportedAt) / MERGE_WINDOW_MS);
    const key = `${mergeCell(incident.category, incident.location.lng, incident.location.lat)}|${bucket}`;
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = new Map()));
    cell.set(incident.id, incident);
  }

  near(item: NewIncident): T[] {
    const bucket = Math.floor(Date.parse(item.reportedAt) / MERGE_WINDOW_MS);
    const out: T[] = [];
    for (const key of mergeCellsNear(item.category, item.location.lng, item.location.lat)) {
      for (let b = bucket - 1; b <= bucket + 1; b++) {
        const cell = this.cells.get(`${key}|${b}`);
        if (cell) for (const c of cell.values()) out.push(c);
      }
    }
    return out;
  }
}

/**
 * The stored incidents among light `candidates` that the batch merges into: the same sweep as planIngest,
 * on the fields a merge decision reads (an ingest merge changes none of them), so a store can load only these
 * in full and hand them to planIngest, which then decides exactly as it would with every candidate in full.
 */
export function storedMergeTargets(input: { batch: readonly NewIncident[]; known: Map<string, string>; candidates: readonly LightCandidate[] }): Set<string> {
  const targets = new Set<string>();
  const known = new Set(input.known.keys());
  const stored = new Set(input.candidates.map((c) => c.id));
  const open = new OpenIncidents<LightCandidate>();
  for (const c of input.candidates) open.put(c);
  input.batch.forEach((item, n) => {
    const key = item.externalId === null ? null : reportKey(item.connectorId, item.externalId);
    if (key !== null && known.has(key)) return;
    const target = pickMergeTarget(open.near(item), item);
    if (target) {
      if (stored.has(target.id)) targets.add(target.id);
    } else {
      open.put({ id: `new:${n}`, category: item.category, location: item.location, reportedAt: item.reportedAt, status: 'reported' });
    }
    if (key !== null) known.add(key);
  });
  return targets;
}

export function planIngest(input: PlanInput): IngestPlan {
  const { now } = input;
  const nowIso = now.toISOString();
  const known = new Map(input.known);
  // Open incidents, including those this batch creates, so two reports in one batch can merge too.
  const open = new OpenIncidents<Incident>();
  for (const c of input.candidates) open.put(c);
  const createdById = new Map<string, { incident: Incident; createdSeq: number }>();
  const updatedById = new Map<string, Incident>();
  const events: IncidentChange[] = [];
  const reports: IncidentReport[] = [];
  let seq = input.headSeq;

  const outcomes = input.batch.map((item): IngestOutcome => {
    const key = item.externalId === null ? null : reportKey(item.connectorId, item.externalId);
    const dup = key === null ? undefined : known.get(key);
    if (dup) return { kind: 'duplicate', incidentId: dup };

    const target = input.merge ? pickMergeTarget(open.near(item), item) : null;
    let change: IncidentChange;
    if (target) {
      const incident: Incident = {
        ...target,
        severity: maxSeverity(target.severity, item.severity),
        reportCount: target.reportCount + 1,
        version: target.version + 1,
        updatedAt: nowIso,
      };
      change = { seq: ++seq, type: 'updated', incident };
      open.put(incident);
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
        version: 1,
        assistingPartyIds: [],
        slaStage: null,
        extension: null,
        mergedInto: null,
      };
      change = { seq, type: 'created', incident };
      createdById.set(incident.id, { incident, createdSeq: seq });
      if (input.merge) open.put(incident);
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
      description: item.description,
      address: item.address,
      reporter: item.reporter ?? null,
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

/** JSON of an incident state, made once however many rows carry it (its event, its row). */
export function serializeOnce(): (incident: Incident) => string {
  const done = new WeakMap<Incident, string>();
  return (incident) => {
    let json = done.get(incident);
    if (json === undefined) done.set(incident, (json = JSON.stringify(incident)));
    return json;
  };
}
