"""Files take part in export/import (core.transfer), backup/restore (core.backup) and the checks over bulk data."""
import json

import pytest
from django.core.management import call_command

from mamori.core import backup, transfer
from mamori.filebook import selectors, services
from mamori.filebook.models import FileRevision, PersonalFile
from mamori.filebook.tests.helpers import change, new_program


@pytest.fixture
def exported(transactional_db, city, tmp_path):
    program = new_program(city)
    file = PersonalFile.objects.get(programs=program)
    services.revision_publish(file=file, actor=city.users.office)
    change(city, program, lambda d: d["groups"][0]["items"].append("電子メールアドレス"))  # a drafted change waits
    small = PersonalFile.objects.get(programs=new_program(city, name="小規模事業", persons=30))
    services.file_decide(file=small, actor=city.users.office)
    staff = services.file_create(programs=[city.programs.juki], actor=city.users.office, name="住民ファイル", note="庁内メモ")
    services.file_decide(file=staff, actor=city.users.office, exemption="75-3", exemption_note="掲載すると事務に著しい支障")
    entries = selectors.public_entries()
    call_command("export", str(tmp_path / "out"))
    return tmp_path, entries


def _restart(tmp_path, directory):
    call_command("flush", interactive=False, verbosity=0)
    call_command("import", str(directory))
    call_command("export", str(tmp_path / "again"))


def test_export_import_export_is_identical_and_the_public_entries_come_back(exported):
    tmp_path, entries = exported
    data = json.loads((tmp_path / "out" / "filebook.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in data] == ["F00001", "F00002", "F00003"]
    assert [r["status"] for r in data[0]["revisions"]] == ["published", "drafted"]
    _restart(tmp_path, tmp_path / "out")
    assert (tmp_path / "again" / "filebook.json").read_text(encoding="utf-8") == (tmp_path / "out" / "filebook.json").read_text(encoding="utf-8")
    assert selectors.public_entries() == entries
    assert services.pending(PersonalFile.objects.get(code="F00001")).notification.number == data[0]["revisions"][1]["notification"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d[0]["revisions"][0].update(kind="change"), "1回目の公表が「変更」"),
        (lambda d: d[0].update(programs=["P09999"]), "事務事業「P09999」が programs.json にありません"),
        (lambda d: d[1].update(exemption="74-2-9", exemption_note="x"), "適用除外は"),
        (lambda d: d[2].update(exemption_note=""), "適用除外とする理由を書いてください"),
        (lambda d: d[0]["revisions"][0].update(published_at=None), "公表日時・公表の回・内容"),
        (lambda d: d[0]["revisions"][1].update(status="published", number=2, published_at=d[0]["revisions"][1]["drafted_at"],
                                               content={"name": "x"}), None),  # a valid second publication: accepted
    ],
)
def test_an_import_that_breaks_the_rules_is_refused_and_writes_nothing(exported, damage, message):
    tmp_path, _ = exported
    out = tmp_path / "out" / "filebook.json"
    data = json.loads(out.read_text(encoding="utf-8"))
    damage(data)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)
    if message is None:
        call_command("import", str(tmp_path / "out"))
        assert FileRevision.objects.filter(status="published").count() == 2
        return
    with pytest.raises(transfer.ImportFailed) as failed:
        transfer.import_(tmp_path / "out")
    assert message in str(failed.value) and "filebook.json" in str(failed.value)
    assert not PersonalFile.objects.exists()


def test_backups_keep_the_filebooks_tables():
    labels = {m._meta.label_lower for m in backup.tables()}
    assert {"filebook.personalfile", "filebook.fileprogram", "filebook.filerevision"} <= labels
