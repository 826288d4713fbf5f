/** Name pools (Chinese + English/pinyin) for the synthetic dataset. All combinations are invented. */
export type NamePair = readonly [zh: string, en: string];

export const STREETS: readonly NamePair[] = [
  ['猛追湾', 'Mengzhuiwan'], ['双桥子', 'Shuangqiaozi'], ['府青路', 'Fuqinglu'], ['二仙桥', 'Erxianqiao'],
  ['跳蹬河', 'Tiaodenghe'], ['万年场', 'Wannianchang'], ['建设路', 'Jianshelu'], ['保和', 'Baohe'],
  ['青龙', 'Qinglong'], ['龙潭', 'Longtan'], ['白莲池', 'Bailianchi'], ['圣灯', 'Shengdeng'],
  ['双水碾', 'Shuangshuinian'], ['驷马桥', 'Simaqiao'], ['崔家店', 'Cuijiadian'], ['东郊', 'Dongjiao'],
];

export const COMMUNITIES: readonly NamePair[] = [
  ['双林', 'Shuanglin'], ['建华', 'Jianhua'], ['东风', 'Dongfeng'], ['水碾河', 'Shuinianhe'],
  ['杉板桥', 'Shanbanqiao'], ['万年', 'Wannian'], ['八里', 'Bali'], ['桃蹊', 'Taoxi'],
  ['望平', 'Wangping'], ['东虹', 'Donghong'], ['新鸿', 'Xinhong'], ['红星', 'Hongxing'],
  ['槐树店', 'Huaishudian'], ['东林', 'Donglin'], ['双庆', 'Shuangqing'], ['府青', 'Fuqing'],
  ['工农', 'Gongnong'], ['前锋', 'Qianfeng'], ['光荣', 'Guangrong'], ['和美', 'Hemei'],
  ['锦绣', 'Jinxiu'], ['东篱', 'Dongli'], ['踏水', 'Tashui'], ['建和', 'Jianhe'],
  ['秀苑', 'Xiuyuan'], ['华林', 'Hualin'], ['李家沱', 'Lijiatuo'], ['培华', 'Peihua'],
  ['致民', 'Zhimin'], ['新华', 'Xinhua'], ['双华', 'Shuanghua'], ['东光', 'Dongguang'],
];

export const ZHIQIANG: NamePair = ['志强', 'Zhiqiang'];

const SYL_A: readonly NamePair[] = [
  ['东', 'Dong'], ['西', 'Xi'], ['南', 'Nan'], ['北', 'Bei'], ['新', 'Xin'], ['青', 'Qing'], ['红', 'Hong'],
  ['金', 'Jin'], ['玉', 'Yu'], ['和', 'He'], ['安', 'An'], ['康', 'Kang'], ['福', 'Fu'], ['兴', 'Xing'],
  ['华', 'Hua'], ['光', 'Guang'], ['明', 'Ming'], ['建', 'Jian'], ['永', 'Yong'], ['长', 'Chang'],
];
const SYL_B: readonly NamePair[] = [
  ['林', 'lin'], ['桥', 'qiao'], ['湾', 'wan'], ['苑', 'yuan'], ['园', 'yuan'], ['坝', 'ba'], ['塘', 'tang'],
  ['场', 'chang'], ['河', 'he'], ['池', 'chi'], ['山', 'shan'], ['湖', 'hu'], ['村', 'cun'], ['门', 'men'],
  ['坪', 'ping'], ['街', 'jie'],
];

/** The n-th name of a pool, continuing with invented two-syllable names (and then numbers) past its end. */
export function nthName(pool: readonly NamePair[], n: number): NamePair {
  if (n < pool.length) return pool[n]!;
  const m = n - pool.length;
  const combos = SYL_A.length * SYL_B.length;
  const a = SYL_A[m % SYL_A.length]!;
  const b = SYL_B[Math.floor(m / SYL_A.length) % SYL_B.length]!;
  const round = Math.floor(m / combos);
  const suffix = round === 0 ? '' : String(round + 1);
  return [`${a[0]}${b[0]}${suffix}`, `${a[1]}${b[1]}${suffix}`];
}

export const ROADS_EW: readonly NamePair[] = [
  ['建设路', 'Jianshe Road'], ['双林路', 'Shuanglin Road'], ['新鸿路', 'Xinhong Road'],
  ['万年路', 'Wannian Road'], ['东风路', 'Dongfeng Road'], ['双桥路', 'Shuangqiao Road'],
  ['杉板桥路', 'Shanbanqiao Road'], ['八里桥路', 'Baliqiao Road'], ['望平街', 'Wangping Street'],
];
export const ROADS_NS: readonly NamePair[] = [
  ['二环路东二段', 'East 2nd Ring Road Section 2'], ['建设北路', 'Jianshe North Road'], ['府青路', 'Fuqing Road'],
  ['一环路东三段', 'East 1st Ring Road Section 3'], ['建设南路', 'Jianshe South Road'], ['二仙桥东路', 'Erxianqiao East Road'],
  ['双庆路', 'Shuangqing Road'], ['桃蹊路', 'Taoxi Road'], ['槐树街', 'Huaishu Street'],
];

export const SURNAMES: readonly NamePair[] = [
  ['王', 'Wang'], ['李', 'Li'], ['张', 'Zhang'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'], ['黄', 'Huang'],
  ['赵', 'Zhao'], ['吴', 'Wu'], ['周', 'Zhou'], ['徐', 'Xu'], ['孙', 'Sun'], ['马', 'Ma'], ['朱', 'Zhu'],
  ['胡', 'Hu'], ['郭', 'Guo'], ['何', 'He'], ['罗', 'Luo'], ['高', 'Gao'], ['林', 'Lin'], ['邓', 'Deng'],
  ['谢', 'Xie'], ['唐', 'Tang'], ['冯', 'Feng'], ['曾', 'Zeng'], ['蒋', 'Jiang'], ['彭', 'Peng'], ['廖', 'Liao'],
];
export const GIVEN: readonly NamePair[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'],
  ['英', 'ying'], ['华', 'hua'], ['玉', 'yu'], ['兰', 'lan'], ['红', 'hong'], ['建', 'jian'], ['文', 'wen'],
  ['琳', 'lin'], ['雪', 'xue'], ['梅', 'mei'], ['晨', 'chen'], ['欣', 'xin'], ['宇', 'yu'], ['浩', 'hao'],
  ['婷', 'ting'], ['倩', 'qian'], ['蓉', 'rong'],
];

export const FACTORIES: readonly NamePair[] = [
  ['东郊机械厂', 'Dongjiao Machinery Works'], ['红旗电子管厂', 'Hongqi Electron Tube Works'],
  ['前锋无线电厂', 'Qianfeng Radio Works'], ['锦江电机厂', 'Jinjiang Motor Works'],
  ['东风纺织厂', 'Dongfeng Textile Mill'], ['量具刃具厂', 'Measuring Tools Works'],
  ['无缝钢管厂', 'Seamless Steel Tube Works'], ['电子仪器厂', 'Electronic Instruments Works'],
  ['国光电子厂', 'Guoguang Electronics Works'], ['宏明元件厂', 'Hongming Components Works'],
];
export const RESETTLEMENT_SUFFIX: NamePair = ['安置小区', 'Resettlement Estate'];
export const COMMERCIAL_SUFFIX: readonly NamePair[] = [['花园', 'Garden'], ['苑', 'Court'], ['华庭', 'Residence'], ['公馆', 'Mansion']];
