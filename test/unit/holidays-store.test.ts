import { describe, expect, it } from 'vitest';
import { cleanDays } from '../../client/stores/holidays';

describe('holiday entry', () => {
  it('drops blank rows, trims names and sorts by date before sending', () => {
    expect(
      cleanDays([
        { date: '2027-02-20', kind: 'workday', name: ' 春节 ' },
        { date: '', kind: 'holiday', name: 'x' },
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-03-01', kind: 'holiday', name: '  ' },
      ]),
    ).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-20', kind: 'workday', name: '春节' },
    ]);
  });
});
