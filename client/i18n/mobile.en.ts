import type zh from './mobile.zh-CN';

/** The grid-worker app (/m) in English. */
const en: typeof zh = {
  m: {
    appName: 'Grid worker',
    nav: { tasks: 'My tasks', report: 'Report', reports: 'My reports', visits: 'Visits' },
    signIn: { title: 'Grid worker sign-in', hint: 'Sign in with your grid worker account; your tasks stay available offline', notWorker: 'This is not a grid worker account; use a grid worker account', signOut: 'Sign out' },
    sync: { pending: '{n} to sync', synced: 'Synced', offline: 'Offline', online: 'Online', failed: '{n} not submitted', dismiss: 'OK', needSignIn: 'Your sign-in expired: sign in again to continue syncing' },
    tasks: {
      empty: 'No tasks for you', lead: 'Lead', assisting: 'Assisting', left: '{t} left', overdue: 'Overdue {t}', noDue: 'No deadline', refresh: 'Refresh',
      away: '{d} away', waiting: 'Awaiting check', count: '{n} tasks',
    },
    task: {
      back: 'Back', stage: 'Stage', description: 'Description', reports: 'Reports ({n})', media: 'Photos', history: 'History',
      place: 'Place', distance: '{d} from you', noPosition: 'No position yet', due: 'Deadline', none: 'None', loading: 'Loading…',
      notFound: 'Task not found (it may have been reassigned)', cached: 'Offline copy; updates when back online', noActions: 'Nothing to do now', extensionPending: 'Extension request pending',
      queued: 'Queued for sync', sent: 'Submitted', category: 'Category', noDescription: '(no description)',
    },
    form: {
      note: 'Note', notePlaceholder: 'What was done…', reason: 'Reason', reasonPlaceholder: 'Give the reason…', proposeDue: 'Extend to (optional)',
      photos: 'Photos', takePhoto: 'Take photo', choosePhoto: 'From gallery', photoShrinking: 'Preparing…', removePhoto: 'Remove photo', submit: 'Submit', cancel: 'Cancel', noteRequired: 'Please write a note',
    },
    report: {
      title: 'Report from the street', category: 'Category', common: 'Common', search: 'Search categories', noMatch: 'No matching category', place: 'Place',
      locating: 'Locating…', located: 'From your phone (±{m} m); drag the marker on the map to adjust', moved: 'Place adjusted by hand', noLocation: 'No position: drag the marker to the place',
      note: 'Description', notePlaceholder: 'What is there…', submit: 'Send report', pickCategory: 'Pick a category', done: 'Reported; see the outcome under My reports',
    },
    reports: {
      empty: 'No reports yet', status: 'Status', merged: 'Merged with {n} reports', pending: 'To sync', failed: 'Not submitted', incident: 'Incident {id}',
      mergedInto: 'Merged into {id}',
    },
    conflict: {
      title: 'Not applied', moved: '"{action}" was not applied: the task changed meanwhile ({message}); see its current state',
      rejected: '"{what}" was refused: {message}', orphan: 'Photo not submitted: its report failed',
    },
    geo: { denied: 'Location permission denied' },
    lang: 'Language / 切换语言',
    visits: {
      title: 'Caring visits', empty: 'No one in your grid is due a visit', overdue: '{n} days overdue', due: 'Visit by {date}',
      last: 'Last visit {date}', never: 'Never visited', queued: 'Visited (waiting to sync)', visited: 'Visited',
      well: 'Doing well', needsHelp: 'Needs help', note: 'Note (optional)', cancel: 'Cancel', failed: 'Could not load the visit list', offline: 'Offline: the list as of {time}',
      sent: 'Visit logged', tier: { weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly' },
    },
  },
};
export default en;
