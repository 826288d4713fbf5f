import careConsole from './care-console.zh-CN';
import consoleTexts from './console.zh-CN';
import desk from './desk.zh-CN';
import leader from './leader.zh-CN';
import mobile from './mobile.zh-CN';
import ops from './ops.zh-CN';
import parked from './parked.zh-CN';
import wallLinks from './wall-links.zh-CN';

/**
 * The texts of every screen but the wall: sign-in, console, leader, parties, community, admin and the
 * grid-worker app. The wall never fetches them; the router fetches them before the first of those screens.
 */
export default {
  ...consoleTexts,
  ...desk,
  ...careConsole,
  ...leader,
  ...parked,
  ...mobile,
  ...ops,
  ...wallLinks,
};
