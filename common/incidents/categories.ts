import type { Severity } from './types.ts';
import { CATEGORY_DATA, SENSITIVE_CATEGORY_CODES } from './categories-data.ts';

export { SENSITIVE_CATEGORY_CODES };

/**
 * Coarse category groups, used for colours and filters:
 * `city` = the city-management events and components (GB/T 30428.2),
 * `community` = community services and governance, `safety` = community safety.
 */
export type CategoryGroup = 'city' | 'community' | 'safety';

/** 事件 (something happening) / 部件 (a piece of public infrastructure) / community work. */
export type CategoryKind = 'event' | 'component' | 'community';

/** Major classes (大类), after GB/T 30428.2 for the city-management part. */
export const MAJOR_CLASSES = {
  environment: { kind: 'event', nameZh: '市容环境', nameEn: 'City appearance & environment' },
  advertising: { kind: 'event', nameZh: '宣传广告', nameEn: 'Posters & advertising' },
  construction: { kind: 'event', nameZh: '施工管理', nameEn: 'Construction management' },
  street_order: { kind: 'event', nameZh: '街面秩序', nameEn: 'Street order' },
  emergency: { kind: 'event', nameZh: '突发事件', nameEn: 'Emergencies' },
  public_facility: { kind: 'component', nameZh: '公用设施', nameEn: 'Public utilities' },
  road_traffic: { kind: 'component', nameZh: '道路交通', nameEn: 'Roads & traffic' },
  env_facility: { kind: 'component', nameZh: '市容环境设施', nameEn: 'Sanitation facilities' },
  greening: { kind: 'component', nameZh: '园林绿化', nameEn: 'Parks & greenery' },
  housing_land: { kind: 'component', nameZh: '房屋土地', nameEn: 'Buildings & land' },
  community_service: { kind: 'community', nameZh: '社区服务', nameEn: 'Community services' },
  social_governance: { kind: 'community', nameZh: '社会治理', nameEn: 'Social governance' },
  community_safety: { kind: 'community', nameZh: '社区安全', nameEn: 'Community safety' },
} as const satisfies Record<string, { kind: CategoryKind; nameZh: string; nameEn: string }>;
export type MajorClass = keyof typeof MAJOR_CLASSES;

export interface Category {
  code: string;
  group: CategoryGroup;
  /** 大类; its kind (事件/部件/社区) is `MAJOR_CLASSES[majorClass].kind`. */
  majorClass: MajorClass;
  nameZh: string;
  nameEn: string;
  defaultSeverity: Severity;
  /**
   * SLA limit from dispatch to feedback (处置时限), in hours: wall-clock hours when
   * `workingHours` is false (24/7 categories), else working hours of the work calendar
   * (see sla.ts; one working day of the default calendar = 7 working hours).
   */
  slaHours: number;
  /** True when the limit counts working hours only. */
  workingHours: boolean;
}

export const CATEGORIES: readonly Category[] = CATEGORY_DATA;

const byCode = new Map(CATEGORIES.map((c) => [c.code, c]));

export function categoryByCode(code: string): Category | undefined {
  return byCode.get(code);
}

export function categoryKind(category: Category): CategoryKind {
  return MAJOR_CLASSES[category.majorClass].kind;
}

/** Categories of one major class, in list order. */
export function categoriesOfClass(majorClass: MajorClass): Category[] {
  return CATEGORIES.filter((c) => c.majorClass === majorClass);
}

const sensitive = new Set(SENSITIVE_CATEGORY_CODES);

/** About a person (SENSITIVE_CATEGORY_CODES): never published, whatever channel it came in through. */
export function isSensitiveCategory(code: string): boolean {
  return sensitive.has(code);
}
