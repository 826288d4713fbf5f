/** Who can take work (DESIGN "Who takes the work"): parties of multi-center governance and ranked candidates. */
import type { LngLat } from '../geo/types.ts';

export const PARTY_KINDS = ['department', 'property', 'social_org', 'volunteer_team'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface Party {
  /** e.g. 'PTY-cg-510108' or a uuid. */
  id: string;
  kind: PartyKind;
  /** 成华区城管执法局, 某某物业 … */
  name: string;
  /** Category codes it handles (common/incidents/categories). */
  categories: string[];
  /** Roots of the regions it covers. */
  regionIds: string[];
  /** Personal data: projected per audience like reporters (full / masked / none for walls). */
  contact: { name: string | null; phone: string | null } | null;
  synthetic: boolean;
}

export type CandidateReasonCode =
  | 'distance_m' // value: metres from last known position (or home grid centre)
  | 'home_grid' // value: true when the incident lies in the worker's own grid
  | 'on_duty' // value: true/false per the shift roster
  | 'open_cases' // value: number of open cases held now
  | 'handles_category' // value: true when the worker/party handles the incident's category
  | 'on_time_rate' // value: 0..1 on-time rate over 30 days, or null when no closed cases
  | 'live_position'; // value: true when distance_m is from a fresh live fix (< 2 min), absent otherwise

export interface CandidateReason {
  code: CandidateReasonCode;
  value: number | boolean | null;
}

export interface Candidate {
  kind: 'worker' | 'party';
  id: string;
  name: string;
  score: number;
  reasons: CandidateReason[];
}

/** A roster worker as `GET /api/workers` lists it (staff only). */
export interface WorkerSummary {
  id: string;
  name: string;
  gridId: string;
  regionId: string;
  onDuty: boolean;
  openCases: number;
  /** Last kept position of the worker's phone (within POSITION_RETENTION_DAYS); null when none. */
  lastPosition: (LngLat & { at: string; accuracy: number | null }) | null;
  /** A patrol is under way. */
  onPatrol: boolean;
}
