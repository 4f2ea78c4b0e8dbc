"Shared paths and helpers for the tests that are not notebook cells."
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT/'data_samples'
SHARED = Path(os.environ.get('MOBILEPORTRAIT_SHARED_DATA', ROOT.parent/'shared'/'data'))

if os.environ.get('PYTEST_XDIST_WORKER'):   # `pytest -n 2`: one core per worker, for torch here and in every subprocess
    os.environ['OMP_NUM_THREADS'] = '1'
    import torch
    torch.set_num_threads(1)

@pytest.fixture
def shared_data() -> Path:
    "The project's shared clips and portraits (`../shared/data`); tests using it skip when it is absent."
    if not (SHARED/'MANIFEST.tsv').exists():
        pytest.skip(f'{SHARED} not found (it sits beside a source checkout; '
                    'set MOBILEPORTRAIT_SHARED_DATA to point elsewhere)')
    return SHARED

def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    "Run the installed `mobileportrait` command (falling back to `python -m mobileportrait.cli`)."
    exe = shutil.which('mobileportrait')
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)

# Longest tests first, with `--dist worksteal` (pyproject.toml): a worker that runs out of tests takes the other's
# pending ones, so the two finish within one short test of each other instead of one idling while the other runs a
# 5-minute notebook at the end. Seconds per test (setup + call + teardown) come from tests/durations.json, refreshed by
# `MOBILEPORTRAIT_STORE_DURATIONS=1 python -m pytest -n 2` after a full run; a test it lacks keeps its collected place.
DURATIONS = Path(__file__).with_name('durations.json')
_seconds: dict = {}

def pytest_collection_modifyitems(items):
    known = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    items.sort(key=lambda item: -known.get(item.nodeid, 0))   # stable: the same order on every worker

def pytest_runtest_logreport(report):
    _seconds[report.nodeid] = _seconds.get(report.nodeid, 0) + report.duration

def pytest_sessionfinish(session):
    if os.environ.get('MOBILEPORTRAIT_STORE_DURATIONS') and _seconds and not hasattr(session.config, 'workerinput'):
        ranked = sorted(((k, round(v, 1)) for k, v in _seconds.items()), key=lambda kv: -kv[1])
        DURATIONS.write_text(json.dumps(dict(ranked), indent=0) + '\n')
