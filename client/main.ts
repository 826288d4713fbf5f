import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { config as zodConfig } from 'zod/v4/core';
import App from './App.vue';
import { configureHttp } from './api/http';
import { i18n } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles/theme.css';

// zod probes for eval with `new Function('')` on the first parse; the CSP forbids eval, so tell it not to try.
zodConfig({ jitless: true });

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
document.documentElement.lang = i18n.global.locale.value;
app.mount('#app');
