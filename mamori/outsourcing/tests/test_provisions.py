"""The 特記事項 the office keeps, in editions: who may add one, which is in force on a date, the page (a form that
comes back as typed), its history, the printed text, and the demo's text against the seed's."""
import datetime
import io
import re

import docx
import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamori.conftest import seed_path
from mamori.core.models import AuditAction, AuditEvent
from mamori.core.reports import NoData
from mamori.demo import outsourcing as demo_outsourcing
from mamori.outsourcing import selectors, services
from mamori.outsourcing.models import SpecialProvisions
from mamori.outsourcing.reports import provisions

D = datetime.date
TEXT = "（基本的事項）\n第１条 受注者は、個人情報を適切に取り扱わなければならない。\n２ 受注者は、報告しなければならない。\n(1) 施錠すること。"


@pytest.fixture
def editions(city):
    office = city.users.office
    return (services.special_provisions_add(actor=office, in_force_on=D(2020, 4, 1), body=TEXT),
            services.special_provisions_add(actor=office, in_force_on=D(2024, 4, 1), body=TEXT.replace("報告しなければ", "直ちに報告しなければ"), note="第２条第２項の改正"))


def test_only_the_office_adds_an_edition_and_it_is_audited(city):
    with pytest.raises(PermissionDenied):
        services.special_provisions_add(actor=city.users.staff, in_force_on=D(2024, 4, 1), body=TEXT)
    edition = services.special_provisions_add(actor=city.users.office, in_force_on=D(2024, 4, 1), body="\r\n  第１条 受注者は…\r\n\r\n２ 受注者は…  ")
    assert edition.body == "第１条 受注者は…\n２ 受注者は…" and edition.created_by == city.users.office  # blank lines and margins dropped
    event = AuditEvent.objects.get(model="outsourcing.SpecialProvisions")
    assert event.action == AuditAction.CREATE and event.summary == "個人情報の取扱いに関する特記事項（令和6年4月1日施行）を登録"
    with pytest.raises(ValidationError) as exc:  # the same 施行日 twice
        services.special_provisions_add(actor=city.users.office, in_force_on=D(2024, 4, 1), body=TEXT)
    assert "この施行日の版は登録済みです" in str(exc.value) and SpecialProvisions.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.special_provisions_add(actor=city.users.office, in_force_on=D(2025, 4, 1), body=" \n ")
    assert "本文を入力してください" in str(exc.value)


@pytest.mark.parametrize(("on", "expected"), [
    (D(2020, 3, 31), None),  # before the first edition
    (D(2020, 4, 1), D(2020, 4, 1)),  # in force from its 施行日
    (D(2024, 3, 31), D(2020, 4, 1)),
    (D(2024, 4, 1), D(2024, 4, 1)),  # the newer edition replaces it on its own 施行日
    (D(2030, 1, 1), D(2024, 4, 1)),
])
def test_the_edition_in_force_on_a_date(editions, on, expected):
    edition = selectors.provisions_in_force(on)
    assert (edition.in_force_on if edition else None) == expected


def test_the_packets_part_is_the_edition_in_force_on_the_meeting_date_or_says_there_is_none(editions):
    assert provisions.context(2023, on=D(2024, 7, 29)).in_force == "令和６年４月１日施行"
    assert provisions.context(2023, on=D(2024, 3, 1)).in_force == "令和２年４月１日施行"
    with pytest.raises(NoData, match="令和2年3月1日に施行されている特記事項の本文が登録されていません"):
        provisions.context(2019, on=D(2020, 3, 1))


def test_paragraph_kinds():
    kinds = [(p.kind, p.text[:4]) for p in provisions.text_of(SpecialProvisions(in_force_on=D(2024, 4, 1), body=TEXT + "\n附則")).paragraphs]
    assert kinds == [("heading", "（基本的"), ("article", "第１条 "), ("clause", "２ 受注"), ("item", "(1) "), ("text", "附則")]


def test_printed_text_in_pdf_and_docx(editions):
    ctx = provisions.context(2024, on=D(2024, 7, 29))
    with pdfplumber.open(io.BytesIO(provisions.render_pdf(ctx))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert text.splitlines()[:3] == ["個人情報の取扱いに関する特記事項", "（令和６年４月１日施行）", "（基本的事項）"]
    assert "２ 受注者は、直ちに報告しなければならない。" in text
    d = docx.Document(io.BytesIO(provisions.render_docx(ctx)))
    lines = [p for p in d.paragraphs if p.text]
    assert [p.text for p in lines][:3] == ["個人情報の取扱いに関する特記事項", "（令和６年４月１日施行）", "（基本的事項）"]
    article = next(p for p in lines if p.text.startswith("第１条"))
    assert article.paragraph_format.first_line_indent < 0 < article.paragraph_format.left_indent  # hanging, as printed


def test_the_page_shows_the_text_in_force_and_adds_an_edition_keeping_what_was_typed(client, city, editions):
    client.force_login(city.users.office)
    page = client.get("/outsourcing/provisions/").content.decode()
    assert "令和6年4月1日施行" in page and "直ちに報告しなければならない" in page and "第２条第２項の改正" in page and "新しい版を登録" in page
    assert "個人情報の取扱いに関する特記事項（令和6年4月1日施行）を登録" in page  # the history
    older = client.get(f"/outsourcing/provisions/?edition={editions[0].pk}").content.decode()
    assert "２ 受注者は、報告しなければならない。" in older
    typed = "第１条 受注者は、新しい本文に従う。"
    page = client.post("/outsourcing/provisions/", {"in_force_on": "令和7年13月1日", "body": typed, "note": "全部改正"}).content.decode()
    assert typed in page and "全部改正" in page and "令和7年13月1日" in page and SpecialProvisions.objects.count() == 2
    page = client.post("/outsourcing/provisions/", {"in_force_on": "令和2年4月1日", "body": typed}).content.decode()
    assert "この施行日の版は登録済みです" in page and typed in page and SpecialProvisions.objects.count() == 2
    response = client.post("/outsourcing/provisions/", {"in_force_on": "令和7年4月1日", "body": typed, "note": "全部改正"})
    assert response.status_code == 302 and SpecialProvisions.objects.get(in_force_on=D(2025, 4, 1)).body == typed


def test_a_department_reads_the_text_but_may_not_add_an_edition(client, city, editions):
    client.force_login(city.users.staff)
    page = client.get("/outsourcing/provisions/").content.decode()
    assert "直ちに報告しなければならない" in page and "新しい版を登録" not in page
    assert client.post("/outsourcing/provisions/", {"in_force_on": "令和7年4月1日", "body": TEXT}).status_code == 403
    assert SpecialProvisions.objects.count() == 2


def test_the_demo_text_is_the_seeds_special_provisions(city):
    seed = seed_path().read_text(encoding="utf-8")
    start = seed.index("個人情報の取扱いに関する特記事項 \n")
    section = seed[start:seed.index("別紙１（第２条関係）", start)]
    printed = re.sub(r"\s", "", section).removeprefix("個人情報の取扱いに関する特記事項")
    edition = demo_outsourcing.load_provisions(city.users.office)
    assert re.sub(r"\s", "", edition.body) == printed
    assert len(re.findall(r"^第[０-９]+条", edition.body, re.M)) == 17 and len(edition.paragraphs) == 57
