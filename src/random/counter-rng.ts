/**
 * Counter-based random numbers (docs/semantics.md §3): every draw is a pure function of
 * (seed, purpose, node, neuron, step), never a sequential stream, so the same draw is made
 * whatever the worker count, the partitioning or the engine. The mixer is murmur3's 32-bit
 * finalizer applied in a chain (each key word is absorbed, then avalanched).
 */

/** Why a number is drawn; separates streams that share the other keys. */
export const Purpose = {
  poisson: 1,
  connector: 2,
  deviceNoise: 3,
  init: 4,
  synapse: 5,
  check: 6,
} as const;
export type PurposeValue = (typeof Purpose)[keyof typeof Purpose];

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function absorb(h: number, k: number): number {
  return fmix32((h ^ Math.imul(k | 0, 0x9e3779b1)) + 0x6a09e667);
}

/** 32-bit FNV-1a hash of a node name, the `node` key of draws. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mix seed (any safe integer), purpose and node into a key for many draws. */
export function streamKey(seed: number, purpose: number, node: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return absorb(absorb(absorb(absorb(0x3c6ef372, lo), hi), purpose), node);
}

/** 32 random bits for (key, neuron, step); key from streamKey. */
export function bitsAt(key: number, neuron: number, step: number): number {
  return absorb(absorb(key, neuron), step);
}

/** A uniform number in [0, 1) for (key, neuron, step). */
export function uniformAt(key: number, neuron: number, step: number): number {
  return bitsAt(key, neuron, step) / 4294967296;
}

/** Convenience: uniform in [0, 1) from all keys at once. */
export function uniform(seed: number, purpose: number, node: number, neuron: number, step: number): number {
  return uniformAt(streamKey(seed, purpose, node), neuron, step);
}
