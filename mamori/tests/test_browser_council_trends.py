"""「年度の推移」 in a real browser: past packets' figures and the meeting's packet on the member's page; axe-core
checks every page (conftest); the screenshots are kept in var/screenshots for a person to look at."""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mamori.conftest import PASSWORD
from mamori.council import services
from mamori.council.models import FigureStatus, FigureTopic, YearFigure
from mamori.tests.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_a_member_reads_the_trends_at_desk_and_phone_width(page, transactional_db, city):
    for year, received, documents, rate in ((2020, 8, 40, 35), (2021, 11, 80, 41), (2022, 12, 88, 47)):
        for measure, value in (("received", received), ("documents", documents), ("rate", rate), ("decided:full", documents // 4),
                               ("decided:partial", documents // 4), ("decided:refused", documents - 2 * (documents // 4))):
            YearFigure.objects.create(fiscal_year=year, topic=FigureTopic.DISCLOSURE, measure=measure, value=Decimal(value),
                                      status=FigureStatus.ACCEPTED)
        YearFigure.objects.create(fiscal_year=year, topic=FigureTopic.INCIDENTS, measure="reports", value=year - 2020, status=FigureStatus.ACCEPTED)
    services.meeting_create(actor=city.users.office, fiscal_year=2023, number=1, date=datetime.date(2023, 7, 31))
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, "council", PASSWORD)
    page.goto("/council/")
    page.get_by_role("link", name="年度の推移（グラフ）").click()
    page.wait_for_url("**/council/trends/")
    figure = page.get_by_role("figure", name="公文書公開請求の受付件数と文書数")
    assert figure.get_by_role("img").count() == 1
    table = figure.get_by_role("table")
    assert table.get_by_role("row").nth(1).inner_text().split("\t")[:3] == ["令和2年度", "8", "40"]
    assert "過去の会議資料" in table.inner_text()
    page.screenshot(path=str(SHOTS / "council-trends-1280.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320  # nothing runs off a phone's screen
    page.get_by_role("figure", name="公文書公開請求の決定の内訳（文書数）と公開率").screenshot(path=str(SHOTS / "council-trends-320.png"))
