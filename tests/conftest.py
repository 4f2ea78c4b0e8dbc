"Shared paths and helpers for the tests that are not notebook cells."
import os, shutil, subprocess, sys
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
        pytest.skip(f'{SHARED} not found (it sits beside a source checkout; set MOBILEPORTRAIT_SHARED_DATA to point elsewhere)')
    return SHARED

def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    "Run the installed `mobileportrait` command (falling back to `python -m mobileportrait.cli`)."
    exe = shutil.which('mobileportrait')
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)
