"""資料3 from the demo equals the seed's figures cell by cell, in every format."""
import io
import json

import docx
import openpyxl
import pdfplumber
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.disclosure.reports import build
from mamori.disclosure.reports.operation_status import context, personal_table, public_table

# The seed's 資料3 (令和5年度), as printed.
SEED_PUBLIC = [
    ["市長", "請求", "9件 53文書", "4文書", "5文書", "44文書（43文書）", "―", "7", "16"],
    ["市長", "申出", "―", "―", "―", "―", "―", "―", "―"],
    ["教育委員会", "請求", "2件 4文書", "―", "3文書", "1文書（1文書）", "―", "0", "75"],
    ["教育委員会", "申出", "―", "―", "―", "―", "―", "―", "―"],
    ["選挙管理委員会", "請求", "3件 40文書", "2文書", "38文書", "―", "―", "5", "100"],
    ["選挙管理委員会", "申出", "―", "―", "―", "―", "―", "―", "―"],
    ["合計", "請求", "14件 97文書", "6文書", "46文書", "45文書（44文書）", "―", "6", "53"],
    ["合計", "申出", "―", "―", "―", "―", "―", "―", "―"],
]
SEED_PERSONAL = [
    ["市長", "１３件２１文書", "５文書", "１６文書", "―", "―", "―"],
    ["合計", "１３件２１文書", "５文書", "１６文書", "―", "―", "―"],
]


def test_demo_fy2023_equals_the_seed_cell_by_cell(demo):
    ctx = context(2023)
    assert public_table(ctx) == SEED_PUBLIC
    assert personal_table(ctx) == SEED_PERSONAL
    assert ctx.personal_notes == ["※審査会の答申に基づく裁決後の決定含む（１件）。"]
    assert ctx.correction_sentence.endswith("令和５年度における訂正請求等は、ありませんでした。")
    assert ctx.formula_note == "公開率は、文書数で計算し、小数点以下を切捨てています。取下げは公開に含めています。"
    assert ctx.checks == []  # every document decided, no carried-over surprises


def test_json_keys_and_every_format(demo):
    data = json.loads(build(2023, "json"))
    mayor = data["public"]["organs"][0]
    assert mayor["organ"] == "市長" and mayor["request"] == {"cases": 9, "documents": 53, "disclosed": 4, "partial": 5, "nondisclosed": 44,
                                                            "nonexistent": 43, "withdrawn": 0, "rate_disclosed": 7, "rate_partial": 16}
    assert data["personal"]["total"]["documents"] == 21 and data["corrections"] == {"correction": 0, "suspension": 0}
    d = docx.Document(io.BytesIO(build(2023, "docx")))
    cells = [[c.text for c in row.cells] for row in d.tables[0].rows][2:]
    assert cells == SEED_PUBLIC
    assert [[c.text for c in row.cells] for row in d.tables[1].rows][2:] == SEED_PERSONAL
    page = pdfplumber.open(io.BytesIO(build(2023, "pdf"))).pages[0]
    assert "令和５年度情報公開制度・個人情報保護制度運用状況報告書" in page.extract_text()
    public_pdf, personal_pdf = page.extract_tables()
    assert [[c for c in row if c is not None] for row in public_pdf[2:]] == SEED_PUBLIC
    assert [[c for c in row if c is not None] for row in personal_pdf[2:]] == SEED_PERSONAL
    wb = openpyxl.load_workbook(io.BytesIO(build(2023, "xlsx")))
    rows = list(wb["公文書公開"].iter_rows(values_only=True))
    assert rows[4] == ("市長", "請求", 9, 53, 4, 5, 44, 43, 0, 7, 16)


def test_cli_and_a_year_without_data(demo, tmp_path):
    call_command("report", "operation-status", "--fiscal-year", "2023", "--format", "xlsx", "--output", str(tmp_path / "資料3.xlsx"))
    assert (tmp_path / "資料3.xlsx").stat().st_size > 0
    with pytest.raises(CommandError, match="令和2年度（令和2年4月1日〜令和3年3月31日）に受け付けた請求はありません"):
        call_command("report", "operation-status", "--fiscal-year", "2020", "--format", "json", "--output", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_the_report_joins_the_council_meetings_materials(client, demo):
    from mamori.core.models import User
    from mamori.council.models import Meeting

    client.force_login(User.objects.get(username="iin"))
    meeting = Meeting.objects.get(fiscal_year=2024, number=1)
    response = client.get(f"/council/meetings/{meeting.pk}/documents/shiryo3.xlsx")
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["公文書公開"].iter_rows(values_only=True))
    assert next(r for r in rows if r[:2] == ("合計", "請求"))[2:4] == (14, 97)
