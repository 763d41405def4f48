"""Shared fixtures: a small city built through the services, the full demo, and the seed packet."""
import datetime
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from mamori.core import services as core
from mamori.core.models import Organ, Role, UnitKind
from mamori.demo import city as demo_module
from mamori.register import services as register
from mamori.register.management.commands.load_vocabulary import VOCABULARY

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in the test thread


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # MD5 first (fast); the production hashers stay known, so a hash made outside a test's settings (a module-wide
    # fixture) is still one that restore accepts (core.backup._check_password_hash).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 *(h for h in settings.PASSWORD_HASHERS if not h.endswith("MD5PasswordHasher"))]
    # Tests write with the ORM between two requests; the page cache (proved in core/tests/test_pagecache.py)
    # trusts that every write is audited, so it is off elsewhere.
    settings.MAMORI_PAGE_CACHE = False


PASSWORD = "test-pass-123"


def make_user(username, role, unit=None):
    return core.user_create(actor=None, password=PASSWORD, username=username, display_name=username, role=role, unit=unit, is_active=True)


def version_data(name, unit, groups=(("住民", ("氏名", "住所")),), flows=(), **extra):
    data = {
        "name": name, "unit": unit.code, "purpose": f"{name}のため。", "legal_basis": "", "computerized": True, "manual": False,
        "retention": "5年", "person_count": 1200, "started_on": "2020-04-01", "abolished_on": None, "special_procedures": "", "note": "",
        "groups": [{"name": g, "note": "", "items": list(items)} for g, items in groups],
        "flows": [dict(f) for f in flows],
    }
    data.update(extra)
    return data


@pytest.fixture
def city(db):
    """Two departments, a project team, one user per role, the shipped vocabulary and two programs."""
    organ = Organ.objects.create(code="mayor", name="市長")
    Organ.objects.create(code="education", name="教育委員会", order=1)
    somu = core.unit_create(organ=organ, kind=UnitKind.DIVISION, code="somu", name="総務部", actor=None)
    shuno = core.unit_create(organ=organ, kind=UnitKind.SECTION, code="shuno", name="収納課", parent=somu, actor=None)
    nozei = core.unit_create(organ=organ, kind=UnitKind.UNIT, code="nozei", name="納税係", parent=shuno, actor=None)
    joho = core.unit_create(organ=organ, kind=UnitKind.UNIT, code="joho", name="情報公開係", parent=core.unit_create(
        organ=organ, kind=UnitKind.SECTION, code="somu-ka", name="総務課", parent=somu, actor=None), actor=None)
    kodomo = core.unit_create(organ=organ, kind=UnitKind.DIVISION, code="kodomo", name="こども・健康部", actor=None)
    mirai = core.unit_create(organ=organ, kind=UnitKind.SECTION, code="mirai", name="こども未来課", parent=kodomo, actor=None)
    kyufu = core.unit_create(organ=organ, kind=UnitKind.UNIT, code="kyufu", name="こども給付係", parent=mirai, actor=None)
    team = core.unit_create(organ=organ, kind=UnitKind.TEAM, code="pt", name="給付金プロジェクト・チーム", parent=kyufu, actor=None)
    users = SimpleNamespace(
        staff=make_user("staff", Role.DEPT_STAFF, mirai),
        manager=make_user("manager", Role.DEPT_MANAGER, mirai),
        other_staff=make_user("other", Role.DEPT_STAFF, shuno),
        other_manager=make_user("other-mgr", Role.DEPT_MANAGER, shuno),
        office=make_user("office", Role.PRIVACY_OFFICE, joho),
        council=make_user("council", Role.COUNCIL),
        auditor=make_user("auditor", Role.AUDITOR),
        sysadmin=make_user("sysadmin", Role.SYSADMIN, joho),
    )
    register.vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))
    juki = register.program_migrate(data=version_data("住民基本台帳管理事業", nozei), effective_from=datetime.date(2020, 4, 1))
    teate = register.program_migrate(
        data=version_data(
            "児童手当給付事業", kyufu,
            groups=(("受給者", ("氏名", "住所", "マイナンバー")),),
            flows=({"kind": "reuse_in", "program": juki.code, "party": "", "purpose": "世帯の確認", "items": ["氏名", "住所"]},),
        ),
        effective_from=datetime.date(2021, 4, 1),
    )
    return SimpleNamespace(
        organ=organ, units=SimpleNamespace(somu=somu, shuno=shuno, nozei=nozei, joho=joho, mirai=mirai, kyufu=kyufu, team=team),
        users=users, programs=SimpleNamespace(juki=juki, teate=teate),
    )


@pytest.fixture
def demo(db):
    demo_module.load()
    return demo_module


# The seed packet (shared/seeds/README.md) is test input, kept in shared/ beside the checkout, not in the repository.
SEED_PACKET = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a5e6882981003662.txt"


def seed_path() -> Path:
    """The seed packet's path. If it is missing, a test that reads it fails under CI=true (CI must have it, so
    a lost packet cannot pass unnoticed) and is skipped elsewhere, the reason shown in the -ra summary."""
    path = SEED_PACKET
    if not path.is_file():
        message = f"the seed packet is not at {path} (shared/ sits beside the checkout)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{message}; CI=true, so this fails instead of skipping", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture
def seed_packet() -> Path:
    """The seed packet's path, through seed_path(): fails under CI=true if missing, skips otherwise."""
    return seed_path()
