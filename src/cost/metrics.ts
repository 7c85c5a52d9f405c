/**
 * NeuroBench-style metrics (Yik et al., Nat. Commun. 2025; neurobench/neurobench), under the names
 * NeuroBench uses so that numbers compare: footprint, connection sparsity, activation sparsity,
 * synaptic operations (dense, effective ACs).
 */
export interface NeuroBenchMetrics {
  /** Bytes of parameters and buffers resident on the chip. */
  footprint: number;
  /** 1 − nonzero synapses / dense connections. */
  connection_sparsity: number;
  /** 1 − spikes / (neurons × steps). */
  activation_sparsity: number;
  synaptic_operations: {
    /** Dense connections × steps: what a dense accelerator would compute. */
    Dense: number;
    /** Spike-driven accumulates actually performed (synaptic events). */
    Effective_ACs: number;
    Effective_MACs: number;
  };
}

export function neuroBenchMetrics(m: { footprintBytes: number; denseConnections: number; nonzeroSynapses: number; neurons: number; spikes: number; steps: number; synapticEvents: number }): NeuroBenchMetrics {
  return {
    footprint: m.footprintBytes,
    connection_sparsity: m.denseConnections > 0 ? 1 - m.nonzeroSynapses / m.denseConnections : 0,
    activation_sparsity: m.neurons * m.steps > 0 ? 1 - m.spikes / (m.neurons * m.steps) : 0,
    synaptic_operations: { Dense: m.denseConnections * m.steps, Effective_ACs: m.synapticEvents, Effective_MACs: 0 },
  };
}
