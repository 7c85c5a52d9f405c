/**
 * The spinnaker2 cost model: which counters cost what, from the profile's coefficients.
 *
 *  per-event (default): synaptic_events × energy.synapticEvent + neuron_updates × energy.neuronUpdate
 *                       + router_lookups × energy.routerPacketBit × energy.packetBits
 *  per-cycle (profile spinnaker2-cycles): cycles × energy.peActiveCycle{Low|High} (by DVFS point)
 *                       + the same router term
 *  static (both):       energy.chipIdle{Low|High} × chips used × steps × tick period
 *
 * Latency: per tick, the slowest core's cycles / f plus the slowest packet route's cycles / f.
 */
import type { ChipProfile, Coefficient } from '../../src/chip/profile.js';
import type { Spinnaker2Program } from './program-types.js';
import { estimateEnergy, estimateLatencyRuns, perCount, type CoefficientRef, type CostModel, type CounterTable, type EnergyReport, type LatencyReport } from '../../src/cost/index.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import type { ChipRunResult } from './run.js';
import { own } from '../../src/own.js';
import { coefficientRef } from '../../src/chip/coefficient-ref.js';

export const ENERGY_MODELS = ['per-event', 'per-cycle'] as const;

const ref = coefficientRef;

function dvfsRef(profile: ChipProfile, point: string, name: string): CoefficientRef & { value: number } {
  const tab = own(profile.dvfs, point);
  const c = tab ? own(tab, name) : undefined;
  if (!c) throw new NeuromeshError([diag('E_PROFILE', `profile has no coefficient 'dvfs.${point}.${name}'`, { chip: profile.id, field: `dvfs.${point}.${name}` })]);
  const provenance = c.source !== undefined ? 'source' : c.derived !== undefined ? 'derived' : 'assumed';
  return { name: `dvfs.${point}.${name}`, value: c.value, unit: c.unit, provenance, note: (c.source ?? c.derived ?? c.assumed)!, ...(c.unverified ? { unverified: c.unverified } : {}) };
}

const suffix = (dvfs: string): string => (dvfs === 'high' ? 'High' : 'Low');

export function spinnaker2CostModel(profile: ChipProfile, program: Spinnaker2Program, dvfs: string): CostModel {
  const energyModel = profile.energyModel ?? 'per-event';
  if (!(ENERGY_MODELS as readonly string[]).includes(energyModel))
    throw new NeuromeshError([diag('E_PROFILE', `unknown energy model '${energyModel}'`, { chip: profile.id, field: 'energyModel', hint: `one of ${ENERGY_MODELS.join(', ')}` })]);
  const tsf = ref(profile, 'latency', 'timeScaleFactor');
  const bit = ref(profile, 'energy', 'routerPacketBit');
  const bits = ref(profile, 'energy', 'packetBits');
  const active: CostModel['active'] = [];
  if (energyModel === 'per-event') {
    const syn = ref(profile, 'energy', 'synapticEvent');
    const neu = ref(profile, 'energy', 'neuronUpdate');
    active.push(perCount('synapses', 'synaptic_events', syn), perCount('neurons', 'neuron_updates', neu));
  } else {
    const cyc = ref(profile, 'energy', `peActiveCycle${suffix(dvfs)}`);
    active.push({ component: 'pe-cycles', counter: 'cycles', joulesPerCount: cyc.value, formula: `energy.peActiveCycle${suffix(dvfs)} (per estimated PE cycle)`, coefficients: [cyc] });
  }
  active.push({ component: 'routers', counter: 'router_lookups', joulesPerCount: bit.value * bits.value, formula: 'energy.routerPacketBit × energy.packetBits (per router a packet passes)', coefficients: [bit, bits] });
  const idle = ref(profile, 'energy', `chipIdle${suffix(dvfs)}`);
  const chipsUsed = new Set(program.payload.cores.map((c) => c.chip)).size;
  return {
    energyModel,
    active,
    static: [{ component: 'static', watts: idle.value, units: chipsUsed, formula: `energy.chipIdle${suffix(dvfs)} × ${chipsUsed} chip(s) × steps × tick period`, coefficients: [idle] }],
    tickPeriodS: program.config.dt * tsf.value,
    dt: program.config.dt,
    timeScaleFactor: tsf.value,
  };
}

export function counterTable(program: Spinnaker2Program, run: ChipRunResult): CounterTable {
  return {
    names: run.counterNames,
    values: run.counters,
    cores: program.payload.cores.map((c) => ({ label: `chip (${program.payload.machine.chips[c.chip]!.join(', ')}) pe ${c.pe}`, node: program.populations[c.pop]!.name })),
  };
}

export interface Spinnaker2Cost {
  energy: EnergyReport;
  latency: LatencyReport;
  coefficients: CoefficientRef[];
}

export function spinnaker2Cost(profile: ChipProfile, program: Spinnaker2Program, run: ChipRunResult): Spinnaker2Cost {
  const model = spinnaker2CostModel(profile, program, run.dvfs);
  const table = counterTable(program, run);
  const energy = estimateEnergy(model, table, run.steps);
  const f = run.frequencyHz;
  const latency = estimateLatencyRuns(run.stepRuns, run.steps, f, model.tickPeriodS, table.cores);
  const lat = ['meshHopCycles', 'chipHopCycles', 'cyclesPerNeuronUpdate', 'cyclesPerSynapticEvent', 'cyclesPerPacket', 'cyclesPerTickOverhead', 'timeScaleFactor'].map((n) => ref(profile, 'latency', n));
  return { energy, latency, coefficients: [...energy.coefficients, ...lat, dvfsRef(profile, run.dvfs, 'frequency'), dvfsRef(profile, run.dvfs, 'voltage')] };
}
