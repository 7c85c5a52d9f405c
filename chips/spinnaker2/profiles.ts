import chip from './profiles/spinnaker2.json' with { type: 'json' };
import board48 from './profiles/spinnaker2-48.json' with { type: 'json' };
import board48wrap from './profiles/spinnaker2-48-wrap.json' with { type: 'json' };
import triad from './profiles/spinnaker2-triad.json' with { type: 'json' };
import cycles from './profiles/spinnaker2-cycles.json' with { type: 'json' };

/** The built-in spinnaker2 profiles as raw JSON (validated by the loader, `extends` resolved there). */
export const SPINNAKER2_PROFILES: Record<string, unknown> = {
  [chip.id]: chip,
  [board48.id]: board48,
  [board48wrap.id]: board48wrap,
  [triad.id]: triad,
  [cycles.id]: cycles,
};
