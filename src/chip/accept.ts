import { diag, NeuromeshError } from '../errors.js';
import type { ChipBackend } from './backend.js';
import { mappingHash } from './profile-hash.js';
import type { ChipProgram } from './program.js';

/**
 * Whether a compiled program (e.g. read from a .nmp) may run with this backend's profile: the same
 * family, and the same mapping sections (machine, chip, formats, limits, arithmetic, placement, and
 * the chip's own sections). Cost sections may differ — a sweep over energy coefficients reuses one
 * program — and the run's report names the profile it was costed with. Then the chip's own checks.
 */
export function acceptProgram(program: ChipProgram, backend: ChipBackend, file?: string): void {
  const at = { field: 'chip', ...(file ? { file } : {}) };
  const what = file ?? 'the program';
  const p = backend.profile;
  if (program.profile.family !== p.family)
    throw new NeuromeshError([diag('E_PROFILE_MISMATCH', `${what} was compiled for a ${program.profile.family} chip ('${program.profile.id}'), not for ${p.family} ('${p.id}')`, { ...at, hint: `pass --chip ${program.profile.id}` })]);
  if (program.profile.mappingHash !== mappingHash(p))
    throw new NeuromeshError([diag('E_PROFILE_MISMATCH', `${what} was compiled for '${program.profile.id}', and '${p.id}' maps differently (its machine, formats, limits, arithmetic or placement differ)`, {
      ...at, hint: `pass --chip ${program.profile.id}, or recompile for '${p.id}' (profiles that differ only in energy or latency share programs)`,
    })]);
  backend.accepts(program, file);
}
