import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'wall', component: () => import('./views/WallView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
    { path: '/console', name: 'console', component: () => import('./views/ConsoleView.vue'), meta: { staff: true } },
    { path: '/console/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { staff: true, admin: true } },
    { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { staff: true } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
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
  if (to.meta.staff && (!session.token || session.isWall)) return { name: 'login', query: { next: to.fullPath } };
  // A reset password must be replaced before anything else (the server refuses the rest).
  if (session.user?.mustChangePassword && to.name !== 'password') return { name: 'password' };
  if (to.meta.admin && session.user?.role !== 'admin') return { name: 'console' };
  return true;
});
