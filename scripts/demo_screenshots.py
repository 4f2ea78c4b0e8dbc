"""Screenshots of the demos in nbs/14_demos.ipynb as a person sees them: runs the real-browser test
(tests/test_browser.py: JupyterLab + headless Chromium, Run All Cells, one control of each demo moved) with
MOBILEPORTRAIT_SCREENSHOTS pointing at docs/, so it writes docs/demo_keypoints.jpg, demo_ablation.jpg,
demo_expression.jpg and demo_speed.jpg, plus one per further demo the notebook builds (demo_live.jpg for
`live_demo`), each at most 150 KB.

    python scripts/demo_screenshots.py [OUT_DIR]

Needs what the test needs: `pip install -c constraints.txt -e ".[dev,lab]"` and Chromium
(`apt-get install -y chromium`).
Takes about two minutes on 2 cores; fails (instead of skipping) when the test cannot run."""
import os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ('keypoints', 'ablation', 'expression', 'speed')

def main(out: Path = ROOT/'docs', max_kb: int = 150) -> int:
    out = out.resolve(); out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    r = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-s', '-rs', '-p', 'no:cacheprovider',
                        str(ROOT/'tests'/'test_browser.py')], cwd=ROOT,
                       env={**os.environ, 'MOBILEPORTRAIT_SCREENSHOTS': str(out)})
    if r.returncode:
        print(f'error: the browser test failed (exit {r.returncode}): no screenshots written'); return 2
    shots = [out/f'demo_{n}.jpg' for n in NAMES]
    missing = [p.name for p in shots if not p.exists() or p.stat().st_mtime < t0]
    if missing:
        print(f"error: not written (was the browser test skipped? its reason is above): {', '.join(missing)}")
        return 2
    written = [p for p in sorted(out.glob('demo_*.jpg')) if p.stat().st_mtime >= t0]
    for p in written: print(f'{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}: {p.stat().st_size / 1024:.0f} KB')
    too_big = [p.name for p in written if p.stat().st_size > max_kb * 1024]
    if too_big: print(f"error: over {max_kb} KB: {', '.join(too_big)}"); return 2
    return 0

if __name__ == '__main__':
    sys.exit(main(*(Path(a) for a in sys.argv[1:2])))
