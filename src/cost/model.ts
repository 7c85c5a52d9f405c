/**
 * Chip-agnostic cost model: energy and latency are event counters × coefficients, and every
 * coefficient travels with where it came from, so each joule in a report traces back to a count
 * and a cited (or derived, or assumed) number.
 */

/** One coefficient as a report shows it. */
export interface CoefficientRef {
  /** Dotted profile path, e.g. 'energy.synapticEvent'. */
  name: string;
  value: number;
  unit: string;
  /** 'source' | 'derived' | 'assumed', and its text. */
  provenance: 'source' | 'derived' | 'assumed';
  note: string;
  /** Set when the figure comes from a secondary note. */
  unverified?: string;
}

/** Active energy: `counter` (summed per core) × `joulesPerCount`. */
export interface EnergyTerm {
  component: string;
  counter: string;
  joulesPerCount: number;
  /** How joulesPerCount is made of the coefficients, e.g. 'energy.routerPacketBit × energy.packetBits'. */
  formula: string;
  coefficients: CoefficientRef[];
}

/** Static energy: `watts` × `units` × run time (steps × tick period). */
export interface StaticTerm {
  component: string;
  watts: number;
  /** How many of the powered units (e.g. chips) there are. */
  units: number;
  formula: string;
  coefficients: CoefficientRef[];
}

export interface CostModel {
  /** Name of the active-energy model ('per-event', 'per-cycle', …): one per report, never mixed. */
  energyModel: string;
  active: EnergyTerm[];
  static: StaticTerm[];
  /** Wall-plug factor (W at the wall per W at the chip), for chips that need one: EnergyReport.wallPlugJ = totalJ × value. */
  wallPlug?: CoefficientRef & { value: number };
  /** Tick period = dt × time-scale factor (s), and its parts. */
  tickPeriodS: number;
  dt: number;
  timeScaleFactor: number;
}

/** Per-core counters of a run. */
export interface CounterTable {
  names: readonly string[];
  /** values[core · names.length + k]. */
  values: Float64Array;
  /** Per core: a label (e.g. 'chip (0, 0) pe 3') and the graph node it runs. */
  cores: { label: string; node: string }[];
}

export function counterTotals(t: CounterTable): Record<string, number> {
  const out: Record<string, number> = {};
  const K = t.names.length;
  t.names.forEach((n, k) => {
    let s = 0;
    for (let c = 0; c < t.cores.length; c++) s += t.values[c * K + k]!;
    out[n] = s;
  });
  return out;
}
