import type { CoefficientRef } from '../cost/model.js';
import { diag, NeuromeshError } from '../errors.js';
import { own } from '../own.js';
import type { ChipProfile, Coefficient } from './profile.js';

type Section = 'energy' | 'latency' | 'chip' | 'limits' | 'placement';

/** A coefficient of the profile with its value and provenance, as reports show it; a missing one is E_PROFILE naming it. */
export function coefficientRef(profile: ChipProfile, section: Section, name: string): CoefficientRef & { value: number } {
  const c: Coefficient | undefined = own(profile[section], name);
  if (!c) throw new NeuromeshError([diag('E_PROFILE', `profile has no coefficient '${section}.${name}'`, { chip: profile.id, field: `${section}.${name}` })]);
  const provenance = c.source !== undefined ? 'source' : c.derived !== undefined ? 'derived' : 'assumed';
  return { name: `${section}.${name}`, value: c.value, unit: c.unit, provenance, note: (c.source ?? c.derived ?? c.assumed)!, ...(c.unverified ? { unverified: c.unverified } : {}) };
}
