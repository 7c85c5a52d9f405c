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
