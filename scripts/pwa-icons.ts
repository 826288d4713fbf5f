import sharp from 'sharp';
import type { Plugin } from 'vite';

/**
 * The grid-worker app's icons, drawn at build time from one SVG (no binary icon in the repository): a 2×2 grid
 * of blocks (the grids a worker walks) with a location pin. `maskable` keeps the drawing inside the 80 % safe zone.
 */
function iconSvg(size: number, maskable: boolean): string {
  const pad = maskable ? size * 0.2 : size * 0.1;
  const inner = size - 2 * pad;
  const cell = inner * 0.42;
  const gap = inner * 0.06;
  const x0 = pad + (inner - 2 * cell - gap) / 2;
  const y0 = pad + (inner - 2 * cell - gap) / 2;
  const r = cell * 0.18;
  const block = (x: number, y: number, fill: string) => `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" rx="${r}" fill="${fill}"/>`;
  const cx = x0 + cell + gap / 2;
  const cy = y0 + cell + gap / 2;
  const pr = cell * 0.42;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" ${maskable ? '' : `rx="${size * 0.2}"`} fill="#081424"/>
  ${block(x0, y0, '#1f7ae0')}${block(x0 + cell + gap, y0, '#1b3f66')}
  ${block(x0, y0 + cell + gap, '#1b3f66')}${block(x0 + cell + gap, y0 + cell + gap, '#39c5bb')}
  <path d="M ${cx} ${cy + pr * 1.9} C ${cx - pr * 0.2} ${cy + pr * 1.2}, ${cx - pr} ${cy + pr * 0.6}, ${cx - pr} ${cy - pr * 0.1}
    A ${pr} ${pr} 0 1 1 ${cx + pr} ${cy - pr * 0.1} C ${cx + pr} ${cy + pr * 0.6}, ${cx + pr * 0.2} ${cy + pr * 1.2}, ${cx} ${cy + pr * 1.9} Z"
    fill="#ff5a5f" stroke="#ffffff" stroke-width="${size * 0.02}"/>
  <circle cx="${cx}" cy="${cy - pr * 0.1}" r="${pr * 0.38}" fill="#ffffff"/>
</svg>`;
}

export const PWA_ICONS = [
  { src: '/icons/worker-192.png', sizes: '192x192', type: 'image/png' },
  { src: '/icons/worker-512.png', sizes: '512x512', type: 'image/png' },
  { src: '/icons/worker-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
];

/** Emits the icons into the build (dist/client/icons/), where the manifest and the precache find them. */
export function pwaIcons(): Plugin {
  return {
    name: 'gridops-pwa-icons',
    apply: 'build',
    async generateBundle() {
      const make = [
        { file: 'icons/worker-192.png', size: 192, maskable: false },
        { file: 'icons/worker-512.png', size: 512, maskable: false },
        { file: 'icons/worker-maskable-512.png', size: 512, maskable: true },
        { file: 'icons/apple-touch-icon.png', size: 180, maskable: true },
      ];
      for (const m of make) {
        const source = await sharp(Buffer.from(iconSvg(m.size, m.maskable))).png({ compressionLevel: 9 }).toBuffer();
        this.emitFile({ type: 'asset', fileName: m.file, source });
      }
    },
  };
}
