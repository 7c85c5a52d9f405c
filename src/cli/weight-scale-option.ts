import { diag, NeuromeshError } from '../errors.js';
import { decimalNumber } from '../number-intake.js';
import { MAX_WEIGHT_SCALE, weightScaleNote, type WeightScaleDecision } from '../chip/weight-scale.js';

export const WEIGHT_SCALE_HELP =
  'multiply every voltage, bias and weight into a neuron by K on the chip (default: the chip chooses K from the model\'s voltage, threshold and input ranges against its number formats; 1 disables scaling); recorded v is divided back, so traces are in the model\'s units';

/** `--weight-scale K` → K, or 'auto' when absent; a bad K is one line, exit 2. */
export function parseWeightScale(text: string | undefined): number | 'auto' {
  if (text === undefined) return 'auto';
  // above 10^6 every voltage and weight of a model in volts overflows the chip's formats (and 1e308 is Infinity)
  const k = decimalNumber(text);
  if (!Number.isFinite(k) || k <= 0 || k > MAX_WEIGHT_SCALE)
    throw new NeuromeshError([diag('E_BAD_OPTION', `--weight-scale ${text} must be a number above 0 and at most 10^6`, { field: 'weight-scale', hint: 'leave it out to let the chip choose, or e.g. --weight-scale 102.02 (1 disables scaling)' })]);
  return k;
}

/** The note for a compiled program, where only its scale is recorded. */
export function programWeightScale(k: number): string {
  return k === 1 ? 'weight scale 1 (recorded in the program): voltages and weights as in the model' : `weight scale ${k} (recorded in the program): voltages, biases and weights into neurons × ${k} on the chip; recorded v is divided back (model units)`;
}

/** The weight-scale fields of run/compile/check JSON `config` sections. */
export function weightScaleConfig(d: WeightScaleDecision | number): { weightScale: number; weightScaleSource: 'auto' | 'option' | 'program'; weightResolution: number | null; weightScaleNote: string } {
  if (typeof d === 'number') return { weightScale: d, weightScaleSource: 'program', weightResolution: null, weightScaleNote: programWeightScale(d) };
  return { weightScale: d.scale, weightScaleSource: d.source, weightResolution: d.worstResolution, weightScaleNote: weightScaleNote(d) };
}
