"""mamori ingest: documents become 届出 awaiting the office's check; nothing in the register
changes until one is accepted; importing twice adds nothing; bad files change nothing."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.core.concurrency import token_for  # the version the review page gives its form
from mamori.core.models import OrgUnit
from mamori.council.models import Meeting
from mamori.register.models import IngestSource, Notification, Program, ProgramVersion
from mamori.register.tests.test_ingest_parser import OTHER_CITY


def run(*args) -> str:
    import io

    out = io.StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def other_city_file(tmp_path):
    path = tmp_path / "みどり市_令和7年度第2回.txt"
    path.write_text(OTHER_CITY, encoding="utf-8")
    return path


def test_dry_run_writes_nothing_and_prints_the_json(city, other_city_file):
    out = json.loads(run(str(other_city_file), "--dry-run", "--format", "json"))
    assert out["source"] == "みどり市_令和7年度第2回.txt"
    assert out["meeting"]["title"] == "令和7年度第2回 みどり市個人情報保護審議会" and out["meeting"]["date"] == "2025-11-05"
    first = out["notifications"][0]
    assert set(first) == {"kind", "program", "department", "reason", "content", "items", "reuse_sources", "provided_to",
                          "contractors", "online_partners", "uses_my_number", "online_link", "warnings"}
    assert first["department"] == {"division": "健康福祉部", "section": "高齢介護課", "unit": "地域包括係", "team": None}
    assert not IngestSource.objects.exists() and not Notification.objects.exists() and not Meeting.objects.exists()


def test_ingest_then_review_then_accept(client, city, other_city_file):
    programs_before = Program.objects.count()
    out = run(str(other_city_file), "--user", "office")
    assert "取込: 2件（確認待ち）" in out and "令和7年度第2回（新規作成）" in out
    assert Program.objects.count() == programs_before  # the register has not changed
    first, second = Notification.objects.order_by("number")
    assert first.status == second.status == "imported" and first.unit is None
    meeting = Meeting.objects.get(fiscal_year=2025, number=2)
    assert list(meeting.notifications.order_by("number")) == [first, second]
    assert "取込済みです" in run(str(other_city_file))  # the same file again
    assert Notification.objects.count() == 2

    client.force_login(city.users.office)
    page = client.get(f"/register/notifications/{first.number}/").content.decode()
    assert '<mark class="x-items" title="記録項目">緊急連絡先</mark>' in page
    assert '<mark class="x-contractors" title="委託先">有限会社みどり見守りサービス</mark>' in page
    assert "組織にありません" in page
    # accepting needs a unit: the office creates it as the document names it, in the same save
    review = {"kind": "new", "program_name": "高齢者見守りネットワーク事業", "department_action": "create", "unit": "", "effective_date": "2025-11-05",
              "reason": first.reason, "content": first.content, "items": "氏名\n住所\n電話番号\n緊急連絡先\n生年月日",
              "reuse_sources": "", "provided_to": "みどり警察署", "contractors": "有限会社みどり見守りサービス", "accept": "1", "base_version": token_for(first)}
    response = client.post(f"/register/notifications/{first.number}/review/", review)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "accepted" and first.unit.label == "健康福祉部 高齢介護課 地域包括係"
    version = first.result_version
    assert [gi.written_name for gi in version.groups.get().items.all()] == ["氏名", "住所", "電話番号", "緊急連絡先", "生年月日"]
    assert {(f.kind, f.party) for f in version.flows.all()} == {("provide_body", "みどり警察署"), ("outsource", "有限会社みどり見守りサービス")}


def test_change_to_an_unknown_program_is_refused_until_mapped(client, city, other_city_file):
    run(str(other_city_file))
    second = Notification.objects.order_by("number").last()
    client.force_login(city.users.office)
    review = {"kind": "change", "program_name": "図書館運営事業", "unit": city.units.kyufu.pk, "effective_date": "2025-11-05",
              "reason": second.reason, "content": second.content, "items": "利用者番号", "reuse_sources": "住民基本台帳事務",
              "provided_to": "", "contractors": "", "accept": "1", "base_version": token_for(second)}
    page = client.post(f"/register/notifications/{second.number}/review/", review).content.decode()
    assert "変更する事務事業「図書館運営事業」が登録簿にありません" in page
    second.refresh_from_db()
    assert second.status == "imported" and not ProgramVersion.objects.filter(name="図書館運営事業").exists()
    # typed corrections are kept on the page
    assert "住民基本台帳事務" in page


def test_seed_into_the_demo_duplicates_nothing(seed_packet, demo):
    out = run(str(seed_packet))
    assert "取込: 0件（確認待ち） 既に取込済みで省略: 18件" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "空です"),
        ("blob.txt", bytes(range(256)) * 50, "バイナリ"),
        ("minutes.txt", "令和６年度第１回審議会 会議録\n委員長：開会します。\n".encode(), "事務事業のブロック"),
        ("slides.pptx", b"PK..", "読めません"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(city, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not IngestSource.objects.exists() and not Notification.objects.exists() and not Meeting.objects.exists()
    assert not OrgUnit.objects.filter(kind="division", name="健康福祉部").exists()
