import type { ChipBackend } from '../../src/chip/backend.js';
import { fullLowering } from '../../src/chip/lowering.js';
import { spinnaker2Contract } from './contract.js';
import type { ChipRunResult } from './run.js';
import type { ChipProfile } from '../../src/chip/profile.js';
import { diag, type Diagnostic } from '../../src/errors.js';
import type { FlatNode } from '../../src/graph/graph.js';
import { spinnaker2Mapping, type Spinnaker2Mapping } from './mapping/index.js';
import { profileValue } from '../../src/chip/profile.js';
import type { Spinnaker2Payload } from './program-types.js';
import { chooseSpinnaker2WeightScale } from './weight-scale.js';

/** Receptors fit the synapse word's receptor bits. */
function receptorCheck(max: number) {
  return (node: FlatNode, chip: string): Diagnostic[] => {
    if (node.kind === 'CurrentLIF' && node.tau_syn.data.length > max)
      return [diag('E_UNSUPPORTED', `${node.tau_syn.data.length} receptors, the synapse word holds at most ${max}`, { node: node.name, chip, field: 'tau_syn' })];
    if (node.kind === 'SparseLinear' && node.receptor >= max)
      return [diag('E_UNSUPPORTED', `receptor ${node.receptor} does not fit the synapse word (at most ${max - 1})`, { node: node.name, chip, field: 'receptor' })];
    return [];
  };
}

/**
 * The spinnaker2 backend: how each primitive is lowered, and the mapping (mapping/: quantize,
 * per-core slices under SRAM limits, annealed placement, key/mask multicast routing, emit).
 * Run, cost, golden model, invariants, options and faults: contract.ts.
 */
export function spinnaker2Backend(profile: ChipProfile): ChipBackend<ChipRunResult, Spinnaker2Mapping, Spinnaker2Payload> {
  const receptors = 2 ** profileValue(profile, 'limits.receptorBits');
  const check = receptorCheck(receptors);
  return {
    id: profile.id,
    profile,
    lower: fullLowering({ CurrentLIF: check, SparseLinear: check }),
    mapping: spinnaker2Mapping(profile),
    chooseWeightScale: chooseSpinnaker2WeightScale,
    ...spinnaker2Contract(profile),
  };
}
