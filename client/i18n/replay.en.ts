import type zh from './replay.zh-CN';

const en: typeof zh = {
  replay: {
    open: 'Replay',
    badge: 'Replay',
    day: 'Replay day',
    time: 'Replay time',
    live: 'Back to live',
    loading: 'Loading…',
    truncated: 'Too many changes that day: only the first part is replayed',
  },
};

export default en;
