import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useMessages } from './i18n';
import { useSessionStore } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'wall', component: () => import('./views/WallView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
    { path: '/console', name: 'console', component: () => import('./views/ConsoleView.vue'), meta: { staff: true } },
    { path: '/leader', name: 'leader', component: () => import('./views/LeaderView.vue'), meta: { staff: true, roles: ['leader', 'admin'] } },
    { path: '/console/parties', name: 'parties', component: () => import('./views/PartiesView.vue'), meta: { staff: true } },
    { path: '/console/community', name: 'community', component: () => import('./views/CommunityView.vue'), meta: { staff: true } },
    // The grid-worker app (issue 9): its own shell, one-handed, installable, working offline.
    { path: '/m/login', name: 'm-login', component: () => import('./views/mobile/MobileLogin.vue') },
    {
      path: '/m',
      component: () => import('./views/mobile/MobileShell.vue'),
      meta: { worker: true },
      children: [
        { path: '', name: 'm-tasks', component: () => import('./views/mobile/MobileTasks.vue') },
        { path: 'tasks/:id', name: 'm-task', component: () => import('./views/mobile/MobileTask.vue') },
        { path: 'report', name: 'm-report', component: () => import('./views/mobile/MobileReport.vue') },
        { path: 'reports', name: 'm-reports', component: () => import('./views/mobile/MobileReports.vue') },
        { path: 'visits', name: 'm-visits', component: () => import('./views/mobile/MobileVisits.vue') },
      ],
    },
    { path: '/console/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { staff: true, admin: true } },
    { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { staff: true } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

// Every screen but the wall has its texts in a second message set: its fetch starts with the navigation, beside
// the screen's own chunk, and the screen renders once both are there. The wall never fetches it.
const needsStaffTexts = (to: RouteLocationNormalized) => to.name !== 'wall';
router.beforeEach((to) => {
  if (needsStaffTexts(to)) useMessages('staff').catch(() => {}); // awaited (and its error raised) below
});
router.beforeResolve(async (to) => {
  if (needsStaffTexts(to)) await useMessages('staff');
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (to.name === 'wall') {
    // A wall link: adopt its token, then drop it from the address bar.
    if (typeof to.query.wall === 'string') {
      await session.adoptWallToken(to.query.wall);
      return { name: 'wall', query: {} };
    }
    if (session.token) return true;
    if (await session.wallAutoLogin()) return true;
    return { name: 'login', query: { next: '/' } };
  }
  if (to.meta.worker && (!session.token || session.user?.role !== 'worker')) return { name: 'm-login', query: { next: to.fullPath } };
  if (to.meta.staff && (!session.token || session.isWall)) return { name: 'login', query: { next: to.fullPath } };
  const roles = to.meta.roles as readonly string[] | undefined;
  if (roles && !roles.includes(session.user?.role ?? '')) return { name: 'console' };
  // A reset password must be replaced before anything else (the server refuses the rest).
  if (session.user?.mustChangePassword && to.name !== 'password') return { name: 'password' };
  if (to.meta.admin && session.user?.role !== 'admin') return { name: 'console' };
  return true;
});
