"""`mamori publish`: the whole site from the published register — every file, relative links only, the same bytes
for the same data, written at once, nothing stale, the open data reading back, the forms naming the file."""
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from mamori.core.models import MunicipalSettings
from mamori.filebook import opendata, selectors, services
from mamori.filebook.models import RevisionKind
from mamori.filebook.tests.helpers import accept
from mamori.public import publish, site
from mamori.public.tests.helpers import publish_entries
from mamori.register.models import NotificationKind


@pytest.fixture
def files(city):
    return publish_entries(city)


def data(now=datetime.datetime(2025, 4, 1, 9, 0, tzinfo=datetime.timezone.utc)):
    return site.load(now)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def test_the_site_holds_every_page_and_file(files, tmp_path):
    result = publish.publish(data(), tmp_path / "site")
    out = result.path
    codes = {k: f.code for k, f in files.items()}
    for name in ("index.html", "list.html", "feed.xml", "data/index.html", "data/schema.html", "data/file-register-schema.md",
                 "data/file-register.csv", "data/file-register.json", "data/file-register.xlsx", "assets/tokens.css", "assets/site.css",
                 "assets/search.js", "assets/search-index.js"):
        assert (out / name).is_file(), name
    for key in ("changed", "manual"):
        for name in (f"files/{codes[key]}.html", f"request/{codes[key]}.html", f"request/{codes[key]}.pdf", f"request/{codes[key]}.docx"):
            assert (out / name).is_file(), name
    # the deleted entry keeps its stable page, as a 消除 notice with its history; no request page, no forms
    deleted = (out / f"files/{codes['deleted']}.html").read_text(encoding="utf-8")
    assert "敬老祝金支給事業ファイル（消除）" in deleted and "個人情報ファイル簿から消除しました" in deleted
    assert not list(out.glob(f"request/{codes['deleted']}.*"))
    assert (result.entries, result.deleted) == (2, 1)
    # the schema is rendered from docs/file-register-schema.md, with its table
    schema = (out / "data/schema.html").read_text(encoding="utf-8")
    assert "<table>" in schema and "法第74条第1項第1号" in schema
    assert (out / "assets/tokens.css").read_bytes() == site.TOKENS.read_bytes()  # the Digital Agency design tokens, copied


def test_every_link_is_relative_and_leads_to_a_file_of_the_site(files, tmp_path):
    out = publish.publish(data(), tmp_path / "site").path
    pages = list(out.rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        for link in links_of(page):
            assert not re.match(r"^(/|[a-z]+:)", link), f"{page.relative_to(out)}: {link} is not relative"
            target = link.split("#")[0].split("?")[0]
            if target:
                assert (page.parent / target).resolve().is_file(), f"{page.relative_to(out)}: {link} leads nowhere"
        text = page.read_text(encoding="utf-8")
        assert '<html lang="ja">' in text and 'href="#main"' in text and "<h1>" in text  # lang, skip link, a heading


def test_the_same_data_gives_the_same_bytes_but_the_generated_line(files, tmp_path):
    first, _ = publish.build(data())
    again, _ = publish.build(data())
    assert first == again
    later, _ = publish.build(data(datetime.datetime(2025, 4, 2, 10, 30, tzinfo=datetime.timezone.utc)))
    assert [p for p in first if first[p] != later[p]] == ["index.html"]
    differ = [(a, b) for a, b in zip(first["index.html"].decode().splitlines(), later["index.html"].decode().splitlines()) if a != b]
    assert len(differ) == 1 and "に作成しました" in differ[0][0]


def test_a_deleted_entry_leaves_only_its_notice_page(city, tmp_path):
    entries = publish_entries(city)
    kept = entries["manual"]
    out = tmp_path / "site"
    publish.publish(data(), out)
    assert (out / f"request/{kept.code}.pdf").is_file()
    # the program is abolished: the entry is deleted (施行令第20条第4項) and published so
    program = kept.programs.get()
    accept(city, NotificationKind.ABOLISH, program=program, effective=datetime.date(2024, 8, 1))
    revision = services.revision_publish(file=kept, actor=city.users.office)
    assert revision.kind == RevisionKind.DELETE
    result = publish.publish(data(), out)
    assert not list(out.glob(f"request/{kept.code}.*"))
    assert "消除" in (out / f"files/{kept.code}.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left beside it
    assert result.reused == 2  # the other listed file's PDF and DOCX were made of the same things: kept, not made again


def test_forms_are_made_again_when_what_they_say_changes(files, tmp_path):
    out = tmp_path / "site"
    first = publish.publish(data(), out)
    assert first.reused == 0
    assert publish.publish(data(), out).reused == 4
    s = MunicipalSettings.current()
    s.personal_request_fee = 300
    s.save()
    assert publish.publish(data(), out).reused == 0  # the fee changed: every form states the new one
    with pdfplumber.open(out / f"request/{files['manual'].code}.pdf") as pdf:
        assert "1件につき300円" in pdf.pages[0].extract_text().replace("\n", "")


def test_an_output_folder_holding_something_else_is_left_alone(files, tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "大切な文書.txt").write_text("消さないでください", encoding="utf-8")
    with pytest.raises(publish.PublishError, match="公開サイト以外のファイルがあります"):
        publish.publish(data(), other)
    with pytest.raises(CommandError, match="処理を中止しました"):
        call_command("publish", "--output", str(other))
    assert [p.name for p in other.iterdir()] == ["大切な文書.txt"]


def test_the_command_publishes_and_zips(files, tmp_path):
    stdout = io.StringIO()
    call_command("publish", "--output", str(tmp_path / "site"), "--zip", str(tmp_path / "site.zip"), stdout=stdout)
    assert "公開サイトを作成しました" in stdout.getvalue() and "index.html" in stdout.getvalue()
    import zipfile

    with zipfile.ZipFile(tmp_path / "site.zip") as z:
        names = z.namelist()
    assert "index.html" in names and publish.MANIFEST not in names and names == sorted(names)


def test_the_published_csv_and_json_read_back_to_the_same_entries(files, tmp_path):
    out = publish.publish(data(), tmp_path / "site").path
    entries = selectors.public_entries(include_deleted=True)
    csv_bytes = (out / "data/file-register.csv").read_bytes()
    assert csv_bytes.startswith("\ufeff".encode())  # UTF-8 with BOM, for Excel
    assert opendata.read_csv(csv_bytes) == opendata.without_history(entries)
    document = json.loads((out / "data/file-register.json").read_text(encoding="utf-8"))
    assert document["entries"] == [selectors.public_entry_dict(e) for e in entries]
    # dated by the register's last published act, not by the clock: the same data, the same file
    assert document["body"] == "朝霞市" and document["published_on"] == selectors.public_history()[0].date.isoformat()


def test_the_request_forms_name_the_file_and_the_office(files, tmp_path):
    out = publish.publish(data(), tmp_path / "site").path
    f = files["changed"]
    entry = next(e for e in selectors.public_entries() if e.code == f.code)
    office = MunicipalSettings.current().disclosure_office
    with pdfplumber.open(out / f"request/{f.code}.pdf") as pdf:
        assert len(pdf.pages) == 1
        cells = [cell or "" for table in pdf.pages[0].extract_tables() for row in table for cell in row]
        text = (pdf.pages[0].extract_text() + "".join(cells)).replace("\n", "")
    docx = Document(out / f"request/{f.code}.docx")
    docx_text = "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for row in t.rows for c in row.cells])
    for written in (text, docx_text.replace("\n", "")):
        assert "保有個人情報開示請求書" in written and f"「{entry.name}」" in written and f.code in written
        assert office in written and f"（宛先）{entry.organ}" in written and "開示請求の手数料は無料です" in written
    page = (out / f"request/{f.code}.html").read_text(encoding="utf-8")
    assert office in page and "第76条" in page and "施行令第22条" in page and "白黒1枚10円" in page


def test_the_feed_lists_the_published_acts(files, tmp_path):
    out = publish.publish(data(), tmp_path / "site").path
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feed.xml").getroot()
    acts = feed.findall("a:entry", ns)
    assert len(acts) == len(selectors.public_history()) == 5
    ids = [e.find("a:id", ns).text for e in acts]
    assert len(set(ids)) == 5 and all(i.startswith("urn:uuid:") for i in ids)
    for e in acts:
        href = e.find("a:link", ns).get("href")
        assert (out / href).is_file()
    assert any("（消除）" in e.find("a:title", ns).text for e in acts)


def test_the_search_index_holds_the_listed_entries_only(files, tmp_path):
    out = publish.publish(data(), tmp_path / "site").path
    script = (out / "assets/search-index.js").read_text(encoding="utf-8")
    index = json.loads(script.removeprefix("window.MAMORI_FILEBOOK = ").removesuffix(";\n"))
    assert sorted(e["c"] for e in index["entries"]) == sorted([files["changed"].code, files["manual"].code])
    assert {e["k"] for e in index["entries"]} == {"computerized", "manual"}
