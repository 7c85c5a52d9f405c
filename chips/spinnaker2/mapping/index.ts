/**
 * The spinnaker2 mapping (ChipMapping): quantize weights to int16 with a ring-buffer shift per
 * receptor → cut populations into per-core slices under SRAM limits → place slices on cores
 * (locality start, annealing) → key/mask multicast routing with compressed tables → emit each
 * core's synapse words → the resource summary. Each stage is followed by its invariant (verify.ts).
 */
import type { ChipMapping, MappingContext } from '../../../src/chip/backend.js';
import type { ChipProfile } from '../../../src/chip/profile.js';
import type { Network } from '../../../src/chip/program.js';
import type { MachineLayout, Partition, Placement, ProgramCore, Quantization, Routing, SliceGraph, Spinnaker2Payload } from '../program-types.js';
import { buildMachine, type Machine } from '../machine.js';
import { partition } from '../partition.js';
import { place } from '../place.js';
import { route } from '../route.js';
import { resolveArithmetic } from '../../../src/chip/arithmetic.js';
import { diag } from '../../../src/errors.js';
import { activityOf } from './activity.js';
import { coefficientCodes } from './coefficients.js';
import { roundingLimit, roundingWarnings } from './rounding-report.js';
import { emitCores } from './emit.js';
import { quantizeNetwork } from './quantize.js';
import { summarize } from './summarize.js';
import { coreUnits, resourceRows } from './parts.js';
import { modelStatsOf } from '../../../src/chip/model-stats.js';
import { sliceTraffic } from './traffic.js';
import { verifyCores, verifyPartition, verifyPlacement, verifyQuantized, verifyRouting } from './verify.js';

/** What the stages build, in order; each field is set by its stage. */
export interface Spinnaker2Mapping {
  net: Network;
  ctx: MappingContext;
  q?: Quantization;
  /** Per population: decay/gain coefficient codes and refractory steps (coefficients.ts). */
  coefs?: Record<string, Int32Array>[];
  part?: Partition;
  machine?: MachineLayout;
  traffic?: SliceGraph;
  placement?: Placement;
  routing?: Routing;
  cores?: ProgramCore[];
}

/** A stage's input, or a bug: stages run in MAPPING_STAGES order. */
function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`spinnaker2 mapping: ${what} is not built yet (stages out of order)`);
  return v;
}

export function spinnaker2Mapping(profile: ChipProfile): ChipMapping<Spinnaker2Mapping, Spinnaker2Payload> {
  let machine: Machine | undefined;
  const getMachine = (): Machine => (machine ??= buildMachine(profile));
  return {
    begin: (net, ctx) => ({ net, ctx }),
    stages: {
      quantize: {
        run: (s) => {
          s.q = quantizeNetwork(s.net, s.ctx);
          const ar = resolveArithmetic(profile);
          s.coefs = s.net.populations.map((p) => {
            if (p.role === 'source') return {};
            const { codes, saturated, errors } = coefficientCodes(p, s.ctx.config, ar, profile.id);
            s.ctx.diagnostics.push(...roundingWarnings(p.name, errors, roundingLimit(profile), profile.id));
            if (saturated) s.ctx.diagnostics.push(diag('W_COEFFICIENT_SATURATED', `${saturated} decay/gain coefficients exceed the ${ar.spec.coefficient} format and saturate`, { severity: 'warning', node: p.name, chip: profile.id }));
            return codes;
          });
          return { zeroed: s.q.zeroed.reduce((a, b) => a + b, 0), saturated: s.q.saturated.reduce((a, b) => a + b, 0) };
        },
        check: (s) => verifyQuantized(s.net, need(s.q, 'quantization'), profile),
      },
      partition: {
        run: (s) => {
          s.part = partition(s.net, need(s.q, 'quantization'), s.ctx);
          return { slices: s.part.slices.length };
        },
        check: (s) => verifyPartition(s.net, need(s.part, 'partition'), profile, s.ctx.maxNeuronsPerCore),
      },
      place: {
        run: (s) => {
          const part = need(s.part, 'partition');
          s.machine = getMachine();
          s.traffic = sliceTraffic(s.net, part, activityOf(s.net, s.ctx));
          s.placement = place(s.net, part, s.traffic, getMachine(), s.ctx);
          return { sliceEdges: s.traffic.dst.length, cost: s.placement.cost, naiveCost: s.placement.naiveCost, moves: s.placement.moves };
        },
        check: (s) => verifyPlacement(need(s.part, 'partition'), need(s.placement, 'placement'), need(s.machine, 'machine')),
      },
      route: {
        run: (s) => {
          s.routing = route(s.net, need(s.part, 'partition'), need(s.placement, 'placement'), need(s.traffic, 'traffic'), getMachine(), s.ctx);
          return { routers: s.routing.routers.length, entriesBefore: s.routing.routers.reduce((a, t) => a + t.entriesBefore, 0), entriesAfter: s.routing.routers.reduce((a, t) => a + t.entries.length, 0) };
        },
        check: (s) => verifyRouting(s.net, need(s.part, 'partition'), need(s.placement, 'placement'), need(s.traffic, 'traffic'), need(s.routing, 'routing'), need(s.machine, 'machine')),
      },
      emit: {
        run: (s) => {
          s.cores = emitCores(s.net, need(s.q, 'quantization'), need(s.part, 'partition'), need(s.placement, 'placement'), need(s.routing, 'routing'), need(s.machine, 'machine'), s.ctx);
          return { cores: s.cores.length, words: s.cores.reduce((a, x) => a + x.words.length, 0) };
        },
        check: (s) => verifyCores(s.net, need(s.part, 'partition'), need(s.cores, 'cores')),
      },
    },
    owners: (s) => ({ units: need(s.part, 'partition').slices.length, owner: need(s.part, 'partition').sliceOf }),
    stored: (s) => ({ synapses: need(s.cores, 'cores').reduce((a, c) => a + c.words.length, 0), copies: 1 }),
    finish: (s) => {
      const q = need(s.q, 'quantization');
      const m = need(s.machine, 'machine');
      const cores = need(s.cores, 'cores');
      const routing = need(s.routing, 'routing');
      const summary = summarize(s.net, q, need(s.part, 'partition'), need(s.placement, 'placement'), routing, cores, s.ctx, s.ctx.modelSynapses);
      const machine = getMachine();
      return {
        populations: s.net.populations.map((p, i) => ({ ...p, fixed: q.params[i]!, ...(q.bias[i] ? { fixedBias: q.bias[i] } : {}), coefficients: need(s.coefs, 'coefficients')[i]! })),
        model: modelStatsOf(s.net, s.ctx.modelSynapses),
        units: coreUnits(s.net, cores, machine),
        resources: resourceRows(summary, m.chips.length * m.usableCoresPerChip),
        time: { kind: 'tick' },
        payload: {
          machine: { chips: m.chips, coresPerChip: m.coresPerChip, usableCoresPerChip: m.usableCoresPerChip, linksPerChip: m.linksPerChip, neighbour: m.neighbour },
          cores,
          routers: routing.routers,
          summary,
        },
      };
    },
  };
}

/** The quantization a spinnaker2 compile chose (for tests and tools that hold a CompileResult). */
export function quantizationOf(result: { mapping: unknown }): Quantization {
  const q = (result.mapping as Partial<Spinnaker2Mapping> | undefined)?.q;
  if (!q) throw new Error('not the result of a spinnaker2 compile');
  return q;
}
