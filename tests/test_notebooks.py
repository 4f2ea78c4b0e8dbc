"""Every notebook in nbs/ runs as one pytest test, through nbdev's own test runner, honouring `tst_flags` in
settings.ini. Each runs in a fresh Python process, as a student's kernel would: no thread count, import or background
thread left by one notebook can change (or crash) the next one in the same test worker."""
import os, subprocess, sys
from pathlib import Path
import pytest
from nbdev.config import get_config

NBS = Path(__file__).resolve().parent.parent/'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))
RUN = """import sys
from pathlib import Path
import nbdev.test as nbt
ok, secs = nbt.test_nb(Path(sys.argv[1]), skip_flags=sys.argv[2].split(), force_flags=sys.argv[3].split(),
                       basepath=Path(sys.argv[4]))
sys.exit(0 if ok else 1)"""

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook(nb: Path):
    skip = get_config().tst_flags                                # cells marked e.g. `#| slow` are skipped ...
    force = os.environ.get('MOBILEPORTRAIT_TEST_FLAGS', '')     # ... unless forced: MOBILEPORTRAIT_TEST_FLAGS=slow
    r = subprocess.run([sys.executable, '-c', RUN, str(nb), skip, force, str(NBS.parent)], capture_output=True,
                       text=True, cwd=NBS.parent)
    sys.stderr.write(r.stderr[-20000:])
    assert r.returncode == 0, f'{nb.name} failed (its traceback is above, on stderr):\n{r.stderr[-3000:]}'
