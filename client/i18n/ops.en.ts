import type zh from './ops.zh-CN';

const en: typeof zh = {
  ops: {
    title: 'Administration',
    back: 'Back to the desk',
    open: 'Administration',
    tabs: { accounts: 'Accounts', audit: 'Audit log', holidays: 'Holidays' },
    role: { admin: 'Admin', leader: 'Leader', dispatcher: 'Dispatcher', worker: 'Grid worker', wall: 'Wall' },
    accounts: {
      search: 'Search username or name',
      allRoles: 'All roles',
      state: { all: 'Any state', active: 'Active', disabled: 'Disabled' },
      col: { username: 'Username', name: 'Name', role: 'Role', region: 'Region', state: 'State', actions: 'Actions' },
      disable: 'Disable',
      enable: 'Enable',
      edit: 'Edit',
      save: 'Save',
      cancel: 'Cancel',
      reset: 'Reset password',
      resetConfirm: 'Reset the password of {name}? Their current sessions end at once.',
      disableConfirm: 'Disable {name}? Their sessions and live connections end at once.',
      tempPassword: 'Temporary password of {name} (shown once; it must be changed at first login):',
      mustChange: 'Must change password',
      empty: 'No account matches',
      count: '{n} accounts',
      saved: 'Saved',
    },
    password: {
      title: 'Change password',
      forced: 'An administrator reset your password: set a new one first.',
      current: 'Current password',
      next: 'New password',
      repeat: 'New password again',
      mismatch: 'The two new passwords differ',
      submit: 'Change password',
      done: 'Password changed',
      rules: 'At least 10 characters, two of letters, digits or symbols, not containing the username',
      problem: {
        too_short: 'Too short (at least 10 characters)',
        too_long: 'Too long',
        one_class: 'Only one kind of character',
        repeats: 'Too many repeated characters',
        contains_username: 'Contains the username',
        same_as_current: 'Same as the current password',
      },
    },
  },
};

export default en;
