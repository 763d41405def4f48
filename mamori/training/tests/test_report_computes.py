"""資料4 computed from the recorded sessions, not copied from the seed: a 令和7年度 of its own (three sessions,
18 + 42 + 7 = 67 participants), the figures following a change, and the 3月31日／4月1日 edges of the year."""
import datetime
import io

import docx
import openpyxl
import pdfplumber
import pytest

from mamori.core.models import User
from mamori.training import services
from mamori.training.reports import training_report as report

D = datetime.date
FY = 2025  # 令和7年度

EXPECTED_ROWS = [
    ["4月1日", "新規採用職員研修", "18人"],
    ["6月12日", "個人情報保護制度研修会（対象者：課長補佐級職員）", "42人"],
    ["3月31日", "情報セキュリティ研修", "7人"],
]


@pytest.fixture
def year(city):
    office = city.users.office
    # recorded out of order: the report lists them by date
    sessions = {
        "june": services.session_save(actor=office, held_on=D(2025, 6, 12), name="個人情報保護制度研修会", target="課長補佐級職員", participants=42),
        "last": services.session_save(actor=office, held_on=D(2026, 3, 31), name="情報セキュリティ研修", target="", participants=7),
        "first": services.session_save(actor=office, held_on=D(2025, 4, 1), name="新規採用職員研修", target="", participants=18),
    }
    return office, sessions


def rows_of(ctx) -> list[list]:
    return [[r.date, r.name, r.participants] for r in ctx.rows]


def test_a_year_of_its_own_is_counted_from_the_sessions(year):
    ctx = report.context(FY)
    assert (ctx.fiscal_year, ctx.label, ctx.total) == (2025, "令和7年度", 67)
    assert rows_of(ctx) == [[d, n, int(p[:-1])] for d, n, p in EXPECTED_ROWS]
    assert ctx.as_json() == {"fiscal_year": 2025, "label": "令和7年度", "total": 67, "sessions": [
        {"date": "4月1日", "name": "新規採用職員研修", "participants": 18},
        {"date": "6月12日", "name": "個人情報保護制度研修会（対象者：課長補佐級職員）", "participants": 42},
        {"date": "3月31日", "name": "情報セキュリティ研修", "participants": 7},
    ]}

    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    texts = [p.text for p in d.paragraphs]
    assert "令和７年度 職員への研修状況" in texts
    assert "情報公開制度・個人情報保護制度について、令和７年度は以下のとおり研修を行いました。" in texts
    assert [[c.text for c in row.cells] for row in d.tables[0].rows] == [["日程", "研修名", "参加者数"], *EXPECTED_ROWS]

    page = pdfplumber.open(io.BytesIO(report.render_pdf(ctx))).pages[0]
    assert "令和７年度 職員への研修状況" in page.extract_text()
    assert [[c.replace("\n", "") for c in row] for row in page.extract_tables()[0][1:]] == EXPECTED_ROWS

    sheet = openpyxl.load_workbook(io.BytesIO(report.render_xlsx(ctx)))["資料4"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [("令和７年度 職員への研修状況", None, None), (None, None, None), ("日程", "研修名", "参加者数"),
                    ("4月1日", "新規採用職員研修", 18), ("6月12日", "個人情報保護制度研修会（対象者：課長補佐級職員）", 42),
                    ("3月31日", "情報セキュリティ研修", 7), ("合計", None, 67)]  # an empty cell reads back as None
    # Printed as the PDF: column widths set, A4 one page wide, the heading row repeated, the table's area.
    assert [sheet.column_dimensions[c].width for c in "ABC"] == [16, 55, 14]
    assert (sheet.page_setup.paperSize, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (9, 1, 0)  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$3:$3" and sheet.print_area == "'資料4'!$A$1:$C$7"


def test_the_figures_follow_the_sessions(year, city):
    office, sessions = year
    assert report.context(FY).total == 67
    # one more session, with the staff who attended (2 listed of 25)
    attendees = [city.users.staff, city.users.manager]
    services.session_save(actor=office, held_on=D(2025, 10, 8), name="番号法研修", target="マイナンバーを扱う課の職員", participants=25, attendees=attendees)
    ctx = report.context(FY)
    assert ctx.total == 92 and len(ctx.rows) == 4
    assert rows_of(ctx)[2] == ["10月8日", "番号法研修（対象者：マイナンバーを扱う課の職員）", 25]
    assert set(User.objects.filter(trainings__held_on=D(2025, 10, 8))) == set(attendees)
    # a count corrected, and a session moved to another day
    services.session_save(actor=office, session=sessions["june"], participants=40)
    services.session_save(actor=office, session=sessions["first"], held_on=D(2025, 4, 3))
    ctx = report.context(FY)
    assert ctx.total == 90
    assert [r.date for r in ctx.rows] == ["4月3日", "6月12日", "10月8日", "3月31日"]
    assert [r.participants for r in ctx.rows] == [18, 40, 25, 7]
    rows = list(openpyxl.load_workbook(io.BytesIO(report.render_xlsx(ctx)))["資料4"].iter_rows(values_only=True))
    assert rows[-1] == ("合計", None, 90)
    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    assert [c.text for c in d.tables[0].rows[2].cells] == ["6月12日", "個人情報保護制度研修会（対象者：課長補佐級職員）", "40人"]


def test_the_edges_of_the_fiscal_year(year):
    office, _ = year
    services.session_save(actor=office, held_on=D(2025, 3, 31), name="前年度末の研修", target="", participants=50)
    services.session_save(actor=office, held_on=D(2026, 4, 1), name="翌年度初日の新規採用職員研修", target="", participants=60)
    ctx = report.context(FY)
    assert ctx.total == 67 and [r.name for r in ctx.rows] == [r[1] for r in EXPECTED_ROWS]
    assert rows_of(report.context(2024)) == [["3月31日", "前年度末の研修", 50]]
    assert report.context(2026).total == 60
    with pytest.raises(report.NoData, match="令和9年度の研修の記録がありません"):
        report.context(2027)
