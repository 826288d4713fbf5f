import { describe, expect, it } from 'vitest';
import { maskNamesInText, maskPersonalText } from '#common/privacy';

/** What must never survive masking: each raw fragment a citizen wrote. */
const cases: { text: string; names?: string[]; gone: string[]; kept?: string[] }[] = [
  { text: '我叫张三丰，电话13812345678', gone: ['张三丰', '13812345678'], kept: ['我叫张*丰', '138****5678'] },
  { text: '本人李四，身份证510104199001011234', gone: ['李四', '510104199001011234'], kept: ['本人李*', '510***********1234'] },
  { text: '姓名：王小明 联系电话：139 1234 5678', gone: ['王小明', '139 1234 5678'], kept: ['姓名：王*明'] },
  { text: '联系人:赵六 手机+86 138-1234-5678', gone: ['赵六', '138-1234-5678'], kept: ['+86 138-****-5678'] },
  { text: '报告人孙七反映3栋2单元501漏水', gone: ['孙七反'], kept: ['3栋2单元501'] },
  { text: '来电人周八（来电号码：１３９１２３４５６７８）', gone: ['周八', '１３９１２３４５６７８'] },
  { text: '户主吴九，身份证号51010419900101123X', gone: ['吴九', '51010419900101123X'], kept: ['510***********123X'] },
  { text: '身份证 51010419900101123x 已登记', gone: ['51010419900101123x'] },
  { text: '老身份证510104900101123', gone: ['510104900101123'], kept: ['510********1123'] },
  { text: '座机028-84561234或02884561234', gone: ['84561234'], kept: ['028-****1234'] },
  { text: '张先生说楼下有人占道', gone: ['张先生'], kept: ['*先生'] },
  { text: '李女士和王阿姨、刘大爷都反映过', gone: ['李女士', '王阿姨', '刘大爷'], kept: ['*女士', '*阿姨', '*大爷'] },
  { text: '欧阳女士来电', gone: ['欧阳女士'], kept: ['*女士'] },
  { text: '陈建国先生家门口积水', gone: ['陈建国'], kept: ['陈*国先生'] },
  { text: '请联系马六或者他儿子', names: ['马六'], gone: ['马六'], kept: ['马*'] },
  { text: '郑十一说郑十一家的水管爆了', names: ['郑十一'], gone: ['郑十一'] },
  { text: '电话 0086 13912345678，13912345678', gone: ['13912345678'] },
  { text: '号码 139-1234 5678', gone: ['139-1234 5678'] },
  { text: '电话138.1234.5678或138－1234－5678', gone: ['138.1234.5678', '138－1234－5678'], kept: ['138.****.5678'] },
  { text: '（+86）13812345678', gone: ['13812345678'] },
  // An ID typed in its groups, an e-mail address, and the 12345 work order's own opening (市民X反映).
  { text: '身份证 510104 19900101 1234 已核对', gone: ['19900101', '510104 19900101 1234'], kept: ['510*** ******** 1234'] },
  { text: '身份证号510104-19900101-123X', gone: ['19900101'], kept: ['510***-********-123X'] },
  { text: '邮箱 zhangsan.2026@qq.com 联系', gone: ['zhangsan.2026@'], kept: ['z************@qq.com'] },
  // The alarm and case openers of 110-linked and video-AI tickets (报警人：张三).
  { text: '报警人：张三，报案人李四华称', gone: ['张三', '李四华'], kept: ['报警人：张*'] },
  { text: '市民王大明来电反映楼道堆物', gone: ['王大明'], kept: ['市民王*明来电反映'] },
  { text: '居民张三反映噪音扰民', gone: ['张三'], kept: ['居民张*反映'] },
  { text: '市民欧阳小明投诉', gone: ['欧阳小明'], kept: ['市民欧**明投诉'] },
  // Forms a reviewer typed that slipped through: doubled spaces, spaced or hyphenated IDs, a full-width X,
  // landlines split by spaces or with the area code in brackets.
  { text: '电话 138  1234  5678', gone: ['1234'], kept: ['138  ****  5678'] },
  { text: '+86  139 8765 4321', gone: ['8765'] },
  { text: '身份证 110105 19491231 002X', gone: ['19491231'], kept: ['110', '002X'] },
  { text: '身份证110105-1949-1231-002X', gone: ['1949-1231'] },
  { text: '身份证号码：51010719800101123Ｘ', gone: ['51010719800101123Ｘ', '19800101'] },
  { text: '身份证１１０１０５１９４９１２３１００２Ｘ', gone: ['１９４９１２３１'] },
  { text: '座机028 8456 1234，或 (028)84561234，或 010-6552-1234', gone: ['8456', '6552'], kept: ['1234'] },
];

describe('maskPersonalText: phones, ID numbers and names in free text', () => {
  for (const c of cases) {
    it(c.text, () => {
      const out = maskPersonalText(c.text, c.names ?? []);
      for (const g of c.gone) expect(out).not.toContain(g);
      for (const k of c.kept ?? []) expect(out).toContain(k);
    });
  }

  it('leaves service numbers, dates, flat numbers and ordinary text as written', () => {
    for (const t of ['拨打12345或110', '2026年11月28日 14:30', '3栋2单元501室', '路边垃圾桶满溢，无人清理', '这位先生说的', '市民来电反映居民楼下积水', '居民反映', '市民热线']) {
      expect(maskPersonalText(t)).toBe(t);
    }
  });

  it('masks longer known names first and ignores empty or one-character ones', () => {
    expect(maskNamesInText('欧阳小明找欧阳', ['欧阳', '欧阳小明', '', null, '李'])).toBe('欧**明找欧*');
  });

  it('passes null through', () => {
    expect(maskPersonalText(null)).toBeNull();
  });
});
