/**
 * Population and aging domain: counts per grid and month, summable up the region tree.
 *
 * Everything here is AGGREGATE data. No type in this module has a field for a person
 * (name, ID number, birth date, household id); person-level registry rows are reduced
 * to these counts on import and never stored or served.
 */

/** Five-year age bands, 0-4 … 95-99, then 100+ (21 bands). Index i covers ages 5i … 5i+4. */
export const AGE_BANDS = [
  '0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54',
  '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90-94', '95-99', '100+',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

/** Special groups recorded by the community (counts; a person may be in several). */
export const SPECIAL_GROUPS = [
  'livingAlone',
  'emptyNest',
  'oldestOld',
  'disabledCare',
  'dementia',
  'extremeHardship',
  'minimumLiving',
  'disabled',
  'veterans',
  'soeRetirees',
  'landLostFarmers',
] as const;
export type SpecialGroup = (typeof SPECIAL_GROUPS)[number];

/** Marker shown instead of a count of 1..4 on displays that must not single anyone out. */
export const SUPPRESSED = '<5' as const;
export type SuppressedMarker = typeof SUPPRESSED;
/** A count after small-count suppression: an exact number (0 or ≥ 5, or any count not suppressed) or `'<5'`. */
export type SuppressedCount = number | SuppressedMarker;

/** Residents of one sex per age band. */
export type AgeCounts<N = number> = Record<AgeBand, N>;

/**
 * Summable population counts of an area (a grid, or any region as the sum of its grids).
 * `N` is `number` for exact data and `SuppressedCount` after `suppressSmallCounts`.
 * Invariant for exact data: registered + floating = Σ residents.
 */
export interface PopulationAggregateOf<N> {
  residents: Record<Sex, AgeCounts<N>>;
  households: N;
  /** 户籍人口 */
  registered: N;
  /** 流动人口 */
  floating: N;
  groups: Record<SpecialGroup, N>;
}
export type PopulationAggregate = PopulationAggregateOf<number>;
export type SuppressedAggregate = PopulationAggregateOf<SuppressedCount>;

/** `'YYYY-MM'` */
export type Month = string;

/** One stored row: the aggregate of one grid (15-digit id) for one month. */
export interface GridMonthPopulation {
  gridId: string;
  month: Month;
  /** True for generated demo data (server/population/synthetic.ts). */
  synthetic: boolean;
  aggregate: PopulationAggregate;
}

/** UN / WHO convention on the share of residents aged 65+: <7 %, ≥7 %, ≥14 %, ≥20 %. */
export const AGING_LEVELS = ['none', 'aging', 'aged', 'super_aged'] as const;
export type AgingLevel = (typeof AGING_LEVELS)[number];

/**
 * Indicators of one area and month. Shares are percentages (0–100); null when the
 * denominator is 0, or (suppressed variant, `N = SuppressedCount`) when the rate would
 * reveal a count of 1..4.
 */
export interface PopulationIndicatorsOf<N> {
  residents: N;
  households: N;
  personsPerHousehold: number | null;
  share60Plus: number | null;
  share65Plus: number | null;
  share80Plus: number | null;
  /** 65+ per 100 residents aged 15–64. */
  oldAgeDependencyRatio: number | null;
  agingLevel: AgingLevel | null;
  /** 独居老人 per 1,000 residents. */
  livingAlonePer1000: number | null;
  floatingShare: number | null;
}
export type PopulationIndicators = PopulationIndicatorsOf<number>;
export type SuppressedIndicators = PopulationIndicatorsOf<SuppressedCount>;

/** Change against the same month a year earlier. Shares in percentage points; null when either side is missing. */
export interface IndicatorChange {
  fromMonth: Month;
  toMonth: Month;
  /** Percent change of the resident count. */
  residentsPct: number | null;
  share60PlusPp: number | null;
  share65PlusPp: number | null;
  share80PlusPp: number | null;
  /** Points (65+ per 100 of 15–64). */
  oldAgeDependencyRatio: number | null;
  livingAlonePer1000: number | null;
}

export interface IndicatorPoint<N = number> {
  month: Month;
  indicators: PopulationIndicatorsOf<N>;
}

export interface ChildRegionIndicators<N = number> {
  regionId: string;
  name: string;
  nameEn: string;
  indicators: PopulationIndicatorsOf<N>;
}

export interface PopulationReplyOf<N, S extends boolean> {
  /** True for the wall variant: counts 1..4 shown as `'<5'` (see common/population/privacy.ts). */
  suppressed: S;
  regionId: string;
  /** Latest month with data; null when the region has none (then everything below is empty). */
  month: Month | null;
  /** True when any contributing grid carries synthetic (demo) data. */
  synthetic: boolean;
  /** Aggregate of the region for `month`. */
  aggregate: PopulationAggregateOf<N> | null;
  indicators: PopulationIndicatorsOf<N> | null;
  change12m: IndicatorChange | null;
  /** Up to 24 months, oldest first, ending at `month`. */
  history: IndicatorPoint<N>[];
  /** One entry per direct child region (for ranking and the choropleth), for `month`. */
  children: ChildRegionIndicators<N>[];
}

/**
 * Reply of `GET /api/population?regionId=…`. Wall displays (role `wall`) get the
 * suppressed variant (`suppressReply`); other roles in scope get exact counts.
 */
export type PopulationReply = PopulationReplyOf<number, false> | PopulationReplyOf<SuppressedCount, true>;
export type ExactPopulationReply = PopulationReplyOf<number, false>;
export type SuppressedPopulationReply = PopulationReplyOf<SuppressedCount, true>;

export interface Label {
  zh: string;
  en: string;
}

export const SPECIAL_GROUP_LABELS: Record<SpecialGroup, Label> = {
  livingAlone: { zh: '独居老人', en: 'Elderly living alone' },
  emptyNest: { zh: '空巢老人', en: 'Empty-nest elderly' },
  oldestOld: { zh: '高龄老人（80岁以上）', en: 'Oldest old (80+)' },
  disabledCare: { zh: '失能老人', en: 'Elderly needing care (disabled)' },
  dementia: { zh: '失智老人', en: 'Elderly with dementia' },
  extremeHardship: { zh: '特困人员', en: 'Extreme hardship' },
  minimumLiving: { zh: '低保对象', en: 'Minimum living allowance' },
  disabled: { zh: '残疾人', en: 'Persons with disabilities' },
  veterans: { zh: '退役军人', en: 'Veterans' },
  soeRetirees: { zh: '原国企退休职工', en: 'Former SOE retirees' },
  landLostFarmers: { zh: '失地农民（安置）', en: 'Resettled land-lost farmers' },
};

export const SEX_LABELS: Record<Sex, Label> = {
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
};

export const AGE_BAND_LABELS: Record<AgeBand, Label> = Object.fromEntries(
  AGE_BANDS.map((b) => [b, { zh: b === '100+' ? '100岁及以上' : `${b}岁`, en: b === '100+' ? '100+' : b }]),
) as Record<AgeBand, Label>;

export const AGING_LEVEL_LABELS: Record<AgingLevel, Label> = {
  none: { zh: '未老龄化', en: 'Not aging' },
  aging: { zh: '老龄化', en: 'Aging' },
  aged: { zh: '深度老龄化', en: 'Aged' },
  super_aged: { zh: '超级老龄化', en: 'Super-aged' },
};

export const POPULATION_FIELD_LABELS = {
  households: { zh: '户数', en: 'Households' },
  registered: { zh: '户籍人口', en: 'Registered residents' },
  floating: { zh: '流动人口', en: 'Floating population' },
  residents: { zh: '实有人口', en: 'Residents' },
} as const satisfies Record<string, Label>;

/** Estate (小区) type of a grid; drives the age structure of the synthetic data. */
export const ESTATE_TYPES = ['factory', 'resettlement', 'commodity', 'old_town'] as const;
export type EstateType = (typeof ESTATE_TYPES)[number];

export const ESTATE_TYPE_LABELS: Record<EstateType, Label> = {
  factory: { zh: '厂区宿舍', en: 'Former factory housing' },
  resettlement: { zh: '安置小区', en: 'Resettlement estate' },
  commodity: { zh: '商品房小区', en: 'Commercial housing' },
  old_town: { zh: '老旧院落', en: 'Old courtyard housing' },
};
