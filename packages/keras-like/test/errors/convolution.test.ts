/** Bad input to convolution and pooling layers (cases in convolution.cases.ts). */
import { checkArea } from './check.js';
import { CONVOLUTION_AREA } from './convolution.cases.js';

checkArea(CONVOLUTION_AREA);
