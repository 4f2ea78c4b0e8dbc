"Every notebook in nbs/ runs as one pytest test, through nbdev's own test runner, honouring `tst_flags` in settings.ini."
import os
from pathlib import Path
import pytest
import nbdev.test as nbt
from nbdev.config import get_config

NBS = Path(__file__).resolve().parent.parent/'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook(nb: Path):
    skip = get_config().tst_flags.split()                      # cells marked e.g. `#| slow` are skipped ...
    force = os.environ.get('MOBILEPORTRAIT_TEST_FLAGS', '').split()  # ... unless forced: MOBILEPORTRAIT_TEST_FLAGS=slow
    ok, secs = nbt.test_nb(nb, skip_flags=skip, force_flags=force, basepath=NBS.parent)
    assert ok, f'{nb.name} failed (see its traceback above, on stderr)'
