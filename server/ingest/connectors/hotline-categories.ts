import { CATEGORIES, categoryByCode } from '#common/incidents/categories';

/**
 * 12345 hotline classification text (诉求分类, often a path such as "城乡建设/市容环卫/垃圾清运不及时") → our
 * category code. Every category's own Chinese name maps to it as well; a deployment extends this table for its
 * platform's classification tree. Unknown text is rejected with a reason, never guessed.
 */
export const HOTLINE_CATEGORY_TABLE: Readonly<Record<string, string>> = {
  垃圾清运: 'garbage_accumulated', 垃圾堆放: 'garbage_accumulated', 建筑垃圾: 'garbage_accumulated', 渣土: 'garbage_accumulated',
  暴露垃圾: 'garbage_exposed', 垃圾满溢: 'garbage_exposed', 乱扔垃圾: 'garbage_exposed',
  道路保洁: 'road_cleaning', 路面不洁: 'road_cleaning',
  小广告: 'illegal_posting', 乱张贴: 'illegal_posting', 牛皮癣: 'illegal_posting',
  户外广告: 'illegal_outdoor_ad', 广告牌: 'illegal_outdoor_ad', 招牌: 'illegal_outdoor_ad',
  涂鸦: 'graffiti', 乱涂乱画: 'graffiti',
  施工噪音: 'construction_noise', 施工扰民: 'construction_noise', 夜间施工: 'construction_noise',
  扬尘: 'construction_dust',
  遗撒: 'road_spill',
  违章建筑: 'illegal_construction', 违法建设: 'illegal_construction', 私搭乱建: 'illegal_construction', 违建: 'illegal_construction',
  乱停车: 'illegal_parking', 违章停车: 'illegal_parking', 违停: 'illegal_parking',
  占道经营: 'street_vending', 出店经营: 'street_vending',
  流动摊贩: 'unlicensed_vendor', 无照经营: 'unlicensed_vendor', 游商: 'unlicensed_vendor',
  共享单车: 'bike_parking', 非机动车乱停: 'bike_parking',
  路面塌陷: 'road_collapse', 地面塌陷: 'road_collapse',
  积水: 'waterlogging', 内涝: 'waterlogging',
  爆管: 'pipe_burst', 水管破裂: 'pipe_burst',
  井盖: 'manhole_cover',
  消防栓: 'hydrant_damaged',
  路灯: 'streetlight_out',
  红绿灯: 'traffic_signal', 信号灯: 'traffic_signal',
  护栏: 'guardrail_damaged',
  路面破损: 'road_damaged', 坑洼: 'road_damaged',
  公厕: 'public_toilet', 公共厕所: 'public_toilet',
  倒树: 'tree_fallen', 树木倒伏: 'tree_fallen',
  毁绿: 'greenbelt_damaged', 绿化: 'greenbelt_damaged',
  危房: 'dangerous_building', 外墙脱落: 'dangerous_building',
  养老: 'elderly_care', 为老服务: 'elderly_care', 老年人: 'elderly_care',
  独居老人: 'elderly_alone_anomaly',
  邻里纠纷: 'dispute', 矛盾纠纷: 'dispute', 纠纷: 'dispute',
  群租: 'group_rental',
  噪音: 'noise', 噪声: 'noise', 广场舞: 'noise',
  安全隐患: 'safety_hazard',
  火灾: 'fire', 火情: 'fire', 着火: 'fire',
  消防通道: 'fire_lane_blocked',
  电动车充电: 'ebike_charging', 飞线充电: 'ebike_charging',
  电梯困人: 'elevator', 困梯: 'elevator',
  电梯: 'elevator_fault', 电梯故障: 'elevator_fault',
  燃气: 'gas_leak', 煤气: 'gas_leak',
  高空抛物: 'falling_objects', 高空坠物: 'falling_objects',
};

const exact = new Map<string, string>([
  ...CATEGORIES.map((c) => [c.nameZh, c.code] as [string, string]),
  ...Object.entries(HOTLINE_CATEGORY_TABLE),
]);
/** Keywords for the contains-match, longest first. */
const keywords = [...exact.keys()].filter((k) => k.length >= 2).sort((a, b) => b.length - a.length);

/**
 * The category code for a classification text, or null. Tries, from the most specific path segment up:
 * our code itself, an exact name, then the longest table keyword the segment contains.
 */
export function mapHotlineCategory(text: string): string | null {
  const t = text.trim();
  if (categoryByCode(t)) return t;
  const segments = t.split(/[/>＞\\|｜-]+/).map((s) => s.trim()).filter(Boolean).reverse();
  for (const s of segments) {
    const hit = exact.get(s);
    if (hit) return hit;
  }
  for (const s of segments) {
    const k = keywords.find((kw) => s.includes(kw));
    if (k) return exact.get(k)!;
  }
  return null;
}
