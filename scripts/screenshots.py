"""Retake the screenshots of docs/img/ from a fresh demo, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py            # a demo in a temporary folder, port 8741
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000   # a running demo
    .venv/bin/python scripts/screenshots.py --only home,phone-home

Every picture is an English page in a 1280×800 window (the phone views 390×844), as the role
named in SHOTS sees it, at most the height given there: every page README.md and docs/*.md show
from docs/img/. The sector analytics' figures (sectors-*.png) are the charts themselves, made by
`promzona sectors`, not screenshots. The monthly report's first page (monthly-report.png, the
demo zone's report in Russian) is rendered from its PDF with pypdfium2 or Poppler's pdftoppm,
whichever is present; with neither, the old picture stays and the script says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import ARGS, CHROMIUM  # noqa: E402 - the browser the tests launch

IMG = ROOT / "docs" / "img"
LIMIT = 400_000  # bytes; a bigger picture is saved with 256 colours
PASSWORD = "balkhash-demo-2026"  # noqa: S105 - the demo's, shown on its login page
MATCH = ("/en/match/?sector=C25&area_min=1&area_max=5&power_kw=500&water_m3_day=20"
         "&sewage_m3_day=10&hazard_class=4&horizon_years=10&start_by=2027-06-01")
#: name: (path, user or None, width, height of the picture or None for the whole page[, the
#: element the picture starts at])
SHOTS = {
    "home": ("/en/", None, 1280, 1300),
    "match": (MATCH, None, 1280, 1800),
    "news-front": ("/en/news/", None, 1280, 1400),
    "news-article": ("/en/news/governor-visit-balkhash-2025-09-08/", None, 1280, None),
    "news-fallback": ("/kk/news/utilities-capacity-overview/", None, 1280, 1000),
    "news-desk": ("/en/news/desk/", "demo-editor", 1280, None),
    "news-editor": ("/en/news/desk/{article}/", "demo-editor", 1280, 1400),
    "news-moderation": ("/en/news/desk/comments/", "demo-editor", 1280, None),
    "application-review": ("/en/applications/{application}/", "demo-staff", 1280, None),
    "instructions-control": ("/en/instructions/control/", "demo-staff", 1280, None),
    "instructions-card": ("/en/instructions/{instruction}/", "demo-executor", 1280, None),
    "works": ("/en/works/", "demo-manager", 1280, None),
    "work-card": ("/en/works/{work}/", "demo-staff", 1280, 1800),
    "works-timeline": ("/en/works/timeline/", "demo-manager", 1280, None),
    "project-card": ("/en/projects/{project}/", "demo-staff", 1280, 1800),
    "dashboard": ("/en/dashboard/?zone=balkhash", "demo-manager", 1280, None),
    "optimise-plan": ("/en/optimise/balkhash/plan/", "demo-staff", 1280, 1900),
    "optimise-allocation": ("/en/optimise/balkhash/allocation/", "demo-staff", 1280, None),
    "phone-home": ("/en/", None, 390, 1500),
    "phone-passport": ("/en/plots/balkhash/BLK-06/", None, 390, 1500),
    "phone-match": (MATCH, None, 390, 1500, "main h2"),
}


def _ids(env: dict) -> dict:
    """Sample objects of the demo, found by the same rules each time."""
    code = (
        "import django, json; django.setup()\n"
        "from promzona.applications.models import Application\n"
        "from promzona.instructions.models import Instruction\n"
        "from promzona.news.models import Article\n"
        "from promzona.projects.models import Project\n"
        "from promzona.works.models import Work\n"
        "print(json.dumps({'application': Application.objects.exclude(status='draft')"
        ".order_by('pk').first().pk,\n"
        " 'instruction': Instruction.objects.filter(parent__isnull=False,"
        " executor_person__username='demo-executor').order_by('deadline').first().pk,\n"
        " 'article': Article.objects.filter(status='published').order_by('pk').first().pk,\n"
        " 'project': Project.objects.order_by('pk').first().pk,\n"
        " 'work': Work.objects.filter(kind='line').order_by('pk').first().pk}))\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                         text=True, cwd=ROOT)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _serve(port: int, var: str) -> tuple[subprocess.Popen, dict]:
    env = {**os.environ, "PROMZONA_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "promzona.settings"}
    promzona = str(Path(sys.executable).with_name("promzona"))
    subprocess.run([promzona, "demo"], env=env, check=True, cwd=ROOT)
    subprocess.run([promzona, "collectstatic", "--noinput", "--verbosity", "0"], env=env,
                   check=True, cwd=ROOT)
    server = subprocess.Popen([promzona, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)  # noqa: S310
            return server, env
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the demo server did not start")


def _shrink(target: Path) -> None:
    """A picture over LIMIT saved again with 256 colours (flat pages lose nothing visible)."""
    if target.stat().st_size > LIMIT:
        from PIL import Image

        with Image.open(target) as im:
            small = im.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT,
                                               dither=Image.Dither.NONE)
        small.save(target, optimize=True)


def monthly_report(env: dict) -> None:
    """The first page of the demo zone's monthly report (Russian), at 94 dpi, if a PDF renderer
    is at hand: pypdfium2, else pdftoppm."""
    target = IMG / "monthly-report.png"
    try:
        import pypdfium2
    except ImportError:
        pypdfium2 = None
    pdftoppm = shutil.which("pdftoppm")
    if pypdfium2 is None and pdftoppm is None:
        print(f"{target.relative_to(ROOT)}  left as it was: neither pypdfium2 nor pdftoppm here")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        subprocess.run([sys.executable, "-m", "promzona", "report", "monthly", "--zone",
                        "balkhash", "--lang", "ru", "--output", str(pdf)], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        if pypdfium2 is not None:
            doc = pypdfium2.PdfDocument(str(pdf))
            doc[0].render(scale=94 / 72).to_pil().save(target)
            doc.close()
        else:
            subprocess.run([pdftoppm, "-png", "-r", "94", "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(target.with_suffix(""))], check=True)
    _shrink(target)
    print(f"{target.relative_to(ROOT)}  page 1 of `promzona report monthly --zone balkhash "
          "--lang ru`")


def take(base: str, ids: dict, only: set[str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        contexts: dict = {}
        for name, (path, user, width, height, *start) in SHOTS.items():
            if only and name not in only:
                continue
            key = (user, width)
            if key not in contexts:
                phone = width < 500
                ctx = browser.new_context(viewport={"width": width, "height": 844 if phone else 800},
                                          is_mobile=phone, device_scale_factor=1)
                if user:
                    page = ctx.new_page()
                    page.goto(f"{base}/en/accounts/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("form.stack button[type=submit]")
                    page.wait_for_load_state()
                    if "/accounts/login/" in page.url:
                        raise SystemExit(f"{user} could not log in at {base}")
                    page.close()
                contexts[key] = ctx
            page = contexts[key].new_page()
            page.goto(base + path.format(**ids))
            page.wait_for_load_state("networkidle")
            target = IMG / f"{name}.png"
            if height:
                top = page.locator(start[0]).first.evaluate(
                    "e => e.getBoundingClientRect().top + window.scrollY - 8") if start else 0
                bottom = min(top + height, page.evaluate("document.body.scrollHeight"))
                page.screenshot(path=str(target), full_page=True,
                                clip={"x": 0, "y": top, "width": width, "height": bottom - top})
            else:
                page.screenshot(path=str(target), full_page=True)
            page.close()
            _shrink(target)
            print(f"{target.relative_to(ROOT)}  {path.format(**ids)}"
                  + (f"  as {user}" if user else ""))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="a running demo (default: start one)")
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--only", default="",
                        help="comma-separated names of SHOTS (and monthly-report)")
    args = parser.parse_args()
    only = {n for n in args.only.split(",") if n}
    var = None if args.base else tempfile.mkdtemp(prefix="promzona-shots-")
    server = None
    try:
        server, env = (None, {**os.environ}) if var is None else _serve(args.port, var)
        if not only or set(SHOTS) & only:
            take(args.base or f"http://127.0.0.1:{args.port}", _ids(env), only)
        if not only or "monthly-report" in only:
            monthly_report(env)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if var:
            shutil.rmtree(var)


if __name__ == "__main__":
    main()
