/**
 * Seeded faults for proving `neuromesh check` (test-only): each returns a copy of a compiled
 * program with one mapping error a real toolchain could make. The golden model is built from the
 * network, not the program, so a check must see every one of them as chip ≠ golden.
 *  - route: a router entry that delivers to the wrong cores (its local cores removed);
 *  - shift: a wrong fixed-point ring-buffer shift on one core (weights scaled by 2^delta);
 *  - drop:  the packets of one source neuron never reach one core (its synaptic row's key is lost);
 *  - weight: every synaptic weight code off by `percent` (default 5 %) on one core or, without
 *    `core`, on all: a wrong weight scale in the toolchain, which the chip-vs-reference verdict
 *    must catch even where a tolerance applies (and chip ≠ golden always).
 */
import type { Spinnaker2Program } from './program-types.js';
import { packSynapse, unpackSynapse, type ProgramCore, type RouterTable } from './program-types.js';
import { diag, NeuromeshError } from '../../src/errors.js';

export type Spinnaker2Fault =
  | { kind: 'route'; chip?: number; entry?: number }
  | { kind: 'shift'; core?: number; receptor?: number; delta?: number }
  | { kind: 'drop'; core?: number; row?: number }
  | { kind: 'weight'; core?: number; percent?: number };

export const FAULT_KINDS = ['route', 'shift', 'drop', 'weight'] as const;

/** Every weight code of a core times (1 + percent/100), rounded to nearest and kept in int16. */
function scaledWords(c: ProgramCore, percent: number): ProgramCore {
  const words = Uint32Array.from(c.words, (w) => {
    const s = unpackSynapse(w);
    const weight = Math.max(-32768, Math.min(32767, Math.round(s.weight * (1 + percent / 100))));
    return packSynapse(weight, s.delay, s.receptor, s.neuron);
  });
  return { ...c, words };
}

function bad(message: string): NeuromeshError {
  return new NeuromeshError([diag('E_BAD_OPTION', message, { field: 'fault' })]);
}

/** First core holding synaptic rows (a neuron population's slice that receives spikes). */
function firstTargetCore(p: Spinnaker2Program): number {
  const i = p.payload.cores.findIndex((c) => c.rowKeys.length > 0);
  if (i < 0) throw bad('no core holds synaptic rows: nothing to break');
  return i;
}

function withCore(p: Spinnaker2Program, i: number, core: ProgramCore): Spinnaker2Program {
  const cores = p.payload.cores.slice();
  cores[i] = core;
  return { ...p, payload: { ...p.payload, cores } };
}

export function applyFault(p: Spinnaker2Program, f: Spinnaker2Fault): Spinnaker2Program {
  switch (f.kind) {
    case 'shift': {
      const i = f.core ?? firstTargetCore(p);
      const c = p.payload.cores[i];
      if (!c) throw bad(`fault shift: no core ${i}`);
      const r = f.receptor ?? 0;
      const shifts = c.shifts.slice();
      shifts[r] = (shifts[r] ?? 0) + (f.delta ?? 1);
      return withCore(p, i, { ...c, shifts });
    }
    case 'drop': {
      const i = f.core ?? firstTargetCore(p);
      const c = p.payload.cores[i];
      if (!c) throw bad(`fault drop: no core ${i}`);
      const r = f.row ?? 0;
      if (r >= c.rowKeys.length) throw bad(`fault drop: core ${i} has ${c.rowKeys.length} rows`);
      const rowKeys = Uint32Array.from(c.rowKeys);
      rowKeys[r] = 0xffffffff; // a key no core sends
      return withCore(p, i, { ...c, rowKeys });
    }
    case 'weight': {
      const pct = f.percent ?? 5;
      if (f.core !== undefined && !p.payload.cores[f.core]) throw bad(`fault weight: no core ${f.core}`);
      const cores = p.payload.cores.map((c, i) => (f.core === undefined || f.core === i ? scaledWords(c, pct) : c));
      return { ...p, payload: { ...p.payload, cores } };
    }
    case 'route': {
      const ti = f.chip ?? p.payload.routers.findIndex((t) => t.entries.some((e) => e.cores.length > 0));
      const t = p.payload.routers[ti];
      if (!t) throw bad('fault route: no router entry delivers to a core');
      const ei = f.entry ?? t.entries.findIndex((e) => e.cores.length > 0);
      const e = t.entries[ei];
      if (!e) throw bad(`fault route: router ${ti} has no entry ${ei}`);
      const entries = t.entries.slice();
      entries[ei] = { ...e, cores: [] };
      const routers: RouterTable[] = p.payload.routers.slice();
      routers[ti] = { ...t, entries };
      return { ...p, payload: { ...p.payload, routers } };
    }
  }
}

export function applyFaults(p: Spinnaker2Program, faults: readonly Spinnaker2Fault[]): Spinnaker2Program {
  return faults.reduce(applyFault, p);
}

/** `route`, `shift`, `shift:delta=2,core=1`, `drop:core=0,row=1` → a fault. */
export function parseFault(s: string): Spinnaker2Fault {
  const [kind, rest] = s.split(':', 2) as [string, string | undefined];
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw bad(`--fault ${s}: unknown kind '${kind}' (${FAULT_KINDS.join(', ')})`);
  const f: Record<string, unknown> = { kind };
  for (const kv of rest ? rest.split(',') : []) {
    const m = /^(chip|entry|core|receptor|delta|row|percent)=(-?\d+)$/.exec(kv.trim());
    if (!m) throw bad(`--fault ${s}: '${kv}' is not field=integer`);
    f[m[1]!] = Number(m[2]);
  }
  return f as Spinnaker2Fault;
}
