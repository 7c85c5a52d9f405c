import { at, coefficientValue } from '../../src/chip/profile-rules.js';
import type { ProfileFieldRule } from '../../src/chip/profile-schema.js';
import { SYNAPSE_WORD } from './program-types.js';
/**
 * The coefficients the spinnaker2 backend (and the compiler passes it runs) reads from a profile,
 * as dotted paths. A profile of family 'spinnaker2' that lacks one is refused at load time with one
 * `E_PROFILE` naming the field, instead of failing (or silently defaulting) mid-compile.
 *
 * Read only on some paths, so not required here (checked where read, also one E_PROFILE):
 * energy.synapticEvent / energy.neuronUpdate (energyModel 'per-event'), energy.peActiveCycle{Low,High}
 * (energyModel 'per-cycle'), energy.chipIdleHigh and dvfs.high.* (--dvfs high), machine.triadsX/Y
 * (layout 'triads', default 1 triad each).
 */
export const SPINNAKER2_REQUIRED_FIELDS: string[] = [
  // compiler: delays.ts, emit.ts, quantize.ts, verify.ts; golden.ts
  'limits.maxDelaySteps',
  'limits.maxRingBufferShift',
  // route.ts
  'limits.exactRoutingBlocksPerSlice',
  'limits.exactRoutingMaxSynapses',
  'limits.neuronIndexBits',
  'chip.routerEntries',
  // partition.ts, verify.ts, invariants.ts
  'limits.maxNeuronsPerCore',
  'limits.dataSramPerPe',
  'limits.synapseWordBytes',
  'limits.neuronStateBytes',
  'limits.ringBufferBytesPerNeuron',
  'limits.coreOverheadBytes',
  // backend.ts: receptors per synapse word
  'limits.receptorBits',
  // machine.ts
  'chip.pesPerChip',
  'chip.usablePesPerChip',
  'chip.pesPerQpe',
  'chip.qpeMeshWidth',
  // place.ts
  'placement.chipHopWeight',
  'placement.meshHopWeight',
  'placement.annealMovesPerSlice',
  'placement.annealMaxMoves',
  // run.ts, cost.ts
  'latency.timeScaleFactor',
  'latency.meshHopCycles',
  'latency.chipHopCycles',
  'latency.cyclesPerNeuronUpdate',
  'latency.cyclesPerSynapticEvent',
  'latency.cyclesPerPacket',
  'latency.cyclesPerTickOverhead',
  'energy.routerPacketBit',
  'energy.packetBits',
  'energy.chipIdleLow',
  // the default DVFS operating point
  'dvfs.low.frequency',
  'dvfs.low.voltage',
];

const B32 = 2 ** 32 - 1;

/**
 * Ranges of the coefficients the spinnaker2 backend reads: counts are positive integers with sane
 * upper bounds (a core count of 1e12 would size typed arrays past any memory), sizes are integers
 * that fit the 32-bit fields they are stored in, bit widths fit a 32-bit word.
 */
const RANGES: ProfileFieldRule[] = [
  { path: 'chip.pesPerChip', int: true, min: 1, max: 4096, why: 'PEs on one chip: an integer from 1 to 4096' },
  { path: 'chip.usablePesPerChip', int: true, min: 1, max: 4096, why: 'usable PEs on one chip: an integer from 1 to 4096' },
  { path: 'chip.qpesPerChip', int: true, min: 1, max: 4096, why: 'quad-PEs on one chip: an integer from 1 to 4096' },
  { path: 'chip.pesPerQpe', int: true, min: 1, max: 64, why: 'PEs per quad-PE: an integer from 1 to 64' },
  { path: 'chip.qpeMeshWidth', int: true, min: 1, max: 4096, why: 'width of the quad-PE mesh: an integer from 1 to 4096' },
  { path: 'chip.sramPerPe', int: true, min: 1, max: B32, why: 'bytes of SRAM per PE: a positive 32-bit integer' },
  { path: 'chip.routerEntries', int: true, min: 0, max: 2 ** 24, why: 'router table entries: an integer from 0 to 2^24' },
  { path: 'chip.chipLinks', int: true, min: 0, max: 64, why: 'links per chip: an integer from 0 to 64' },
  { path: 'chip.dramBytes', int: true, min: 0, why: 'bytes of DRAM: an integer ≥ 0' },
  { path: 'limits.maxNeuronsPerCore', int: true, min: 1, max: 65536, why: 'neurons per core: an integer from 1 to 65536' },
  { path: 'limits.dataSramPerPe', int: true, min: 1, max: B32, why: 'data SRAM bytes per PE: a positive 32-bit integer' },
  { path: 'limits.synapseWordBytes', int: true, min: 1, max: 64, why: 'bytes of a synapse word: an integer from 1 to 64' },
  { path: 'limits.neuronStateBytes', int: true, min: 1, max: 65536, why: 'bytes of one neuron state: an integer from 1 to 65536' },
  { path: 'limits.coreOverheadBytes', int: true, min: 0, max: B32, why: 'bytes of per-core overhead: a 32-bit integer ≥ 0' },
  { path: 'limits.ringBufferBytesPerNeuron', int: true, min: 0, max: 65536, why: 'ring-buffer bytes per neuron: an integer from 0 to 65536' },
  { path: 'limits.maxDelaySteps', int: true, min: 0, max: 65535, why: 'ring-buffer delay slots: an integer from 0 to 65535' },
  { path: 'limits.neuronIndexBits', int: true, min: 1, max: 16, why: 'neuron-index bits of a synapse word: an integer from 1 to 16' },
  { path: 'limits.receptorBits', int: true, min: 0, max: 8, why: 'receptor bits of a synapse word: an integer from 0 to 8' },
  { path: 'limits.maxRingBufferShift', int: true, min: 0, max: 31, why: 'ring-buffer shift: an integer from 0 to 31' },
  { path: 'limits.maxParameterRoundingError', min: 0, max: 1, why: 'the largest relative rounding error of a parameter before W_PARAM_ROUNDING: a fraction from 0 to 1' },
  { path: 'limits.exactRoutingBlocksPerSlice', int: true, min: 1, max: 1_000_000, why: 'routing blocks per slice: an integer from 1 to 10^6' },
  { path: 'limits.exactRoutingMaxSynapses', int: true, min: 0, max: B32, why: 'a synapse count: a 32-bit integer ≥ 0' },
  { path: 'placement.annealMovesPerSlice', int: true, min: 0, max: 1_000_000, why: 'annealing moves per slice: an integer from 0 to 10^6' },
  { path: 'placement.annealMaxMoves', int: true, min: 0, max: 1_000_000_000, why: 'annealing moves: an integer from 0 to 10^9' },
  ...['synapticEvent', 'neuronUpdate', 'routerPacketBit', 'peActiveCycleLow', 'peActiveCycleHigh'].map((k) => ({ path: `energy.${k}`, min: 0, max: 1e6, why: 'an energy per event in J, from 0 to 10^6' })),
  ...['chipIdleLow', 'chipIdleHigh', 'chipAllPesOff'].map((k) => ({ path: `energy.${k}`, min: 0, max: 1e6, why: 'a power in W, from 0 to 10^6' })),
  { path: 'energy.packetBits', int: true, min: 1, max: 4096, why: 'bits of a packet: an integer from 1 to 4096' },
  { path: 'latency.timeScaleFactor', above: 0, max: 1e9, why: 'the time scale factor is above 0' },
  { path: 'latency.tick', above: 0, max: 3600, why: 'a tick in seconds is above 0' },
  { path: 'latency.meshHopCycles', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'latency.chipHopCycles', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'latency.cyclesPerNeuronUpdate', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'latency.cyclesPerSynapticEvent', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'latency.cyclesPerPacket', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'latency.cyclesPerTickOverhead', int: true, min: 0, max: 1e9, why: 'cycles: an integer from 0 to 10^9' },
  { path: 'machine.triadsX', int: true, min: 1, max: 64, why: 'triads across: an integer from 1 to 64' },
  { path: 'machine.triadsY', int: true, min: 1, max: 64, why: 'triads down: an integer from 1 to 64' },
];

/** The unit each field is written in (as in the built-in profiles): another unit is refused, never converted. */
const UNITS: ReadonlyMap<string, string> = new Map([
  ['energy.synapticEvent', 'J'], ['energy.neuronUpdate', 'J'], ['energy.routerPacketBit', 'J'], ['energy.peActiveCycleLow', 'J'], ['energy.peActiveCycleHigh', 'J'],
  ['energy.chipIdleLow', 'W'], ['energy.chipIdleHigh', 'W'], ['energy.chipAllPesOff', 'W'],
  ['chip.chipLinks', 'link'],
  ['chip.dramBytes', 'B'],
  ['chip.pesPerChip', 'PE'],
  ['chip.pesPerQpe', 'PE'],
  ['chip.qpeMeshWidth', 'QPE'],
  ['chip.qpesPerChip', 'QPE'],
  ['chip.routerEntries', 'entry'],
  ['chip.sramPerPe', 'B'],
  ['chip.usablePesPerChip', 'PE'],
  ['energy.packetBits', 'bit'],
  ['latency.chipHopCycles', 'cycle'],
  ['latency.cyclesPerNeuronUpdate', 'cycle'],
  ['latency.cyclesPerPacket', 'cycle'],
  ['latency.cyclesPerSynapticEvent', 'cycle'],
  ['latency.cyclesPerTickOverhead', 'cycle'],
  ['latency.meshHopCycles', 'cycle'],
  ['latency.tick', 's'],
  ['latency.timeScaleFactor', '1'],
  ['limits.coreOverheadBytes', 'B'],
  ['limits.dataSramPerPe', 'B'],
  ['limits.exactRoutingBlocksPerSlice', 'entry'],
  ['limits.exactRoutingMaxSynapses', 'synapse'],
  ['limits.maxDelaySteps', 'step'],
  ['limits.maxNeuronsPerCore', 'neuron'],
  ['limits.maxRingBufferShift', 'bit'],
  ['limits.neuronIndexBits', 'bit'],
  ['limits.neuronStateBytes', 'B'],
  ['limits.receptorBits', 'bit'],
  ['limits.ringBufferBytesPerNeuron', 'B'],
  ['limits.synapseWordBytes', 'B'],
  ['machine.triadsX', 'triad'],
  ['machine.triadsY', 'triad'],
  ['placement.annealMaxMoves', 'move'],
  ['placement.annealMovesPerSlice', 'move'],
  ['limits.maxParameterRoundingError', '1'],
]);

/** Counts may also be written as the plain number unit '1' (what the schema's hint suggests for a count). */
const PHYSICAL = new Set(['B', 's', 'Hz', 'V', 'J', 'W']);
const accepted = (u: string): string | string[] => (PHYSICAL.has(u) || u === '1' ? u : [u, '1']);

export const SPINNAKER2_FIELD_RULES: ProfileFieldRule[] = RANGES.map((r) => (UNITS.has(r.path) ? { ...r, unit: accepted(UNITS.get(r.path)!) } : r));


/** An own object-valued key of an object, or undefined. */
function obj(o: unknown, k: string): Record<string, unknown> | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !Object.hasOwn(o, k)) return undefined;
  const v = (o as Record<string, unknown>)[k];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

type CrossIssue = { path: PropertyKey[]; message: string; hint?: string };

/** The machine layouts machine.ts builds. */
export const SPINNAKER2_LAYOUTS: readonly string[] = ['chip', 'board48', 'triads'];

/** Rules between spinnaker2 fields (each issue names the field to change). */
export function spinnaker2CrossFieldRules(json: unknown): CrossIssue[] {
  const v = (p: string): number | undefined => {
    const x = coefficientValue(json, p);
    return x !== undefined && Number.isFinite(x) ? x : undefined;
  };
  const out: CrossIssue[] = [];
  const rule = (ok: boolean | undefined, path: string, message: string, hint: string): void => {
    if (ok === false) out.push({ path: path.split('.'), message, hint });
  };
  const layout = at(json, 'machine.layout');
  if (typeof layout === 'string' && !SPINNAKER2_LAYOUTS.includes(layout))
    out.push({ path: ['machine', 'layout'], message: `unknown machine layout ${JSON.stringify(layout.length > 40 ? `${layout.slice(0, 40)}…` : layout)}`, hint: `spinnaker2 knows ${SPINNAKER2_LAYOUTS.map((l) => `'${l}'`).join(', ')}` });
  const pes = v('chip.pesPerChip');
  const usable = v('chip.usablePesPerChip');
  const qpes = v('chip.qpesPerChip');
  const perQpe = v('chip.pesPerQpe');
  if (pes !== undefined && usable !== undefined) rule(usable <= pes, 'chip.usablePesPerChip', `${usable} usable PEs exceed the chip's ${pes} PEs (chip.pesPerChip)`, 'usable PEs are at most chip.pesPerChip');
  if (pes !== undefined && qpes !== undefined && perQpe !== undefined)
    rule(qpes * perQpe === pes, 'chip.pesPerChip', `${pes} PEs is not chip.qpesPerChip × chip.pesPerQpe = ${qpes} × ${perQpe}`, 'a chip is made of whole quad-PEs');
  const maxN = v('limits.maxNeuronsPerCore');
  const bits = v('limits.neuronIndexBits');
  if (maxN !== undefined && bits !== undefined) rule(maxN <= 2 ** bits, 'limits.maxNeuronsPerCore', `${maxN} neurons per core cannot be told apart by ${bits} neuron-index bits (at most ${2 ** bits})`, 'raise limits.neuronIndexBits or lower limits.maxNeuronsPerCore');
  // the weight format must fit the synapse word's weight field
  const a = obj(json, 'arithmetic');
  const wName = a && typeof a.weight === 'string' ? a.weight : undefined;
  const wf = wName ? obj(obj(json, 'formats'), wName) : undefined;
  if (wName && wf && typeof wf.bits === 'number')
    rule(wf.bits <= SYNAPSE_WORD.weightBits, `formats.${wName}`, `the weight format has ${wf.bits} bits; a synapse word holds ${SYNAPSE_WORD.weightBits}`, `use an int format of at most ${SYNAPSE_WORD.weightBits} bits`);
  const data = v('limits.dataSramPerPe');
  const sram = v('chip.sramPerPe');
  const over = v('limits.coreOverheadBytes');
  if (data !== undefined && sram !== undefined) rule(data <= sram, 'limits.dataSramPerPe', `${data} bytes of data SRAM exceed the PE's ${sram} bytes (chip.sramPerPe)`, 'data SRAM is part of chip.sramPerPe');
  if (data !== undefined && over !== undefined) rule(over < data, 'limits.coreOverheadBytes', `a per-core overhead of ${over} bytes leaves nothing of ${data} bytes of data SRAM`, 'the overhead must be less than limits.dataSramPerPe');
  return out;
}
