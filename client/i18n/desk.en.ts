import type zh from './desk.zh-CN';

const en: typeof zh = {
  action: {
    verify: 'Verify', file: 'File', reject: 'Reject', dispatch: 'Dispatch', return: 'Return', accept: 'Accept',
    report_progress: 'Progress', submit_feedback: 'Feedback', start_check: 'Check', check_pass: 'Close', rework: 'Rework',
    urge: 'Urge', request_extension: 'Ask extension', approve_extension: 'Approve extension', refuse_extension: 'Refuse extension',
    merge: 'Merge', split: 'Split', acknowledge: 'Acknowledge alert', escalate: 'Escalate',
    record_verdict: 'Record verdict', revisit_rework: 'Send back (unsatisfied)',
  },
  desk: {
    verdict: { title: 'Phone callback', satisfied: 'Satisfied', basic: 'Basically satisfied', unsatisfied: 'Not satisfied (send back)', channel: { hotline: '12345 callback', open311: 'Feedback link', phone: 'Phone callback' } },
    tabs: { intake: 'Intake', toDispatch: 'To dispatch', inHand: 'In hand', toCheck: 'To check', overdue: 'Overdue' },
    search: 'Search id, title, address',
    sort: { label: 'Sort', sla: 'Time left', severity: 'Severity', time: 'Reported' },
    filter: { severity: 'Severity', category: 'Category', source: 'Source', region: 'Region', assignee: 'Assignee', mine: 'Mine', all: 'All', clear: 'Clear filters' },
    empty: 'No incidents match',
    shown: '{n} incidents',
    noDeadline: 'Not dispatched',
    left: '{t} left',
    overdueBy: 'Overdue {t}',
    drawer: {
      close: 'Close (Esc)', category: 'Category', severity: 'Severity', place: 'Place', address: 'Address', reports: 'Linked reports ({n})',
      reporter: 'Reporter', anonymous: 'Anonymous', media: 'Media', history: 'History', holder: 'Held by', assignee: 'Lead',
      assisting: 'Assisting', none: 'None', sla: 'Deadline', loading: 'Loading…', failed: 'Failed to load: {m}', description: 'Description',
      outside: 'Outside grids', version: 'Version {v}',
    },
    note: 'Note ({action} needs a reason)',
    notePlaceholder: 'Write a note…',
    noteRequired: 'A reason is required first',
    noActions: 'No action available now',
    dispatch: {
      title: 'Dispatch', top: 'Recommended', topOne: 'Send to top', other: 'Other assignee', pick: 'Pick a grid worker', assisting: 'Assisting parties',
      send: 'Dispatch', missing: 'This server does not provide {what} yet; section hidden', candidates: 'recommendations', workers: 'the worker roster', parties: 'the party registry',
      loading: 'Loading…', none: 'None available', failed: 'Failed to load: {m}',
    },
    reason: {
      distance_m: '{v} m away', distance_km: '{v} km away', home_grid: 'Own grid', on_duty: 'On duty', off_duty: 'Off duty',
      open_cases: '{v} open cases', handles_category: 'Handles this', not_category: 'Other category', on_time_rate: '{v}% on time', no_rate: 'No on-time record',
    },
    keys: 'Keys: J/K next/prev · V verify · F file · D dispatch · R reject · Esc close',
    conflict: 'Changed by {actor} at {at} ({action}); reloaded',
    done: '{action} done',
    alert: {
      title: { critical: 'Critical incident', high: 'High-severity incident' }, ack: 'Acknowledge', open: 'Open', muteHigh: 'Mute high', unmuted: 'High alerts audible',
      critialNoMute: 'Critical alerts cannot be muted', ackFailed: 'Acknowledgement not recorded ({code})', escalated: { reminded: 'Reminder', warned: 'SLA warning', overdue: 'Overdue escalation', urged: 'Urged' },
      dismiss: 'Dismiss',
    },
    role: { admin: 'Admin', leader: 'Leader', dispatcher: 'Dispatcher', worker: 'Worker', wall: 'Wall', system: 'System' },
    stepper: 'Stages',
  },
};
export default en;
