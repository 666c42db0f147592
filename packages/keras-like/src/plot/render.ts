/**
 * Turns a chart description into pictures: Vega-Lite or Vega spec → SVG (vega),
 * SVG → PNG pixels (resvg). Everything here is loaded lazily, through `import()`
 * in plot_history, so a user who never plots never loads a renderer.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The one font every picture uses, shipped by an npm package so text renders the same on every machine. */
export const FONT_FAMILY = 'DejaVu Sans';

const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

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
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  for (const [name, values] of Object.entries(data)) view.data(name, values);
  await view.runAsync();
  return view;
}

/** Compiles a Vega-Lite spec to Vega, then renders it to SVG text. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  return vegaToSvg(compile(spec).spec);
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
  const resvg = new Resvg(svg, {
    background: 'white',
    font: {
      fontFiles,
      // System fonts differ between machines; the shipped one keeps pictures reproducible.
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render();
}
