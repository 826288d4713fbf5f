/**
 * Wire shapes of the dispatch contract (issue 8) that another branch adds to `common/dispatch/types.ts`.
 * Mirrored here, field for field, so this branch builds on its own; after the merge, import them from common/.
 */
export type CandidateReasonCode = 'distance_m' | 'home_grid' | 'on_duty' | 'open_cases' | 'handles_category' | 'on_time_rate';
export interface CandidateReason { code: CandidateReasonCode; value: number | boolean | null }
export interface Candidate { kind: 'worker' | 'party'; id: string; name: string; score: number; reasons: CandidateReason[] }
export interface Party {
  id: string;
  kind: 'department' | 'property' | 'social_org' | 'volunteer_team';
  name: string;
  categories: string[];
  regionIds: string[];
  contact: { name: string | null; phone: string | null } | null;
  synthetic: boolean;
}
