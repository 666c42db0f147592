/** Text, sequence and dataset utilities given bad input (cases in preprocessing.cases.ts). */
import { checkArea } from './check.js';
import { PREPROCESSING_AREA } from './preprocessing.cases.js';

checkArea(PREPROCESSING_AREA);
