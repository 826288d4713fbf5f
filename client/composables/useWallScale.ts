import { readonly, ref } from 'vue';
import { layoutScale, textScale } from '../wall/scale';

/** One window listener for the whole app: the scales of the current viewport (client/wall/scale.ts). */
const layout = ref(1);
const text = ref(1);
let bound = false;

function measure(): void {
  layout.value = layoutScale(window.innerWidth, window.innerHeight);
  text.value = textScale(window.innerWidth, window.innerHeight);
  // For CSS that needs the factor itself (borders, shadows); sizes in rem already follow the root font.
  document.documentElement.style.setProperty('--wall-scale', String(layout.value));
}

/** `text`: the factor for canvas-drawn text (ECharts, MapLibre), ≥ 1; `layout`: the CSS layout factor. */
export function useWallScale() {
  if (!bound && typeof window !== 'undefined') {
    bound = true;
    measure();
    window.addEventListener('resize', measure);
  }
  return { text: readonly(text), layout: readonly(layout) };
}
