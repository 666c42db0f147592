/**
 * The optimizer race as an animated GIF: the contour plot of contour.ts drawn
 * again with each path cut at step k, for evenly spaced k, then encoded with
 * gifenc. One palette for all frames keeps the colours steady from frame to frame.
 */
import { contourSpec, headRows, lastStep, pathRows, type ContourPlot } from './contour.js';
import { renderers, type Renderers } from './packages.js';
import { loadRenderers, svgToPixels, vegaView, type Pixels } from './render.js';

export interface AnimationOptions {
  /** How many frames (the last shows the whole paths). Defaults to 40. */
  readonly frames?: number;
  /** Milliseconds per frame. Defaults to 100. */
  readonly delay?: number;
  /** Milliseconds the last frame stays before the loop restarts. Defaults to 2000. */
  readonly hold?: number;
}

/** The animation of `plot`'s paths growing step by step, as GIF file bytes. */
export async function renderContourGif(plot: ContourPlot, options: AnimationOptions = {}): Promise<Uint8Array> {
  const frames = options.frames ?? 40;
  const delay = options.delay ?? 100;
  const hold = options.hold ?? 2000;
  const steps = lastStep(plot);
  // Frame f shows steps 0..stepAt(f); the last frame shows every step.
  const stepAt = (f: number) => Math.round((steps * f) / Math.max(frames - 1, 1));

  await loadRenderers();
  const { gifenc } = await renderers();
  const view = await vegaView(contourSpec(plot));
  const frameAt = async (step: number): Promise<Pixels> => {
    const rows = pathRows(plot, step);
    view.signal('step', step);
    view.data('paths', rows);
    view.data('heads', headRows(rows));
    await view.runAsync();
    return svgToPixels(await view.toSVG());
  };
  try {
    // The last frame holds every colour, so its palette serves them all.
    const last = await frameAt(steps);
    const gif = gifWriter(gifenc, last);
    for (let f = 0; f < frames - 1; f++) gif.add(await frameAt(stepAt(f)), delay);
    gif.add(last, hold);
    return gif.finish();
  } finally {
    view.finalize();
  }
}

/**
 * A looping GIF with one palette, the commonest colours of `model`. After the first frame, a
 * pixel that keeps its colour is written as "transparent" over the kept previous
 * frame: the contours never change, so a frame stores little more than the paths' new ends.
 */
function gifWriter(gifenc: Renderers['gifenc'], model: Pixels) {
  const { width, height } = model;
  // 255 colours; the 256th slot means "unchanged".
  const palette = commonestColours(model, 255);
  const unchanged = palette.length;
  palette.push([255, 0, 255]);
  const gif = gifenc.GIFEncoder();
  let previous: Uint8Array | undefined;
  return {
    add(picture: Pixels, delay: number): void {
      if (picture.width !== width || picture.height !== height) {
        throw new Error(`renderContourGif: a frame is ${picture.width}x${picture.height}, the others ${width}x${height}`);
      }
      const index = gifenc.applyPalette(picture.rgba, palette);
      const written = previous === undefined ? index : index.map((colour, i) => (colour === previous![i] ? unchanged : colour));
      gif.writeFrame(written, width, height, {
        ...(previous === undefined ? { palette, repeat: 0 } : { transparent: true, transparentIndex: unchanged }),
        dispose: 1,
        delay,
      });
      previous = index;
    },
    finish(): Uint8Array {
      gif.finish();
      return gif.bytes();
    },
  };
}

/**
 * The `count` most frequent exact colours of a picture. A chart is mostly flat
 * fills (contour bands, lines, text), so these are its real colours; gifenc's
 * quantizer would round them to 5-6 bits per channel and tint the greys.
 * Antialiased edges map to their nearest entry.
 */
function commonestColours(picture: Pixels, count: number): number[][] {
  const counts = new Map<number, number>();
  const { rgba } = picture;
  for (let i = 0; i < rgba.length; i += 4) {
    const colour = (rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!;
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([colour]) => [colour >> 16, (colour >> 8) & 0xff, colour & 0xff]);
}
