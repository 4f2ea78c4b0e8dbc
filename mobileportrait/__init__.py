__version__ = "0.0.1"

import sys as _sys
from pathlib import Path as _Path

def _start_up_sigint(signum, frame):
    "SIGINT while the `mobileportrait` command imports: one line and exit 130 (nothing has been written yet)."
    import os
    print('mobileportrait: interrupted', file=_sys.stderr, flush=True)
    os._exit(130)

def _quiet_start_up():
    """When this process is the `mobileportrait` command, a Ctrl-C during the seconds of imports (torch, dlib) ends it
    with one line instead of a 70-line traceback. `cli.main` puts Python's handler back before any work."""
    import signal
    if _sys.argv and _Path(_sys.argv[0]).stem in ('mobileportrait', 'mobileportrait-script'):
        try: signal.signal(signal.SIGINT, _start_up_sigint)
        except ValueError: pass   # not the main thread

_quiet_start_up()

# The Python API of the main job: `mobileportrait.animate(source, driving, **options)` yields frames,
# `mobileportrait.animate_to_file(source, driving, out, ...)` writes an mp4; `load_model` loads a checkpoint.
from .animate import animate, animate_to_file
from .model import load_model
