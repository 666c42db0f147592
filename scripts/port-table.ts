/**
 * Writes docs/porting.md §14's per-notebook table from `keras-like port`'s translation of the
 * course notebooks in test/fixtures/notebooks (test/port_table.ts).
 * Run from the repository root: npx -y pnpm@12.4.2 exec tsx scripts/port-table.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { courseTable, PORTING_DOC, withTable } from '../test/port_table.js';

writeFileSync(PORTING_DOC, withTable(readFileSync(PORTING_DOC, 'utf8'), courseTable()));
console.log(`wrote the course table in ${PORTING_DOC}`);
