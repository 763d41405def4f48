"""A whole packet ingested: 資料1・2 become 届出, 資料3〜6 the year's figures (drafts until the office accepts them),
資料7 draft revisions of the handbooks, the 特記事項 reported as not read; a second ingest creates nothing; accepting replaces only when confirmed."""
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from mamori.core import jobs
from mamori.core.models import AuditEvent, Job, JobStatus
from mamori.council import services
from mamori.council.ingest import ingest_file
from mamori.council.models import FigureStatus, PacketPart, PartStatus, YearFigure
from mamori.council.packet_parts import split_parts
from mamori.handbooks.models import Revision
from mamori.register.importers.limits import IngestError
from mamori.register.models import Notification

R5 = 2023


def figure(topic, measure, organ=""):
    return YearFigure.objects.get(fiscal_year=R5, topic=topic, measure=measure, organ=organ).value


def test_the_seed_split_into_its_parts(seed_packet):
    parts = split_parts(seed_packet.read_text(encoding="utf-8"))
    assert [p.label for p in parts] == ["次第"] + [f"資料{n}" for n in range(1, 8)] + ["特記事項", "別紙1", "別紙2", "別紙3", "別紙4"]
    assert [p.fiscal_year for p in parts[3:7]] == [R5] * 4


def test_whole_seed_packet_gives_notifications_and_the_years_figures(city, seed_packet):
    out = ingest_file(path=seed_packet, actor=city.users.office)
    assert len(out["created"]) == 18 and Notification.objects.count() == 18
    parts = {p.label: p for p in PacketPart.objects.filter(source_id=out["source_id"])}
    assert parts["資料3"].status == PartStatus.READ and parts["資料3"].message.startswith("58件の数値を読み取りました")
    assert parts["資料4"].message == "研修 4回・181人を読み取りました"
    # 資料7 becomes a draft revision of each handbook it reports (the handbooks app's reader), to review on 「手引」
    assert parts["資料7"].status == PartStatus.READ and parts["資料7"].count == out["handbook_rows"] == 11
    assert parts["資料7"].message == "「個人情報保護制度の手引」・「情報公開事務の手引」の改訂 11行を読み取りました（手引の画面で改訂を確認してください）"
    revisions = Revision.objects.order_by("handbook__name")
    assert sorted((r.handbook.name, r.rows.count(), r.status) for r in revisions) == [
        ("個人情報保護制度の手引", 3, "draft"), ("情報公開事務の手引", 8, "draft")]
    assert all(r.source == "000_a5e6882981003662.txt（資料7）" and r.enforced_on == datetime.date(2024, 3, 25) for r in revisions)
    assert parts["特記事項"].status == PartStatus.UNSUPPORTED and parts["別紙4"].status == PartStatus.UNSUPPORTED
    assert parts["資料1"].message.startswith("届出 7件") and parts["資料2"].message.startswith("届出 11件")
    assert YearFigure.objects.filter(status=FigureStatus.DRAFT).count() == out["figures"] == 58 + 2 + 9 + 1
    # the seed's numbers, 令和5年度
    assert (figure("disclosure", "received", "市長"), figure("disclosure", "documents", "市長")) == (9, 53)
    assert (figure("disclosure", "received"), figure("disclosure", "documents"), figure("disclosure", "rate")) == (14, 97, 53)
    assert (figure("disclosure", "decided:refused"), figure("disclosure", "decided:absent"), figure("disclosure", "rate:full")) == (45, 44, 6)
    assert (figure("disclosure", "decided:partial", "選挙管理委員会"), figure("disclosure", "rate", "選挙管理委員会")) == (38, 100)
    assert (figure("disclosure", "decided:absent", "教育委員会"), figure("disclosure", "offers", "教育委員会")) == (1, 0)
    assert (figure("personal", "received", "市長"), figure("personal", "documents"), figure("personal", "decided:partial")) == (13, 21, 16)
    assert figure("correction", "correction") == figure("correction", "suspension") == 0
    assert (figure("training", "sessions"), figure("training", "participants")) == (4, 181)
    assert (figure("outsourcing", "programs"), figure("outsourcing", "contractors")) == (185, 296)
    assert (figure("outsourcing", "inspection:onsite"), figure("outsourcing", "inspection:written"), figure("outsourcing", "inspection:other")) == (55, 224, 17)
    assert (figure("outsourcing", "cert:pmark"), figure("outsourcing", "cert:isms"), figure("outsourcing", "cert:both"), figure("outsourcing", "cert:none")) == (45, 7, 44, 200)
    assert figure("incidents", "reports") == 1
    # the second ingest of the same packet creates nothing
    again = ingest_file(path=seed_packet, actor=city.users.office)
    assert again["already_ingested"] and YearFigure.objects.count() == 70 and Notification.objects.count() == 18 and Revision.objects.count() == 2


def test_the_same_figures_in_another_file_are_not_written_twice(city, seed_packet, tmp_path):
    text = seed_packet.read_text(encoding="utf-8")
    figures_only = tmp_path / "資料3から6.txt"
    figures_only.write_text(text[text.index("資料３"):text.index("資料７")], encoding="utf-8")
    out = ingest_file(path=figures_only, actor=city.users.office)
    assert out["created"] == [] and out["figures"] == 70
    copy = tmp_path / "写し.txt"
    copy.write_text("\n" + figures_only.read_text(encoding="utf-8"), encoding="utf-8")
    assert ingest_file(path=copy, actor=city.users.office)["figures"] == 0
    assert YearFigure.objects.count() == 70


def test_accept_a_part_then_replace_only_with_confirmation(city, seed_packet, tmp_path):
    text = seed_packet.read_text(encoding="utf-8")
    first = tmp_path / "資料4.txt"
    first.write_text(text[text.index("資料４"):text.index("資料５")], encoding="utf-8")
    ingest_file(path=first, actor=city.users.office)
    part = PacketPart.objects.get(label="資料4")
    sessions = YearFigure.objects.get(measure="sessions")
    with pytest.raises(PermissionDenied):
        services.year_figures_accept(part=part, actor=city.users.staff)  # not the office
    services.year_figures_accept(part=part, actor=city.users.office, values={sessions.pk: Decimal(5)})
    assert YearFigure.objects.get(measure="sessions").value == 5
    assert set(YearFigure.objects.values_list("status", flat=True)) == {FigureStatus.ACCEPTED}
    assert AuditEvent.objects.filter(action="confirm", object_id=str(part.pk)).exists()

    # a corrected edition of the same 資料4 (four sessions after all): a draft, accepted only with confirmation
    second = tmp_path / "資料4_訂正.txt"
    second.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ingest_file(path=second, actor=city.users.office)
    corrected = PacketPart.objects.filter(label="資料4").latest("id")
    assert YearFigure.objects.filter(status=FigureStatus.DRAFT).count() == 1  # participants 181 is held already, sessions 4 is new
    with pytest.raises(ValidationError, match="確認済みの数値がすでにあります"):
        services.year_figures_accept(part=corrected, actor=city.users.office)
    assert YearFigure.objects.get(measure="sessions", status=FigureStatus.ACCEPTED).value == 5  # nothing changed
    services.year_figures_accept(part=corrected, actor=city.users.office, replace=True)
    assert YearFigure.objects.get(measure="sessions", status=FigureStatus.ACCEPTED).value == 4
    assert YearFigure.objects.get(measure="sessions", status=FigureStatus.REPLACED).value == 5


def test_the_cli_lists_the_parts(city, seed_packet):
    out = io.StringIO()
    call_command("ingest", str(seed_packet), "--dry-run", "--format", "json", stdout=out)
    parts = {p["label"]: p for p in json.loads(out.getvalue())["parts"]}
    assert parts["資料6"]["message"] == "報告件数 1件を読み取りました"
    assert parts["資料5"]["reader"] == "outsourcing"
    assert not YearFigure.objects.exists()


def test_a_table_that_does_not_add_up_is_reported_not_guessed(city, tmp_path):
    path = tmp_path / "資料3.txt"
    path.write_text("資料３\n令和４年度情報公開制度・個人情報保護制度運用状況報告書\n公文書公開請求・公文書公開申出の受付件数と決定の状況\n"
                    "実施機関 受付件数\n市 長\n請求\n9件\n53文書\n4文書\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"資料3: 読み取れませんでした（.*の値が 3 個で、表の列（6 列）と合いません"):
        ingest_file(path=path, actor=city.users.office)
    assert not YearFigure.objects.exists()


def test_upload_runs_as_a_job_then_review_and_accept(client, city, seed_packet, django_capture_on_commit_callbacks):
    client.force_login(city.users.office)
    with django_capture_on_commit_callbacks(execute=False), seed_packet.open("rb") as f:
        response = client.post("/council/ingest/", {"file": f})
    job = Job.objects.get(kind="council.ingest")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs.execute(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert "届出 18件、過年度の数値 70件（確認待ち）、手引の改訂 11行（下書き）" in job.result_label
    assert not default_storage.exists(job.params["file"])  # the upload is not kept once read
    page = client.get(job.result_url).content.decode()
    assert "資料3" in page and "58件の数値を読み取りました" in page and "改訂 11行を読み取りました" in page
    part = PacketPart.objects.get(label="資料4")
    drafts = list(YearFigure.objects.filter(topic="training"))
    post = {"part": part.pk, "row": ",".join(str(f.pk) for f in drafts)} | {f"value-{f.pk}": "" if f.measure == "sessions" else "181" for f in drafts}
    refused = client.post(job.result_url, post)
    assert refused.status_code == 400 and "数値として読めない値があります" in refused.content.decode()
    assert 'value=""' in refused.content.decode()  # what was typed comes back
    post |= {f"value-{f.pk}": "４" for f in drafts if f.measure == "sessions"}
    assert client.post(job.result_url, post).status_code == 302
    assert set(YearFigure.objects.filter(topic="training").values_list("status", flat=True)) == {"accepted"}
    assert "確認済み" in client.get(job.result_url).content.decode()
    client.force_login(city.users.staff)
    assert client.get(job.result_url).status_code == 403


def test_a_packet_of_only_shiryo7_becomes_handbook_revisions_and_one_without_a_table_says_why(city, seed_packet, tmp_path):
    text = seed_packet.read_text(encoding="utf-8")
    shiryo7 = text[text.index("資料７"):text.index("個人情報の取扱いに関する特記事項")]
    path = tmp_path / "資料7.txt"
    path.write_text(shiryo7, encoding="utf-8")
    out = ingest_file(path=path, actor=city.users.office)
    part = PacketPart.objects.get(source_id=out["source_id"], label="資料7")
    assert part.status == PartStatus.READ and part.count == 11 and out["figures"] == 0
    assert {r.source for r in Revision.objects.all()} == {"資料7.txt（資料7）"}
    # the same heading with its table gone: recognised as 資料7, not read, and the reason given
    head = shiryo7[:shiryo7.index("該当ページ等")]
    empty = tmp_path / "資料7-表なし.txt"
    empty.write_text(head, encoding="utf-8")
    with pytest.raises(IngestError, match="資料7: 読み取れませんでした（新旧対照表（該当ページ等・改訂前・改訂後）が見つかりませんでした。"):
        ingest_file(path=empty, actor=city.users.office)
    assert Revision.objects.count() == 2
