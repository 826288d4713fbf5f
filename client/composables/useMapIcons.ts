import type { Map as MapLibreMap } from 'maplibre-gl';
import { POI_KINDS, type PoiKind } from '#geo/style/contract.ts';
import { POI_COLORS, SEVERITY_COLORS, type SeverityKey } from '#geo/style/palette.ts';

/**
 * Map icons drawn on a canvas at runtime and registered with `map.addImage`: no sprite file, nothing fetched.
 * Drawn at 2× for crisp edges on walls and 4K screens.
 */
const PR = 2;
type Ctx = CanvasRenderingContext2D;

function draw(size: number, paint: (c: Ctx, s: number) => void): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * PR;
  const c = canvas.getContext('2d')!;
  c.scale(PR, PR);
  paint(c, size);
  return c.getImageData(0, 0, size * PR, size * PR);
}

const GLYPHS: Record<PoiKind, (c: Ctx) => void> = {
  community_service_centre: (c) => {
    c.beginPath();
    c.moveTo(11, 5.5); c.lineTo(17, 10.5); c.lineTo(15.5, 10.5); c.lineTo(15.5, 16); c.lineTo(6.5, 16); c.lineTo(6.5, 10.5); c.lineTo(5, 10.5);
    c.closePath();
    c.fill();
  },
  elderly_daycare: (c) => {
    c.beginPath();
    c.moveTo(11, 16.5);
    c.bezierCurveTo(4, 12, 5, 6, 8.5, 6.5);
    c.bezierCurveTo(10, 6.7, 10.7, 7.8, 11, 8.6);
    c.bezierCurveTo(11.3, 7.8, 12, 6.7, 13.5, 6.5);
    c.bezierCurveTo(17, 6, 18, 12, 11, 16.5);
    c.fill();
  },
  clinic: (c) => {
    c.fillRect(9.4, 5.5, 3.2, 11);
    c.fillRect(5.5, 9.4, 11, 3.2);
  },
  school: (c) => {
    c.beginPath();
    c.moveTo(11, 6); c.lineTo(18, 9.5); c.lineTo(11, 13); c.lineTo(4, 9.5);
    c.closePath();
    c.fill();
    c.fillRect(7.5, 11, 7, 4);
  },
  fire_hydrant: (c) => {
    c.beginPath();
    c.moveTo(11, 5);
    c.bezierCurveTo(14, 9, 16, 11, 16, 13);
    c.arc(11, 13, 5, 0, Math.PI);
    c.bezierCurveTo(6, 11, 8, 9, 11, 5);
    c.fill();
  },
  aed: (c) => {
    c.beginPath();
    c.moveTo(12.5, 4.5); c.lineTo(6.5, 12); c.lineTo(10.5, 12); c.lineTo(9.5, 17.5); c.lineTo(15.5, 10); c.lineTo(11.5, 10);
    c.closePath();
    c.fill();
  },
  camera: (c) => {
    c.fillRect(5, 8, 9, 7);
    c.beginPath();
    c.moveTo(14, 10.5); c.lineTo(17.5, 8.5); c.lineTo(17.5, 14.5); c.lineTo(14, 12.5);
    c.closePath();
    c.fill();
  },
};

/** A round badge in the kind's colour with a dark glyph. */
export function poiIcon(kind: PoiKind): ImageData {
  return draw(22, (c, s) => {
    c.beginPath();
    c.arc(s / 2, s / 2, s / 2 - 1.2, 0, Math.PI * 2);
    c.fillStyle = POI_COLORS[kind];
    c.fill();
    c.lineWidth = 1.5;
    c.strokeStyle = 'rgba(5,12,24,0.9)';
    c.stroke();
    c.fillStyle = '#06101f';
    GLYPHS[kind](c);
  });
}

/** Incident points: new = severity dot in a white ring; being handled = solid dot; under review = diamond. */
export function incidentIcon(severity: SeverityKey, group: 'new' | 'working' | 'review' | 'done'): ImageData {
  const color = group === 'done' ? '#6b7a8c' : SEVERITY_COLORS[severity];
  return draw(24, (c, s) => {
    const m = s / 2;
    c.lineJoin = 'round';
    if (group === 'review') {
      c.beginPath();
      c.moveTo(m, 2.5); c.lineTo(s - 2.5, m); c.lineTo(m, s - 2.5); c.lineTo(2.5, m);
      c.closePath();
      c.fillStyle = color;
      c.fill();
      c.lineWidth = 2;
      c.strokeStyle = '#ffffff';
      c.stroke();
      return;
    }
    if (group === 'new') {
      c.beginPath();
      c.arc(m, m, m - 1.5, 0, Math.PI * 2);
      c.lineWidth = 2.5;
      c.strokeStyle = '#ffffff';
      c.stroke();
    }
    c.beginPath();
    c.arc(m, m, group === 'new' ? m - 5 : m - 3, 0, Math.PI * 2);
    c.fillStyle = color;
    c.fill();
    c.lineWidth = 1.5;
    c.strokeStyle = 'rgba(5,12,24,0.95)';
    c.stroke();
    if (group === 'working') {
      c.beginPath();
      c.arc(m, m, 2.4, 0, Math.PI * 2);
      c.fillStyle = '#ffffff';
      c.fill();
    }
  });
}

/** Register every icon the style refers to (`poi-<kind>`, `inc-<severity>-<group>`). */
export function addMapIcons(map: MapLibreMap): void {
  const add = (id: string, img: ImageData) => {
    if (!map.hasImage(id)) map.addImage(id, img, { pixelRatio: PR });
  };
  for (const kind of POI_KINDS) add(`poi-${kind}`, poiIcon(kind));
  for (const sev of Object.keys(SEVERITY_COLORS) as SeverityKey[]) {
    for (const group of ['new', 'working', 'review', 'done'] as const) add(`inc-${sev}-${group}`, incidentIcon(sev, group));
  }
}
