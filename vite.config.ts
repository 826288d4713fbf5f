import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';
import { i18nPrecompile } from './scripts/i18n-precompile.ts';
import { PWA_ICONS, pwaIcons } from './scripts/pwa-icons.ts';

const serverPort = Number(process.env.PORT ?? 8080);
const serverTarget = `http://127.0.0.1:${serverPort}`;

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  publicDir: false,
  // vue-i18n without its message compiler: the messages arrive compiled (scripts/i18n-precompile.ts). The runtime
  // build is that build; the flags drop the compiler and the legacy (Vue 2 style) API, which GridOps never uses.
  resolve: { alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.mjs' } },
  define: {
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
  },
  plugins: [
    // Every component is <script setup>: Vue's Options API (data/methods/mixins) is dropped from the runtime.
    vue({ features: { optionsAPI: false } }),
    i18nPrecompile(),
    // ECharts registers its built-in dark theme on import; no chart here uses it (the wall's colours are its own).
    {
      name: 'gridops-echarts-no-dark-theme',
      load: { filter: { id: /node_modules[\\/]echarts[\\/]lib[\\/]theme[\\/]dark\.js$/ }, handler: () => 'export default {};' },
    },
    pwaIcons(),
    // The grid-worker app (/m) is installable and opens with no network: the service worker precaches the app shell
    // (not the desk's ECharts chunk, which a phone never loads). Registered by the mobile shell only, scoped to /m.
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      filename: 'sw.js',
      scope: '/m',
      manifestFilename: 'manifest.webmanifest',
      includeManifestIcons: false,
      manifest: {
        id: '/m',
        name: 'GridOps 网格员',
        short_name: '网格员',
        description: '网格员任务、巡查上报（离线可用）',
        lang: 'zh-CN',
        start_url: '/m',
        scope: '/m',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#081424',
        theme_color: '#0c1d33',
        icons: PWA_ICONS,
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,webmanifest}', 'icons/*.png'],
        globIgnores: ['**/echarts-*.js'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/m(\/|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          // The map of a task opened once stays readable in a stairwell: our tiles and map config, newest when online.
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && (url.pathname.startsWith('/api/geo/tiles/') || url.pathname === '/api/geo/map-config'),
            handler: 'NetworkFirst',
            options: { cacheName: 'gridops-geo', networkTimeoutSeconds: 4, expiration: { maxEntries: 800, maxAgeSeconds: 30 * 86_400 } },
          },
        ],
      },
    }),
  ],
  build: {
    // Module preload is native in every browser a wall or a phone runs (Chromium, Safari 17+, Firefox 115+).
    modulePreload: { polyfill: false },
    // Terser with two passes writes the wall's JS 3.7 KB (gzip) smaller than the default minifier: what keeps it
    // under the 700 KB budget (test/bench/bundle.bench.ts).
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Separate long-lived vendor chunks so a release that only touches our code keeps them cached.
        codeSplitting: {
          // Only the modules a group names go into it (not everything they import), so leader-only chart types
          // can sit apart from the core of ECharts.
          includeDependenciesRecursively: false,
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/, priority: 30 },
            // Chart types and components only the leader view uses: their own chunk, so the wall does not load them.
            // (The wall draws its legends in HTML: ECharts' legend component is the leader's alone.)
            // Also the helpers only those bring (visual mapping, pie label guides, list and slider helpers, data
            // filters): the modules missing from a build of the wall's own ECharts imports alone. A wrong one here
            // makes the core chunk import this one, and the bundle bench shows echarts-leader loaded by the wall.
            {
              name: 'echarts-leader',
              test: /node_modules[\\/]echarts[\\/]lib[\\/](chart[\\/](heatmap|pie)[\\/]|component[\\/](calendar|visualMap|legend)[\\/]|coord[\\/]calendar[\\/]|visual[\\/](VisualMapping|visualSolution|visualDefault|LegendVisualProvider)\.js|label[\\/]labelGuideHelper\.js|component[\\/]helper[\\/](sliderMove|listComponent)\.js|processor[\\/](dataFilter|negativeDataFilter)\.js|chart[\\/]helper[\\/]createSeriesDataSimply\.js)/,
              priority: 25,
            },
            // The tooltip and axis pointer, fetched on the first pointer over a chart (composables/useChart.ts); the few
            // modules of theirs that every series or axis uses stay in the core.
            { name: 'echarts-tooltip', test: /node_modules[\\/]echarts[\\/]lib[\\/]component[\\/](tooltip[\\/](?!seriesFormatTooltip|tooltipMarkup)|axisPointer[\\/](?!modelHelper))/, priority: 24 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/, priority: 20 },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': serverTarget,
      '/healthz': serverTarget,
      '/socket.io': { target: serverTarget, ws: true },
    },
  },
});
