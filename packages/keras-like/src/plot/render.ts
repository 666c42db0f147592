/**
 * Turns a chart description into pictures: Vega-Lite or Vega spec → SVG (vega),
 * SVG → PNG pixels (resvg). The renderers are optional packages (packages.ts): every
 * entry point that draws calls `loadRenderers()` first, so a user who never plots never
 * loads them, and one without them gets the install line at the first plot.
 */
import type * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { renderers, type Renderers } from './packages.js';

/** The one font every picture uses, shipped by an npm package so text renders the same on every machine. */
export const FONT_FAMILY = 'DejaVu Sans';

let loaded: Renderers | undefined;

/** Loads the plotting packages (once); the other functions of this module need it done. */
export async function loadRenderers(): Promise<void> {
  if (loaded !== undefined) return;
  const packages = await renderers();
  measureTextWithResvg(packages.vega);
  loaded = packages;
}

function use(): Renderers {
  if (loaded === undefined) throw new Error('keras-like: loadRenderers() must run before drawing (internal error)');
  return loaded;
}

/** What vega passes to a text measurer: a text mark item. */
interface TextItem {
  readonly text?: unknown;
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
}

/**
 * Vega lays out legends, titles and axes from text widths; in Node, without a canvas, it
 * guesses 0.8 em per character, which leaves wide gaps or cuts labels. Measuring with
 * resvg and the font the picture is drawn in gives the real width.
 */
function measureTextWithResvg(vegaModule: typeof vega): void {
  (vegaModule as unknown as { textMetrics: { width: (item: TextItem, text?: string) => number } }).textMetrics.width = (item, text) =>
    measureText(String(text ?? item.text ?? '').trim(), item.fontSize ?? 11, item.fontWeight ?? 'normal');
}

const measured = new Map<string, number>();

function measureText(text: string, fontSize: number, fontWeight: string | number): number {
  if (text === '' || fontSize <= 0) return 0;
  const key = `${fontSize} ${fontWeight} ${text}`;
  let width = measured.get(key);
  if (width === undefined) {
    // Bars on both sides keep the side bearings (and spaces) of the text in its box.
    width = inkWidth(`|${text}|`, fontSize, fontWeight) - inkWidth('||', fontSize, fontWeight);
    measured.set(key, width);
  }
  return width;
}

function inkWidth(text: string, fontSize: number, fontWeight: string | number): number {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fontSize * text.length + 10}" height="${fontSize * 2}">` +
    `<text x="0" y="${fontSize * 1.5}" font-size="${fontSize}" font-weight="${fontWeight}">${escaped}</text></svg>`;
  return new (use().Resvg)(svg, resvgOptions()).getBBox()?.width ?? 0;
}

/** Renders a Vega spec to SVG text, with `data` replacing the named datasets first. */
export async function vegaToSvg(spec: vega.Spec, data: Record<string, object[]> = {}): Promise<string> {
  const view = await vegaView(spec, data);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A headless Vega view, for callers that render several frames of one chart (animations). */
export async function vegaView(spec: vega.Spec, data: Record<string, object[]> = {}): Promise<vega.View> {
  const { vega: vegaModule } = use();
  const view = new vegaModule.View(vegaModule.parse(spec), { renderer: 'none' });
  for (const [name, values] of Object.entries(data)) view.data(name, values);
  await view.runAsync();
  return view;
}

/** Compiles a Vega-Lite spec to Vega, then renders it to SVG text. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  return vegaToSvg(use().compileVegaLite(spec).spec);
}

/** An image as RGBA bytes, row by row from the top left. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** SVG → PNG file bytes, on a white background. */
export function svgToPng(svg: string): Uint8Array {
  return rasterize(svg).asPng();
}

/** SVG → RGBA pixels, on a white background (for the GIF encoder). */
export function svgToPixels(svg: string): Pixels {
  const image = rasterize(svg);
  return { width: image.width, height: image.height, rgba: new Uint8Array(image.pixels) };
}

function rasterize(svg: string) {
  return new (use().Resvg)(svg, resvgOptions()).render();
}

function resvgOptions() {
  return {
    background: 'white',
    font: {
      fontFiles: [...use().fontFiles],
      // System fonts differ between machines; the shipped one keeps pictures reproducible.
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  };
}
