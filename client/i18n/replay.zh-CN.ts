/** Day replay and the monthly report (leader-replay). */
export default {
  replay: {
    open: '回放',
    badge: '历史回放',
    day: '回放日期',
    time: '回放时刻',
    live: '回到实时',
    loading: '加载中…',
    truncated: '当日变更过多，仅回放前一部分',
  },
};
