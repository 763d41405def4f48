"""What a city's production server relies on: fonts that ship with the product, safe settings by
default, nothing cached or loaded from outside, and a health probe."""
import dataclasses
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.core import rendering
from mamori.core.models import AuditEvent, Role, User
from mamori.council.reports import notifications
from mamori.council.tests.test_documents import meeting  # noqa: F401  (the fixture)
from mamori.register.models import NotificationKind

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "MAMORI_DEBUG": "false", "MAMORI_SECRET_KEY": secrets.token_urlsafe(64), "MAMORI_ALLOWED_HOSTS": "mamori.city.example.lg.jp",
    "MAMORI_CSRF_TRUSTED_ORIGINS": "https://mamori.city.example.lg.jp",
}

def production_env() -> dict:
    """The documented production environment (deploy/mamori.env.example), without the test run's own switches."""
    return {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **PRODUCTION_ENV}


RENDER_IN_A_BARE_PROCESS = """
import json, sys, django
django.setup()
from mamori.core import rendering
from mamori.core.models import AuditEvent, Role, User
from mamori.council.reports import notifications
data = json.loads(sys.stdin.read())
ctx = notifications.NotificationsReport(**{**data, "blocks": [notifications.Block(**b) for b in data["blocks"]]})
sys.stdout.buffer.write(notifications.render_pdf(ctx))
"""


def empty_fontconfig(tmp_path: Path) -> dict:
    """A fontconfig that knows no font at all, as on a bare machine."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n')
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}


def test_shiryo1_has_its_japanese_text_with_no_system_fonts(meeting, tmp_path):  # noqa: F811
    env = empty_fontconfig(tmp_path)
    if shutil.which("fc-list"):
        assert subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout.strip() == "", "the fontconfig is not empty"
    ctx = notifications.context(meeting, NotificationKind.NEW)
    pdf = subprocess.run([sys.executable, "-c", RENDER_IN_A_BARE_PROCESS], input=json.dumps(dataclasses.asdict(ctx)).encode(), env=env, cwd=ROOT,
                         capture_output=True, timeout=120, check=True).stdout
    page = pdfplumber.open(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    assert "個人情報取扱管理簿届出書（新規分の取りまとめ）" in text
    assert "こども食堂支援事業" in text and "令和７年４月から補助制度を開始するため。" in text
    fonts = {c["fontname"].split("+")[-1] for c in page.chars}
    assert {"Mamori-Mincho", "Mamori-Gothic-Bold"} <= fonts, fonts  # embedded (subset) from the product's own files


def test_a_missing_font_is_a_message_not_a_pdf_without_text(tmp_path, monkeypatch):
    monkeypatch.setattr(rendering, "FONT_DIR", tmp_path)
    with pytest.raises(rendering.FontsMissing, match="make install"):
        rendering.pdf_from_template("council/reports/base.html", {})


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = subprocess.run([sys.executable, "-m", "mamori.cli", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_safe_by_default():
    probe = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
             "['DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_AGE', "
             "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SECURE_PROXY_SSL_HEADER']}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
                         capture_output=True, text=True, timeout=60, check=True).stdout
    s = json.loads(out)
    assert s["DEBUG"] is False and s["SECURE_SSL_REDIRECT"] is True and s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600 and s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_logged_in_pages_and_downloads_are_never_cached(client, city, meeting):  # noqa: F811
    client.force_login(city.users.office)
    for url in ("/", "/register/", "/requests/", f"/council/meetings/{meeting.pk}/", f"/council/meetings/{meeting.pk}/documents/shiryo1.pdf",
                f"/council/meetings/{meeting.pk}/documents/shiryo1.docx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_every_page_has_a_policy_that_forbids_inline_and_outside_scripts(client, city):
    client.force_login(city.users.office)
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_the_health_probe_says_only_whether_the_database_answers(client, city):
    response = client.get("/healthz")  # no login needed
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


LOADS_FROM_OUTSIDE = [
    re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I),  # <script src="https://…">, <link href="//…">
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),  # CSS url(https://…)
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.I),
]


def test_nothing_in_a_template_or_static_file_loads_from_outside():
    """LGWAN has no internet: every script, style, font and image comes from this server."""
    files = [p for p in (ROOT / "mamori").rglob("*") if p.suffix in (".html", ".css", ".js") and p.is_file()]
    assert any(p.name == "tokens.css" for p in files) and any(p.name == "htmx.min.js" for p in files), "vendored assets are checked too"
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files for pattern in LOADS_FROM_OUTSIDE
                 for m in pattern.finditer(p.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


def test_the_first_administrator_is_created_with_a_checked_password(db, monkeypatch):
    answers = iter(["1", "1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="パスワードを直してください"):
        call_command("create_admin", stdout=io.StringIO())
    assert not User.objects.exists()
    answers = iter(["kuroi-Neko-2026", "kuroi-Neko-2026"])
    call_command("create_admin", "--username", "kanri", stdout=io.StringIO())
    admin = User.objects.get(username="kanri")
    assert admin.role == Role.SYSADMIN and admin.check_password("kuroi-Neko-2026")
    assert AuditEvent.objects.filter(model="core.User", object_id=str(admin.pk), action="create").exists()
