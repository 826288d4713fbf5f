import type zh from './care.zh-CN';

const en: typeof zh = {
  care: {
    title: 'Community life · caring visits',
    synthetic: 'synthetic demo data',
    isolation: 'Lone elderly not reached',
    coverage: { weekly: 'Weekly visits', monthly: 'Monthly visits', quarterly: 'Quarterly visits' },
    tier: { weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly' },
    overdue: 'Overdue visits',
    thisWeek: 'This week',
    noActivities: 'No activities this week',
    attendance: 'Attendance per week',
    topTeams: 'Top volunteer teams (hours)',
    hours: '{n} h',
    gridTitle: 'Care and visits',
    residents: 'In registry',
    livingAlone: 'Living alone',
    visits30d: 'Visits (30 d)',
    weekday: { 0: 'Sun', 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat' },
    kind: { calligraphy: 'Calligraphy', choir: 'Choir', square_dance: 'Square dance', elder_college: 'Elder college', sichuan_opera: 'Sichuan opera', parent_child: 'Parent & child', health_talk: 'Health talk', newcomer: 'Newcomers', other: 'Other' },
  },
};
export default en;
