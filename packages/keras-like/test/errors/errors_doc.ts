/**
 * docs/errors.md, rendered from the error cases: each row is a call and the
 * message it really throws (the case is run here, not copied).
 */
import { CONVOLUTION_AREA } from './convolution.cases.js';
import { DATA_AREA } from './data.cases.js';
import { thrownBy, type ErrorArea } from './error_case.js';
import { METRICS_AREA } from './metrics.cases.js';
import { MODEL_MISUSE_AREA } from './model_misuse.cases.js';
import { OPTIONS_AREA } from './options.cases.js';
import { PREPROCESSING_AREA } from './preprocessing.cases.js';
import { RECURRENT_AREA } from './recurrent.cases.js';
import { PRINTED_DURING_TRAINING, TRAINING_AREA } from './training_faults.cases.js';

export const ERROR_AREAS: readonly ErrorArea[] = [DATA_AREA, MODEL_MISUSE_AREA, TRAINING_AREA, METRICS_AREA, CONVOLUTION_AREA, RECURRENT_AREA, PREPROCESSING_AREA, OPTIONS_AREA];

/** Where the page lives, from the repository root. */
export const ERRORS_DOC_PATH = 'docs/errors.md';

// Table cells: a pipe would end the cell, and `<function f>` would be read as HTML.
function cell(text: string): string {
  // A message of several lines (Keras's structure mismatches) stays in its table cell.
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n+$/, '').replace(/\n/g, '<br>');
}

function codeCell(code: string): string {
  return `\`${code.replace(/\|/g, '\\|')}\``;
}

function renderArea(area: ErrorArea): string {
  const rows = area.cases.map((errorCase) => {
    const thrown = thrownBy(errorCase);
    return `| ${cell(errorCase.description)} | ${codeCell(errorCase.code)} | ${cell(`${thrown.name}: ${thrown.message}`)} |`;
  });
  return [`## ${area.title}`, '', area.intro, '', '| Bad input | Call | Error |', '|---|---|---|', ...rows].join('\n');
}

/** What a diverging fit prints instead of throwing. */
function renderPrinted(): string {
  const rows = PRINTED_DURING_TRAINING.map((printed) => `| ${cell(printed.description)} | ${codeCell(printed.code)} | ${printed.stream}: ${cell(printed.text)} |`);
  return ['Printed, not thrown:', '', '| Situation | Call | Output |', '|---|---|---|', ...rows].join('\n');
}

export function renderErrorsDoc(): string {
  const header = [
    '# Errors: bad input and the message it gets',
    '',
    'Every wrong argument fails at the call that received it, with a message that names the',
    'class, the argument and the value received, in Keras\'s words where Keras has them',
    '(PORTING_SPEC §6). This page lists each bad input the test suite tries and the message',
    'it really gets.',
    '',
    'Generated: `npx -y pnpm@12.4.2 exec tsx scripts/errors-doc.ts` runs the cases in',
    '`packages/keras-like/test/errors/*.cases.ts` and writes this page;',
    '`packages/keras-like/test/errors/errors_doc.test.ts` fails when it is out of date. Do not edit it by hand.',
    '',
    ERROR_AREAS.map((area) => `- [${area.title}](#${area.title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')})`).join('\n'),
  ].join('\n');
  const sections = ERROR_AREAS.map((area) => (area === TRAINING_AREA ? `${renderArea(area)}\n\n${renderPrinted()}` : renderArea(area)));
  return `${[header, ...sections].join('\n\n')}\n`;
}
