/** fflate (zip and gzip: `.keras` archives, `.npz` and `.gz` datasets), loaded by the first call that needs it. */
import type * as Fflate from 'fflate';
import { lazyRequire } from './lazy_require.js';

export const fflate = lazyRequire<typeof Fflate>('fflate');
