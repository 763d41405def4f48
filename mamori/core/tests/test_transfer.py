"""export → import into an empty database → export gives identical files; a bad file changes nothing."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.core.models import OrgUnit, User
from mamori.disclosure.models import Request
from mamori.incidents.models import Incident
from mamori.outsourcing.models import Contract, Inspection, SpecialProvisions
from mamori.register.models import Item, Notification, Program, ProgramVersion
from mamori.register.tests.test_ingest_parser import OTHER_CITY
from mamori.training.models import TrainingSession

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory):
    """The demo city exported by the real CLI from its own SQLite database."""
    work = tmp_path_factory.mktemp("demo-export")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}", "MAMORI_LOG_LEVEL": "WARNING"}
    mamori = [sys.executable, "-m", "mamori.cli"]
    document = work / "other-city.txt"  # an ingested document too, so imported 届出 and their source travel

    document.write_text(OTHER_CITY, encoding="utf-8")
    for args in (["migrate", "-v0"], ["load-demo"], ["ingest", str(document), "--user", "hogo"], ["export", str(work / "export")]):
        subprocess.run(mamori + args, cwd=ROOT, env=env, check=True, capture_output=True)
    return work / "export"


def read_all(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())}


def test_round_trip_is_identical(db, demo_export, tmp_path):
    call_command("import", str(demo_export))
    assert Program.objects.count() == 185 and ProgramVersion.objects.count() == 196  # 50 named programs and 135 for 資料5

    assert Request.objects.count() == 33 and Request.objects.filter(appeals__isnull=False).count() == 1  # 33: the redacted one (demo.redaction)
    assert Request.objects.get(number="個2023-0013").documents.filter(after_ruling=True).count() == 2

    assert Contract.objects.filter(starts_on="2023-04-01").count() == 296 and Inspection.objects.count() == 296
    assert Contract.objects.get(kind="subsub").parent.kind == "sub"

    incident = Incident.objects.get()
    assert incident.persons == 12371 and incident.contract.contractor.name == "公益財団法人埼玉県健康づくり事業団"
    assert TrainingSession.objects.count() == 5

    provisions = SpecialProvisions.objects.get()
    assert str(provisions.in_force_on) == "2023-04-01" and provisions.paragraphs[:2] == ["（基本的事項）", provisions.paragraphs[1]] and len(provisions.paragraphs) == 57
    imported = Notification.objects.filter(status="imported").order_by("number")
    assert [n.extracted["program"] for n in imported] == ["高齢者見守りネットワーク事業", "図書館運営事業"]
    assert imported[0].source.file_name == "other-city.txt" and "有限会社みどり見守りサービス" in imported[0].source_block
    assert User.objects.get(username="hogo").has_usable_password() is False  # users come without passwords
    assert User.objects.get(username="hogo").must_change_password  # B2: the first one, set by the operator, is replaced at login
    call_command("export", str(tmp_path / "again"))
    assert read_all(tmp_path / "again") == read_all(demo_export)


def _corrupt(src: Path, dst: Path, file: str, change) -> Path:
    shutil.copytree(src, dst)
    data = json.loads((dst / file).read_text(encoding="utf-8"))
    change(data)
    (dst / file).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return dst


def _unit_parent_missing(units):
    units[5]["parent"] = "no-such-unit"


def _version_unit_missing(programs):
    programs[2]["versions"][0]["unit"] = "ghost"


def _unknown_item(programs):
    programs[0]["versions"][0]["groups"][0]["items"].append("語彙にない項目")


def _bad_flow_kind(programs):
    programs[1]["versions"][0]["flows"].append({"kind": "teleport", "program": None, "party": "", "purpose": "", "items": []})


def _provisions_twice(editions):
    editions.append(dict(editions[0]))


def _notification_user_missing(notifications):
    notifications[0]["accepted_by"] = "nobody"


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("units.json", _unit_parent_missing, "units.json の 6件目"),
        ("programs.json", _version_unit_missing, "（versions[1].unit）: 担当の組織コード「ghost」が見つかりません。"),
        ("programs.json", _unknown_item, "項目名「語彙にない項目」が vocabulary.json にありません。"),
        ("programs.json", _bad_flow_kind, "流れの種別「teleport」は使えません"),
        ("special_provisions.json", _provisions_twice, "special_provisions.json の 2件目（2023-04-01）（in_force_on）: 同じ施行日の版が2つあります。"),
        ("notifications.json", _notification_user_missing, "（accepted_by）: 利用者「nobody」が users.json にありません。"),
    ],
)
def test_bad_file_says_where_and_changes_nothing(db, demo_export, tmp_path, file, change, message):
    bad = _corrupt(demo_export, tmp_path / "bad", file, change)
    with pytest.raises(CommandError) as exc:
        call_command("import", str(bad))
    assert message in str(exc.value)
    assert "データベースは変更していません" in str(exc.value)
    assert not OrgUnit.objects.exists() and not Item.objects.exists() and not Program.objects.exists() and not Notification.objects.exists()


def test_broken_json_is_reported_with_its_position(db, demo_export, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(demo_export, bad)
    (bad / "organs.json").write_text('[{"code": "mayor", "name": ', encoding="utf-8")
    with pytest.raises(CommandError, match=r"organs.json は途中で切れています（truncated）: 1行27文字目"):
        call_command("import", str(bad))
    assert not OrgUnit.objects.exists()


def test_import_refuses_a_database_that_has_data(city, demo_export):
    with pytest.raises(CommandError, match="空のデータベースに取り込んでください"):
        call_command("import", str(demo_export))
