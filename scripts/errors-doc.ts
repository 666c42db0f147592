/**
 * Writes docs/errors.md from the error cases of packages/keras-like/test/errors.
 * Run from the repository root: npx -y pnpm@12.4.2 exec tsx scripts/errors-doc.ts
 */
import { writeFileSync } from 'node:fs';
import { ERRORS_DOC_PATH, renderErrorsDoc } from '../packages/keras-like/test/errors/errors_doc.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL(ERRORS_DOC_PATH, root), renderErrorsDoc());
console.log(`wrote ${ERRORS_DOC_PATH}`);
