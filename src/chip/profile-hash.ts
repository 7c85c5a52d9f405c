import { createHash } from 'node:crypto';
import type { ChipProfile } from './profile.js';

/**
 * Sections of a profile that never change a mapping: names, cost coefficients (energy, latency,
 * operating points, energy model). Every other section — machine, chip, formats, limits,
 * arithmetic, placement and any chip-owned section — may, so it is in the mapping hash.
 */
const COST_OR_NAME = new Set(['id', 'version', 'name', 'description', 'energy', 'latency', 'dvfs', 'energyModel']);
/** Provenance notes: a changed citation does not change the chip. */
const NOTES = new Set(['source', 'derived', 'assumed', 'unverified']);

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const out: [string, unknown][] = [];
  for (const k of Object.keys(v).sort()) if (!NOTES.has(k)) out.push([k, canonical((v as Record<string, unknown>)[k])]);
  return out;
}

/** The profile sections that a mapping depends on, in a canonical order (what `mappingHash` hashes). */
export function mappingSections(profile: ChipProfile): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const k of Object.keys(profile).sort()) if (!COST_OR_NAME.has(k)) out.push([k, canonical((profile as Record<string, unknown>)[k])]);
  return out;
}

/**
 * SHA-256 (hex, first 32 digits) of the mapping sections: two profiles with the same hash map every
 * graph the same way, so a program compiled for one runs with the other (a sweep over energy
 * coefficients reuses one program); a program is refused with a profile of another hash.
 */
export function mappingHash(profile: ChipProfile): string {
  return createHash('sha256').update(JSON.stringify(mappingSections(profile))).digest('hex').slice(0, 32);
}

/** The mapping sections in which two profiles differ (for the refusal message). */
export function mappingDifferences(a: ChipProfile, b: ChipProfile): string[] {
  const sa = new Map(mappingSections(a).map(([k, v]) => [k, JSON.stringify(v)]));
  const sb = new Map(mappingSections(b).map(([k, v]) => [k, JSON.stringify(v)]));
  return [...new Set([...sa.keys(), ...sb.keys()])].filter((k) => sa.get(k) !== sb.get(k)).sort();
}
