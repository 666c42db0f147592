/** Bad input to recurrent layers and embeddings (cases in recurrent.cases.ts). */
import { checkArea } from './check.js';
import { RECURRENT_AREA } from './recurrent.cases.js';

checkArea(RECURRENT_AREA);
