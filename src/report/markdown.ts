import type { CoefficientRef, EnergyReport, LatencyReport } from '../cost/index.js';

/** Engineering notation with a unit: 1.23 mJ, 450 pJ. */
export function si(x: number, unit: string): string {
  if (x === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];
  const a = Math.abs(x);
  const [f, p] = prefixes.find(([f]) => a >= f) ?? prefixes[prefixes.length - 1]!;
  return `${(x / f).toPrecision(3)} ${p}${unit}`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The energy and latency breakdown as Markdown (component, node, coefficients with their provenance). */
export function costMarkdown(e: EnergyReport, l: LatencyReport, coefficients: CoefficientRef[], topNodes = 8): string {
  const total = e.totalJ || 1;
  const comp = Object.entries(e.byComponent).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, si(v, 'J'), `${((100 * v) / total).toFixed(1)} %`]);
  const nodes = Object.entries(e.byNode).sort((a, b) => b[1] - a[1]).slice(0, topNodes).map(([k, v]) => [k, si(v, 'J')]);
  const coef = coefficients.map((c) => [c.name, `${c.value} ${c.unit}`, `${c.provenance}${c.unverified ? ' (unverified)' : ''}`, c.note.length > 90 ? `${c.note.slice(0, 87)}…` : c.note]);
  return [
    `### Energy (${e.energyModel} model): ${si(e.totalJ, 'J')} = active ${si(e.activeJ, 'J')} + static ${si(e.staticJ, 'J')} over ${si(e.runTimeS, 's')} (tick period ${si(e.tickPeriodS, 's')})`,
    table(['component', 'energy', 'share'], comp),
    '',
    table(['graph node', 'active energy'], nodes),
    '',
    `### Latency: critical path ${si(l.meanStepS, 's')} per tick on average, ${si(l.maxStepS, 's')} at most (tick ${l.criticalPath.step}, ${l.criticalPath.coreLabel} running ${l.criticalPath.node}: compute ${si(l.criticalPath.computeS, 's')} + routing ${si(l.criticalPath.routingS, 's')}); ${l.overrunSteps} of ${l.perStepS.length} ticks overrun the ${si(l.tickPeriodS, 's')} tick; busy ${si(l.totalS, 's')} of ${si(l.realTimeS, 's')} real time`,
    '',
    '### Coefficients',
    table(['coefficient', 'value', 'provenance', 'note'], coef),
  ].join('\n');
}

/** Digits in groups of three: 1,234,567. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
