import { SPINNAKER2_LAYOUTS } from './profile-fields.js';
import { diag } from '../../src/errors.js';
import type { ChipProfile } from '../../src/chip/profile.js';
import type { MachineLayout } from './program-types.js';
import { NeuromeshError } from '../../src/errors.js';
import { profileValue } from '../../src/chip/profile.js';

/**
 * SpiNNaker's six-neighbour chip grid. Link ids as in SpiNNaker: 0 east (+1,0), 1 north-east
 * (+1,+1), 2 north (0,+1), 3 west (−1,0), 4 south-west (−1,−1), 5 south (0,−1); link l and
 * (l+3) mod 6 are opposite.
 */
export const LINK_DELTAS: readonly (readonly [number, number])[] = [[1, 0], [1, 1], [0, 1], [-1, 0], [-1, -1], [0, -1]];

/** A machine: chips, their coordinates, the chip-link graph and the on-chip QPE mesh. */
export interface Machine extends MachineLayout {
  /** neighbour[chip * 6 + link] = chip id, or −1 when the link leads nowhere. */
  neighbour: Int32Array;
  /** Hop distance between chips over existing links (nChips × nChips). */
  distance: Uint16Array;
  /** QPE of each PE, and the (x, y) of each QPE on the on-chip mesh. */
  qpeOfPe: Uint16Array;
  qpeX: Uint16Array;
  qpeY: Uint16Array;
  pesPerQpe: number;
  wrap: boolean;
}

/** SpiNN-5 board: {0 ≤ x, y ≤ 7, −4 ≤ y − x ≤ 3} (48 chips). */
function onBoard48(x: number, y: number): boolean {
  return x >= 0 && x <= 7 && y >= 0 && y <= 7 && y - x >= -4 && y - x <= 3;
}

function machineNumber(profile: ChipProfile, name: string, dflt: number): number {
  const v = profile.machine[name];
  if (v === undefined) return dflt;
  if (typeof v === 'object' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1 && v.value <= 64) return v.value;
  throw new NeuromeshError([diag('E_PROFILE', `machine.${name} must be a coefficient with an integer value 1–64`, { chip: profile.id, field: `machine.${name}` })]);
}

/** Build the machine described by a spinnaker2 profile. */
export function buildMachine(profile: ChipProfile): Machine {
  const layout = profile.machine.layout;
  const wrap = profile.machine.wrap === true;
  let chips: [number, number][] = [];
  let width = 1;
  let height = 1;
  /** Canonical coordinates of (x, y), or undefined when there is no chip there. */
  let canon: (x: number, y: number) => [number, number] | undefined;
  if (layout === 'chip') {
    chips = [[0, 0]];
    canon = (x, y) => (x === 0 && y === 0 ? [0, 0] : undefined);
  } else if (layout === 'board48') {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if (onBoard48(x, y)) chips.push([x, y]);
    canon = (x, y) => {
      if (onBoard48(x, y)) return [x, y];
      if (!wrap) return undefined;
      for (const a of [-1, 0, 1])
        for (const b of [-1, 0, 1]) {
          const cx = x + 8 * a + 4 * b;
          const cy = y + 4 * a + 8 * b;
          if (onBoard48(cx, cy)) return [cx, cy];
        }
      return undefined;
    };
  } else if (layout === 'triads') {
    width = 12 * machineNumber(profile, 'triadsX', 1);
    height = 12 * machineNumber(profile, 'triadsY', 1);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) chips.push([x, y]);
    canon = (x, y) => {
      if (x >= 0 && x < width && y >= 0 && y < height) return [x, y];
      if (!wrap) return undefined;
      return [((x % width) + width) % width, ((y % height) + height) % height];
    };
  } else {
    throw new NeuromeshError([diag('E_PROFILE', `unknown machine layout '${layout}'`, { chip: profile.id, field: 'machine.layout', hint: `spinnaker2 knows ${SPINNAKER2_LAYOUTS.map((l) => `'${l}'`).join(', ')}` })]);
  }
  const id = new Map<string, number>();
  chips.forEach(([x, y], i) => id.set(`${x},${y}`, i));
  const n = chips.length;
  const neighbour = new Int32Array(n * 6).fill(-1);
  for (let c = 0; c < n; c++) {
    const [x, y] = chips[c]!;
    for (let l = 0; l < 6; l++) {
      const p = canon(x + LINK_DELTAS[l]![0], y + LINK_DELTAS[l]![1]);
      if (p && !(p[0] === x && p[1] === y)) neighbour[c * 6 + l] = id.get(`${p[0]},${p[1]}`)!;
    }
  }
  // all-pairs BFS distances (machines have at most a few thousand chips)
  const distance = new Uint16Array(n * n).fill(0xffff);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    let head = 0;
    let tail = 0;
    distance[s * n + s] = 0;
    queue[tail++] = s;
    while (head < tail) {
      const c = queue[head++]!;
      const d = distance[s * n + c]!;
      for (let l = 0; l < 6; l++) {
        const m = neighbour[c * 6 + l]!;
        if (m >= 0 && distance[s * n + m] === 0xffff) {
          distance[s * n + m] = d + 1;
          queue[tail++] = m;
        }
      }
    }
  }
  const pes = profileValue(profile, 'chip.pesPerChip');
  const usable = Math.min(pes, profileValue(profile, 'chip.usablePesPerChip'));
  const perQpe = profileValue(profile, 'chip.pesPerQpe');
  const meshWidth = profileValue(profile, 'chip.qpeMeshWidth');
  const qpes = Math.ceil(pes / perQpe);
  const qpeOfPe = new Uint16Array(pes);
  for (let p = 0; p < pes; p++) qpeOfPe[p] = Math.floor(p / perQpe);
  const qpeX = new Uint16Array(qpes);
  const qpeY = new Uint16Array(qpes);
  for (let q = 0; q < qpes; q++) {
    qpeY[q] = Math.floor(q / meshWidth);
    // serpentine rows: consecutive QPEs are mesh neighbours
    qpeX[q] = qpeY[q]! % 2 === 0 ? q % meshWidth : meshWidth - 1 - (q % meshWidth);
  }
  void width;
  void height;
  return { chips, coresPerChip: pes, usableCoresPerChip: usable, linksPerChip: 6, neighbour, distance, qpeOfPe, qpeX, qpeY, pesPerQpe: perQpe, wrap };
}

/** Mesh hops between two PEs of one chip (QPE Manhattan distance on the on-chip mesh). */
export function meshHops(m: Machine, peA: number, peB: number): number {
  const a = m.qpeOfPe[peA]!;
  const b = m.qpeOfPe[peB]!;
  return Math.abs(m.qpeX[a]! - m.qpeX[b]!) + Math.abs(m.qpeY[a]! - m.qpeY[b]!);
}
