"""資料6 computed from the recorded incidents, not copied from the seed: a 令和7年度 of its own (two reports to
the 委員会, one leak that was not reported), the figures following a change, and the 3月31日／4月1日 edges of the year.
A report belongs to the year of its 速報日."""
import datetime
import io

import docx
import pdfplumber
import pytest

from mamori.incidents import services
from mamori.incidents.reports import incidents_report as report

D = datetime.date
FY = 2025  # 令和7年度

SUMMARY_1 = "児童手当の現況届の控えを、別の受給者150人分とともに誤って郵送した。"
SUMMARY_2 = "納税係の端末がマルウェアに感染し、外部から不正に操作されたおそれがあった。"
NOTICE_1 = "郵送にて本人に通知した。"
EXCEPTION_2 = "連絡先の分からない本人がいるため、市ホームページで公表した。"

EXPECTED_LINES = [
    ("報告件数", "２件"),
    ("該当部署", "こども未来課"), ("概要", SUMMARY_1), ("報告事由", "要配慮個人情報を含む、該当者数１００人超"),
    ("速報日", "令和７年４月１日"), ("確報日", "令和７年４月２５日"), ("本人通知", NOTICE_1),
    ("該当部署", "収納課"), ("概要", SUMMARY_2), ("報告事由", "不正の目的"),
    ("速報日", "令和８年３月３１日"), ("確報日", "（未報告）"), ("本人通知", EXCEPTION_2),
]


def leak(office, unit, *, title, summary, learned_on, groups, items=("氏名", "住所"), **facts):
    return services.incident_save(actor=office, title=title, summary=summary, learned_on=learned_on, unit=unit, items=list(items), groups=groups, **facts)


@pytest.fixture
def year(city):
    office, u = city.users.office, city.units
    # recorded in a different order from their 速報日
    second = leak(office, u.nozei, title="端末のマルウェア感染", summary=SUMMARY_2, learned_on=D(2026, 3, 27), malicious=True,
                  groups=[("納税者", 40)], sokuhou_on=D(2026, 3, 31), notice_exception="difficult", notice_exception_reason=EXCEPTION_2)
    # learned in 令和6年度, reported (速報) on the first day of 令和7年度; the team's 課 is こども未来課
    first = leak(office, u.team, title="現況届の誤送付", summary=SUMMARY_1, learned_on=D(2025, 3, 28), items=("氏名", "住所", "健康状態"),
                 groups=[("受給者", 150), ("配偶者", 1)], sokuhou_on=D(2025, 4, 1), kakuhou_on=D(2025, 4, 25), notice_method=NOTICE_1)
    # a leak of 3 persons without 要配慮 items: not reportable, no 速報, not on the list
    leak(office, u.kyufu, title="窓口での書類の取り違え", summary="窓口で別人の書類を渡した。", learned_on=D(2025, 7, 1), groups=[("申請者", 3)])
    return {"office": office, "units": u, "first": first, "second": second}


def lines_of(ctx) -> list[tuple[str, str]]:
    out = [("報告件数", str(ctx.count))]
    for r in ctx.rows:
        out += [("該当部署", r.department), ("概要", r.summary), ("報告事由", r.triggers), ("速報日", r.sokuhou), ("確報日", r.kakuhou), ("本人通知", r.notice)]
    return out


def test_a_year_of_its_own_is_counted_from_the_records(year):
    ctx = report.context(FY)
    assert (ctx.fiscal_year, ctx.label, ctx.count) == (2025, "令和7年度", 2)
    assert lines_of(ctx) == [("報告件数", "2"), *EXPECTED_LINES[1:]]
    data = ctx.as_json()
    assert data["count"] == 2 and [i["department"] for i in data["incidents"]] == ["こども未来課", "収納課"]
    assert data["incidents"][1] == {"department": "収納課", "summary": SUMMARY_2, "triggers": "不正の目的", "sokuhou": "令和８年３月３１日",
                                    "kakuhou": "（未報告）", "notice": EXCEPTION_2}

    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    assert "令和７年度 個人情報保護委員会への漏えい等の報告" in [p.text for p in d.paragraphs]
    assert [tuple(c.text for c in row.cells) for row in d.tables[0].rows] == EXPECTED_LINES

    pages = pdfplumber.open(io.BytesIO(report.render_pdf(ctx))).pages
    assert "令和７年度 個人情報保護委員会への漏えい等の報告" in pages[0].extract_text()
    rows = [tuple(c.replace("\n", "") for c in row) for p in pages for t in p.extract_tables() for row in t]
    assert rows == EXPECTED_LINES


def test_the_figures_follow_the_records(year):
    office, u, second = year["office"], year["units"], year["second"]
    assert report.context(FY).count == 2
    # one more incident, reported in between: the list follows the 速報日
    leak(office, u.shuno, title="封入誤り", summary="督促状の封入を誤り、別人に送付した。", learned_on=D(2025, 9, 1), items=("氏名", "住所", "滞納額"),
         groups=[("納税者", 230)], sokuhou_on=D(2025, 9, 3), kakuhou_on=D(2025, 9, 30), notice_method="電話と文書で謝罪した。")
    ctx = report.context(FY)
    assert ctx.count == 3
    assert [(r.department, r.sokuhou, r.triggers) for r in ctx.rows] == [
        ("こども未来課", "令和７年４月１日", "要配慮個人情報を含む、該当者数１００人超"),
        ("収納課", "令和７年９月３日", "該当者数１００人超"),
        ("収納課", "令和８年３月３１日", "不正の目的"),
    ]
    # the 確報 of the second is filed, and more persons turn out to be affected
    services.incident_save(actor=office, incident=second, title=second.title, summary=second.summary, learned_on=second.learned_on, unit=second.unit,
                           items=second.items, malicious=True, sokuhou_on=second.sokuhou_on, kakuhou_on=D(2026, 5, 20),
                           notice_exception="difficult", notice_exception_reason=EXCEPTION_2, groups=[("納税者", 140)])
    ctx = report.context(FY)
    assert ctx.rows[2].kakuhou == "令和８年５月２０日" and ctx.rows[2].triggers == "不正の目的、該当者数１００人超"
    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    rows = [tuple(c.text for c in row.cells) for row in d.tables[0].rows]
    assert rows[0] == ("報告件数", "３件") and len(rows) == 1 + 3 * 6
    assert rows[-3:] == [("速報日", "令和８年３月３１日"), ("確報日", "令和８年５月２０日"), ("本人通知", EXCEPTION_2)]


def test_the_edges_of_the_fiscal_year(year):
    office, u = year["office"], year["units"]
    # 速報 the day before the year starts, and the day after it ends
    leak(office, u.nozei, title="前年度末の報告", summary="前年度末に速報した事案。", learned_on=D(2025, 3, 27), malicious=True,
         groups=[("納税者", 2)], sokuhou_on=D(2025, 3, 31))
    leak(office, u.kyufu, title="翌年度初日の報告", summary="翌年度の初日に速報した事案。", learned_on=D(2026, 3, 30), items=("氏名", "健康状態"),
         groups=[("受給者", 5)], sokuhou_on=D(2026, 4, 1))
    ctx = report.context(FY)
    assert ctx.count == 2 and [r.summary for r in ctx.rows] == [SUMMARY_1, SUMMARY_2]
    previous, following = report.context(2024), report.context(2026)
    assert [(r.department, r.summary, r.sokuhou) for r in previous.rows] == [("収納課", "前年度末に速報した事案。", "令和７年３月３１日")]
    assert [(r.department, r.triggers, r.sokuhou) for r in following.rows] == [("こども未来課", "要配慮個人情報を含む", "令和８年４月１日")]
    assert report.context(2027).count == 0  # a year without a report is a report of ０件 once incidents are kept
