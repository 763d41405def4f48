"""Small things a person sees on every page (issue 12, 10): the site's icon, and counts in one format."""
from django.contrib.staticfiles import finders

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
