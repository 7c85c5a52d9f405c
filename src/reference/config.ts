import { diag, type Diagnostic } from '../errors.js';
import { checkInt, decimalNumber } from '../number-intake.js';

/**
 * The run configuration of docs/semantics.md §1. NIR stores no time step, integrator or reset rule;
 * neuromesh pins them here and every output repeats the resolved configuration.
 */
export interface RunConfig {
  /** Time step in seconds. */
  dt: number;
  /** `euler`: a = 1 − dt/τ · `exact`: a = exp(−dt/τ) (CurrentLIF: the exact solution, see INTEGRATION). */
  integrator: 'euler' | 'exact';
  /** `zero`: v ← v_reset (0 where the node has none) · `subtract`: v ← v − v_threshold. */
  reset: 'zero' | 'subtract';
  /** `step`: I/IF add R·x per step · `ode`: add dt·R·x. */
  ifMode: 'step' | 'ode';
  /**
   * CurrentLIF input that arrives while the neuron is refractory: `integrate` adds it to the
   * synaptic current as at any other step; `drop` discards it (docs/semantics.md §1, §2).
   */
  refractoryInput: 'integrate' | 'drop';
  /** 0: edges act within the step · 1: every edge into a stateful node adds one step. */
  delay: 0 | 1;
  /** Number of steps to run (0-based steps 0 … steps−1). */
  steps: number;
  /** Seed of every random draw (docs/semantics.md §3). */
  seed: number;
}

/** Defaults of docs/semantics.md §1 (`steps` has none: 0 here means "not given"). */
export const DEFAULT_CONFIG: Readonly<RunConfig> = Object.freeze({
  dt: 1e-4,
  integrator: 'euler',
  reset: 'zero',
  ifMode: 'step',
  refractoryInput: 'integrate',
  delay: 0,
  steps: 0,
  seed: 0,
});

/** Largest number of steps accepted (2^31 − 1: steps are stored in Int32Arrays). */
export const MAX_STEPS = 2 ** 31 - 1;

/**
 * Exactly how each integrator discretises the neuron equations; repeated in every output's
 * `config.integration` so that a reader never has to guess.
 */
const DELTA_TEXT =
  'A CurrentLIF receptor with τ_syn = 0 is a delta synapse: it has no current, and its input is added to v first ' +
  '(v ← v + input, dropped at steps t+1 … t+max(n, 1) after a spike at t with n refractory steps, as Brian2 does for v (unless refractory)), ' +
  'before the integration above; a τ = 0 decay (CubaLIF/CubaLI tau_syn = 0) is a = 0.';

export const INTEGRATION: Readonly<Record<RunConfig['integrator'], string>> = Object.freeze({
  euler:
    'NIR neurons: docs/semantics.md §2 with a = 1 − dt/τ. CurrentLIF (per step t): i_r += input on receptor r (refractoryInput drop: not while refractory, docs/semantics.md §2); ' +
    'unless refractory v ← v + (dt/τ_mem)·(v_rest − v + Σ_r i_r); i_r ← i_r·(1 − dt/τ_syn[r]); ' +
    'spike if not refractory and v > v_threshold, then v ← v_reset (reset zero) or v ← v − (v_threshold − v_reset) (reset subtract), and refractory for n = ⌊t_ref/dt + 0.001⌋ steps (Brian2 timestep()). ' +
    DELTA_TEXT,
  exact:
    'NIR neurons: docs/semantics.md §2 with a = exp(−dt/τ) (input held constant over the step). CurrentLIF (per step t): ' +
    'i_r += input on receptor r (refractoryInput drop: not while refractory, docs/semantics.md §2); unless refractory v ← v_rest + (v − v_rest)·e^(−dt/τ_mem) + Σ_r i_r·c_r with ' +
    'c_r = τ_r/(τ_r − τ_mem)·(e^(−dt/τ_r) − e^(−dt/τ_mem)) (c_r = (dt/τ_mem)·e^(−dt/τ_mem) when τ_r = τ_mem), the exact solution ' +
    "over one step of dv/dt = (v_rest − v + Σ_r i_r)/τ_mem, di_r/dt = −i_r/τ_r, as Brian2's method='exact'; i_r ← i_r·e^(−dt/τ_r); " +
    'spike if not refractory and v > v_threshold, then v ← v_reset (reset zero) or v ← v − (v_threshold − v_reset) (reset subtract), and refractory for n = ⌊t_ref/dt + 0.001⌋ steps (Brian2 timestep()). ' +
    DELTA_TEXT,
});

/** The configuration as written into outputs (docs/semantics.md §5 `config`). */
export interface ConfigDoc extends RunConfig {
  engine: 'reference-float64';
  integration: string;
}

export function configDoc(cfg: RunConfig): ConfigDoc {
  return {
    engine: 'reference-float64',
    dt: cfg.dt,
    integrator: cfg.integrator,
    reset: cfg.reset,
    ifMode: cfg.ifMode,
    refractoryInput: cfg.refractoryInput,
    delay: cfg.delay,
    steps: cfg.steps,
    seed: cfg.seed,
    integration: INTEGRATION[cfg.integrator],
  };
}

/** Options as they arrive from a CLI or an API caller: anything may be missing or wrong. */
export interface RunConfigInput {
  dt?: number | string;
  integrator?: string;
  reset?: string;
  ifMode?: string;
  refractoryInput?: string;
  delay?: number | string;
  steps?: number | string;
  seed?: number | string;
}

function num(v: number | string): number {
  return typeof v === 'number' ? v : decimalNumber(v);
}

/**
 * Fill defaults and check every option. Returns the config, or diagnostics (E_BAD_OPTION, exit 2)
 * naming the option. `steps` must be given (> 0) unless `requireSteps` is false.
 */
export function resolveConfig(input: RunConfigInput, opts: { requireSteps?: boolean } = {}): { config?: RunConfig; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const bad = (field: string, message: string, hint: string): void => {
    d.push(diag('E_BAD_OPTION', message, { field, hint }));
  };
  const cfg: RunConfig = { ...DEFAULT_CONFIG };
  if (input.dt !== undefined) {
    const dt = num(input.dt);
    if (!Number.isFinite(dt) || dt <= 0) bad('dt', `--dt ${String(input.dt)} is not a positive number of seconds`, 'e.g. --dt 1e-4 (0.1 ms, the default)');
    // a step longer than an hour is a typo, and products of it (run time, static energy) could overflow
    else if (dt > MAX_DT) bad('dt', `--dt ${String(input.dt)} s is longer than the ${MAX_DT} s a step may last`, 'dt is the step in seconds, e.g. --dt 1e-4 (0.1 ms, the default)');
    else cfg.dt = dt;
  }
  if (input.integrator !== undefined) {
    if (input.integrator !== 'euler' && input.integrator !== 'exact') bad('integrator', `--integrator '${input.integrator}' is not known`, 'use euler or exact');
    else cfg.integrator = input.integrator;
  }
  if (input.reset !== undefined) {
    if (input.reset !== 'zero' && input.reset !== 'subtract') bad('reset', `--reset '${input.reset}' is not known`, 'use zero or subtract');
    else cfg.reset = input.reset;
  }
  if (input.ifMode !== undefined) {
    if (input.ifMode !== 'step' && input.ifMode !== 'ode') bad('ifMode', `--if-mode '${input.ifMode}' is not known`, 'use step or ode');
    else cfg.ifMode = input.ifMode;
  }
  if (input.refractoryInput !== undefined) {
    const r = input.refractoryInput;
    if (r !== 'integrate' && r !== 'drop') bad('refractoryInput', `--refractory-input '${r}' is not known`, 'use integrate (input adds to the current while refractory, the default) or drop (it is discarded)');
    else cfg.refractoryInput = r;
  }
  if (input.delay !== undefined) {
    const v = num(input.delay);
    if (v !== 0 && v !== 1) bad('delay', `--delay ${String(input.delay)} must be 0 or 1`, '0: edges act within the step, 1: one step per edge into a stateful node');
    else cfg.delay = v;
  }
  if (input.steps !== undefined) {
    const v = checkInt(input.steps, { what: '--steps', min: 1, max: MAX_STEPS, why: 'steps are counted in 31 bits', where: { field: 'steps', hint: 'e.g. --steps 1000' } });
    if (typeof v === 'number') cfg.steps = v;
    else d.push(v);
  } else if (opts.requireSteps !== false) {
    bad('steps', 'the number of steps is missing', 'pass --steps N');
  }
  if (input.seed !== undefined) {
    const v = checkInt(input.seed, { what: '--seed', min: 0, where: { field: 'seed', hint: 'e.g. --seed 42' } });
    if (typeof v === 'number') cfg.seed = v;
    else d.push(v);
  }
  return d.length ? { diagnostics: d } : { config: cfg, diagnostics: d };
}

/** Decay factor of §1 for time constant tau. */
/** Longest step (s): an hour. */
export const MAX_DT = 3600;

export function decay(integrator: RunConfig['integrator'], dt: number, tau: number): number {
  // τ = 0 (a delta synapse, CubaLI/CubaLIF tau_syn = 0): nothing is kept from one step to the next
  if (tau === 0) return 0;
  return integrator === 'euler' ? 1 - dt / tau : Math.exp(-dt / tau);
}
