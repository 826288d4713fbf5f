import type { Category } from './categories.ts';

/**
 * Category table. Limits are modelled on GB/T 30428.2-style handling limits (处置时限):
 * urgent cases in wall-clock minutes/hours (24/7, `workingHours: false`), routine ones in
 * working hours/days. One working day of the default calendar (sla.ts) is 7 working
 * hours (09:00–12:00 + 13:30–17:30), so "N working days" is written `N * WD`.
 * A deployment can tune the numbers; codes are stable identifiers (the simulator and
 * stored incidents use them), names are display text.
 */
const WD = 7;

export const CATEGORY_DATA: readonly Category[] = [
  // ── 事件 · 市容环境 ──
  { code: 'garbage_exposed', group: 'city', majorClass: 'environment', nameZh: '暴露垃圾', nameEn: 'Exposed garbage', defaultSeverity: 'low', slaHours: 4, workingHours: true },
  { code: 'road_cleaning', group: 'city', majorClass: 'environment', nameZh: '道路不洁', nameEn: 'Dirty road', defaultSeverity: 'low', slaHours: 2, workingHours: true },
  { code: 'garbage_accumulated', group: 'city', majorClass: 'environment', nameZh: '积存垃圾渣土', nameEn: 'Accumulated garbage and muck', defaultSeverity: 'medium', slaHours: 1 * WD, workingHours: true },
  // ── 事件 · 宣传广告 ──
  { code: 'illegal_posting', group: 'city', majorClass: 'advertising', nameZh: '乱张贴/小广告', nameEn: 'Illegal posters and flyers', defaultSeverity: 'low', slaHours: 1 * WD, workingHours: true },
  { code: 'illegal_outdoor_ad', group: 'city', majorClass: 'advertising', nameZh: '违规户外广告', nameEn: 'Non-compliant outdoor advertising', defaultSeverity: 'low', slaHours: 5 * WD, workingHours: true },
  { code: 'graffiti', group: 'city', majorClass: 'advertising', nameZh: '乱涂写乱刻画', nameEn: 'Graffiti', defaultSeverity: 'low', slaHours: 2 * WD, workingHours: true },
  // ── 事件 · 施工管理 ──
  { code: 'construction_noise', group: 'city', majorClass: 'construction', nameZh: '施工扰民', nameEn: 'Construction disturbance', defaultSeverity: 'medium', slaHours: 2, workingHours: false },
  { code: 'construction_dust', group: 'city', majorClass: 'construction', nameZh: '施工扬尘', nameEn: 'Construction dust', defaultSeverity: 'medium', slaHours: 4, workingHours: true },
  { code: 'road_spill', group: 'city', majorClass: 'construction', nameZh: '道路遗撒', nameEn: 'Spillage from muck trucks', defaultSeverity: 'medium', slaHours: 2, workingHours: true },
  { code: 'illegal_construction', group: 'city', majorClass: 'construction', nameZh: '违法建设', nameEn: 'Illegal construction', defaultSeverity: 'high', slaHours: 3 * WD, workingHours: true },
  // ── 事件 · 街面秩序 ──
  { code: 'illegal_parking', group: 'city', majorClass: 'street_order', nameZh: '违章停车', nameEn: 'Illegal parking', defaultSeverity: 'low', slaHours: 2, workingHours: true },
  { code: 'street_vending', group: 'city', majorClass: 'street_order', nameZh: '占道经营', nameEn: 'Business occupying the road', defaultSeverity: 'low', slaHours: 2, workingHours: true },
  { code: 'unlicensed_vendor', group: 'city', majorClass: 'street_order', nameZh: '无照游商', nameEn: 'Unlicensed street vendor', defaultSeverity: 'low', slaHours: 2, workingHours: true },
  { code: 'bike_parking', group: 'city', majorClass: 'street_order', nameZh: '非机动车乱停放', nameEn: 'Disorderly bicycle parking', defaultSeverity: 'low', slaHours: 4, workingHours: true },
  // ── 事件 · 突发事件 ──
  { code: 'road_collapse', group: 'city', majorClass: 'emergency', nameZh: '路面塌陷', nameEn: 'Road collapse', defaultSeverity: 'critical', slaHours: 1, workingHours: false },
  { code: 'waterlogging', group: 'city', majorClass: 'emergency', nameZh: '道路积水', nameEn: 'Road waterlogging', defaultSeverity: 'high', slaHours: 2, workingHours: false },
  { code: 'pipe_burst', group: 'city', majorClass: 'emergency', nameZh: '供水管道爆裂', nameEn: 'Burst water main', defaultSeverity: 'high', slaHours: 2, workingHours: false },
  // ── 部件 · 公用设施 ──
  { code: 'manhole_cover', group: 'city', majorClass: 'public_facility', nameZh: '井盖缺失/破损', nameEn: 'Missing or broken manhole cover', defaultSeverity: 'high', slaHours: 2, workingHours: false },
  { code: 'hydrant_damaged', group: 'city', majorClass: 'public_facility', nameZh: '消防栓损坏', nameEn: 'Damaged fire hydrant', defaultSeverity: 'medium', slaHours: 1 * WD, workingHours: true },
  { code: 'device_offline', group: 'city', majorClass: 'public_facility', nameZh: '物联设备离线', nameEn: 'IoT device offline', defaultSeverity: 'low', slaHours: 1 * WD, workingHours: true },
  { code: 'streetlight_out', group: 'city', majorClass: 'public_facility', nameZh: '路灯不亮', nameEn: 'Streetlight out', defaultSeverity: 'low', slaHours: 2 * WD, workingHours: true },
  // ── 部件 · 道路交通 ──
  { code: 'traffic_signal', group: 'city', majorClass: 'road_traffic', nameZh: '交通信号灯故障', nameEn: 'Traffic signal failure', defaultSeverity: 'high', slaHours: 2, workingHours: false },
  { code: 'guardrail_damaged', group: 'city', majorClass: 'road_traffic', nameZh: '护栏损坏', nameEn: 'Damaged guardrail', defaultSeverity: 'medium', slaHours: 1 * WD, workingHours: true },
  { code: 'road_damaged', group: 'city', majorClass: 'road_traffic', nameZh: '路面破损', nameEn: 'Damaged road surface', defaultSeverity: 'medium', slaHours: 2 * WD, workingHours: true },
  // ── 部件 · 市容环境设施 ──
  { code: 'public_toilet', group: 'city', majorClass: 'env_facility', nameZh: '公厕设施损坏', nameEn: 'Public toilet out of order', defaultSeverity: 'low', slaHours: 1 * WD, workingHours: true },
  // ── 部件 · 园林绿化 ──
  { code: 'tree_fallen', group: 'city', majorClass: 'greening', nameZh: '树木倒伏', nameEn: 'Fallen tree', defaultSeverity: 'high', slaHours: 2, workingHours: false },
  { code: 'greenbelt_damaged', group: 'city', majorClass: 'greening', nameZh: '绿地毁损', nameEn: 'Damaged green space', defaultSeverity: 'low', slaHours: 3 * WD, workingHours: true },
  // ── 部件 · 房屋土地 ──
  { code: 'dangerous_building', group: 'city', majorClass: 'housing_land', nameZh: '房屋外墙脱落/危房', nameEn: 'Falling facade / unsafe building', defaultSeverity: 'high', slaHours: 4, workingHours: false },
  // ── 社区服务 ──
  { code: 'elderly_care', group: 'community', majorClass: 'community_service', nameZh: '为老服务', nameEn: 'Elderly care', defaultSeverity: 'medium', slaHours: 8, workingHours: true },
  { code: 'elderly_alone_anomaly', group: 'community', majorClass: 'community_service', nameZh: '独居老人异常', nameEn: 'Elderly living alone: anomaly', defaultSeverity: 'high', slaHours: 1, workingHours: false },
  { code: 'emergency_call', group: 'community', majorClass: 'community_service', nameZh: '紧急呼叫', nameEn: 'Emergency call (SOS button)', defaultSeverity: 'critical', slaHours: 0.25, workingHours: false },
  // ── 社会治理 ──
  { code: 'dispute', group: 'community', majorClass: 'social_governance', nameZh: '矛盾纠纷', nameEn: 'Neighbour dispute', defaultSeverity: 'medium', slaHours: 3 * WD, workingHours: true },
  { code: 'group_rental', group: 'community', majorClass: 'social_governance', nameZh: '群租房', nameEn: 'Illegal group rental', defaultSeverity: 'medium', slaHours: 5 * WD, workingHours: true },
  { code: 'noise', group: 'community', majorClass: 'social_governance', nameZh: '噪音扰民', nameEn: 'Noise nuisance', defaultSeverity: 'low', slaHours: 2, workingHours: false },
  // ── 社区安全 ──
  { code: 'safety_hazard', group: 'safety', majorClass: 'community_safety', nameZh: '安全隐患', nameEn: 'Safety hazard', defaultSeverity: 'medium', slaHours: 24, workingHours: false },
  { code: 'fire', group: 'safety', majorClass: 'community_safety', nameZh: '消防火情', nameEn: 'Fire', defaultSeverity: 'critical', slaHours: 0.25, workingHours: false },
  { code: 'fire_lane_blocked', group: 'safety', majorClass: 'community_safety', nameZh: '消防通道堵塞', nameEn: 'Blocked fire lane', defaultSeverity: 'medium', slaHours: 2, workingHours: false },
  { code: 'ebike_charging', group: 'safety', majorClass: 'community_safety', nameZh: '电动车违规充电', nameEn: 'Unsafe e-bike charging', defaultSeverity: 'high', slaHours: 4, workingHours: false },
  { code: 'elevator', group: 'safety', majorClass: 'community_safety', nameZh: '电梯困人', nameEn: 'Elevator: people trapped', defaultSeverity: 'high', slaHours: 0.5, workingHours: false },
  { code: 'elevator_fault', group: 'safety', majorClass: 'community_safety', nameZh: '电梯故障', nameEn: 'Elevator out of service', defaultSeverity: 'medium', slaHours: 24, workingHours: false },
  { code: 'gas_leak', group: 'safety', majorClass: 'community_safety', nameZh: '燃气泄漏', nameEn: 'Gas leak', defaultSeverity: 'critical', slaHours: 0.5, workingHours: false },
  { code: 'falling_objects', group: 'safety', majorClass: 'community_safety', nameZh: '高空抛物', nameEn: 'Objects thrown from height', defaultSeverity: 'medium', slaHours: 1 * WD, workingHours: true },
];

/**
 * Categories about a person rather than a place: care of the elderly, welfare checks, emergency (SOS) calls,
 * disputes between neighbours, group rentals and noise at a home. Their cases are never published (Open311
 * lists); a category added later that is about a person belongs here too.
 */
export const SENSITIVE_CATEGORY_CODES: readonly string[] = [
  'elderly_care',
  'elderly_alone_anomaly',
  'emergency_call',
  'dispute',
  'group_rental',
  'noise',
];
