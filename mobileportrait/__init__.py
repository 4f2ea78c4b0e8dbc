__version__ = "0.0.1"

# The Python API of the main job: `mobileportrait.animate(source, driving, **options)` yields frames,
# `mobileportrait.animate_to_file(source, driving, out, ...)` writes an mp4; `load_model` loads a checkpoint.
from .animate import animate, animate_to_file
from .model import load_model
