import type { LngLat } from '../geo/types.ts';
import type { Verdict } from './verdict.ts';

/** Case-flow stages (GB/T 30428 / CJ/T 315); see lifecycle.ts for the allowed transitions. */
export const INCIDENT_STATUSES = [
  'reported',
  'verifying',
  'filed',
  'rejected',
  'dispatched',
  'in_progress',
  'feedback',
  'checking',
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Stages after which a case needs no more work. */
export const TERMINAL_STATUSES: readonly IncidentStatus[] = ['rejected', 'closed'];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Kinds of upstream system an incident can come from. */
export const SOURCE_KINDS = ['hotline', 'iot', 'video', 'patrol', 'open311', 'manual'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Reporter {
  name: string | null;
  phone: string | null;
}

export interface Incident {
  /** Server-assigned id, e.g. `INC-20261125-000042`. */
  id: string;
  /** What kind of upstream it came from. */
  source: SourceKind;
  /** The connector that delivered it (`simulator`, `hotline`, `mqtt`, …). */
  connectorId: string;
  /** The upstream's own id; (connectorId, externalId) is unique. */
  externalId: string | null;
  /** Category code from categories.ts. */
  category: string;
  severity: Severity;
  title: string;
  /** Citizen- or device-written text: untrusted, never rendered as HTML. */
  description: string;
  /** WGS-84. */
  location: LngLat;
  address: string | null;
  /** Grid containing the location; null when it lies outside every grid (kept and flagged). */
  gridId: string | null;
  status: IncidentStatus;
  /** ISO-8601 with offset. */
  reportedAt: string;
  updatedAt: string;
  /** SLA deadline, set at dispatch; null before. */
  dueAt: string | null;
  /** Personal data, masked by role before it leaves the server; absent for wall displays. */
  reporter?: Reporter | null;
  assigneeId: string | null;
  /** Upstream reports merged into this incident (1 for a single report). */
  reportCount: number;
  /** Optimistic-concurrency version: 1 when created, +1 with every change written (merge of a report, action, escalation). */
  version: number;
  /** Party ids assisting the lead assignee (co-dispatch); [] when none. */
  assistingPartyIds: string[];
  /** Highest step of the SLA ladder reached for the current deadline; null before dispatch or after a new deadline. */
  slaStage: SlaStage | null;
  /** A worker's pending request for more time; null when none is pending. */
  extension: ExtensionRequest | null;
  /** Set on an incident merged into another (it is then `rejected`, its reports moved to the target). */
  mergedInto: string | null;
  /**
   * When someone on duty first acknowledged its alert or took a desk step on it; absent before (alerting.ts:
   * unacknowledged critical and high incidents are flagged on the wall after a minute).
   */
  acknowledgedAt?: string | null;
  /** The resident's latest verdict after closure (回访); absent/null until one arrives. */
  verdict?: Verdict | null;
}

/** Steps of the SLA escalation ladder, in order (escalation.ts). */
export const SLA_STAGES = ['reminded', 'warned', 'overdue'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

export interface ExtensionRequest {
  requestedBy: string;
  requestedAt: string;
  /** The worker's reason: untrusted text, never rendered as HTML. */
  reason: string;
  proposedDueAt: string | null;
}

/** The case-flow fields an incident starts with (and that rows stored before they existed are read with). */
export const CASE_FLOW_DEFAULTS = {
  version: 1,
  assistingPartyIds: [] as string[],
  slaStage: null,
  extension: null,
  mergedInto: null,
} as const satisfies Pick<Incident, 'version' | 'assistingPartyIds' | 'slaStage' | 'extension' | 'mergedInto'>;

/** One upstream message about an incident; several merge into one incident (see merge.ts). */
export interface IncidentReport {
  /** The stored report's id (what `split` takes as `reportId`); absent before it is stored. */
  id?: string;
  incidentId: string;
  connectorId: string;
  externalId: string | null;
  source: SourceKind;
  category: string;
  title: string;
  /** This report's own text and place as its upstream sent them (untrusted; absent in reports stored before). */
  description?: string;
  address?: string | null;
  /** This report's own reporter, so each resident can be called back; masked by audience. */
  reporter?: Reporter | null;
  location: LngLat;
  reportedAt: string;
  /** When the server committed it. */
  receivedAt: string;
}

/** One change of an incident as recorded in the event log and pushed to clients. */
export interface IncidentChange {
  /** Global, gap-free sequence number of this change in the event log. */
  seq: number;
  type: 'created' | 'updated';
  incident: Incident;
  /**
   * Server side only, never sent to clients: whom the case was sent to before this change and is no longer
   * (returned, reassigned): their phones get this change too, so the case leaves their task list.
   */
  formerHolders?: readonly string[];
}

/** Headline numbers for a region, shown in the wall header. */
export interface Kpis {
  /** Incidents reported since local midnight. */
  reportedToday: number;
  /** Not yet closed or rejected. */
  open: number;
  /** Open with severity high or critical. */
  urgentOpen: number;
  /** Open and past their SLA deadline. */
  overdue: number;
  closedToday: number;
}
