"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server.

Every page a browser test opens is checked by axe-core (npm, pinned in package.json) once it has
loaded; the test fails at its end if any page had a violation, naming the page, the rule and the
elements. The script is injected by Playwright (not served by Mamori), so the pages' CSP stays as it is.
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


FONTS = Path(__file__).resolve().parents[1] / "core" / "fonts"
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <alias><family>sans-serif</family><prefer><family>Noto Sans JP</family></prefer></alias>
  <alias><family>serif</family><prefer><family>Noto Serif JP</family></prefer></alias>
  <alias><family>system-ui</family><prefer><family>Noto Sans JP</family></prefer></alias>
</fontconfig>
"""


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Chromium renders with the project's own Noto faces only (an explicit fontconfig), so a screenshot
    shows Japanese text on a bare machine with no fonts, and looks the same on every machine."""
    conf = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    conf.write_text(FONTCONFIG.format(fonts=FONTS, cache=conf.parent / "cache"), encoding="utf-8")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        yield b
        b.close()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """
window.addEventListener("load", () => {
  if (window.top !== window || !window.axe || !location.protocol.startsWith("http")) return;
  window.__axeDone = window.axe.run(document, {resultTypes: ["violations"]})
    .then((r) => window.__mamoriAxe(location.pathname + location.search, r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }))));
});
"""


def axe_failures(found: list) -> str:
    lines = []
    for url, violations in found:
        for v in violations:
            lines.append(f"{url}: {v['id']} ({v['impact']}) {v['help']} — {', '.join(v['nodes'])}")
    return "\n".join(lines)


@pytest.fixture
def page(browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} がありません: make install (npm ci) で axe-core を入れてください")
    context = browser.new_context(locale="ja-JP", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    found: list = []
    context.expose_binding("__mamoriAxe", lambda source, url, violations: violations and found.append((url, violations)))
    context.add_init_script(path=str(AXE))
    context.add_init_script(script=AXE_RUN)
    pg = context.new_page()
    pg.axe_found = found
    yield pg
    try:  # the last page's check may still be running
        pg.evaluate("() => window.__axeDone || null")
    except Exception:  # noqa: BLE001 — the page may be gone (closed by the test)
        pass
    context.close()
    if found:
        pytest.fail("axe-core が指摘したアクセシビリティの問題:\n" + axe_failures(found))


def login(page, username, password):
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/")


def logout(page):
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/login/")
