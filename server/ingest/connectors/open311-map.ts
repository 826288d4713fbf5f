/**
 * Open311 GeoReport v2 projections: our categories as services, our incidents as (public) service requests.
 *
 * Privacy: the GET methods are public (no key), so they publish only what a resident may see: requests that came
 * in through Open311 itself (never hotline work orders, device alarms or care cases), never reporter data (name,
 * phone, e-mail, account), phones, ID numbers and names masked in the description (maskPersonalText), the place
 * from our region tree instead of the citizen's address, coordinates rounded to 3 decimals (about 100 m).
 * Cases about a person (SENSITIVE_CATEGORY_CODES: elderly care, disputes, SOS calls …) are never listed; one of
 * those can be read by its id, without address, coordinates or description.
 */
import { CATEGORIES, MAJOR_CLASSES, categoryByCode, isSensitiveCategory, type Category } from '#common/incidents/categories';
import { toOpen311Status } from '#common/incidents/lifecycle';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import { maskPersonalText } from '#common/privacy';
import type { Regions } from '../../geo/regions.ts';
import { HOTLINE_CATEGORY_TABLE } from './hotline-categories.ts';

export const OPEN311_SOURCE = 'open311';

/** Made by devices only, never requested by a citizen. */
const NOT_A_SERVICE = new Set(['elderly_alone_anomaly']);
const EMERGENCY = new Set(['fire', 'gas_leak', 'elevator', 'road_collapse']);

export const SERVICES: readonly Category[] = CATEGORIES.filter((c) => !NOT_A_SERVICE.has(c.code));

/** Categories whose cases may be listed publicly. */
export const PUBLIC_CATEGORIES: readonly string[] = CATEGORIES.filter((c) => !isSensitiveCategory(c.code)).map((c) => c.code);
const publicSet = new Set(PUBLIC_CATEGORIES);

/** 3 decimals of a degree: about 110 m of latitude, about 95 m of longitude here. */
export const roundCoord = (x: number): number => Math.round(x * 1000) / 1000;

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: 'realtime';
  keywords: string;
  group: string;
}

function limitText(c: Category): string {
  const h = c.slaHours < 1 ? `${Math.round(c.slaHours * 60)} 分钟` : `${c.slaHours} ${c.workingHours ? '个工作小时' : '小时'}`;
  return `处置时限 ${h}（自派遣起算）`;
}

export function serviceOf(c: Category): Open311Service {
  const synonyms = Object.entries(HOTLINE_CATEGORY_TABLE).filter(([, code]) => code === c.code).map(([k]) => k);
  return {
    service_code: c.code,
    service_name: c.nameZh,
    description: `${c.nameZh}（${c.nameEn}）。${limitText(c)}。${EMERGENCY.has(c.code) ? '危及人身安全时请先拨打 119/110。' : ''}`,
    metadata: false,
    type: 'realtime',
    keywords: [...new Set([c.nameZh, c.nameEn, c.code, ...synonyms])].join(', '),
    group: MAJOR_CLASSES[c.majorClass].nameZh,
  };
}

export function serviceNotice(code: string): string {
  const c = categoryByCode(code);
  return c ? `已受理，将核实后立案派遣；${limitText(c)}。` : '已受理。';
}

export const STATUS_NOTES: Readonly<Record<IncidentStatus, string>> = {
  reported: '已受理，待核实',
  verifying: '核实中',
  filed: '已立案，待派遣',
  rejected: '经核实不予立案',
  dispatched: '已派遣网格员处置',
  in_progress: '处置中',
  feedback: '处置完毕，待核查',
  checking: '核查中',
  closed: '已结案',
};

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
}

/** Whether the public may see this case at all: `full` in lists, `status` by id only (reduced). */
export function visibility(i: Pick<Incident, 'category' | 'connectorId'>): 'full' | 'status' | 'none' {
  if (i.connectorId !== OPEN311_SOURCE || NOT_A_SERVICE.has(i.category)) return 'none';
  return publicSet.has(i.category) ? 'full' : 'status';
}

/** The grid (its name carries the community) or, outside every grid, the root region. */
function placeOf(regions: Regions, gridId: string | null): string {
  return (gridId ? regions.get(gridId)?.name : undefined) ?? regions.root.name;
}

/** The community (社区) or street responsible for the grid, else the root region. */
export function agencyOf(regions: Regions, gridId: string | null): string {
  const path = gridId ? regions.path(gridId) : [];
  const unit = [...path].reverse().find((r) => r.level === 'community' || r.level === 'street');
  return unit ? `${unit.name}` : regions.root.name;
}

/** Our incident as a public Open311 request; never with reporter data. */
/** Flat and room numbers (3栋2单元501, 5-2-1203, 1203室) say where a resident lives: starred in public text. */
const FLAT = /(单元|栋|幢|号楼|楼|[-－])\s*([0-9０-９]{3,4})(?![0-9０-９])/g;
const maskFlats = (text: string): string => text.replace(FLAT, (_m, pre: string, digits: string) => `${pre}${'*'.repeat(digits.length)}`);

/** A closed case's status notes with its 回访 link (a path on this server), for the reporter's app to show. */
export function feedbackNotes(path: string): string {
  return `${STATUS_NOTES.closed}。请评价办理结果（7 天内有效，只能评价一次）Please rate the result (valid 7 days, one answer): ${path}`;
}

export function toOpen311Request(i: Incident, regions: Regions, view: 'full' | 'status', feedbackPath: string | null = null): Open311Request {
  const c = categoryByCode(i.category);
  const full = view === 'full';
  return {
    service_request_id: i.id,
    status: toOpen311Status(i.status),
    status_notes: feedbackPath && i.status === 'closed' ? feedbackNotes(feedbackPath) : STATUS_NOTES[i.status],
    service_name: c?.nameZh ?? i.category,
    service_code: i.category,
    description: full ? maskFlats(maskPersonalText(i.description, [i.reporter?.name])) : null,
    agency_responsible: agencyOf(regions, i.gridId),
    service_notice: null,
    requested_datetime: i.reportedAt,
    updated_datetime: i.updatedAt,
    expected_datetime: i.dueAt,
    address: full ? placeOf(regions, i.gridId) : null,
    lat: full ? roundCoord(i.location.lat) : null,
    long: full ? roundCoord(i.location.lng) : null,
  };
}
