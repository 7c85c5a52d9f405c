/**
 * Decay and gain coefficients in the chip's coefficient format, and refractory periods in steps:
 * what the kernels multiply by, computed at compile time so that a program (.nmp) holds them and a
 * run does no quantization. Names (per neuron unless noted):
 *   a   membrane decay (LIF, LI, CubaLIF, CubaLI, CurrentLIF)     g   input gain r·(1 − a), or r / dt·r (IF, I)
 *   as  synaptic decay (CubaLIF, CubaLI)                          gs  synaptic gain w_in·(1 − as)
 *   c   CurrentLIF receptor → membrane gain, [receptor · n + k]   ar  CurrentLIF receptor decays, per receptor
 *   ref CurrentLIF refractory steps (not a code: an integer count)
 *   delta CurrentLIF, per receptor: 1 for a delta receptor (tau_syn 0; not a code: a flag). Present only
 *       when some receptor is one; such a receptor's ring input goes to v, and its c and ar are 0
 *       (exactly held: no rounding warning), as it has no current.
 */
import type { Arithmetic } from '../../../src/chip/arithmetic.js';
import type { Population, RunConfig } from '../../../src/chip/program.js';
import { roundCodes } from '../../../src/chip/rounding.js';
import { diag, NeuromeshError } from '../../../src/errors.js';
import { worstRounding, type RoundingError } from './rounding-report.js';
import { intakeInt } from '../../../src/number-intake.js';

function decayOf(integrator: 'euler' | 'exact', dt: number, tau: number): number {
  if (tau === 0) return 0; // tau_syn 0: a delta synapse keeps nothing (src/reference/config.ts decay)
  return integrator === 'euler' ? 1 - dt / tau : Math.exp(-dt / tau);
}

function expand(a: Float64Array | undefined, n: number, dflt?: number): Float64Array | undefined {
  if (!a) return dflt === undefined ? undefined : new Float64Array(n).fill(dflt);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = a.length === 1 ? a[0]! : a[k]!;
  return out;
}

/** The coefficient codes of one neuron population, how many saturated, and the worst rounding error of each code. */
export function coefficientCodes(p: Population, config: RunConfig, ar: Arithmetic, chip: string): { codes: Record<string, Int32Array>; saturated: number; errors: RoundingError[] } {
  const n = p.size;
  const { dt, integrator, ifMode } = config;
  let saturated = 0;
  const errors: RoundingError[] = [];
  const lsb = 2 ** -ar.coefficient.fracBits;
  const coef = (vals: Float64Array, name: string): Int32Array => {
    const out = new Int32Array(vals.length);
    saturated += roundCodes(vals, ar.coefficient.fracBits, ar.spec.parameterRounding, ar.coefMin, ar.coefMax, out);
    const worst = worstRounding(name, vals, out, lsb, { min: ar.coefMin, max: ar.coefMax });
    if (worst) errors.push(worst);
    return out;
  };
  const par = (name: string, dflt?: number): Float64Array => {
    const v = expand(p.params[name], n, dflt);
    if (!v) throw new NeuromeshError([diag('E_BAD_FIELD', `missing parameter '${name}'`, { node: p.name, field: name, chip })]);
    return v;
  };
  const codes: Record<string, Int32Array> = {};
  switch (p.kind) {
    case 'LIF':
    case 'LI': {
      const a = par('tau').map((t) => decayOf(integrator, dt, t));
      codes.a = coef(a, 'a');
      codes.g = coef(par('r').map((x, k) => x * (1 - a[k]!)), 'g');
      break;
    }
    case 'IF':
    case 'I':
      codes.g = coef(par('r').map((x) => (ifMode === 'ode' ? dt * x : x)), 'g');
      break;
    case 'CubaLIF':
    case 'CubaLI': {
      const as = par('tau_syn').map((t) => decayOf(integrator, dt, t));
      const am = par('tau_mem').map((t) => decayOf(integrator, dt, t));
      codes.as = coef(as, 'as');
      codes.gs = coef(par('w_in', 1).map((x, k) => x * (1 - as[k]!)), 'gs');
      codes.a = coef(am, 'a');
      codes.g = coef(par('r').map((x, k) => x * (1 - am[k]!)), 'g');
      break;
    }
    case 'CurrentLIF': {
      const R = p.receptors;
      const tauM = par('tau_mem');
      const tauS = p.params.tau_syn!;
      const exact = integrator === 'exact';
      codes.a = coef(tauM.map((t) => (exact ? Math.exp(-dt / t) : 1 - dt / t)), 'a');
      const c = new Float64Array(R * n);
      for (let r = 0; r < R; r++)
        for (let k = 0; k < n; k++) {
          const tm = tauM[k]!;
          const ts = tauS[r]!;
          c[r * n + k] = ts === 0 ? 0 : !exact ? dt / tm : ts === tm ? (dt / tm) * Math.exp(-dt / tm) : (ts / (ts - tm)) * (Math.exp(-dt / ts) - Math.exp(-dt / tm));
        }
      codes.c = coef(c, 'c');
      codes.ar = coef(Float64Array.from(tauS, (t) => decayOf(integrator, dt, t)), 'ar');
      if (tauS.includes(0)) codes.delta = Int32Array.from(tauS, (t) => (t === 0 ? 1 : 0));
      // refractory steps are a 32-bit counter: a longer t_ref is refused, never wrapped
      codes.ref = Int32Array.from(par('t_ref'), (t) =>
        intakeInt(Math.floor((t + 1e-3 * dt) / dt), { what: `t_ref ${t} s at dt ${dt} s =`, unit: 'steps', target: 'int32', min: 0, code: 'E_BAD_FIELD', where: { node: p.name, chip, field: 't_ref', hint: 'shorten t_ref or use a larger dt' } }));
      break;
    }
    default:
      break; // Threshold and relays need no coefficients; an unsupported kind is refused when run
  }
  return { codes, saturated, errors };
}
