/**
 * Connectors for the builder (PyNN-style): each turns (pre view, post view) into synapses in CSR
 * pre-major order, filling typed arrays (no per-synapse objects). Indices here are *local* to the
 * views (0 … nPre−1, 0 … nPost−1); the builder offsets them into the populations.
 */
import { diag, NeuromeshError } from '../errors.js';
import { hashName, Purpose, streamKey, uniformAt } from '../random/counter-rng.js';

export interface ConnectorContext {
  /** Name of the projection (keys the random draws of fixedProbability). */
  projection: string;
  nPre: number;
  nPost: number;
  /** First neuron of the pre / post view inside its population. */
  preStart: number;
  postStart: number;
  /** True when pre and post are views of the same population (self-connections possible). */
  samePopulation: boolean;
}

/** Synapses in local CSR: the synapses of local pre i are s = indptr[i] … indptr[i+1]−1. */
export interface Connection {
  indptr: Int32Array;
  /** Local post index of each synapse. */
  indices: Int32Array;
  /** Per-synapse weights, when the connector carries them (fromList). */
  weight?: Float64Array;
  /** Per-synapse delays in seconds, when the connector carries them (fromList). */
  delay?: Float64Array;
}

export interface Connector {
  readonly kind: 'allToAll' | 'oneToOne' | 'fixedProbability' | 'fromList';
  connect(ctx: ConnectorContext): Connection;
}

function bad(projection: string, field: string, message: string, hint?: string): NeuromeshError {
  return new NeuromeshError([diag('E_BAD_CONNECTOR', message, { node: projection, field, ...(hint ? { hint } : {}) })]);
}

/** Is local (i, j) the same neuron? */
function isSelf(ctx: ConnectorContext, i: number, j: number): boolean {
  return ctx.samePopulation && ctx.preStart + i === ctx.postStart + j;
}

/** A growable Int32Array (amortised doubling), for connectors whose synapse count is random. */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  trimmed(): Int32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

const MAX_SYNAPSES = 2 ** 31 - 1;

/** Every pre neuron to every post neuron (PyNN AllToAllConnector). */
export function allToAll(opts: { allowSelf?: boolean } = {}): Connector {
  const allowSelf = opts.allowSelf ?? true;
  return {
    kind: 'allToAll',
    connect(ctx) {
      const { nPre, nPost } = ctx;
      if (nPre * nPost > MAX_SYNAPSES) throw bad(ctx.projection, 'connector', `all-to-all of ${nPre}×${nPost} exceeds ${MAX_SYNAPSES} synapses`);
      const indptr = new Int32Array(nPre + 1);
      const buf = new IntBuffer(nPre * nPost);
      for (let i = 0; i < nPre; i++) {
        for (let j = 0; j < nPost; j++) if (allowSelf || !isSelf(ctx, i, j)) buf.push(j);
        indptr[i + 1] = buf.length;
      }
      return { indptr, indices: buf.trimmed() };
    },
  };
}

/** Pre neuron i to post neuron i; both views must have the same size (PyNN OneToOneConnector). */
export function oneToOne(): Connector {
  return {
    kind: 'oneToOne',
    connect(ctx) {
      if (ctx.nPre !== ctx.nPost)
        throw bad(ctx.projection, 'connector', `oneToOne needs equal sizes, pre has ${ctx.nPre} neurons and post ${ctx.nPost}`, 'use slice() views of equal size');
      const indptr = new Int32Array(ctx.nPre + 1);
      const indices = new Int32Array(ctx.nPre);
      for (let i = 0; i < ctx.nPre; i++) {
        indices[i] = i;
        indptr[i + 1] = i + 1;
      }
      return { indptr, indices };
    },
  };
}

/**
 * Each (pre, post) pair is connected independently with probability p (PyNN
 * FixedProbabilityConnector, Brian2 `connect(p=…)`; self-connections allowed unless
 * allowSelf is false).
 *
 * Method: per pre neuron, the connected post indices are found by geometric skips instead of
 * testing every pair. Standing at post position j (start j = −1), the number of skipped pairs
 * K = ⌊ln(1 − u) / ln(1 − p)⌋ has P(K ≥ k) = (1 − p)^k, exactly the run of failures before the
 * next success of independent Bernoulli(p) trials; the next synapse is at j + 1 + K. The uniform
 * u is drawn from the counter-based RNG keyed by (seed, Purpose.connector, hashName(projection)),
 * neuron = global pre index, step = global post index j + 1 at which the skip starts. So the
 * draws depend only on the projection's name, seed and neuron indices: the result does not
 * depend on build order or on other projections, and costs O(synapses), not O(nPre · nPost).
 */
export function fixedProbability(p: number, seed = 0, opts: { allowSelf?: boolean } = {}): Connector {
  const allowSelf = opts.allowSelf ?? true;
  return {
    kind: 'fixedProbability',
    connect(ctx) {
      if (!(p >= 0 && p <= 1)) throw bad(ctx.projection, 'p', `connection probability ${p} is not in [0, 1]`);
      if (!Number.isSafeInteger(seed) || seed < 0) throw bad(ctx.projection, 'seed', `seed ${seed} must be a non-negative integer`);
      const { nPre, nPost } = ctx;
      if (p === 1) return allToAll({ allowSelf }).connect(ctx);
      const indptr = new Int32Array(nPre + 1);
      const expected = nPre * nPost * p;
      if (expected > MAX_SYNAPSES) throw bad(ctx.projection, 'p', `about ${Math.round(expected)} synapses expected, more than ${MAX_SYNAPSES}`);
      const buf = new IntBuffer(Math.ceil(expected + 6 * Math.sqrt(expected + 1) + 16));
      if (p === 0) return { indptr, indices: buf.trimmed() };
      const key = streamKey(seed, Purpose.connector, hashName(ctx.projection));
      const invLogQ = 1 / Math.log1p(-p);
      for (let i = 0; i < nPre; i++) {
        const gi = ctx.preStart + i;
        let j = -1;
        for (;;) {
          const u = uniformAt(key, gi, ctx.postStart + j + 1);
          const skip = Math.floor(Math.log1p(-u) * invLogQ);
          j += 1 + skip;
          if (j >= nPost) break;
          if (allowSelf || !isSelf(ctx, i, j)) buf.push(j);
        }
        if (buf.length > MAX_SYNAPSES) throw bad(ctx.projection, 'p', `more than ${MAX_SYNAPSES} synapses`);
        indptr[i + 1] = buf.length;
      }
      return { indptr, indices: buf.trimmed() };
    },
  };
}

/** One synapse: [pre, post] or [pre, post, weight] or [pre, post, weight, delay seconds]. */
export type SynapseTuple = readonly [number, number] | readonly [number, number, number] | readonly [number, number, number, number];

/** Columnar synapse list (fast path for large lists). */
export interface SynapseColumns {
  pre: ArrayLike<number>;
  post: ArrayLike<number>;
  weight?: ArrayLike<number>;
  /** Seconds. */
  delay?: ArrayLike<number>;
}

/**
 * An explicit list of synapses (PyNN FromListConnector), local indices into the views. Synapses
 * keep their list order within each pre neuron; duplicates are kept (multapses). Weights and
 * delays given here override the projection's `weight`/`delay` options; all tuples must give the
 * same number of columns.
 */
export function fromList(list: readonly SynapseTuple[] | SynapseColumns): Connector {
  return {
    kind: 'fromList',
    connect(ctx) {
      const cols = Array.isArray(list) ? toColumns(list as readonly SynapseTuple[], ctx.projection) : (list as SynapseColumns);
      const n = cols.pre.length;
      if (cols.post.length !== n || (cols.weight && cols.weight.length !== n) || (cols.delay && cols.delay.length !== n))
        throw bad(ctx.projection, 'connector', 'fromList columns have different lengths');
      const indptr = new Int32Array(ctx.nPre + 1);
      for (let s = 0; s < n; s++) {
        const i = cols.pre[s]!;
        const j = cols.post[s]!;
        if (!Number.isInteger(i) || i < 0 || i >= ctx.nPre)
          throw bad(ctx.projection, 'connector', `fromList entry ${s}: pre index ${i} is out of range for ${ctx.nPre} neurons`);
        if (!Number.isInteger(j) || j < 0 || j >= ctx.nPost)
          throw bad(ctx.projection, 'connector', `fromList entry ${s}: post index ${j} is out of range for ${ctx.nPost} neurons`);
        indptr[i + 1]!++;
      }
      for (let i = 0; i < ctx.nPre; i++) indptr[i + 1]! += indptr[i]!;
      const fill = indptr.slice(0, ctx.nPre);
      const indices = new Int32Array(n);
      const weight = cols.weight ? new Float64Array(n) : undefined;
      const delay = cols.delay ? new Float64Array(n) : undefined;
      for (let s = 0; s < n; s++) {
        const at = fill[cols.pre[s]!]!++;
        indices[at] = cols.post[s]!;
        if (weight) weight[at] = cols.weight![s]!;
        if (delay) delay[at] = cols.delay![s]!;
      }
      return { indptr, indices, ...(weight ? { weight } : {}), ...(delay ? { delay } : {}) };
    },
  };
}

function toColumns(list: readonly SynapseTuple[], projection: string): SynapseColumns {
  const n = list.length;
  const width = n ? list[0]!.length : 2;
  const pre = new Float64Array(n);
  const post = new Float64Array(n);
  const weight = width >= 3 ? new Float64Array(n) : undefined;
  const delay = width >= 4 ? new Float64Array(n) : undefined;
  for (let s = 0; s < n; s++) {
    const t = list[s]!;
    if (t.length !== width) throw bad(projection, 'connector', `fromList entry ${s} has ${t.length} columns, the first has ${width}`);
    pre[s] = t[0];
    post[s] = t[1];
    if (weight) weight[s] = t[2]!;
    if (delay) delay[s] = t[3]!;
  }
  return { pre, post, ...(weight ? { weight } : {}), ...(delay ? { delay } : {}) };
}
