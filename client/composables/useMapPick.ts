import * as maplibregl from 'maplibre-gl';
import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue';

/**
 * While a parked report is being placed: a crosshair cursor and a marker where the dispatcher clicked. The
 * container records the picked point (`data-picked`) so an end-to-end test can check it.
 */
export function useMapPick(map: ShallowRef<maplibregl.Map | null>, el: Ref<HTMLElement | null>, picking: () => boolean, picked: () => { lng: number; lat: number } | null) {
  let marker: maplibregl.Marker | null = null;
  const stop = watch(
    [map, picking, picked],
    ([m, on, p]) => {
      if (!m) return;
      m.getCanvas().style.cursor = on ? 'crosshair' : '';
      if (el.value) {
        el.value.dataset.picking = on ? 'on' : 'off';
        if (p && on) el.value.dataset.picked = `${p.lng},${p.lat}`;
        else delete el.value.dataset.picked;
      }
      if (!on || !p) {
        marker?.remove();
        marker = null;
        return;
      }
      marker ??= new maplibregl.Marker({ color: '#ffb020' });
      marker.setLngLat([p.lng, p.lat]).addTo(m);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    marker?.remove();
  });
}
