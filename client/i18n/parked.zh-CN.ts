/** Parked reports (待定位) in the console, in Chinese; en has the same keys (parked.en.ts). */
export default {
  parked: {
    badge: '待定位',
    title: '待定位报告',
    hint: '地址无法自动定位的上报：选中一条，在地图上点击事发位置，再确认。',
    empty: '没有待定位的报告',
    pick: '定位',
    picking: '请在地图上点击事发位置',
    confirm: '确认定位',
    cancel: '取消',
    close: '关闭',
    placed: '已定位：{id}',
    received: '收到 {at}',
    readOnly: '仅调度员和管理员可定位',
    how: { exact: '地名库精确匹配', fuzzy: '地名库模糊匹配', map: '调度员在地图上定位' },
    score: '匹配度 {score}',
  },
};
