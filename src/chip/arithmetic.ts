import { diag, NeuromeshError, type Diagnostic } from '../errors.js';
import { own } from '../own.js';
import { codeRange, type FixedFormat, type IntFormat, type NumberFormat } from './number-format.js';
import type { ChipProfile } from './profile-schema.js';

export { ROUNDING_MODES, type ArithmeticSpec, type RoundingMode } from './arithmetic-spec.js';
import { ROUNDING_MODES, type ArithmeticSpec, type RoundingMode } from './arithmetic-spec.js';

/** The declaration resolved against the profile's formats: plain numbers for hot loops. */
export interface Arithmetic {
  spec: ArithmeticSpec;
  state: FixedFormat;
  weight: IntFormat;
  coefficient: FixedFormat;
  ringBuffer: IntFormat;
  stateMin: number;
  stateMax: number;
  ringMin: number;
  ringMax: number;
  coefMin: number;
  coefMax: number;
  saturateRing: boolean;
  saturateState: boolean;
}

function fmt(profile: ChipProfile, name: unknown, field: string, kind: 'fixed' | 'int', d: Diagnostic[]): NumberFormat | undefined {
  const f = typeof name === 'string' ? own(profile.formats, name) : undefined;
  if (!f || f.kind !== kind) {
    d.push(diag('E_PROFILE', `arithmetic.${field} must name a '${kind}' entry of formats (got ${JSON.stringify(name)})`, { chip: profile.id, field: `arithmetic.${field}` }));
    return undefined;
  }
  return f;
}

/** Validate and resolve a profile's arithmetic declaration (one-line diagnostics naming the field). */
export function resolveArithmetic(profile: ChipProfile): Arithmetic {
  const a = profile.arithmetic;
  const d: Diagnostic[] = [];
  if (!a) throw new NeuromeshError([diag('E_PROFILE', "the profile declares no 'arithmetic' section", { chip: profile.id, field: 'arithmetic', hint: 'a digital chip must declare its rounding and saturation (see chips/spinnaker2/profiles/spinnaker2.json)' })]);
  const state = fmt(profile, a.state, 'state', 'fixed', d) as FixedFormat | undefined;
  const weight = fmt(profile, a.weight, 'weight', 'int', d) as IntFormat | undefined;
  const coefficient = fmt(profile, a.coefficient, 'coefficient', 'fixed', d) as FixedFormat | undefined;
  const ringBuffer = fmt(profile, a.ringBuffer, 'ringBuffer', 'int', d) as IntFormat | undefined;
  const mode = (v: unknown, field: string): void => {
    if (!ROUNDING_MODES.includes(v as RoundingMode))
      d.push(diag('E_PROFILE', `unknown rounding mode ${JSON.stringify(v)}`, { chip: profile.id, field: `arithmetic.${field}`, hint: `one of ${ROUNDING_MODES.join(', ')}` }));
  };
  mode(a.parameterRounding, 'parameterRounding');
  mode(a.multiply?.decay, 'multiply.decay');
  mode(a.multiply?.input, 'multiply.input');
  if (!Array.isArray(a.saturate) || a.saturate.some((s) => s !== 'ringBuffer' && s !== 'state'))
    d.push(diag('E_PROFILE', "arithmetic.saturate must be a list of 'ringBuffer' and 'state'", { chip: profile.id, field: 'arithmetic.saturate' }));
  if (typeof a.eventOrder !== 'string') d.push(diag('E_PROFILE', 'arithmetic.eventOrder must say in which order synaptic events are applied', { chip: profile.id, field: 'arithmetic.eventOrder' }));
  if (state && coefficient) {
    const bits = state.intBits + state.fracBits + 1 + coefficient.intBits + coefficient.fracBits + 1;
    // |state| ≤ 2^(sb−1), |coefficient| ≤ 2^(cb−1): the product stays below 2^53, exact in a double
    if (state.intBits + state.fracBits + 1 > 32) d.push(diag('E_PROFILE', 'the state format must fit 32 bits', { chip: profile.id, field: `formats.${a.state}` }));
    else if (bits - 2 > 52)
      d.push(diag('E_PROFILE', `a state × coefficient product of ${bits - 1} bits is not exact in a 53-bit double`, { chip: profile.id, field: `formats.${a.coefficient}` }));
  }
  if (ringBuffer && ringBuffer.bits > 32) d.push(diag('E_PROFILE', 'ring-buffer entries must fit 32 bits', { chip: profile.id, field: `formats.${a.ringBuffer}` }));
  if (d.length || !state || !weight || !coefficient || !ringBuffer) throw new NeuromeshError(d);
  const s = codeRange(state);
  const r = codeRange(ringBuffer);
  const c = codeRange(coefficient);
  return {
    spec: a, state, weight, coefficient, ringBuffer,
    stateMin: s.min, stateMax: s.max, ringMin: r.min, ringMax: r.max, coefMin: c.min, coefMax: c.max,
    saturateRing: a.saturate.includes('ringBuffer'), saturateState: a.saturate.includes('state'),
  };
}
