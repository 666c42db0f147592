/**
 * The packages that draw pictures (vega, vega-lite, resvg, a font, gifenc) are optional peer
 * dependencies: `npm install keras-like` stays lean (no renderer, ~100 MB less), and the first
 * plot loads them here, with `import()`, which every loader (ES module, CommonJS, Deno) can
 * do lazily. When one is missing, the error names what to install.
 */
import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';
import type * as GifencModule from 'gifenc';
import type * as VegaModule from 'vega';
import type * as VegaLiteModule from 'vega-lite';

/** Each optional package with the version range keras-like was tested with (package.json `peerDependencies`). */
export const PLOT_PACKAGES = {
  vega: 'vega@6',
  'vega-lite': 'vega-lite@6.4',
  '@resvg/resvg-js': '@resvg/resvg-js@2',
  'dejavu-fonts-ttf': 'dejavu-fonts-ttf@2',
  gifenc: 'gifenc@1',
} as const;

export type PlotPackage = keyof typeof PLOT_PACKAGES;

export class MissingPlotPackageError extends Error {
  override name = 'MissingPlotPackageError';
}

/** The install line for the plotting packages: the missing one is enough, all of them is simplest. */
export function missingPlotPackage(name: PlotPackage, cause?: unknown): MissingPlotPackageError {
  const all = Object.values(PLOT_PACKAGES).join(' ');
  return new MissingPlotPackageError(
    `keras-like: plotting needs the optional package '${name}', which is not installed. ` +
      `Add the plotting packages to your project: npm install ${all}`,
    { cause },
  );
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(error));
}

async function load<T>(name: PlotPackage): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw isNotFound(error) ? missingPlotPackage(name, error) : error;
  }
}

export interface Renderers {
  readonly vega: typeof VegaModule;
  readonly compileVegaLite: typeof VegaLiteModule.compile;
  readonly Resvg: typeof ResvgModule.Resvg;
  readonly gifenc: Pick<typeof GifencModule, 'GIFEncoder' | 'applyPalette'>;
  /** The font files every picture is drawn with. */
  readonly fontFiles: readonly string[];
}

let loaded: Promise<Renderers> | undefined;

/** The plotting packages, loaded once. */
export function renderers(): Promise<Renderers> {
  loaded ??= loadRenderers();
  // A failed load is not kept: the user may install the package and plot again.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

async function loadRenderers(): Promise<Renderers> {
  const [vega, vegaLite, resvg, gifencModule] = await Promise.all([
    load<typeof VegaModule>('vega'),
    load<typeof VegaLiteModule>('vega-lite'),
    load<typeof ResvgModule>('@resvg/resvg-js'),
    load<typeof GifencModule>('gifenc'),
  ]);
  // A CommonJS package seen through import(): its exports may sit under `default`.
  const Resvg = resvg.Resvg ?? (resvg as unknown as { default: typeof ResvgModule }).default.Resvg;
  const gifenc = typeof gifencModule.GIFEncoder === 'function' ? gifencModule : gifencModule.default!;
  let fontFiles: string[];
  try {
    const resolve = createRequire(import.meta.url).resolve;
    fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => resolve(`dejavu-fonts-ttf/ttf/${file}`));
  } catch (error) {
    throw isNotFound(error) ? missingPlotPackage('dejavu-fonts-ttf', error) : error;
  }
  return { vega, compileVegaLite: vegaLite.compile, Resvg, gifenc, fontFiles };
}
