/** Cost-model rows built from one profile coefficient each: the common case of every chip's model. */
import type { CoefficientRef, EnergyTerm, StaticTerm } from './model.js';

type Coef = CoefficientRef & { value: number };

/** `counter` × one coefficient (J per count). */
export function perCount(component: string, counter: string, c: Coef): EnergyTerm {
  return { component, counter, joulesPerCount: c.value, formula: c.name, coefficients: [c] };
}

/** One coefficient (W) × `units` × run time. */
export function perUnitPower(component: string, c: Coef, units: number): StaticTerm {
  return { component, watts: c.value, units, formula: `${c.name} × ${units} unit(s) × steps × tick period`, coefficients: [c] };
}
