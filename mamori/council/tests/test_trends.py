"""「年度の推移」: past years from accepted YearFigure rows, the years the system holds from its records; the
chart's table shows both and says which is which. The packet's annex carries the same charts."""
import io
import unicodedata
from decimal import Decimal

import pdfplumber
from pypdf import PdfReader

from mamori.core.models import User
from mamori.council import charts as chart_module
from mamori.council import trends
from mamori.council.models import FigureStatus, FigureTopic, YearFigure
from mamori.council.reports import packet, packet_context
from mamori.council.selectors import meeting_by_ref


def _figures():
    rows = [
        (2021, FigureTopic.DISCLOSURE, "received", 11), (2021, FigureTopic.DISCLOSURE, "documents", 80),
        (2021, FigureTopic.DISCLOSURE, "rate", 41), (2022, FigureTopic.DISCLOSURE, "received", 12),
        (2022, FigureTopic.DISCLOSURE, "documents", 88), (2022, FigureTopic.INCIDENTS, "reports", 2),
        (2022, FigureTopic.NOTIFICATIONS, "new", 5),
    ]
    for year, topic, measure, value in rows:
        YearFigure.objects.create(fiscal_year=year, topic=topic, measure=measure, value=Decimal(value), status=FigureStatus.ACCEPTED)
    # a figure still in review, and one organ's line, are not drawn
    YearFigure.objects.create(fiscal_year=2020, topic=FigureTopic.DISCLOSURE, measure="received", value=99)
    YearFigure.objects.create(fiscal_year=2021, topic=FigureTopic.DISCLOSURE, measure="received", organ="教育委員会", value=3,
                              status=FigureStatus.ACCEPTED)


def _chart(built, key):
    return next(c for c in built if c.key == key)


def test_past_years_from_accepted_figures_and_the_held_years_from_records(demo):
    _figures()
    built = trends.charts(until=2023)
    requests = _chart(built, "disclosure-requests")
    assert requests.years == [2021, 2022, 2023]  # 令和2年度's figure is still in review: not a year of the chart
    assert [(r["year"], r["values"], r["source"]) for r in requests.rows] == [
        ("令和3年度", ["11", "80"], "過去の会議資料"),
        ("令和4年度", ["12", "88"], "過去の会議資料"),
        ("令和5年度", ["14", "97"], "システムの記録"),  # the demo's requests, as 資料3 counts them
    ]
    assert requests.source_note == ("令和3年度・令和4年度は過去の会議資料、令和5年度はシステムの記録によります。"
                                    "過去の会議資料の数値は、取り込んで確認済みのものです。")
    decisions = _chart(built, "disclosure-decisions")
    assert [r["rate"] for r in decisions.rows] == ["41％", "—", "53％"]
    assert [r["values"] for r in decisions.rows][2] == ["6", "46", "45"]
    assert [r["values"] for r in _chart(built, "incidents").rows] == [["—"], ["2"], ["1"]]
    # 資料4: the sessions the demo records for 令和5年度, counted, and their participants
    assert [(r["values"], r["source"]) for r in _chart(built, "training").rows][-1] == (["4", "181"], "システムの記録")
    # 届出 are counted by the year of the meeting that reported them: the demo's meeting is in 令和6年度
    assert [r["values"] for r in _chart(built, "notifications").rows][1] == ["5", "—", "—"]
    assert [r["values"] for r in _chart(trends.charts(until=2024), "notifications").rows][-1] == ["7", "11", "0"]


def test_the_trends_page_shows_each_chart_with_its_table(client, demo):
    _figures()
    client.force_login(User.objects.get(username="iin"))
    page = client.get("/council/trends/").content.decode()
    assert page.count("<figure") == page.count("<figcaption") == page.count("<table") >= 6
    assert "<svg" in page and 'role="img"' in page and "公文書公開請求の受付件数と文書数" in page
    assert "<td>過去の会議資料</td>" in page and "令和3年度" in page


def test_a_department_user_does_not_see_the_trends(client, demo):
    client.force_login(User.objects.get(username="tanto"))
    assert client.get("/council/trends/").status_code == 403


def test_the_svg_scale_fits_the_largest_bar():
    chart = chart_module.Chart("x", "件数", "件", [2022, 2023], [chart_module.Series("受付", [3, 17])], ["history", "live"])
    drawing = chart_module.svg(chart)
    assert ">20</text>" in drawing and ">25</text>" not in drawing  # the axis tops at 20 in steps of 5
    assert ">過去資料</text>" in drawing  # the year that came from a past packet is marked under its bar
    assert chart_module._nice_max(0) == (4, 1) and chart_module._nice_max(97) == (100, 25) and chart_module._nice_max(181) == (200, 50)


def test_the_packet_annex_carries_the_charts(demo):
    _figures()
    ctx = packet_context(meeting_by_ref("令和6年度第1回"), charts=True)
    data = packet.render_pdf(ctx)
    reader = PdfReader(io.BytesIO(data))
    last = reader.outline[-1]
    assert last.title == "付録 年度の推移（令和3年度〜令和5年度）"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        annex = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages[reader.get_destination_page_number(last):]))
    assert "公文書公開請求の受付件数と文書数" in annex and "令和3年度 11 80 過去の会議資料" in annex
    assert "令和5年度 14 97 システムの記録" in annex

