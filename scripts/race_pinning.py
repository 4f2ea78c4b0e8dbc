"""Issue 23: is the OpenVINO race's spread (mp-4g at ~38 or ~53 ms per frame, whole runs in one mode or the other)
OpenVINO's CPU pinning? Races TPS-MM, mp-4g and tiny in OpenVINO (256², 2 threads, 8 interleaved rounds), 3 times with
OpenVINO's default pinning and 3 times with ENABLE_CPU_PINNING off, alternating; prints each run's medians and ratios
and writes them to /tmp/race_pinning.json (results/bench_epyc.json's race_openvino_runs holds the 2026-12-04 runs).

    python scripts/race_pinning.py
"""
import json, sys
import openvino as ov
from mobileportrait.tps_race import race
orig = ov.Core.compile_model
state = {'pin': None}
def cm(self, path, dev, cfg):
    cfg = dict(cfg)
    if state['pin'] is not None: cfg['ENABLE_CPU_PINNING'] = state['pin']
    return orig(self, path, dev, cfg)
ov.Core.compile_model = cm
out = []
for k in range(3):
    for pin in ((None, False) if k % 2 == 0 else (False, None)):
        state['pin'] = pin
        r = race(('tps-mm', 'mp-4g', 'tiny'), size=256, rounds=8, threads=2, runtime='openvino')
        row = {x['config']: x['ms_median'] for x in r['rows']}
        out.append(dict(pin=pin, ms=row, ratio=r['ratio']))
        print(pin, row, {c: round(v, 1) for c, v in r['ratio'].items()}, flush=True)
json.dump(out, open('/tmp/race_pinning.json', 'w'), indent=1)
