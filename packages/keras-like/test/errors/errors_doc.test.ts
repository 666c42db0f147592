/** docs/errors.md must be what scripts/errors-doc.ts would write now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC_PATH, renderErrorsDoc } from './errors_doc.js';

describe('docs/errors.md', () => {
  it('is up to date with the error cases (regenerate: npx -y pnpm@12.4.2 exec tsx scripts/errors-doc.ts)', () => {
    const root = new URL('../../../../', import.meta.url);
    expect(readFileSync(new URL(ERRORS_DOC_PATH, root), 'utf8')).toBe(renderErrorsDoc());
  });
});
