import { describe, expect, it } from 'vitest';
import { maskFreeText, maskIdNumber, maskName, maskPhone } from '#common/privacy';

describe('maskName', () => {
  it.each([
    ['李明', '李*'],
    ['李小明', '李*明'],
    ['欧阳小明', '欧**明'],
    ['买买提·艾力', '买****力'],
    ['李', '*'],
    ['  王芳 ', '王*'],
    ['', ''],
    ['𠮷野家', '𠮷*家'], // a character outside the BMP counts as one
  ])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
  it('passes null through', () => expect(maskName(null)).toBeNull());
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138-1234-5678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['+86 13812345678', '+86 138****5678'],
    ['8613812345678', '+86 138****5678'],
    ['１３８１２３４５６７８', '138****5678'],
    ['028-84561234', '028-****1234'],
    ['(028)84561234', '028-****1234'],
    ['02884561234', '028-****1234'],
    ['010-6551234', '010-***1234'],
    ['0571 87654321', '0571-****4321'],
    ['028-84561234-805', '028-****1234-805'],
    ['12345', '12345'],
    ['110', '110'],
    ['95588', '95588'],
    ['+44 20 7946 0958', '+********0958'],
  ])('%s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));
  it('passes null through', () => expect(maskPhone(null)).toBeNull());
});

describe('maskIdNumber', () => {
  it.each([
    ['510108199001011234', '510***********1234'],
    ['51010819900101123X', '510***********123X'],
    ['510108900101123', '510********1123'],
    ['E12345678', 'E12**5678'],
    ['1234567', '*******'],
  ])('%s → %s', (id, masked) => expect(maskIdNumber(id)).toBe(masked));
  it('passes null through', () => expect(maskIdNumber(null)).toBeNull());
});

describe('maskFreeText', () => {
  it('masks mobiles, ID numbers and landlines inside text', () => {
    expect(maskFreeText('我叫张三，电话13812345678，身份证510108199001011234，请回电'))
      .toBe('我叫张三，电话138****5678，身份证510***********1234，请回电');
    expect(maskFreeText('call 138-1234-5678 or +86 139 8765 4321.')).toBe('call 138-****-5678 or +86 139 **** 4321.');
    expect(maskFreeText('座机028-84561234转分机')).toBe('座机028-****1234转分机');
    expect(maskFreeText('身份证号51010819900101123x。')).toBe('身份证号510***********123x。');
    expect(maskFreeText('电话：１３８１２３４５６７８')).toBe('电话：１３８****５６７８');
  });

  it('leaves other numbers alone', () => {
    for (const s of [
      '3栋2单元1502室，今天下午3点',
      '订单号 2026030212345678901234', // longer than an ID: no match
      '拨打12345热线或110',
      '面积120平方米，编号12812345678901', // 14 digits: not a mobile
      '坐标 104.1234567, 30.6712345',
    ]) {
      expect(maskFreeText(s)).toBe(s);
    }
  });

  it('does not touch markup: the text stays text', () => {
    expect(maskFreeText('<b>13812345678</b>')).toBe('<b>138****5678</b>');
  });
});
