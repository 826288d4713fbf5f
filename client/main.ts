import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { configureHttp } from './api/http';
import { i18n, savedLocale, setLocale } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';
import { makeZodJitless } from './zod-jitless';
import './styles/theme.css';

// Before any lazy view parses with zod (client/zod-jitless.ts says why).
makeZodJitless();

// A screen switched to English starts in English: its texts are fetched before anything renders. (A promise, not
// a top-level await: the lazy chunks share modules with this one, which an awaiting entry could not lend them.)
const texts = savedLocale() === 'en' ? setLocale('en') : Promise.resolve();

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router);

const session = useSessionStore(pinia);
configureHttp({
  token: () => session.token,
  unauthorized: () => {
    session.clear();
    void router.replace({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
  },
});
void texts.then(() => {
  document.documentElement.lang = i18n.global.locale.value;
  app.mount('#app');
});
