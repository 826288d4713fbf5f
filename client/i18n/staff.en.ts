import careConsole from './care-console.en';
import consoleTexts from './console.en';
import desk from './desk.en';
import leader from './leader.en';
import mobile from './mobile.en';
import ops from './ops.en';
import parked from './parked.en';
import wallLinks from './wall-links.en';
import type zh from './staff.zh-CN';

/** The English of staff.zh-CN.ts. */
const en: typeof zh = {
  ...consoleTexts,
  ...desk,
  ...careConsole,
  ...leader,
  ...parked,
  ...mobile,
  ...ops,
  ...wallLinks,
};

export default en;
