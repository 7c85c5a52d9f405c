/**
 * Mapping invariants of a spinnaker2 program as `neuromesh check --invariants` reports them, each
 * with the node and core: static ones from the compiled program (core limits, router table sizes,
 * synaptic rows no route reaches, weights lost to quantization) and run-time ones from a run's
 * counters (packets dropped, tick overruns, state saturations, and every spike delivered to each of
 * its synapses exactly once: the run's synaptic events equal the golden model's).
 */
import type { Violation } from '../../src/check/types.js';
import type { ChipProfile } from '../../src/chip/profile.js';
import type { Spinnaker2Program } from './program-types.js';
import type { ChipRunResult } from './run.js';
import { prepareRun } from './run.js';
import type { Graph } from '../../src/graph/graph.js';
import { resolveArithmetic } from '../../src/chip/arithmetic.js';
import { codeRange } from '../../src/chip/number-format.js';
import { coefficientCodes } from './mapping/coefficients.js';
import { describeRounding, roundingLimit, worstRounding } from './mapping/rounding-report.js';

export interface InvariantOptions {
  /** Largest fraction of a node's synapses zeroed or saturated by weight quantization (default 0.1). */
  maxWeightLoss?: number;
}

/** Parameter codes (decays, gains, voltages) held with a relative error above the profile's limit. */
function roundingViolations(program: Spinnaker2Program, profile: ChipProfile): Violation[] {
  const ar = resolveArithmetic(profile);
  const limit = roundingLimit(profile);
  const lsb = 2 ** -ar.state.fracBits;
  const out: Violation[] = [];
  for (const p of program.populations) {
    if (p.role === 'source') continue;
    const errors = [...coefficientCodes(p, program.config, ar, profile.id).errors];
    const held: [string, Float64Array | undefined, Int32Array | undefined][] = [...Object.entries(p.fixed).map(([k, c]): [string, Float64Array | undefined, Int32Array] => [k, p.params[k], c]), ['bias', p.bias, p.fixedBias]];
    for (const [name, values, codes] of held) {
      const w = values && codes ? worstRounding(name, values, codes, lsb, codeRange(ar.state)) : undefined;
      if (w) errors.push(w);
    }
    for (const e of errors) if (e.rel > limit) out.push({ invariant: 'parameter-rounding', node: p.name, message: describeRounding(e, limit) });
  }
  return out;
}

/** Invariants that hold or not whatever the input. */
export function staticViolations(program: Spinnaker2Program, profile: ChipProfile, graph: Graph | undefined, opts: InvariantOptions = {}): Violation[] {
  const out: Violation[] = [];
  const popName = (c: number): string => program.populations[program.payload.cores[c]!.pop]!.name;
  const maxN = profile.limits.maxNeuronsPerCore?.value;
  const sram = program.payload.summary.sramPerCore.limit;
  program.payload.cores.forEach((c, i) => {
    if (maxN !== undefined && c.hi - c.lo > maxN)
      out.push({ invariant: 'core-limits', node: popName(i), core: i, message: `${c.hi - c.lo} neurons on core ${i}, the limit is ${maxN}` });
    if (sram > 0 && c.sramBytes > sram)
      out.push({ invariant: 'core-limits', node: popName(i), core: i, message: `${c.sramBytes} bytes of SRAM on core ${i}, the limit is ${sram}` });
  });
  const limit = program.payload.summary.routerEntries.limit;
  for (const t of program.payload.routers)
    if (limit > 0 && t.entries.length > limit)
      out.push({ invariant: 'routing', message: `router of chip ${t.chip} holds ${t.entries.length} entries, the table has ${limit}` });
  // rows on cores their source's route never reaches
  const prep = prepareRun(program, profile, { steps: 1 });
  const dests = (prep.plan.shared as { cores: { dests: Int32Array }[] }).cores.map((c) => new Set(Array.from(c.dests)));
  const mask = program.payload.cores[0]?.mask ?? 0;
  const coreOfKey = new Map<number, number>();
  program.payload.cores.forEach((c, i) => coreOfKey.set((c.key & mask) >>> 0, i));
  program.payload.cores.forEach((c, d) => {
    let lost = 0;
    const from = new Set<string>();
    for (let r = 0; r < c.rowKeys.length; r++) {
      const s = coreOfKey.get((c.rowKeys[r]! & mask) >>> 0);
      if (s === undefined || !dests[s]!.has(d)) {
        lost++;
        from.add(s === undefined ? `key 0x${(c.rowKeys[r]! >>> 0).toString(16)}` : popName(s));
      }
    }
    if (lost) out.push({ invariant: 'routing', node: popName(d), core: d, message: `${lost} synaptic row${lost === 1 ? '' : 's'} on core ${d} never reached by the packets of ${[...from].join(', ')}` });
  });
  out.push(...roundingViolations(program, profile));
  const maxLoss = opts.maxWeightLoss ?? 0.1;
  for (const w of program.payload.summary.weights) {
    const lossy = w.zeroed + w.saturated;
    if (w.synapses > 0 && lossy / w.synapses > maxLoss)
      out.push({ invariant: 'quantization', node: w.node, message: `${lossy} of ${w.synapses} weights zeroed or saturated (${((100 * lossy) / w.synapses).toFixed(1)} % > ${100 * maxLoss} %)` });
  }
  return out;
}

/** Invariants of one run, from its counters; `goldenEvents` is the golden model's synaptic event count. */
export function runViolations(program: Spinnaker2Program, run: ChipRunResult, goldenEvents?: number): Violation[] {
  const out: Violation[] = [];
  const K = run.counterNames.length;
  const idx = (n: string): number => run.counterNames.indexOf(n);
  const [drop, over, sat, ev] = [idx('packets_dropped'), idx('overruns'), idx('saturations'), idx('synaptic_events')];
  let events = 0;
  program.payload.cores.forEach((c, i) => {
    const node = program.populations[c.pop]!.name;
    const v = (k: number): number => (k >= 0 ? run.counters[i * K + k]! : 0);
    if (v(drop) > 0) out.push({ invariant: 'routing', node, core: i, message: `${v(drop)} packets from core ${i} dropped (no router entry matched)` });
    if (v(over) > 0) out.push({ invariant: 'tick-overrun', node, core: i, message: `core ${i} overran the tick budget of ${run.budgetCycles} cycles in ${v(over)} ticks` });
    if (v(sat) > 0) out.push({ invariant: 'quantization', node, core: i, message: `${v(sat)} state or ring-buffer saturations on core ${i}` });
    events += v(ev);
  });
  if (goldenEvents !== undefined && events !== goldenEvents)
    out.push({ invariant: 'routing', message: `${events} synaptic events on the chip, ${goldenEvents} in the golden model: spikes did not reach exactly their synapses` });
  return out;
}
