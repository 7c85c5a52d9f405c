import { resolve } from 'node:path';
import type { z } from 'zod';
import type { ChipBackend } from '../src/chip/backend.js';
import { loadProfileFile, resolveProfile, type ChipProfile } from '../src/chip/profile.js';
import { diag, NeuromeshError } from '../src/errors.js';
import type { ChipOption } from '../src/chip/run-record.js';
import type { ChipProgram, PayloadCodec } from '../src/chip/program.js';
import { decodeProgram, encodeProgram, readProgramFile, writeProgramFile } from '../src/io/proto/program-codec.js';
import { spinnaker2Codec } from './spinnaker2/codec.js';
import { spinnaker2Backend } from './spinnaker2/backend.js';
import { SPINNAKER2_OPTIONS } from './spinnaker2/contract.js';
import { SPINNAKER2_FIELD_RULES, SPINNAKER2_REQUIRED_FIELDS, spinnaker2CrossFieldRules } from './spinnaker2/profile-fields.js';
import { ENERGY_MODELS } from './spinnaker2/cost.js';
import type { ProfileFamilySpec, ProfileFieldRule } from '../src/chip/profile-schema.js';
import { SPINNAKER2_PROFILES } from './spinnaker2/profiles.js';

/** One entry per folder under chips/ (a test checks the two agree). */
export interface ChipFamily {
  id: string;
  /** Built-in profiles as raw JSON, by profile id. */
  profiles: Record<string, unknown>;
  backend(profile: ChipProfile): ChipBackend;
  /** Encodes and decodes the family's program payload (the same codec its backend carries). */
  codec: PayloadCodec<unknown>;
  /** The family's own command-line options (the CLI registers them before it knows the chip). */
  options: readonly ChipOption[];
  /**
   * Zod object of the chip-owned top-level profile sections (validated with the generic ones; a
   * section neither knows is an E_PROFILE error). Read them with chipSections(profile, schema).
   */
  profileSchema?: z.ZodObject;
  /** Dotted coefficient paths the backend reads: a profile of this family without one is refused at load. */
  requiredFields: string[];
  /** Ranges of the family's coefficients, checked at load (ProfileFamilySpec.fieldRules). */
  fieldRules?: readonly ProfileFieldRule[];
  /** Rules between the family's fields, checked at load. */
  crossFieldRules?: ProfileFamilySpec['crossFieldRules'];
  /** The energy models the family's cost model knows. */
  energyModels?: readonly string[];
}

export const CHIPS: readonly ChipFamily[] = [
  { id: 'spinnaker2', profiles: SPINNAKER2_PROFILES, backend: spinnaker2Backend, codec: spinnaker2Codec as PayloadCodec<unknown>, options: SPINNAKER2_OPTIONS, requiredFields: SPINNAKER2_REQUIRED_FIELDS,
    fieldRules: SPINNAKER2_FIELD_RULES, crossFieldRules: spinnaker2CrossFieldRules, energyModels: ENERGY_MODELS },
];

function builtinJson(id: string): unknown {
  for (const c of CHIPS) if (Object.hasOwn(c.profiles, id)) return c.profiles[id];
  return undefined;
}

/** Every built-in profile, validated (a broken built-in is a bug: it throws). */
export function builtinProfiles(): ChipProfile[] {
  const out: ChipProfile[] = [];
  for (const c of CHIPS)
    for (const [id, json] of Object.entries(c.profiles)) {
      const r = resolveProfile(json, builtinJson, `chips/${c.id}/profiles/${id}.json`, CHIPS);
      // a built-in profile that does not validate is a bug in neuromesh, not the user's input
      if (!r.profile) throw new NeuromeshError(r.diagnostics.map((d) => ({ ...d, code: 'E_INTERNAL', message: `built-in profile: ${d.message}` })));
      out.push(r.profile);
    }
  return out;
}

/**
 * A profile by built-in id (`spinnaker2-48`) or by path to a JSON file (`./my.json`, which may
 * `extends` a built-in); validation errors are one line each naming the field.
 */
export function loadProfile(spec: string): ChipProfile {
  const isFile = spec.endsWith('.json') || spec.includes('/') || spec.includes('\\');
  const r = isFile ? loadProfileFile(resolve(spec), builtinJson, CHIPS) : (() => {
    const json = builtinJson(spec);
    if (json === undefined)
      return { diagnostics: [diag('E_UNKNOWN_CHIP', `unknown chip profile '${spec}'`, { hint: `built-in: ${CHIPS.flatMap((c) => Object.keys(c.profiles)).join(', ')}; or give a path to a .json profile` })] };
    return resolveProfile(json, builtinJson, spec, CHIPS);
  })();
  if (!r.profile) throw new NeuromeshError(r.diagnostics);
  return r.profile;
}

/** The backend for a profile (by its family). */
export function backendFor(profile: ChipProfile): ChipBackend {
  const fam = CHIPS.find((c) => c.id === profile.family);
  if (!fam) throw new NeuromeshError([diag('E_UNKNOWN_CHIP', `profile '${profile.id}' names unknown chip family '${profile.family}'`, { chip: profile.id, field: 'family', hint: `families: ${CHIPS.map((c) => c.id).join(', ')}` })]);
  return fam.backend(profile);
}

export function loadBackend(spec: string): ChipBackend {
  return backendFor(loadProfile(spec));
}

/** The payload codec of a chip family (undefined for a family this neuromesh does not have). */
export function codecFor(family: string): PayloadCodec<unknown> | undefined {
  return CHIPS.find((c) => c.id === family)?.codec;
}

function codecOf(program: ChipProgram): PayloadCodec<unknown> {
  const codec = codecFor(program.profile.family);
  if (!codec) throw new NeuromeshError([diag('E_UNKNOWN_CHIP', `a program for unknown chip family '${program.profile.family}'`, { hint: `families: ${CHIPS.map((c) => c.id).join(', ')}` })]);
  return codec;
}

/** A program as .nmp bytes (its family's codec writes the payload). */
export function encodeNmp(program: ChipProgram): Uint8Array {
  return encodeProgram(program, codecOf(program));
}

/** .nmp bytes → program, for any family in CHIPS. */
export function decodeNmp(bytes: Uint8Array, file?: string): ChipProgram {
  return decodeProgram(bytes, codecFor, file);
}

/** Write a program to a .nmp file (atomically); returns its size in bytes. */
export function writeNmp(program: ChipProgram, path: string): number {
  return writeProgramFile(program, codecOf(program), path);
}

/** Read a .nmp file of any family in CHIPS. */
export function readNmp(path: string): Promise<ChipProgram> {
  return readProgramFile(path, codecFor);
}
