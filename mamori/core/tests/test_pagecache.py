"""The page cache serves a person's page again only while nothing has been written anywhere."""
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mamori.core.concurrency import token_for
from mamori.core.models import OrgUnit
from mamori.register.tests.test_workflow import draft_change


@pytest.fixture
def cache_on(settings):
    settings.MAMORI_PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _inbox(client):
    return client.get("/register/notifications/").content.decode()


def _without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+', r"\1…", page)


def test_a_page_is_served_again_until_the_next_write(client, city, cache_on, django_assert_max_num_queries):
    client.force_login(city.users.staff)
    client.get("/register/notifications/")  # sets the CSRF cookie: not cached
    first = _inbox(client)
    with django_assert_max_num_queries(4):  # session, user, data version: the page itself is not rebuilt
        again = _inbox(client)
    assert _without_tokens(again) == _without_tokens(first) and again != first  # the requester's own token is put back
    n = draft_change(city)  # a write, through a service, audited
    after = _inbox(client)
    assert n.number in after and n.number not in first


def test_the_token_in_a_cached_page_is_accepted(city, cache_on):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.users.staff)
    browser.get("/register/notifications/")
    browser.get("/register/notifications/")  # stored
    cached = browser.get("/register/notifications/").content.decode()  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', cached).group(1)
    assert browser.post("/logout/", {"csrfmiddlewaretoken": token}).status_code == 302  # not 403


def test_each_person_has_their_own_pages(client, city, cache_on):
    client.force_login(city.users.staff)
    client.get("/")
    mine = client.get("/").content.decode()
    client.force_login(city.users.office)
    client.get("/")
    theirs = client.get("/").content.decode()
    assert city.users.staff.display_name in mine and city.users.office.display_name not in mine
    assert city.users.office.display_name in theirs and city.users.staff.display_name not in theirs


def test_a_page_with_a_message_is_not_kept(client, city, cache_on):
    n = draft_change(city)
    client.force_login(city.users.staff)
    client.get("/register/notifications/")
    client.post(f"/register/notifications/{n.number}/submit/", {"comment": "", "base_version": token_for(n)})  # the page's version
    with_message = client.get("/register/notifications/").content.decode()
    assert "提出しました" in with_message
    assert "提出しました" not in client.get("/register/notifications/").content.decode()


def test_unit_choices_read_as_the_units_label(city):
    assert dict(OrgUnit.choices_for(OrgUnit.objects.all())) == {u.pk: u.label for u in OrgUnit.objects.all()}
    assert [pk for pk, _ in OrgUnit.choices_for(OrgUnit.objects.all())] == list(OrgUnit.objects.values_list("pk", flat=True))


def test_the_cache_is_off_when_the_setting_says_so(client, city, settings):
    settings.MAMORI_PAGE_CACHE = False
    client.force_login(city.users.staff)
    client.get("/register/notifications/")
    with CaptureQueriesContext(connection) as queries:
        _inbox(client)
    assert len(queries) > 4  # rebuilt from the database every time
