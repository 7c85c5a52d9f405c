/**
 * A small spiking CNN built with the builder's layer API, with fixed weights drawn from the
 * counter-based RNG (Purpose.init, keyed by layer name and weight index), so every run builds the
 * same graph:
 *
 *   Input [1, 8, 8] → Conv2d 4×1×3×3 (pad 1) → IF → SumPool2d 2×2 → Flatten → Affine 64→10 → IF → Output [10]
 *
 *   node dist/examples/small-cnn.js   prints the layers and their shapes
 */
import { pathToFileURL } from 'node:url';
import { ifNeuron, network } from '../src/graph/builder.js';
import type { Graph } from '../src/graph/graph.js';
import type { FloatTensor } from '../src/graph/tensor.js';
import { hashName, Purpose, streamKey, uniformAt } from '../src/random/counter-rng.js';

/** Weights uniform in [−scale, scale), float32, drawn per (layer, flat index). */
function weights(layer: string, shape: number[], scale: number, seed: number): FloatTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const key = streamKey(seed, Purpose.init, hashName(layer));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (2 * uniformAt(key, i, 0) - 1) * scale;
  return { dtype: 'float32', shape, data };
}

export function buildSmallCnn(seed = 1): Graph {
  const net = network({ name: 'small-cnn', dtype: 'float32' });
  const x = net.input('input', [1, 8, 8]);
  const conv = net.layer('conv', {
    kind: 'Conv2d', weight: weights('conv', [4, 1, 3, 3], 0.6, seed), bias: { dtype: 'float32', shape: [4], data: new Float32Array(4) },
    stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1,
  }, x);
  const s1 = net.layer('if1', ifNeuron({ v_threshold: 1 }), conv);
  const pool = net.layer('pool', { kind: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }, s1);
  const flat = net.layer('flat', { kind: 'Flatten', start_dim: 0, end_dim: -1 }, pool);
  const fc = net.layer('fc', { kind: 'Affine', weight: weights('fc', [10, 64], 0.3, seed), bias: { dtype: 'float32', shape: [10], data: new Float32Array(10) } }, flat);
  const s2 = net.layer('if2', ifNeuron({ v_threshold: 1 }), fc);
  net.output('output', s2);
  return net.toGraph();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const g = buildSmallCnn();
  console.log(`small-cnn: ${g.nodes.length} nodes, ${g.edges.length} edges`);
  for (const n of g.nodes) console.log(`  ${n.name}: ${n.kind}`);
}
