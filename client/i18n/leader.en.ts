import type zh from './leader.zh-CN';

const en: typeof zh = {
  leader: {
    tab: { indicators: 'Indicators', situation: 'Situation & replay' },
    title: 'Governance effectiveness',
    period: { today: 'Today', week: 'This week', month: 'This month', quarter: 'This quarter', year: 'This year', custom: 'Custom' },
    from: 'From', to: 'To', apply: 'Apply',
    compare: 'vs previous',
    kpi: {
      received: 'Received', filed: 'Filed', due: 'Due', closed: 'Closed', closureRate: 'Closure rate', onTimeRate: 'On-time closure',
      acceptOnTimeRate: 'Accepted on time', reworkRate: 'Rework rate', extensionRate: 'Extension rate', overdue: 'Overdue',
      satisfactionRate: 'Satisfaction', replyRate: 'Reply rate', meanCloseMinutes: 'Mean time to close', p90CloseMinutes: 'P90 time to close',
    },
    ranking: 'Ranking', rankBy: 'Rank by', drillHint: 'Click a name to drill down', workers: 'Workers and parties',
    trend: 'Trend', category: 'Categories', source: 'Sources', calendar: 'Overdue calendar (last 12 months)',
    series: { received: 'Received', closed: 'Closed', closureRate: 'Closure rate' },
    loading: 'Loading…', empty: 'No data in this period', failed: 'Failed to load: {m}',
    toConsole: 'Show cases', console: 'Console', wall: 'Wall', logout: 'Sign out',
    report: { title: 'Monthly report', month: 'Report month', busy: 'Preparing…', failed: 'Report failed: {m}' },
    region: 'Region', name: 'Name',
  },
};
export default en;
