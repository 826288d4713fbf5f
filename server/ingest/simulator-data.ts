import type { SourceKind } from '#common/incidents/types';

/** What the simulator reports: category, which upstream would report it, title templates, relative weight. */
export interface SimTemplate {
  category: string;
  source: SourceKind;
  titles: string[];
  weight: number;
}

export const SIM_TEMPLATES: SimTemplate[] = [
  { category: 'garbage_exposed', source: 'video', titles: ['{place}路边暴露垃圾', '{place}垃圾桶满溢'], weight: 18 },
  { category: 'road_cleaning', source: 'patrol', titles: ['{place}路面污渍', '{place}道路积水有杂物'], weight: 10 },
  { category: 'illegal_parking', source: 'video', titles: ['{place}消防通道违停', '{place}人行道违章停车'], weight: 14 },
  { category: 'dispute', source: 'hotline', titles: ['{place}邻里噪音纠纷', '{place}楼上漏水纠纷'], weight: 8 },
  { category: 'elderly_care', source: 'hotline', titles: ['{place}老人求助代购药品', '{place}高龄老人申请上门服务'], weight: 8 },
  { category: 'elderly_alone_anomaly', source: 'iot', titles: ['{place}独居老人水表24小时用量异常'], weight: 3 },
  { category: 'fire', source: 'iot', titles: ['{place}烟感报警'], weight: 2 },
  { category: 'elevator', source: 'iot', titles: ['{place}电梯困人报警', '{place}电梯故障停运'], weight: 3 },
  { category: 'safety_hazard', source: 'patrol', titles: ['{place}电动车楼道充电', '{place}井盖松动'], weight: 8 },
];

export const SIM_REPORTERS = ['王建国', '李秀英', '张伟', '刘芳', '陈志强', '杨丽', '赵德明', '黄淑珍'];
