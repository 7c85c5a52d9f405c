"""Brian2 side of the reference cross-check (bench/reference/README.md).

Runs the Vogels-Abbott CUBA network of bench/brian2/brian_bench.py (4,000 neurons,
p = 0.02, exact integration, dt = 0.1 ms, 1 s) and saves what neuromesh needs to rebuild the very
same network and compare:

  OUT/ce_i.npy, OUT/ce_j.npy   excitatory synapses (global pre index, post index), int32
  OUT/ci_i.npy, OUT/ci_j.npy   inhibitory synapses (global pre index = NE + Ci.i), int32
  OUT/v0.npy                   initial membrane voltages in volts, float64
  OUT/counts.npy               spikes per neuron in 1 s, int64
  OUT/spike_i.npy, OUT/spike_t_steps.npy   every spike (neuron, step), int32
  OUT/brian2.json              summary: rates, timings, versions, host

With VARIANT = delays-drive the network also has per-synapse delays (uniform in [1, 3] ms on
every recurrent synapse) and external drive (a PoissonGroup of 400 neurons at 10 Hz, p = 0.05,
weight we onto ge), and OUT also holds ce_d.npy / ci_d.npy (delays in steps, int32),
x_i.npy / x_j.npy (drive synapses) and x_spike_i.npy / x_spike_t_steps.npy (the drive's spikes).

With VARIANT = delta-delays the synapses are delta synapses (on_pre: v += w, we = 0.5 mV,
wi = -2.5 mV; no ge/gi) with the same delays and drive. Brian2 holds v while refractory, so input
that arrives then is discarded (neuromesh: --refractory-input drop).

Usage: /usr/bin/python3 brian2_cuba_export.py OUT [SEED] [TARGET] [VARIANT]
  TARGET numpy | cython (default cython); VARIANT plain | delays-drive | delta-delays
"""
import json, os, platform, sys, time, datetime
from brian2 import *
import brian2
import numpy as np

out = sys.argv[1]
seed_value = int(sys.argv[2]) if len(sys.argv) > 2 else 12345
target = sys.argv[3] if len(sys.argv) > 3 else 'cython'
variant = sys.argv[4] if len(sys.argv) > 4 else 'plain'
assert variant in ('plain', 'delays-drive', 'delta-delays'), variant
os.makedirs(out, exist_ok=True)
prefs.codegen.target = target
seed(seed_value)
defaultclock.dt = 0.1*ms

N = 4000; NE = int(0.8 * N); p = 0.02
taum = 20*ms; taue = 5*ms; taui = 10*ms
Vt = -50*mV; Vr = -60*mV; El = -49*mV
eqs = '''
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
'''
delta = variant.startswith('delta')
if delta:
    # delta synapses (PyNN IF_curr_delta, Brian's on_pre: v += w): no synaptic current at all
    eqs = 'dv/dt = -(v-El)/taum : volt (unless refractory)'
P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5*ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
if not delta:
    P.ge = 0*mV
    P.gi = 0*mV
we = (60*0.27/10)*mV
wi = (-20*4.5/10)*mV
Pe = P[:NE]; Pi = P[NE:]
if delta:
    # Brian2 holds a variable marked (unless refractory) while refractory: a `v += w` that
    # arrives then is lost (gating on_pre by not_refractory_post gives the identical run)
    we = 0.5*mV; wi = -2.5*mV
    Ce = Synapses(Pe, P, on_pre='v += we')
    Ci = Synapses(Pi, P, on_pre='v += wi')
else:
    Ce = Synapses(Pe, P, on_pre='ge += we')
    Ci = Synapses(Pi, P, on_pre='gi += wi')
Ce.connect(p=p)
Ci.connect(p=p)
NX = 400
if variant != 'plain':
    Ce.delay = '1*ms + 2*ms*rand()'
    Ci.delay = '1*ms + 2*ms*rand()'
    X = PoissonGroup(NX, rates=10*Hz)
    Cx = Synapses(X, P, on_pre='v += we' if delta else 'ge += we')
    Cx.connect(p=0.05)
    xmon = SpikeMonitor(X)
v0 = np.asarray(P.v[:], dtype=np.float64).copy()
smon = SpikeMonitor(P)
t0 = time.perf_counter()
run(1*second)
t_run = time.perf_counter() - t0

np.save(os.path.join(out, 'ce_i.npy'), np.asarray(Ce.i[:], dtype=np.int32))
np.save(os.path.join(out, 'ce_j.npy'), np.asarray(Ce.j[:], dtype=np.int32))
np.save(os.path.join(out, 'ci_i.npy'), np.asarray(Ci.i[:], dtype=np.int32) + NE)
np.save(os.path.join(out, 'ci_j.npy'), np.asarray(Ci.j[:], dtype=np.int32))
np.save(os.path.join(out, 'v0.npy'), v0)
counts = np.asarray(smon.count[:], dtype=np.int64)
np.save(os.path.join(out, 'counts.npy'), counts)
np.save(os.path.join(out, 'spike_i.npy'), np.asarray(smon.i[:], dtype=np.int32))
np.save(os.path.join(out, 'spike_t_steps.npy'), np.asarray(np.round(smon.t[:] / defaultclock.dt), dtype=np.int32))
if variant != 'plain':
    dt_s = float(defaultclock.dt)
    np.save(os.path.join(out, 'ce_d.npy'), np.asarray(np.round(np.asarray(Ce.delay[:]) / dt_s), dtype=np.int32))
    np.save(os.path.join(out, 'ci_d.npy'), np.asarray(np.round(np.asarray(Ci.delay[:]) / dt_s), dtype=np.int32))
    np.save(os.path.join(out, 'x_i.npy'), np.asarray(Cx.i[:], dtype=np.int32))
    np.save(os.path.join(out, 'x_j.npy'), np.asarray(Cx.j[:], dtype=np.int32))
    np.save(os.path.join(out, 'x_spike_i.npy'), np.asarray(xmon.i[:], dtype=np.int32))
    np.save(os.path.join(out, 'x_spike_t_steps.npy'), np.asarray(np.round(xmon.t[:] / defaultclock.dt), dtype=np.int32))
summary = dict(variant=variant, NX=NX if variant != 'plain' else 0, we_volt=float(we), wi_volt=float(wi),
    engine=f'brian2-{target}', brian2=brian2.__version__, numpy=np.__version__, python=platform.python_version(),
    seed=seed_value, N=N, NE=NE, p=p, synapses_exc=int(len(Ce)), synapses_inh=int(len(Ci)),
    spikes=int(counts.sum()), rate_hz=float(counts.sum() / N), rate_exc_hz=float(counts[:NE].sum() / NE),
    rate_inh_hz=float(counts[NE:].sum() / (N - NE)), t_run_s=round(t_run, 3),
    machine=platform.machine(), processor=platform.processor(), node=platform.node(),
    date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
)
with open(os.path.join(out, 'brian2.json'), 'w') as f:
    json.dump(summary, f, indent=2)
print('RESULT ' + json.dumps(summary))
