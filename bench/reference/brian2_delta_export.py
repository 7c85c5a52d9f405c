"""Brian2 side of the delta-synapse cross-check (bench/reference/README.md, section 3).

A small recurrent network of tonic LIF neurons whose excitatory synapses are delta synapses
(on_pre='v += wd') and whose inhibitory ones are a decaying current (on_pre='gi += wi'):
N = 100 (80 excitatory), p = 0.1, exact integration, dt = 0.1 ms, 300 ms.

Usage: /usr/bin/python3 brian2_delta_export.py OUT [SEED] [REFRACTORY_MS] [RESET]
  RESET zero ('v = Vr') | subtract ('v -= Vt - Vr'); default zero, refractory 5 ms

OUT/ce_i.npy, ce_j.npy, ci_i.npy, ci_j.npy (synapses, global pre index), v0.npy (volts),
OUT/spike_i.npy, spike_t_steps.npy (every spike), OUT/brian2.json (the parameters).
"""
import json, os, sys
from brian2 import *
import numpy as np

out = sys.argv[1]
seed_value = int(sys.argv[2]) if len(sys.argv) > 2 else 1
refr_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
reset_mode = sys.argv[4] if len(sys.argv) > 4 else 'zero'
assert reset_mode in ('zero', 'subtract'), reset_mode
os.makedirs(out, exist_ok=True)
prefs.codegen.target = 'numpy'
seed(seed_value)
defaultclock.dt = 0.1*ms

N = 100; NE = 80; p = 0.1
taum = 20*ms; taui = 10*ms
Vt = -50*mV; Vr = -60*mV; El = -49*mV
wd = 2.5*mV; wi = -1.5*mV
eqs = '''
dv/dt = (gi - (v - El))/taum : volt (unless refractory)
dgi/dt = -gi/taui : volt
'''
reset = 'v = Vr' if reset_mode == 'zero' else 'v -= Vt - Vr'
P = NeuronGroup(N, eqs, threshold='v > Vt', reset=reset, refractory=refr_ms*ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
P.gi = 0*mV
Ce = Synapses(P[:NE], P, on_pre='v += wd')
Ci = Synapses(P[NE:], P, on_pre='gi += wi')
Ce.connect(p=p)
Ci.connect(p=p)
v0 = np.asarray(P.v[:], dtype=np.float64).copy()
smon = SpikeMonitor(P)
run(300*ms)
np.save(os.path.join(out, 'ce_i.npy'), np.asarray(Ce.i[:], dtype=np.int32))
np.save(os.path.join(out, 'ce_j.npy'), np.asarray(Ce.j[:], dtype=np.int32))
np.save(os.path.join(out, 'ci_i.npy'), np.asarray(Ci.i[:], dtype=np.int32) + NE)
np.save(os.path.join(out, 'ci_j.npy'), np.asarray(Ci.j[:], dtype=np.int32))
np.save(os.path.join(out, 'v0.npy'), v0)
np.save(os.path.join(out, 'spike_i.npy'), np.asarray(smon.i[:], dtype=np.int32))
np.save(os.path.join(out, 'spike_t_steps.npy'), np.asarray(np.round(smon.t[:] / defaultclock.dt), dtype=np.int32))
with open(os.path.join(out, 'brian2.json'), 'w') as f:
    json.dump({'N': N, 'NE': NE, 'p': p, 'seed': seed_value, 'refractory_ms': refr_ms, 'reset': reset_mode, 'steps': 3000,
               'taum': float(taum), 'taui': float(taui), 'Vt': float(Vt), 'Vr': float(Vr), 'El': float(El), 'wd': float(wd), 'wi': float(wi),
               'spikes': int(smon.num_spikes), 'brian2': __import__('brian2').__version__}, f, indent=1)
print(out, smon.num_spikes)
