"""The API's test city: the shared ``city`` (two departments: こども未来課 runs 児童手当 (teate), 収納課 runs 住民基本台帳
(juki)) with a record of every kind in each department, and a write-scope token for every role."""
import datetime
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches

from mamori.api import services as tokens
from mamori.api.models import Scope
from mamori.core.concurrency import token_for
from mamori.disclosure.services import request_create
from mamori.filebook import services as filebook
from mamori.incidents.services import incident_save
from mamori.outsourcing import services as outsourcing
from mamori.register import services as register
from mamori.register.models import NotificationKind, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict
from mamori.training.services import session_save

ROLES = ["staff", "manager", "other_staff", "office", "council", "auditor", "sysadmin"]
LATER = datetime.date.today() + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    """Throttle counts live in the shared cache by user id; ids repeat from test to test."""
    cache.clear()
    caches["shared"].clear()
    yield
    cache.clear()
    caches["shared"].clear()


def _proposed(program):
    return version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())


def _change(actor, program, submit=False):
    n = register.notification_create(actor=actor, kind=NotificationKind.CHANGE, program=program, proposed=_proposed(program),
                                     reason="変更の理由", content="変更の内容", effective_date=datetime.date(2024, 6, 1))
    if submit:
        register.notification_submit(notification=n, actor=actor)
    return n


@pytest.fixture
def api(city):
    u, p = city.users, city.programs
    office = u.office
    records = SimpleNamespace(
        draft=_change(u.staff, p.teate),                          # こども未来課's draft: the office does not see drafts
        submitted=_change(u.staff, p.teate, submit=True),
        other_submitted=_change(u.other_staff, p.juki, submit=True),
        request=request_create(actor=office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                               received_on=datetime.date(2024, 6, 3), requester_name="請求 太郎", requester_address="朝霞市本町1-1",
                               subject="児童手当の記録", documents=[(city.units.kyufu, "認定台帳")]),
        other_request=request_create(actor=office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.nozei],
                                     received_on=datetime.date(2024, 6, 4), requester_name="請求 花子", subject="住民票の記録"),
    )
    acme = outsourcing.contractor_save(actor=office, name="株式会社テスト", corporate_number="1180301018771")
    sub = outsourcing.contractor_save(actor=office, name="株式会社再委託先")
    span = {"starts_on": datetime.date(2024, 4, 1), "ends_on": datetime.date(2025, 3, 31)}
    records.contract = outsourcing.contract_save(actor=office, program=p.teate, contractor=acme, kind="outsourcing", title="児童手当システム運用", **span)
    records.sub_contract = outsourcing.contract_save(actor=office, program=p.teate, contractor=sub, kind="sub", parent=records.contract,
                                                     title="データ入力（再委託）", approved_on=datetime.date(2024, 4, 1), **span)
    records.other_contract = outsourcing.contract_save(actor=office, program=p.juki, contractor=acme, kind="outsourcing", title="住基システム運用", **span)
    records.incident = incident_save(actor=office, title="誤送付", summary="通知の誤送付", learned_on=datetime.date(2024, 6, 3), unit=city.units.kyufu,
                                     programs=[p.teate], groups=[("受給者", 120)], items=["氏名", "住所"])
    records.session = session_save(actor=office, held_on=datetime.date(2024, 7, 1), name="個人情報保護研修", target="全職員", participants=40)
    records.file = filebook.file_create(programs=[p.teate], actor=office)
    filebook.revision_publish(file=records.file, actor=office)
    secrets = {role: tokens.token_create(actor=getattr(u, role), name=f"{role}の連携", scope=Scope.WRITE, expires_on=LATER)[1] for role in ROLES}
    return SimpleNamespace(city=city, users=u, programs=p, records=records, secrets=secrets)


class Caller:
    """Calls the API as a role with its token (or any secret), JSON in and out."""

    def __init__(self, client, api):
        self.client, self.api = client, api

    def __call__(self, method: str, url: str, body=None, *, role: str | None = None, secret: str | None = None, **extra):
        headers = dict(extra)
        secret = secret or (self.api.secrets[role] if role else None)
        if secret:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        data = json.dumps(body, ensure_ascii=False) if body is not None else None
        return getattr(self.client, method.lower())(url, data=data, content_type="application/json", **headers)


@pytest.fixture
def call(client, api):
    return Caller(client, api)


def version_of(record) -> str:
    return token_for(type(record).objects.get(pk=record.pk))
