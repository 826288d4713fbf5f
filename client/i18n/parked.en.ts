import type zh from './parked.zh-CN';

const en: typeof zh = {
  parked: {
    badge: 'To place',
    title: 'Reports to place',
    hint: 'Reports whose address could not be located: pick one, click where it happened on the map, then confirm.',
    empty: 'No reports waiting to be placed',
    pick: 'Place',
    picking: 'Click where it happened on the map',
    confirm: 'Confirm place',
    cancel: 'Cancel',
    close: 'Close',
    placed: 'Placed: {id}',
    received: 'received {at}',
    readOnly: 'Only dispatchers and admins can place reports',
    how: { exact: 'gazetteer, exact match', fuzzy: 'gazetteer, fuzzy match', map: 'placed on the map by a dispatcher' },
    score: 'score {score}',
  },
};
export default en;
