"""資料7 of the seed: the reader reads all its rows, and the demo's handbooks reproduce them (through the services,
the meeting's 資料7 and its PDF and DOCX)."""
import datetime
import io
import re
import unicodedata

import docx
import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamori.conftest import seed_path
from mamori.core import concurrency
from mamori.core.models import AuditEvent, Role, User
from mamori.core.reports import NoData
from mamori.council import services as council
from mamori.council.models import Meeting
from mamori.council.reports import MEETING_DOCUMENTS
from mamori.demo import handbooks as demo_handbooks
from mamori.handbooks import services
from mamori.handbooks.ingest import read_revision_text
from mamori.handbooks.models import Revision, RevisionStatus
from mamori.handbooks.rules import BLANK, Row, comparable, revision_rows

B = BLANK
# The seed's rows as printed, blanks included (how they are counted: test_rules.SEED_BLANKS).
SEED_ROWS = {
    "個人情報保護制度の手引": [
        ("５ページ 下から８行目", "次の２つの機関については、", "次の" + B * 3 + "機関については、"),
        ("５ページ 下から６行目", "（a）土地開発公社について", "項目（a）すべて削除"),
        ("６ページ 上から６行目", "（b）地方議会について", B * 3 + "地方議会について"),
    ],
    "情報公開事務の手引": [
        ("５ページ 第２条（定義） 上から２行目", "固定資産評価審査委員会、議会及び土地開発公社", "固定資産評価審査委員会" + B * 11 + "及び議会"),
        ("５ページ 下から１０行目", "議決機関である議会、さらに、市の出資法人である土地開発公社をいいます。", "議決機関である議会" + B * 20 + "をいいます。"),
        ("５ページ 下から８行目", "（１） 福祉事務所", B * 4 + "福祉事務所"),
        ("５ページ 下から６行目", "（２） 土地開発公社については、", "項目（２）すべて削除"),
        ("６ページ 上から３行目", "３ 土地開発公社以外の市の出資法人等", "３ " + B * 9 + "市の出資法人等"),
        ("６ページ 上から１６行目", "中学校の職員及び土地開発公社の役職員をいいます", "中学校の職員" + B * 12 + "をいいます"),
        ("６ページ 下から１８行目", "（４） 「土地開発公社の役職員」とは、", "項目（４）すべて削除"),
        ("１０８ページ 下から１０行目", "固定資産評価審査委員会、議会及び土地開発公社", "固定資産評価審査委員会" + B * 11 + "及び議会"),
    ],
}
# Word's automatic spacing between Japanese and a half-width letter or digit, printed as a space by the extraction.
AUTO_SPACE = re.compile(r"(?<=[0-9A-Za-z]) (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) (?=[0-9A-Za-z])")


def printed(text: str) -> str:
    """A cell as the seed's text extraction can be compared, and no more loosely: NFKC (the extraction prints every
    blank as a half-width space and 「2」 half-width); a run of blanks counts as one blank where it stands (its length
    in a wrapped cell is estimated from the gaps of a justified line, one off either way, and the reader drops the
    blanks at a cell's line end); Word's automatic space next to a half-width digit (「次の 2つの」) removed; ends stripped
    (the reader splits a one-line row at the blanks between its cells)."""
    return AUTO_SPACE.sub("", re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip())


def seed_shiryo7() -> str:
    """The seed's 資料7, from its heading to the 特記事項 that follows it."""
    text = seed_path().read_text(encoding="utf-8")
    start = text.index("資料７")
    return text[start:text.index("個人情報の取扱いに関する特記事項", start)]


def _printed(rows):
    return [(r.location, printed(r.before), printed(r.after)) for r in rows]


def _exact(rows):
    return [(r.location, r.before, r.after) for r in rows]


def test_the_reader_reads_every_row_of_the_seed():
    draft = read_revision_text(seed_shiryo7())
    assert draft.handbooks == ["個人情報保護制度の手引", "情報公開事務の手引"]
    assert draft.title == "「個人情報保護制度の手引」及び「情報公開事務の手引」の改訂について"
    assert draft.promulgated_on == draft.enforced_on == datetime.date(2024, 3, 25)
    assert draft.reason == "土地開発公社の実施機関からの除外"
    assert draft.background == demo_handbooks.BACKGROUND and draft.warnings == []
    for table in draft.tables:
        assert _printed(table.rows) == _printed(Row(*r) for r in SEED_ROWS[table.handbook])
    wrapped = draft.tables[1].rows[1]  # a cell wrapped over three lines in the printed table
    assert wrapped.before == "議決機関である議会、さらに、市の出資法人である土地開発公社をいいます。"


def test_the_reader_stops_at_the_next_document_and_warns_on_a_text_that_is_not_shiryo7():
    draft = read_revision_text(seed_shiryo7() + "\n \n個人情報の取扱いに関する特記事項\n（基本的事項）\n")
    assert sum(len(t.rows) for t in draft.tables) == 11
    squeezed = "\n".join(line.strip() for line in (seed_shiryo7() + "\n個人情報の取扱いに関する特記事項\n（基本的事項）\n").split("\n"))
    rows = [r for t in read_revision_text(squeezed).tables for r in t.rows]  # no blank-only lines left to end the table
    assert len(rows) == 11 and comparable(rows[-1].after) == "固定資産評価審査委員会及び議会"
    empty = read_revision_text("資料１\n新規分の届出について\n")
    assert empty.tables == [] and empty.warnings


def test_the_demo_editions_give_the_seed_rows_blanks_included():
    draft = read_revision_text(seed_shiryo7())
    for editions, table in zip((demo_handbooks.privacy_editions(), demo_handbooks.disclosure_editions()), draft.tables):
        rows = revision_rows(*editions)
        assert _exact(rows) == SEED_ROWS[table.handbook]  # exactly, as the city prints them
        assert _printed(rows) == _printed(table.rows)  # and as the seed's text extraction reads


@pytest.fixture
def loaded(city):
    demo_handbooks.load(city.users.office)
    meeting = council.meeting_create(actor=city.users.office, fiscal_year=2024, number=1, date=datetime.date(2024, 7, 29))
    return meeting


def test_the_demo_meeting_prints_the_seed_rows_as_shiryo7(loaded):
    document = MEETING_DOCUMENTS["shiryo7"]
    ctx = document.context(loaded)
    assert ctx.title == "「個人情報保護制度の手引」及び「情報公開事務の手引」の改訂について"
    [group] = ctx.groups
    assert group.lead == ("朝霞市土地開発公社の解散に伴い、朝霞市情報公開条例の実施機関の定義から「土地開発公社」を削除する改正を行いました"
                          "（令和６年３月２５日公布・施行）。これに伴い、「個人情報保護制度の手引」及び「情報公開事務の手引」について、下記のとおり改訂を行いました。")
    for table in group.tables:
        got = [(" ".join(r.location), "".join(s.text for s in r.before), "".join(s.text for s in r.after)) for r in table.rows]
        assert got == SEED_ROWS[table.handbook]
    pdf = document.build(loaded, "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "".join(page.extract_text() for page in opened.pages)
    flat = comparable(text)
    for needle in ("資料７", "「個人情報保護制度の手引」", "「情報公開事務の手引」", "該当ページ等改訂前改訂後", "項目（a）すべて削除", "項目（４）すべて削除",
                   "１０８ページ", "下から１８行目", "令和６年３月２５日公布・施行"):
        assert comparable(needle) in flat, needle
    word = docx.Document(io.BytesIO(document.build(loaded, "docx")))
    privacy, disclosure = word.tables
    assert [c.text for c in privacy.rows[0].cells] == ["該当ページ等", "改訂前", "改訂後"]
    assert privacy.rows[1].cells[0].text == "５ページ\n下から８行目" and len(disclosure.rows) == 9
    underlined = [run.text for run in privacy.rows[1].cells[1].paragraphs[0].runs if run.underline]
    assert underlined == ["２つの"]
    assert [c.text for c in disclosure.rows[1].cells[1:]] == list(SEED_ROWS["情報公開事務の手引"][0][1:])  # blanks where the city put them
    moved = [(run.text, bool(run.underline)) for run in disclosure.rows[1].cells[2].paragraphs[0].runs]
    assert moved == [("固定資産評価審査委員会", False), (B * 11 + "及び議会", True)]


def test_a_meeting_reports_only_what_was_revised_since_the_previous_one(loaded, city):
    later = council.meeting_create(actor=city.users.office, fiscal_year=2024, number=2, date=datetime.date(2025, 2, 10))

    with pytest.raises(NoData):
        MEETING_DOCUMENTS["shiryo7"].context(later)
    Revision.objects.update(status=RevisionStatus.DRAFT)
    with pytest.raises(NoData):  # drafts are not printed
        MEETING_DOCUMENTS["shiryo7"].context(loaded)


def test_only_the_office_keeps_handbooks(loaded, city):
    with pytest.raises(PermissionDenied):
        services.handbook_create(name="職員向けの手引", actor=city.users.staff)
    assert city.users.staff.role == Role.DEPT_STAFF


def test_a_row_is_edited_with_its_version_and_a_final_revision_is_not(loaded, city):
    office = city.users.office
    revision = Revision.objects.get(handbook__name="個人情報保護制度の手引")
    services.revision_reopen(revision=revision, actor=office)
    row = revision.rows.first()
    token = concurrency.token_for(row)
    services.row_update(row=row, location=row.location, before=row.before, after="次の機関については、", base_version=token, actor=office)
    with pytest.raises(concurrency.StaleEdit):  # a second save on the same version
        services.row_update(row=row, location=row.location, before=row.before, after="別の文", base_version=token, actor=office)
    row.refresh_from_db()
    assert row.after == "次の機関については、"
    services.revision_finalize(revision=revision, actor=office)
    with pytest.raises(ValidationError, match="確定済み"):
        services.row_update(row=row, location=row.location, before=row.before, after="x", base_version=concurrency.token_for(row), actor=office)
    assert AuditEvent.objects.filter(root_model="handbooks.Revision", root_id=str(revision.pk), action="finalize_revision").count() == 2


def test_a_printed_shiryo7_becomes_draft_revisions_to_review(city):
    draft = read_revision_text(seed_shiryo7())
    made = services.revision_from_packet(draft=draft, source="令和6年度第1回 資料7", actor=city.users.office)
    assert [r.handbook.name for r in made] == ["個人情報保護制度の手引", "情報公開事務の手引"]
    assert all(r.status == RevisionStatus.DRAFT and r.from_edition is None for r in made)
    assert [r.rows.count() for r in made] == [3, 8]
    assert made[0].promulgated_on == datetime.date(2024, 3, 25) and made[0].reason == "土地開発公社の実施機関からの除外"


def test_the_demo_city_prints_the_seed_shiryo7_on_its_meeting_page_and_by_command(demo, client, tmp_path):
    from django.core.management import call_command


    meeting = Meeting.objects.get(fiscal_year=2024, number=1)
    ctx = MEETING_DOCUMENTS["shiryo7"].context(meeting)
    got = {t.handbook: [(" ".join(r.location), "".join(s.text for s in r.before), "".join(s.text for s in r.after))
                        for r in t.rows] for g in ctx.groups for t in g.tables}
    assert got == SEED_ROWS
    client.force_login(User.objects.filter(role=Role.COUNCIL).first())
    assert "資料7（手引の改訂）" in client.get(f"/council/meetings/{meeting.pk}/").content.decode()
    response = client.get(f"/council/meetings/{meeting.pk}/documents/shiryo7.docx")
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.content)).tables[0].rows[2].cells[2].text == "項目（a）すべて削除"
    out = tmp_path / "資料7.docx"
    call_command("report", "handbooks", "--meeting", "令和６年度第１回", "--format", "docx", "--output", str(out))
    word = docx.Document(str(out))
    assert [word.tables[0].rows[2].cells[2].text, word.tables[1].rows[1].cells[2].text] == ["項目（a）すべて削除", "固定資産評価審査委員会" + B * 11 + "及び議会"]


def test_the_reader_takes_a_location_on_one_line_and_cells_separated_by_a_tab():
    text = """資料７
「個人情報保護制度の手引」の改訂について
朝霞市土地開発公社の解散に伴い、朝霞市情報公開条例の実施機関の定義から「土地開発公社」を削除する改正を
行いました（令和６年３月２５日公布、令和６年４月１日施行）。これに伴い、「個人情報保護制度の手引」について、下記のとおり改訂を行いました。
「個人情報保護制度の手引」
該当ページ等 改訂前 改訂後
５ページ 下から８行目\t次の２つの機関については、\t次の　　　機関については、
５ページ 第２条（定義） 上から２行目 固定資産評価審査委員会、議会及び土地開発公社 固定資産評価審査委員会及び議会
６ページ　上から６行目
（b）地方議会について　　　地方議会について
"""
    draft = read_revision_text(text)
    assert draft.promulgated_on == datetime.date(2024, 3, 25) and draft.enforced_on == datetime.date(2024, 4, 1)
    [table] = draft.tables
    assert [(r.location, r.before, comparable(r.after)) for r in table.rows] == [
        ("５ページ 下から８行目", "次の２つの機関については、", "次の機関については、"),
        ("５ページ 第２条（定義） 上から２行目", "固定資産評価審査委員会、議会及び土地開発公社", "固定資産評価審査委員会及び議会"),
        ("６ページ 上から６行目", "（b）地方議会について", "地方議会について"),
    ]
