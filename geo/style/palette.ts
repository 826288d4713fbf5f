/** Colours of the command-center map: deep navy ground, cyan boundaries, warm alerts. */
export const PALETTE = {
  background: '#050c18',
  gridFill: '#0b2a4a',
  gridFillHover: '#1b5f93',
  gridLine: '#2a79b8',
  communityLine: '#4cc3ff',
  streetLine: '#8fe3ff',
  districtLine: '#c8f4ff',
  selected: '#ffd54f',
  building: '#10243d',
  buildingLine: '#1e4266',
  roadCasing: '#07182b',
  roadArterial: '#27537e',
  roadSecondary: '#1b3c5d',
  roadLabel: '#6f9cc4',
  labelHalo: '#050c18',
  gridLabel: '#9ccbf0',
  communityLabel: '#e2f6ff',
  streetLabel: '#ffffff',
} as const;

export const SEVERITY_COLORS = { low: '#4fc3f7', medium: '#ffd54f', high: '#ff8a3d', critical: '#ff3b5c' } as const;
export type SeverityKey = keyof typeof SEVERITY_COLORS;
/** Rank used by the cluster's "worst severity" property. */
export const SEVERITY_RANK: Record<SeverityKey, number> = { low: 1, medium: 2, high: 3, critical: 4 };
/** Heatmap weight of one incident. */
export const SEVERITY_WEIGHT: Record<SeverityKey, number> = { low: 1, medium: 2, high: 4, critical: 6 };

/** How an incident point is shaped by its stage: new (ring), being handled (solid), under review (diamond). */
export const STATUS_GROUPS = {
  reported: 'new',
  verifying: 'new',
  filed: 'new',
  dispatched: 'working',
  in_progress: 'working',
  feedback: 'review',
  checking: 'review',
  rejected: 'done',
  closed: 'done',
} as const;
export type StatusGroup = (typeof STATUS_GROUPS)[keyof typeof STATUS_GROUPS];

export const POI_COLORS = {
  community_service_centre: '#55c7ff',
  elderly_daycare: '#ff9ec4',
  clinic: '#4ade80',
  school: '#ffd54f',
  fire_hydrant: '#ff5a4f',
  aed: '#3ee0a8',
  camera: '#a78bfa',
} as const;
