import type { ProgramPopulation } from '../../chip/program.js';
import { isFlatKind } from '../../graph/registry.js';
import type { ErrorCode } from '../../errors.js';
import { setOwn } from '../../own.js';
import { fromLittleEndian } from './le-bytes.js';

/** A ProgramPopulation message as protobufjs decodes it (program.proto). */
export interface PopulationMsg {
  name?: string; kind?: string; role?: string; size?: number; shape?: number[]; receptors?: number; spiking?: boolean; output?: boolean;
  params?: { name?: string; values?: Uint8Array; fixed?: Uint8Array }[]; coefficients?: { name?: string; fixed?: Uint8Array }[]; bias?: Uint8Array; bias_fixed?: Uint8Array;
}

type Fail = (code: ErrorCode, message: string) => never;

/** Little-endian bytes of a typed array, refused when the byte count is not whole elements. */
export function typedArrayOf<T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(
  b: Uint8Array | undefined, ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string, fail: Fail,
): T {
  const bytes = b ?? new Uint8Array(0);
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) fail('E_CORRUPT', `corrupt .nmp file: ${what} has ${bytes.byteLength} bytes, not a multiple of ${ctor.BYTES_PER_ELEMENT}`);
  return fromLittleEndian(bytes, ctor);
}

/** A spike source's data must fit its size: rates one per neuron, spikes whole steps of counts ≥ 0. */
function checkSource(p: ProgramPopulation, fail: Fail): void {
  const { rate, spikes } = p.params;
  const bad = (what: string): never => fail('E_CORRUPT', `corrupt .nmp file: spike source '${p.name}' (${p.size} neurons) ${what}`);
  if ((rate === undefined) === (spikes === undefined)) bad('needs exactly one of rate and spikes');
  if (rate && (rate.length !== p.size || rate.some((r) => !(r >= 0) || !Number.isFinite(r)))) bad(`has ${rate.length} rates, not ${p.size} finite values ≥ 0`);
  if (spikes && (p.size === 0 || spikes.length % p.size !== 0 || spikes.some((c) => !(c >= 0) || !Number.isSafeInteger(c)))) bad(`has ${spikes.length} spike counts, not whole steps of integer counts ≥ 0`);
}

/** The populations of a program, every field checked (a bad one is E_CORRUPT naming population and field). */
export function decodePopulations(msgs: readonly PopulationMsg[], fail: Fail): ProgramPopulation[] {
  const names = new Set<string>();
  return msgs.map((q, index) => {
    const name = q.name ?? '';
    const bad = (what: string): never => fail('E_CORRUPT', `corrupt .nmp file: population ${index} ('${name}') ${what}`);
    if (!name || names.has(name)) bad(name ? 'has the name of another population' : 'has no name');
    names.add(name);
    const kind = q.kind ?? '';
    if (!isFlatKind(kind)) bad(`has unknown kind '${kind}'`);
    const size = q.size ?? 0;
    const shape = q.shape ?? [];
    if (shape.reduce((a, b) => a * b, 1) !== size) bad(`has shape [${shape.join(', ')}], not ${size} neurons`);
    const perNeuron = (len: number, what: string): void => {
      if (len !== 1 && len !== size) bad(`${what} has ${len} values, not 1 or ${size}`);
    };
    const receptors = q.receptors ?? 1;
    if (receptors < 1 || receptors > 16) bad(`has ${receptors} receptors (1–16)`);
    const params: Record<string, Float64Array> = {};
    const fixed: Record<string, Int32Array> = {};
    for (const pr of q.params ?? []) {
      const key = pr.name ?? '';
      const values = typedArrayOf(pr.values, Float64Array, `param ${key}`, fail);
      // a CurrentLIF's tau_syn has one value per receptor (src/chip/program.ts), every other param 1 or one per neuron
      if (kind === 'CurrentLIF' && key === 'tau_syn') {
        if (values.length !== receptors) bad(`param tau_syn has ${values.length} values, not one per receptor (${receptors})`);
      } else if (kind !== 'SpikeSource') perNeuron(values.length, `param ${key}`);
      setOwn(params, key, values);
      if (pr.fixed && pr.fixed.byteLength) {
        const codes = typedArrayOf(pr.fixed, Int32Array, `param ${key}`, fail);
        if (codes.length !== values.length) bad(`param ${key} has ${codes.length} codes for ${values.length} values`);
        setOwn(fixed, key, codes);
      }
    }
    const pop: ProgramPopulation = {
      index, name, kind: kind as ProgramPopulation['kind'], role: q.role === 'source' ? 'source' : q.role === 'relay' ? 'relay' : 'neuron', size, shape,
      params, receptors, spiking: q.spiking ?? false, output: q.output ?? false, fixed,
    };
    if (pop.kind === 'SpikeSource') checkSource(pop, fail);
    if (q.coefficients?.length) {
      const coefficients: Record<string, Int32Array> = {};
      for (const c of q.coefficients) {
        const codes = typedArrayOf(c.fixed, Int32Array, `coefficient ${c.name}`, fail);
        // per neuron, or per receptor (CurrentLIF ar, delta) or per receptor and neuron (CurrentLIF c)
        const n = codes.length;
        if (n !== 1 && n !== size && n !== receptors && n !== receptors * size) bad(`coefficient ${c.name} has ${n} values, not 1, ${size}, ${receptors} or ${receptors * size}`);
        setOwn(coefficients, c.name ?? '', codes);
      }
      pop.coefficients = coefficients;
    }
    if (q.bias && q.bias.byteLength) {
      pop.bias = typedArrayOf(q.bias, Float64Array, 'bias', fail);
      if (pop.bias.length !== size) bad(`bias has ${pop.bias.length} values, not ${size}`);
    }
    if (q.bias_fixed && q.bias_fixed.byteLength) pop.fixedBias = typedArrayOf(q.bias_fixed, Int32Array, 'bias_fixed', fail);
    return pop;
  });
}
