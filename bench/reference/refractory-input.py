"""Brian2's two refractory input rules on one CUBA neuron, for neuromesh's --refractory-input.

One neuron, dv/dt = (v_rest - v + ge + gi)/tau_m (unless refractory), dge/dt = -ge/tau_e,
dgi/dt = -gi/tau_i, method='exact', dt = 0.1 ms, threshold v > v_th, reset v = v_reset,
driven by two SpikeGeneratorGroups (exc, inh) whose spikes arrive during and around the
refractory period. Two on_pre rules:

  integrate  on_pre: 'ge += w'                       (Brian2's default: the current is not blocked)
  drop       on_pre: 'ge += w*int(not_refractory)'   (input delivered while refractory is discarded)

Brian2's schedule: a spike sent at step s runs on_pre at step s, after that step's threshold (so a
neuron that spikes at s already has not_refractory = False), and acts on v from step s + 1 on.
neuromesh (test/reference/refractory-input-brian2.test.ts) runs the same neuron with --delay 1
(the spike of step s arrives at step s + 1) and must reproduce spikes, v and the currents.

Recorded per step: v after reset (when='end') and ge, gi after the state update and before
on_pre (when='thresholds'), i.e. neuromesh's end-of-step v and currents after their decay.

    /usr/bin/python3 bench/reference/refractory-input.py bench/reference/refractory-input.json
"""
import json
import platform
import sys

import brian2
from brian2 import Network, NeuronGroup, SpikeGeneratorGroup, Synapses, SpikeMonitor, StateMonitor, defaultclock, ms, prefs, start_scope, volt

prefs.codegen.target = 'numpy'
DT = 0.1 * ms
STEPS = 80
PARAMS = dict(tau_m=20e-3, tau_e=5e-3, tau_i=10e-3, v_rest=0.0, v_th=10e-3, v_reset=0.0, v_init=0.0)
W_EXC = 0.2
W_INH = -0.1

CASES = [
    # spike at step 10; refractory 20 steps: Brian2 not_refractory is False at steps 10 … 29
    dict(name='t_ref 2 ms', t_ref=2e-3, exc=[5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 20, 28, 29, 30, 31, 40, 41, 42], inh=[25, 29, 30, 45]),
    # t_ref 0: not_refractory is still False from the threshold to the next step's update
    dict(name='t_ref 0', t_ref=0.0, exc=list(range(5, 16)), inh=[12, 20]),
]


def run_case(case, rule):
    start_scope()
    defaultclock.dt = DT
    p = PARAMS
    eqs = '''dv/dt = (v_rest - v + ge + gi)/tau_m : volt (unless refractory)
             dge/dt = -ge/tau_e : volt
             dgi/dt = -gi/tau_i : volt'''
    ns = dict(tau_m=p['tau_m'] * brian2.second, tau_e=p['tau_e'] * brian2.second, tau_i=p['tau_i'] * brian2.second,
              v_rest=p['v_rest'] * volt, v_th=p['v_th'] * volt, v_reset=p['v_reset'] * volt)
    g = NeuronGroup(1, eqs, threshold='v > v_th', reset='v = v_reset', refractory=case['t_ref'] * brian2.second, method='exact', namespace=ns)
    g.v = p['v_init'] * volt
    gate = '' if rule == 'integrate' else '*int(not_refractory)'
    syn = []
    for times, var, w in ((case['exc'], 'ge', W_EXC), (case['inh'], 'gi', W_INH)):
        src = SpikeGeneratorGroup(1, [0] * len(times), [t * DT for t in times])
        s = Synapses(src, g, on_pre=f'{var} += w*volt{gate}', namespace=dict(w=w))
        s.connect()
        syn += [src, s]
    sm = SpikeMonitor(g)
    mv = StateMonitor(g, 'v', record=True, when='end')
    mi = StateMonitor(g, ['ge', 'gi'], record=True, when='thresholds')
    Network(g, *syn, sm, mv, mi).run(STEPS * DT)
    return dict(
        spikes=[int(round(float(t / DT))) for t in sm.t],
        v=[float(x) for x in mv.v[0] / volt],
        ge=[float(x) for x in mi.ge[0] / volt],
        gi=[float(x) for x in mi.gi[0] / volt],
    )


def main():
    out = dict(
        description=__doc__.strip().split('\n')[0],
        brian2=brian2.__version__, python=platform.python_version(), codegen='numpy',
        dt=float(DT), steps=STEPS, params=PARAMS, w_exc=W_EXC, w_inh=W_INH, cases=[],
    )
    for case in CASES:
        c = dict(case, rules={})
        for rule in ('integrate', 'drop'):
            c['rules'][rule] = run_case(case, rule)
        out['cases'].append(c)
        print(case['name'], {r: x['spikes'] for r, x in c['rules'].items()})
    with open(sys.argv[1], 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
