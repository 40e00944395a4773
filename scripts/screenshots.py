"""Retake docs/screenshots/ from the demo's data: a 2021/2306 COI's page, the edit page of a 2021/2306 draft and an
extract's page (2021/2307), in French, in Chromium at 1280 px, as the demo's French importer reads them.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]

Loads the demo into a database of its own (a fresh VAR_DIR under /tmp, removed at the end), serves it with
`manage.py runserver` on a free port, logs in as importer@acme-bio.example and saves each page whole, its colours
reduced to a palette so that each PNG stays small (under 300 KB). Not run by `make test`: the pages it shows are
asserted by the browser tests (certificates/tests/test_browser_desk.py and its neighbours).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IMPORTER = "importer@acme-bio.example"
COI = "COI.EU.MA.2026.0000014"  # the demo's 2021/2306 COI declared by the first consignee (boxes 1-31 filled)
EXTRACT = "COI.EU.MA.2026.0000019-E01"  # the demo's extract of a 2021/2306 COI, endorsed and declared
LIMIT = 300_000


def whole(page: Page) -> bytes:
    """The page whole, as tall as its content: the window is stretched first, so that the edit page's sticky bar of
    buttons sits at the bottom instead of over box 3 (as a full-page capture of a 900 px window draws it)."""
    page.set_viewport_size({"width": 1280, "height": int(page.evaluate("document.documentElement.scrollHeight"))})
    shot = page.screenshot()
    page.set_viewport_size({"width": 1280, "height": 900})
    return shot


def manage(env: dict[str, str], *args: str) -> str:
    command = [PY, "manage.py", *args]  # this repository's own commands, no outside input
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def small_png(png: bytes, path: Path) -> int:
    """`png` saved at `path` with its colours reduced (fewer until it is under LIMIT); returns its size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (128, 64, 32, 16):
        image.quantize(colours, dither=Image.Dither.NONE).save(path, optimize=True)
        if path.stat().st_size < LIMIT:
            break
    return path.stat().st_size


def main(out: Path) -> None:
    var = Path(tempfile.mkdtemp(prefix="opencoi-screenshots-"))
    port = free_port()
    env = {**os.environ, "VAR_DIR": str(var), "DEBUG": "1", "PORT": str(port), "TIME_ZONE": "Europe/Paris"}
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "demo")
        ids = manage(
            env, "shell", "-c",
            "from certificates.models import Certificate as C; "
            f"print(C.objects.get(number='{COI}').pk, C.objects.get(number='{EXTRACT}').pk)",
        ).split()  # fmt: skip
        coi, extract = (int(i) for i in ids[-2:])
        server = subprocess.Popen(  # noqa: S603  # the demo server of this repository
            [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)  # noqa: S310  # http on loopback
                break
            except OSError:
                time.sleep(0.2)
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{base}/accounts/login/")
            page.locator("#id_login").fill(IMPORTER)
            page.locator("#id_password").fill(os.environ.get("DEMO_PASSWORD", "opencoi-demo"))
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            shots = []
            page.goto(f"{base}/certificates/{coi}/")
            shots.append(("coi-page-2021-2306.png", whole(page)))
            page.get_by_role("button", name="Copier comme nouveau").click()  # a 2021/2306 draft, every box filled
            page.wait_for_url(lambda url: url.endswith("/edit/"))
            shots.append(("edit-page-2021-2306.png", whole(page)))
            page.goto(f"{base}/certificates/{extract}/")
            shots.append(("extract-page-2021-2307.png", whole(page)))
            browser.close()
        for name, png in shots:
            size = small_png(png, out / name)
            print(f"{out / name}: {size // 1000} KB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
