"""The published register as open data: the CSV parses back to the same entries; JSON and XLSX hold the same."""
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from mamori.filebook import opendata, selectors
from mamori.filebook.tests.helpers import publish_entries


@pytest.fixture
def published(city):
    """Three entries: one changed twice (a line-broken purpose, an item with 、), one deleted, one manual."""
    publish_entries(city, deleted_name="=HYPERLINK(\"http://example.com\")事業")
    return selectors.public_entries()


def test_the_csv_parses_back_to_the_same_entries(published):
    data = opendata.render_csv(published, "朝霞市")
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data  # UTF-8 with BOM and CRLF: Excel opens it as it is
    back = opendata.read_csv(data)
    assert back == opendata.without_history(published)
    assert {e.kind for e in back} == {"computerized", "manual"} and any(e.deleted_on for e in back)
    assert "勤務先、通学先" in back[0].items and back[0].purpose == "放課後の居場所を提供するため。\n入室を決定するため。"


def test_the_csv_headings_are_the_statutes_words(published):
    head = opendata.render_csv(published, "朝霞市").decode("utf-8-sig").splitlines()[0].split(",")
    assert head[:4] == ["地方公共団体名", "ファイル番号", "個人情報ファイルの名称", "行政機関等の名称"]
    assert "記録情報の経常的提供先" in head and head[-3:] == ["作成年月日", "変更年月日", "消除年月日"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t.replace("個人情報ファイルの名称", "名前", 1), "見出し"),
        (lambda t: t.replace(",電算処理ファイル,", ",電子,", 1), "2行目の「個人情報ファイルの種別」"),
        (lambda t: t.replace(",なし,", ",不明,", 1), "「あり」か「なし」"),
    ],
)
def test_a_csv_not_in_the_format_says_where(published, damage, message):
    text = opendata.render_csv(published, "朝霞市").decode("utf-8-sig")
    with pytest.raises(opendata.FormatError, match=message):
        opendata.read_csv(damage(text).encode("utf-8"))


def test_the_json_holds_the_entries_and_their_history(published):
    document = json.loads(opendata.render_json(published, "朝霞市", datetime.date(2025, 4, 1)))
    assert document["format"] == "mamori-file-register" and document["body"] == "朝霞市" and document["published_on"] == "2025-04-01"
    first = document["entries"][0]
    assert first["recipients"] == ["埼玉県"] and [h["kind"] for h in first["history"]] == ["create", "change"]
    assert first["history"][1]["changes"] == ["記録情報の経常的提供先：「埼玉県」を追加"]
    assert first == selectors.public_entry_dict(published[0])


def test_the_xlsx_has_the_register_and_its_history_and_no_live_formula(published):
    wb = load_workbook(io.BytesIO(opendata.render_xlsx(published, "朝霞市")))
    sheet = wb["個人情報ファイル簿"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [[v if v != "" else None for v in row] for row in opendata.rows(published, "朝霞市")]  # an empty cell reads back as None
    name = sheet.cell(row=3, column=3)
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s"  # text, never a formula
    history = [[c.value for c in row] for row in wb["変更履歴"].iter_rows(min_row=2)]
    assert [h[3] for h in history] == ["作成", "変更", "作成", "消除", "作成"]
    # readable in Excel: headings bold, every cell wrapped and set at the top
    assert all(c.font.b and c.alignment.wrap_text for c in sheet[1])
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row] + [c for row in wb["変更履歴"].iter_rows(min_row=2) for c in row]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" and not c.font.b for c in cells)


def test_the_cli_writes_the_same_open_data(published, tmp_path):
    from django.core.management import call_command

    call_command("report", "file-register", "--format", "csv", "--output", str(tmp_path / "f.csv"), stdout=open("/dev/null", "w"))
    assert opendata.read_csv((tmp_path / "f.csv").read_bytes()) == opendata.without_history(published)
    call_command("report", "file-register", "--format", "json", "--current-only", "--output", str(tmp_path / "f.json"), stdout=open("/dev/null", "w"))
    assert len(json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["entries"]) == len(published) - 1  # the deleted one left out
