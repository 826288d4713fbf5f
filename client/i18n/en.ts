import type zh from './zh-CN';

const en: typeof zh = {
  app: { title: 'Community Command Center', subtitle: 'Chenghua District · Zhiqiang Community', synthetic: 'Demo data (synthetic)' },
  kpi: { reportedToday: 'Reported today', open: 'Open', urgentOpen: 'Urgent open', overdue: 'Overdue', closedToday: 'Closed today' },
  conn: {
    live: 'Live',
    stale: 'Stale',
    offline: 'Offline',
    connecting: 'Connecting',
    reconnecting: 'Reconnecting',
    unauthorized: 'Unauthorized',
    staleBanner: 'Data may be stale: no heartbeat from the server for {s} s',
    offlineBanner: 'Connection to the server lost; reconnecting…',
  },
  feed: { title: 'Live incidents', empty: 'No incidents', count: '{n} open' },
  status: {
    reported: 'Reported',
    verifying: 'Verifying',
    filed: 'Filed',
    rejected: 'Rejected',
    dispatched: 'Dispatched',
    in_progress: 'In progress',
    feedback: 'Feedback',
    checking: 'Checking',
    closed: 'Closed',
  },
  severity: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
  source: { hotline: '12345 hotline', iot: 'IoT sensors', video: 'Video AI', patrol: 'Grid patrol', open311: 'Open311', manual: 'Manual', simulator: 'Simulator', http: 'API' },
  sources: { title: 'Upstream sources', connected: 'OK', connecting: 'Connecting', disconnected: 'Down', disabled: 'Disabled', error: 'Error', errors: '{n} errors' },
  chart: { byCategory: 'Recent incidents by category' },
  map: { title: 'Grid map', outside: 'Outside grids' },
  login: {
    title: 'Sign in to the command center',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    failed: 'Wrong username or password',
    rateLimited: 'Too many attempts; try again shortly',
    wall: 'Open wall view',
  },
  console: { title: 'Incident register', logout: 'Sign out', wall: 'Wall', time: 'Time', category: 'Category', grid: 'Grid', status: 'Status', severity: 'Severity' },
  lang: { switch: '中文' },
};

export default en;
