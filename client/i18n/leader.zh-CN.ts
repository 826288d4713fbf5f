/** The leader view (/leader) in Chinese; en has the same keys (leader.en.ts). */
export default {
  leader: {
    tab: { indicators: '治理指标', situation: '态势与回放' },
    title: '治理成效',
    period: { today: '今日', week: '本周', month: '本月', quarter: '本季度', year: '本年', custom: '自定义' },
    from: '从', to: '至', apply: '查询',
    compare: '较上期',
    kpi: {
      received: '受理', filed: '立案', due: '应结案', closed: '结案', closureRate: '结案率', onTimeRate: '按期结案率',
      acceptOnTimeRate: '按时签收率', reworkRate: '返工率', extensionRate: '延期率', overdue: '超期数',
      satisfactionRate: '满意率', replyRate: '回复率', meanCloseMinutes: '平均办结时长', p90CloseMinutes: 'P90 办结时长',
    },
    ranking: '排名', rankBy: '排序指标', drillHint: '点击名称下钻', workers: '网格员与处置力量',
    trend: '趋势', category: '事件类别', source: '来源渠道', calendar: '超期日历（近一年）',
    series: { received: '受理', closed: '结案', closureRate: '结案率' },
    loading: '加载中…', empty: '该期间无数据', failed: '加载失败：{m}',
    toConsole: '查看案件', console: '调度台', wall: '大屏', logout: '退出',
    report: { title: '月度报告', month: '报告月份', busy: '生成中…', failed: '报告生成失败：{m}' },
    region: '区域', name: '名称',
  },
};
