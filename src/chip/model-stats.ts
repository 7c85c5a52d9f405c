import type { ModelStats, Network } from './program.js';

/** The model statistics of a lowered network, counted the same way for every chip. */
export function modelStatsOf(net: Network, modelSynapses: number): ModelStats {
  const s: ModelStats = { neurons: 0, sources: 0, relays: 0, relaySynapses: 0, biasInputs: 0, synapses: 0, modelSynapses, denseConnections: 0, storedWeights: 0 };
  for (const p of net.populations) {
    if (p.role === 'source') s.sources += p.size;
    else if (p.role === 'relay') s.relays += p.size;
    else s.neurons += p.size;
    if (p.bias) for (let i = 0; i < p.bias.length; i++) if (p.bias[i] !== 0) s.biasInputs++;
  }
  for (const pr of net.projections) {
    s.denseConnections += net.populations[pr.pre]!.size * net.populations[pr.post]!.size;
    if (pr.relay) s.relaySynapses += pr.target.length;
    else {
      s.synapses += pr.target.length;
      s.storedWeights += pr.storedWeights;
    }
  }
  return s;
}
