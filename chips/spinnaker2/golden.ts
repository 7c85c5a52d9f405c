/**
 * The spinnaker2 golden model: a plain scalar implementation of the chip's arithmetic, written
 * from the lowered network (populations and composed projections in float64, before any chip
 * decision) and the profile's declarations — no cores, no keys, no routing, no ring-buffer words,
 * and no code shared with kernels.ts (a test reads the imports). Products are computed in BigInt,
 * so the kernels' claim that their double-precision products are exact is checked too.
 *
 * It quantizes weights itself (ring-buffer shift per target population and receptor: the smallest
 * shift at which the largest |weight| fits the weight format; codes rounded as the declaration's
 * `parameterRounding` says), turns voltages into state codes and decays / gains into coefficient
 * codes, then steps: spikes of step t−1 and input spikes of step t land in a 16-slot delay buffer
 * per neuron and receptor, each neuron reads slot t, updates in the declared formats, and fires.
 */
import { profileValue, type ChipProfile } from '../../src/chip/profile.js';
import type { Network, RunConfig } from '../../src/chip/program.js';
import { inputAt, type StepInput } from '../../src/io/spikes.js';
import { hashName, Purpose, streamKey, uniformAt } from '../../src/random/counter-rng.js';

export interface GoldenOptions {
  steps: number;
  inputs?: Map<string, StepInput>;
  /** Seed of SpikeSource nodes without their own. */
  seed?: number;
}

export interface GoldenResult {
  /** Per spiking neuron population: spikes sorted by step then neuron. */
  spikes: Map<string, { steps: number[]; neurons: number[] }>;
  /** Per neuron population: v codes per step, [step][neuron]. */
  v: Map<string, number[][]>;
  synapticEvents: number;
  neuronUpdates: number;
  saturations: number;
  /** Ring-buffer shifts chosen, per population and receptor. */
  shifts: number[][];
}

type Mode = string;

/** Round the rational n / 2^k (BigInt n) to an integer with `mode`. */
function roundShift(n: bigint, k: number, mode: Mode): bigint {
  if (k === 0) return n;
  const d = 1n << BigInt(k);
  const half = d >> 1n;
  // floor division for negative numbers
  const fl = n >= 0n ? n / d : -((-n + d - 1n) / d);
  const rem = n - fl * d;
  switch (mode) {
    case 'floor': return fl;
    case 'toward-zero': return n >= 0n ? fl : (rem === 0n ? fl : fl + 1n);
    case 'nearest-up': return rem >= half ? fl + 1n : fl;
    case 'nearest-even': return rem > half || (rem === half && (fl & 1n) === 1n) ? fl + 1n : fl;
    case 'nearest-away': return rem > half || (rem === half && n >= 0n) ? fl + 1n : fl;
    default: throw new Error(`golden model: unknown rounding '${mode}'`);
  }
}

/**
 * A float value as the by-`mode` rounded integer multiple of 2^−frac, exactly for every double
 * (doubles are dyadic) and any frac, negative too; ±∞ come back as is (the caller clamps them).
 */
function toCode(x: number, frac: number, mode: Mode): number {
  if (x === 0 || Number.isNaN(x)) return 0;
  if (!Number.isFinite(x)) return x;
  // x = m · 2^e with integer m, exactly: scaling by powers of two is exact for a double
  let m = x * 2 ** 60;
  let e = -60;
  if (!Number.isFinite(m)) [m, e] = [x, 0]; // |x| ≥ 2^964 is an integer
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  const k = e + frac; // x · 2^frac = m · 2^k
  return Number(k >= 0 ? BigInt(m) << BigInt(k) : roundShift(BigInt(m), -k, mode));
}

function clampCount(v: number, lo: number, hi: number, counter: { n: number }): number {
  if (v > hi) {
    counter.n++;
    return hi;
  }
  if (v < lo) {
    counter.n++;
    return lo;
  }
  return v;
}

function formatOf(profile: ChipProfile, name: string): { bits: number; frac: number; signed: boolean } {
  const f = profile.formats[name];
  if (!f) throw new Error(`golden model: profile has no format '${name}'`);
  if (f.kind === 'fixed') return { bits: f.intBits + f.fracBits + (f.signed ? 1 : 0), frac: f.fracBits, signed: f.signed };
  return { bits: f.bits, frac: 0, signed: f.signed };
}

function rangeOf(f: { bits: number; signed: boolean }): [number, number] {
  return f.signed ? [-(2 ** (f.bits - 1)), 2 ** (f.bits - 1) - 1] : [0, 2 ** f.bits - 1];
}

export function runGolden(net: Network, profile: ChipProfile, config: RunConfig, opts: GoldenOptions): GoldenResult {
  const decl = profile.arithmetic;
  if (!decl) throw new Error('golden model: the profile declares no arithmetic');
  const stateF = formatOf(profile, decl.state);
  const weightF = formatOf(profile, decl.weight);
  const coefF = formatOf(profile, decl.coefficient);
  const ringF = formatOf(profile, decl.ringBuffer);
  const [smin, smax] = rangeOf(stateF);
  const [wmin, wmax] = rangeOf(weightF);
  const [cmin, cmax] = rangeOf(coefF);
  const [rmin, rmax] = rangeOf(ringF);
  const satState = decl.saturate.includes('state');
  const satRing = decl.saturate.includes('ringBuffer');
  const pr = decl.parameterRounding;
  const F = stateF.frac;
  const CF = coefF.frac;
  const maxShift = profileValue(profile, 'limits.maxRingBufferShift');
  const sat = { n: 0 };
  const wrap = (v: number, lo: number, hi: number): number => {
    const m = hi - lo + 1;
    return ((((v - lo) % m) + m) % m) + lo;
  };
  const st = (v: number): number => {
    if (v >= smin && v <= smax) return v;
    sat.n++;
    return satState ? (v > smax ? smax : smin) : wrap(v, smin, smax);
  };
  const rg = (v: number): number => {
    if (v >= rmin && v <= rmax) return v;
    sat.n++;
    return satRing ? (v > rmax ? rmax : rmin) : wrap(v, rmin, rmax);
  };
  const mul = (a: number, b: number, mode: Mode): number => Number(roundShift(BigInt(a) * BigInt(b), CF, mode));
  const decayMode = decl.multiply.decay;
  const inputMode = decl.multiply.input;
  const stateCode = (x: number): number => clampCount(toCode(x, F, pr), smin, smax, { n: 0 });
  const coefCode = (x: number): number => clampCount(toCode(x, CF, pr), cmin, cmax, { n: 0 });
  const dt = config.dt;
  const decay = (tau: number): number => (tau === 0 ? 0 : config.integrator === 'euler' ? 1 - dt / tau : Math.exp(-dt / tau));
  const at = (a: Float64Array | undefined, k: number, d: number): number => (a === undefined ? d : a.length === 1 ? a[0]! : a[k]!);

  // ring-buffer shifts and weight codes
  const maxAbs = net.populations.map((p) => new Array<number>(p.receptors).fill(0));
  for (const pj of net.projections) for (const w of pj.weight) maxAbs[pj.post]![pj.receptor] = Math.max(maxAbs[pj.post]![pj.receptor]!, Math.abs(w));
  const shifts = maxAbs.map((m) => m.map((a) => {
    let s = 0;
    while (s < maxShift && a > wmax * 2 ** (s - F)) s++;
    return s;
  }));
  const wcode = net.projections.map((pj) => Array.from(pj.weight, (w) => clampCount(toCode(w, F - shifts[pj.post]![pj.receptor]!, pr), wmin, wmax, { n: 0 })));

  // per population state
  interface PopState { v: number[]; i: number[][]; ref: number[]; ring: number[][][]; spiked: number[] }
  const state: PopState[] = net.populations.map((p) => {
    const n = p.size;
    const v = new Array<number>(n).fill(0);
    if (p.kind === 'CurrentLIF') for (let k = 0; k < n; k++) v[k] = stateCode(at(p.params.v_init, k, 0));
    return {
      v,
      i: Array.from({ length: p.receptors }, () => new Array<number>(n).fill(0)),
      ref: new Array<number>(n).fill(0),
      ring: Array.from({ length: 16 }, () => Array.from({ length: p.receptors }, () => new Array<number>(n).fill(0))),
      spiked: new Array<number>(n).fill(0),
    };
  });
  const spikes = new Map<string, { steps: number[]; neurons: number[] }>();
  const vtr = new Map<string, number[][]>();
  for (const p of net.populations) if (p.role !== 'source') {
    // relay populations (compiler-added delay extension) run like neurons but are not the model's
    if (p.spiking && p.role === 'neuron') spikes.set(p.name, { steps: [], neurons: [] });
    vtr.set(p.name, []);
  }
  // source populations: their spike counts per step
  const sourceAt = net.populations.map((p) => {
    if (p.role !== 'source') return null;
    if (p.kind === 'SpikeSource') {
      // the lowered population holds the source's spikes ([T · size]) or per-neuron rates, and its seed
      const d = p.params.spikes;
      if (d) {
        const T = d.length / p.size;
        return (t: number, out: Float64Array): void => {
          for (let k = 0; k < p.size; k++) out[k] = t < T ? d[t * p.size + k]! : 0;
        };
      }
      const key = streamKey(p.params.seed?.[0] ?? opts.seed ?? 0, Purpose.poisson, hashName(p.name));
      const rate = p.params.rate!;
      return (t: number, out: Float64Array): void => {
        for (let k = 0; k < p.size; k++) out[k] = uniformAt(key, k, t) < rate[k]! * dt ? 1 : 0;
      };
    }
    const inp = opts.inputs?.get(p.name);
    if (!inp) return (_t: number, out: Float64Array): void => void out.fill(0);
    return (t: number, out: Float64Array): void => inputAt(inp, t, dt, out);
  });
  const srcBuf = net.populations.map((p) => (p.role === 'source' ? new Float64Array(p.size) : null));
  let synapticEvents = 0;
  let neuronUpdates = 0;

  const deliver = (pj: Network['projections'][number], pre: number, count: number, t: number): void => {
    const ring = state[pj.post]!.ring;
    const codes = wcode[pj.index]!;
    for (let s = pj.indptr[pre]!; s < pj.indptr[pre + 1]!; s++) {
      const d = pj.delay ? pj.delay[s]! : 0;
      const slot = ring[(t + d) % 16]![pj.receptor]!;
      const j = pj.target[s]!;
      slot[j] = rg(slot[j]! + codes[s]! * count);
      synapticEvents += count;
    }
  };

  for (let t = 0; t < opts.steps; t++) {
    // spikes of the previous step (one tick on the way), then this step's input spikes
    for (const pj of net.projections) {
      const pre = net.populations[pj.pre]!;
      if (pre.role !== 'source') {
        const sp = state[pj.pre]!.spiked;
        for (let k = 0; k < pre.size; k++) if (sp[k]) deliver(pj, k, 1, t);
      }
    }
    net.populations.forEach((p, i) => {
      if (p.role === 'source') sourceAt[i]!(t, srcBuf[i]!);
    });
    for (const pj of net.projections) {
      const pre = net.populations[pj.pre]!;
      if (pre.role !== 'source') continue;
      const b = srcBuf[pj.pre]!;
      for (let k = 0; k < pre.size; k++) if (b[k]! > 0) deliver(pj, k, b[k]!, t);
    }
    // neuron updates
    net.populations.forEach((p, pi) => {
      if (p.role === 'source') return;
      const s = state[pi]!;
      const n = p.size;
      const slot = s.ring[t % 16]!;
      const x: number[][] = [];
      for (let r = 0; r < p.receptors; r++) {
        x.push(slot[r]!.map((c) => st(c * 2 ** shifts[pi]![r]!)));
        slot[r]!.fill(0);
      }
      if (p.bias) for (let k = 0; k < n; k++) x[0]![k] = st(x[0]![k]! + stateCode(p.bias[k]!));
      const par = (name: string, k: number, d?: number): number => {
        const v = p.params[name];
        if (v === undefined && d === undefined) throw new Error(`golden model: '${p.name}' has no parameter ${name}`);
        return at(v, k, d ?? 0);
      };
      const vth = (k: number): number => stateCode(p.kind === 'Threshold' ? par('threshold', k) : par('v_threshold', k));
      const vreset = (k: number): number => stateCode(par('v_reset', k, 0));
      const reset = (vk: number, k: number): number => (config.reset === 'subtract' ? st(vk - vth(k)) : vreset(k));
      const firedBefore = s.spiked.slice(); // the previous step's spikes (delta inputs are dropped then)
      s.spiked.fill(0);
      for (let k = 0; k < n; k++) {
        let vk = s.v[k]!;
        let fire = false;
        switch (p.kind) {
          case 'LIF':
          case 'LI': {
            const a = decay(par('tau', k));
            const vl = stateCode(par('v_leak', k));
            vk = st(st(vl + mul(st(vk - vl), coefCode(a), decayMode)) + mul(x[0]![k]!, coefCode(par('r', k) * (1 - a)), inputMode));
            if (p.kind === 'LIF' && vk > vth(k)) {
              fire = true;
              vk = reset(vk, k);
            }
            break;
          }
          case 'IF':
          case 'I': {
            const g = config.ifMode === 'ode' ? dt * par('r', k) : par('r', k);
            vk = st(vk + mul(x[0]![k]!, coefCode(g), inputMode));
            if (p.kind === 'IF' && vk > vth(k)) {
              fire = true;
              vk = reset(vk, k);
            }
            break;
          }
          case 'CubaLIF':
          case 'CubaLI': {
            const as = decay(par('tau_syn', k));
            const am = decay(par('tau_mem', k));
            const i = st(mul(s.i[0]![k]!, coefCode(as), decayMode) + mul(x[0]![k]!, coefCode(par('w_in', k, 1) * (1 - as)), inputMode));
            s.i[0]![k] = i;
            const vl = stateCode(par('v_leak', k));
            vk = st(st(vl + mul(st(vk - vl), coefCode(am), decayMode)) + mul(i, coefCode(par('r', k) * (1 - am)), inputMode));
            if (p.kind === 'CubaLIF' && vk > vth(k)) {
              fire = true;
              vk = reset(vk, k);
            }
            break;
          }
          case 'CurrentLIF': {
            const tm = par('tau_mem', k);
            const exact = config.integrator === 'exact';
            const tauS = p.params.tau_syn!;
            // refractoryInput=drop: current input arriving while refractory is discarded
            const drop = config.refractoryInput === 'drop';
            // tau_syn 0: a delta receptor, its input goes to v (saturated, in receptor order) and it has no
            // current; dropped while refractory (count before this step's count-down) and after a spike
            const jumps = !firedBefore[k] && s.ref[k] === 0;
            for (let r = 0; r < p.receptors; r++) {
              if (tauS[r] !== 0) {
                if (!drop || s.ref[k] === 0) s.i[r]![k] = st(s.i[r]![k]! + x[r]![k]!);
              } else if (jumps) vk = st(vk + x[r]![k]!);
            }
            if (s.ref[k]! > 0) s.ref[k]!--;
            if (s.ref[k] === 0) {
              const vr = stateCode(par('v_rest', k));
              vk = st(vr + mul(st(vk - vr), coefCode(exact ? Math.exp(-dt / tm) : 1 - dt / tm), decayMode));
              for (let r = 0; r < p.receptors; r++) {
                const ts = tauS[r]!;
                if (ts === 0) continue;
                const c = !exact ? dt / tm : ts === tm ? (dt / tm) * Math.exp(-dt / tm) : (ts / (ts - tm)) * (Math.exp(-dt / ts) - Math.exp(-dt / tm));
                vk = st(vk + mul(s.i[r]![k]!, coefCode(c), inputMode));
              }
            }
            for (let r = 0; r < p.receptors; r++) {
              const ts = tauS[r]!;
              if (ts === 0) continue;
              s.i[r]![k] = st(mul(s.i[r]![k]!, coefCode(exact ? Math.exp(-dt / ts) : 1 - dt / ts), decayMode));
            }
            if (s.ref[k] === 0 && vk > vth(k)) {
              fire = true;
              vk = config.reset === 'subtract' ? st(vk - st(vth(k) - vreset(k))) : vreset(k);
              // under drop at least 1: the next step's input is discarded even when t_ref < dt
              s.ref[k] = Math.max(Math.floor((par('t_ref', k) + 1e-3 * dt) / dt), drop ? 1 : 0);
            }
            break;
          }
          case 'Threshold':
            vk = x[0]![k]!;
            fire = vk > vth(k);
            break;
          default:
            throw new Error(`golden model: no model of ${p.kind}`);
        }
        s.v[k] = vk;
        if (fire) {
          s.spiked[k] = 1;
          const sp = spikes.get(p.name);
          sp?.steps.push(t);
          sp?.neurons.push(k);
        }
      }
      neuronUpdates += n;
      vtr.get(p.name)!.push(s.v.slice());
    });
  }
  return { spikes, v: vtr, synapticEvents, neuronUpdates, saturations: sat.n, shifts };
}
