import type { ProgramUnit, ResourceRow } from '../../../src/chip/program.js';
import type { Network } from '../../../src/chip/program.js';
import type { Machine } from '../machine.js';
import type { CompileSummary, ProgramCore } from '../program-types.js';

/**
 * One unit per core, on a grid where each chip is a block of its QPE mesh (2 × 2 PEs per QPE), so
 * a heat map shows chips side by side and the cores inside them.
 */
export function coreUnits(net: Network, cores: ProgramCore[], m: Machine): ProgramUnit[] {
  let meshW = 1;
  let meshH = 1;
  for (let q = 0; q < m.qpeX.length; q++) {
    meshW = Math.max(meshW, m.qpeX[q]! + 1);
    meshH = Math.max(meshH, m.qpeY[q]! + 1);
  }
  const side = Math.ceil(Math.sqrt(m.pesPerQpe));
  return cores.map((c) => {
    const [cx, cy] = m.chips[c.chip]!;
    const q = m.qpeOfPe[c.pe]!;
    const inQ = c.pe % m.pesPerQpe;
    const grid: [number, number] = [cx * meshW * side + m.qpeX[q]! * side + (inQ % side), cy * meshH * side + m.qpeY[q]! * side + Math.floor(inQ / side)];
    return { kind: 'core', label: `chip (${cx},${cy}) PE ${c.pe}`, node: net.populations[c.pop]!.name, grid };
  });
}

/** What the program uses against the profile's limits. */
export function resourceRows(s: CompileSummary, usableCores: number): ResourceRow[] {
  return [
    { name: 'cores', value: s.cores, unit: 'PE', limit: usableCores },
    { name: 'chips', value: s.chips, unit: 'chip' },
    { name: 'SRAM per core (max)', value: s.sramPerCore.max, unit: 'B', limit: s.sramPerCore.limit },
    { name: 'SRAM per core (mean)', value: s.sramPerCore.mean, unit: 'B', limit: s.sramPerCore.limit },
    { name: 'router entries (max per chip)', value: s.routerEntries.maxAfter, unit: 'entry', limit: s.routerEntries.limit },
    { name: 'router entries (total)', value: s.routerEntries.after, unit: 'entry' },
    { name: 'chip-link load (max)', value: s.linkLoad.max, unit: 'packet/spike' },
  ];
}
