import { own, setOwn } from '../own.js';
import { diag, NeuromeshError } from '../errors.js';
import type { CoefficientRef, CostModel, CounterTable } from './model.js';

/** table[key] += v, by own key only: a node named 'constructor' or '__proto__' is a key like any other. */
function add(table: Record<string, number>, key: string, v: number): void {
  setOwn(table, key, (own(table, key) ?? 0) + v);
}

export interface EnergyReport {
  energyModel: string;
  totalJ: number;
  activeJ: number;
  staticJ: number;
  /** Component → J (active terms by component, plus each static term). */
  byComponent: Record<string, number>;
  /** Graph node → active J (the cores that run it). */
  byNode: Record<string, number>;
  /** Core label → active J. */
  byCore: Record<string, number>;
  /** Run time the static energy is charged for: steps × tick period. */
  runTimeS: number;
  tickPeriodS: number;
  terms: { component: string; counter?: string; count?: number; joulesPerCount?: number; watts?: number; units?: number; joules: number; formula: string }[];
  coefficients: CoefficientRef[];
  /**
   * For chips whose energy at the chip is not what the wall supplies (a cryocooler for SFQ): the
   * declared factor and totalJ × factor. Absent when the model declares none; never in totalJ.
   */
  wallPlugFactor?: number;
  wallPlugJ?: number;
}

/** counters × coefficients (active) + static power × units × steps × tick period. */
export function estimateEnergy(model: CostModel, table: CounterTable, steps: number): EnergyReport {
  const K = table.names.length;
  const byComponent: Record<string, number> = {};
  const byNode: Record<string, number> = {};
  const byCore: Record<string, number> = {};
  const terms: EnergyReport['terms'] = [];
  const coefficients = new Map<string, CoefficientRef>();
  let activeJ = 0;
  for (const t of model.active) {
    const k = table.names.indexOf(t.counter);
    if (k < 0) throw new NeuromeshError([diag('E_COST', `energy term '${t.component}' needs counter '${t.counter}', which the run does not report`, { hint: `counters: ${table.names.join(', ')}` })]);
    let count = 0;
    table.cores.forEach((c, i) => {
      const n = table.values[i * K + k]!;
      if (!n) return;
      count += n;
      const j = n * t.joulesPerCount;
      add(byCore, c.label, j);
      add(byNode, c.node, j);
    });
    const joules = count * t.joulesPerCount;
    activeJ += joules;
    add(byComponent, t.component, joules);
    terms.push({ component: t.component, counter: t.counter, count, joulesPerCount: t.joulesPerCount, joules, formula: t.formula });
    for (const c of t.coefficients) coefficients.set(c.name, c);
  }
  const runTimeS = steps * model.tickPeriodS;
  let staticJ = 0;
  for (const s of model.static) {
    const joules = s.watts * s.units * runTimeS;
    staticJ += joules;
    add(byComponent, s.component, joules);
    terms.push({ component: s.component, watts: s.watts, units: s.units, joules, formula: s.formula });
    for (const c of s.coefficients) coefficients.set(c.name, c);
  }
  const totalJ = activeJ + staticJ;
  if (model.wallPlug) coefficients.set(model.wallPlug.name, model.wallPlug);
  return {
    energyModel: model.energyModel, totalJ, activeJ, staticJ, byComponent, byNode, byCore,
    runTimeS, tickPeriodS: model.tickPeriodS, terms, coefficients: [...coefficients.values()],
    ...(model.wallPlug ? { wallPlugFactor: model.wallPlug.value, wallPlugJ: totalJ * model.wallPlug.value } : {}),
  };
}
