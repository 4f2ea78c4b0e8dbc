"""The demos notebook (nbs/14_demos.ipynb) in a real browser: JupyterLab on localhost, headless Chromium (the system's,
driven by playwright; nothing is downloaded), Run All Cells from the menu, then one control of every demo is moved
the way a person would (a slider dragged with the mouse, or a toggle button clicked where a demo has no slider) and
the demo's picture must change. One screenshot per demo, clipped to its widget, goes to $MOBILEPORTRAIT_SCREENSHOTS
(`python scripts/demo_screenshots.py` writes them into docs/) or else to the test's temporary folder.

The notebook is run from a temporary copy (never saved over the original), with `results/` and `runs/` linked beside
it so its relative paths still resolve, and one cell appended that displays every `Demo` the notebook built (any
object with a widget `.widget` and a dict `.controls`), so a demo added later is found and checked too."""
import base64, json, os, re, secrets, shutil, signal, socket, subprocess, sys, time, urllib.request
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT/'nbs'/'14_demos.ipynb'
REQUIRED = ('kp_demo', 'ab_demo', 'ex_demo', 'sp_demo')   # notebook variables of the demos that must be there
NAMES = {'kp_demo': 'keypoints', 'ab_demo': 'ablation', 'ex_demo': 'expression', 'sp_demo': 'speed',
         'live_demo': 'live'}   # screenshot names (others: the variable's name)
RUN_ALL_TIMEOUT = 240   # s: the whole notebook (it times every demo and runs the speed demo's benchmark) on 2 cores
CHANGE_TIMEOUT = 60     # s: one control change -> a new picture in the page

def find_chromium() -> str | None:
    "The system Chromium: $MOBILEPORTRAIT_CHROMIUM, Debian's binary behind its /usr/bin/chromium wrapper, or on PATH."
    cands = [os.environ.get('MOBILEPORTRAIT_CHROMIUM'), '/usr/lib/chromium/chromium']
    cands += [shutil.which(n) for n in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable')]
    return next((c for c in cands if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)

CHROMIUM = find_chromium()
if CHROMIUM is None:
    pytest.skip('Chromium not found (Debian: apt-get install -y chromium; or set MOBILEPORTRAIT_CHROMIUM to a '
                'Chromium/Chrome binary): the real-browser demo test is skipped', allow_module_level=True)
try: from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip('playwright not installed (pip install -c constraints.txt -e ".[lab]"): the real-browser demo test is '
                'skipped', allow_module_level=True)
try: import jupyterlab  # noqa: F401
except ImportError:
    pytest.skip('jupyterlab not installed (pip install -c constraints.txt -e ".[lab]"): the real-browser demo test is '
                'skipped', allow_module_level=True)
import numpy as np
from PIL import Image

# Appended to the temporary copy: display every demo, each tagged with CSS classes the test finds it by. If the
# notebook already displays a demo's widget itself, that (earlier) view gets the classes too and is the one checked.
SHOW_DEMOS = '''# added by tests/test_browser.py: show every demo this notebook built
import ipywidgets as _w
from IPython.display import display as _display
for _name, _obj in list(globals().items()):
    if _name.startswith('_') or isinstance(_obj, type): continue
    if isinstance(getattr(_obj, 'widget', None), _w.Widget) and isinstance(getattr(_obj, 'controls', None), dict):
        _obj.widget.add_class('mp-demo'); _obj.widget.add_class('mp-demo-' + _name)
        _display(_obj.widget)
'''

SETTINGS = {  # JupyterLab user settings, in the server's own temporary settings folder
    '@jupyterlab/notebook-extension/tracker': {'windowingMode': 'none', 'autoStartDefaultKernel': True},
    '@jupyterlab/apputils-extension/notification': {'fetchNews': 'false', 'checkForUpdates': False},
    '@jupyterlab/docmanager-extension/plugin': {'autosave': False},
}

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def prepare(tmp: Path) -> Path:
    "Server root with a clean copy of the notebook (plus the display cell) and links to results/ and runs/."
    work = tmp/'work'; (work/'nbs').mkdir(parents=True)
    for d in ('results', 'runs'):
        if (ROOT/d).exists(): (work/d).symlink_to(ROOT/d, target_is_directory=True)
    nb = json.loads(NOTEBOOK.read_text())
    for c in nb['cells']:
        if c['cell_type'] == 'code': c['outputs'], c['execution_count'] = [], None
    nb['cells'].append({'cell_type': 'code', 'metadata': {}, 'outputs': [], 'execution_count': None,
                        'source': SHOW_DEMOS.splitlines(keepends=True)})
    nb['metadata']['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    (work/'nbs'/NOTEBOOK.name).write_text(json.dumps(nb, indent=1))
    for name, values in SETTINGS.items():
        p = tmp/'lab-settings'/f'{name}.jupyterlab-settings'
        p.parent.mkdir(parents=True, exist_ok=True); p.write_text(json.dumps(values))
    return work

def stop(proc: subprocess.Popen, url: str, token: str, runtime: Path):
    """End the server and its kernels, all started by this test: ask the server to shut down (it stops its kernels
    first), then signal its process group; kernels run in sessions of their own, so any left is found by its
    connection file in this server's runtime folder."""
    try:
        req = urllib.request.Request(f'{url}/api/shutdown', method='POST', headers={'Authorization': f'token {token}'})
        urllib.request.urlopen(req, timeout=5).close()
    except OSError: pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try: proc.wait(10); break
        except subprocess.TimeoutExpired:
            try: os.killpg(proc.pid, sig)
            except ProcessLookupError: break
    proc.wait()
    for cmdline in Path('/proc').glob('[0-9]*/cmdline'):
        try:
            if str(runtime) in cmdline.read_text(): os.kill(int(cmdline.parent.name), signal.SIGKILL)
        except (OSError, ValueError): pass

@contextmanager
def jupyter_lab(tmp: Path):
    "A JupyterLab server on a free localhost port, with a token and its own config/runtime/settings folders."
    work, token = prepare(tmp), secrets.token_hex(16)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp/'config'), 'JUPYTER_RUNTIME_DIR': str(tmp/'runtime'),
           'JUPYTERLAB_SETTINGS_DIR': str(tmp/'lab-settings'), 'JUPYTERLAB_WORKSPACES_DIR': str(tmp/'lab-workspaces'),
           'IPYTHONDIR': str(tmp/'ipython')}
    with open(tmp/'lab.log', 'w') as log:
        for attempt in range(3):   # the free port may be taken between asking and binding: then another
            port = free_port()
            proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', '--allow-root',
                                     '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
                                     '--ServerApp.port_retries=0', f'--IdentityProvider.token={token}',
                                     f'--ServerApp.root_dir={work}'],
                                    cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            try:
                deadline = time.time() + 60
                while proc.poll() is None and time.time() < deadline:
                    try:
                        with urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status?token={token}', timeout=2):
                            break
                    except OSError: time.sleep(0.5)
                if proc.poll() is None and time.time() < deadline:
                    yield dict(url=f'http://127.0.0.1:{port}', token=token, log=tmp/'lab.log')
                    return
            finally: stop(proc, f'http://127.0.0.1:{port}', token, tmp/'runtime')
    raise RuntimeError('JupyterLab did not start:\n' + (tmp/'lab.log').read_text()[-3000:])

@pytest.fixture
def lab(tmp_path):
    with jupyter_lab(tmp_path) as server: yield server

def kernel_idle(lab, timeout: float = 60):
    "Wait until the server has a started kernel that is idle (the page's own indicator says idle before it connects)."
    deadline = time.time() + timeout
    while time.time() < deadline:
        with urllib.request.urlopen(f"{lab['url']}/api/sessions?token={lab['token']}", timeout=5) as r:
            if any(s.get('kernel', {}).get('execution_state') == 'idle' for s in json.load(r)): return
        time.sleep(0.5)
    raise AssertionError(f'no idle kernel after {timeout} s:\n' + Path(lab['log']).read_text()[-3000:])

def png_pixels(page, img) -> np.ndarray:
    "The pixels the page decoded for an <img> (blob or data URL), read back through a canvas."
    url = page.evaluate('''async (el) => { await el.decode();
        const c = document.createElement('canvas'); c.width = el.naturalWidth; c.height = el.naturalHeight;
        c.getContext('2d').drawImage(el, 0, 0); return c.toDataURL('image/png'); }''', img.element_handle())
    return np.asarray(Image.open(BytesIO(base64.b64decode(url.split(',', 1)[1]))).convert('RGB')).astype(int)

def save_shot(locator, path: Path, max_bytes: int = 150_000):
    "A JPEG screenshot clipped to the element, at the best quality that keeps it within `max_bytes`."
    for q in (85, 75, 65, 55, 45):
        data = locator.screenshot(type='jpeg', quality=q)
        if len(data) <= max_bytes: break
    path.write_bytes(data)

def move_control(page, demo) -> str:
    """Move the demo's first slider with the mouse (a third of its track to the right, or to the left when near
    the end); a demo with no slider gets its first unselected toggle button clicked. Says what it did."""
    sliders = demo.locator('.widget-slider')
    if sliders.count():
        s = sliders.first
        label = s.locator('.widget-label').first.inner_text().strip()
        readout = s.locator('.widget-readout').first
        before = readout.inner_text().strip()
        track, handle = s.locator('.noUi-target').first, s.locator('.noUi-handle').first
        handle.scroll_into_view_if_needed()
        t, h = track.bounding_box(), handle.bounding_box()
        x, y = h['x'] + h['width'] / 2, h['y'] + h['height'] / 2
        dx = t['width'] / 3 * (1 if x < t['x'] + t['width'] * 0.6 else -1)
        page.mouse.move(x, y); page.mouse.down()
        for k in range(1, 9): page.mouse.move(x + dx * k / 8, y)
        page.mouse.up()
        after = readout.inner_text().strip()
        assert after != before, f'slider {label!r} did not move ({before} -> {after})'
        return f'slider {label!r} dragged {before} -> {after}'
    buttons = demo.locator('.widget-toggle-buttons button:not(.mod-active)')
    if buttons.count():
        b = buttons.first; name = b.inner_text().strip()
        b.click()
        return f'toggle button {name!r} clicked'
    start = demo.locator('button.widget-toggle-button:not(.mod-active)')   # e.g. a live demo's Start
    if start.count():
        name = start.first.inner_text().strip()
        start.first.click()
        return f'{name!r} pressed'
    return ''

def run_all(page, lab):
    "Open the notebook, wait for its kernel, Run > Run All Cells from the menu bar, wait until the last cell ran."
    page.goto(f"{lab['url']}/lab/tree/nbs/{NOTEBOOK.name}?reset&token={lab['token']}")
    page.locator('.jp-Notebook .jp-Cell').first.wait_for()
    kernel_idle(lab)
    page.locator('.lm-MenuBar-itemLabel:text-is("Run")').click()
    page.locator('.lm-Menu-itemLabel:text-is("Run All Cells")').click()
    prompts = page.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt')
    t0, stopped = time.time(), 0
    while not re.fullmatch(r'\[\d+\]:', prompts.last.inner_text().strip()):   # '[ ]:' '[*]:' pending, '[7]:' done
        # after an exception JupyterLab drops the queue: no cell is pending any more, the last never ran
        stopped = stopped + 1 if not prompts.filter(has_text='[*]').count() else 0
        if stopped >= 3:
            trace = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
                              has_text='Traceback')
            raise AssertionError('a cell raised:\n'
                                 + (trace.last.inner_text()[-3000:] if trace.count() else '(no traceback shown)'))
        assert time.time() - t0 < RUN_ALL_TIMEOUT, f'Run All Cells did not finish in {RUN_ALL_TIMEOUT} s'
        page.wait_for_timeout(500)
    return time.time() - t0

def shown_demos(page) -> list:
    "Names (notebook variables) of the demos on the page, in page order."
    demos = page.locator('.mp-demo')
    demos.first.wait_for()
    names = []
    for k in range(demos.count()):
        names += [c[len('mp-demo-'):] for c in demos.nth(k).get_attribute('class').split()
                  if c.startswith('mp-demo-') and c[len('mp-demo-'):] not in names]
    return names

def check_demo(page, name: str, out: Path) -> str:
    "Move one control of a demo, check its picture changed, save its screenshot; says what happened."
    demo = page.locator(f'.mp-demo-{name}').first
    demo.scroll_into_view_if_needed()
    shot = out/f'demo_{NAMES.get(name, name)}.jpg'
    img = demo.locator('img').first
    try: img.wait_for(timeout=(30 if name in REQUIRED else 5) * 1000)
    except Exception:
        if name in REQUIRED: raise
        save_shot(demo, shot); return 'no picture: screenshot only'
    src0, px0 = img.get_attribute('src'), png_pixels(page, img)
    what = move_control(page, demo)
    if not what:   # e.g. a demo driven by play/stop buttons only: shown and photographed, not moved
        assert name not in REQUIRED, f'{name}: no slider or toggle button found'
        save_shot(demo, shot); return 'no slider or toggle button: screenshot only'
    page.wait_for_function('([el, s]) => el.getAttribute("src") !== s', arg=[img.element_handle(), src0],
                           timeout=CHANGE_TIMEOUT * 1000)
    page.wait_for_timeout(300)   # a second, queued update (if any) lands before the screenshot
    px1 = png_pixels(page, img)
    diff = np.abs(px1 - px0).mean() if px1.shape == px0.shape else float('inf')
    assert diff > 0.01, f'{name}: {what}, but its picture did not change (mean |diff| {diff:.4f})'
    save_shot(demo, shot)
    running = demo.locator('button.widget-toggle-button.mod-active')   # a Start pressed above: Stop, and wait
    if 'pressed' in what and running.count():
        running.first.click(); running.first.wait_for(state='detached', timeout=CHANGE_TIMEOUT * 1000)
        what += ' and released'
    return f'{what}; picture changed by {diff:.2f} (mean |diff|, 0-255)'

def test_demos_in_browser(lab, tmp_path):
    out = Path(os.environ.get('MOBILEPORTRAIT_SCREENSHOTS') or tmp_path/'screenshots')
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'])
        page = browser.new_page(viewport={'width': 1400, 'height': 900})
        page.set_default_timeout(30_000)
        try:
            print(f'\nRun All Cells: {run_all(page, lab):.0f} s')
            names = shown_demos(page)
            assert set(REQUIRED) <= set(names), f'demos shown: {names}, expected at least {list(REQUIRED)}'
            for name in names: print(f'{name}: {check_demo(page, name, out)}')
        except BaseException:
            try: page.screenshot(path=tmp_path/'failure.png'); print(f"page at the failure: {tmp_path/'failure.png'}")
            except Exception: pass
            print(f"JupyterLab's log: {lab['log']}")
            raise
        finally: browser.close()
