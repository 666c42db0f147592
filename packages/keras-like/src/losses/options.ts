/** Option schemas shared by the crossentropy functions (./functions.ts) and classes (./classes.ts). */
import { z } from 'zod';

export const crossentropySchema = z.object({
  from_logits: z.boolean({ message: 'must be a boolean' }).default(false),
  label_smoothing: z
    .number({ message: 'must be a float in [0, 1]' })
    .min(0, { message: 'must be a float in [0, 1]' })
    .max(1, { message: 'must be a float in [0, 1]' })
    .default(0),
  axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1),
});

export const sparseSchema = z.object({
  from_logits: z.boolean({ message: 'must be a boolean' }).default(false),
  axis: z.literal(-1, { message: 'must be -1 (only the last axis is supported, as in Keras)' }).default(-1),
});

const unitFloat = (message: string) => z.number({ message }).min(0, { message }).max(1, { message });
const lastAxisOnly = z.literal(-1, { message: 'must be -1 (only the last axis is supported)' }).default(-1);

export const binaryFocalSchema = z.object({
  apply_class_balancing: z.boolean({ message: 'must be a boolean' }).default(false),
  alpha: unitFloat('must be a float in [0, 1]').default(0.25),
  gamma: z.number({ message: 'must be a float >= 0' }).min(0, { message: 'must be a float >= 0' }).default(2),
  from_logits: z.boolean({ message: 'must be a boolean' }).default(false),
  label_smoothing: unitFloat('must be a float in [0, 1]').default(0),
  axis: lastAxisOnly,
});

export const categoricalFocalSchema = z.object({
  alpha: unitFloat('must be a float in [0, 1]').default(0.25),
  gamma: z.number({ message: 'must be a float >= 0' }).min(0, { message: 'must be a float >= 0' }).default(2),
  from_logits: z.boolean({ message: 'must be a boolean' }).default(false),
  label_smoothing: unitFloat('must be a float in [0, 1]').default(0),
  axis: lastAxisOnly,
});
