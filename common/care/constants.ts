/** Community-life enumerations, apart from the zod schemas in types.ts so wall code can use them without zod. */

export const CARE_CONDITIONS = ['disabled', 'dementia', 'tekun'] as const; // 特困: extreme hardship support
export type CareCondition = (typeof CARE_CONDITIONS)[number];

export const VISIT_TIERS = ['weekly', 'monthly', 'quarterly'] as const;
export type VisitTier = (typeof VISIT_TIERS)[number];

export const VISIT_OUTCOMES = ['well', 'needs_help'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

export const ACTIVITY_KINDS = ['calligraphy', 'choir', 'square_dance', 'elder_college', 'sichuan_opera', 'parent_child', 'health_talk', 'newcomer', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const TARGET_GROUPS = ['elderly', 'children', 'families', 'newcomers', 'resettled', 'disabled', 'all'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

