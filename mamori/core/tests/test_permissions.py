"""Every URL for every role: who can and who cannot.

The table below is the policy. A URL added to the project without a row here fails
``test_every_url_is_in_the_table``.
"""
import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mamori.core.concurrency import token_for  # the version the 届出's page gives its buttons
from mamori.core.models import AuditEvent
from mamori.council.services import meeting_create
from mamori.disclosure import file_services
from mamori.disclosure.reports import delivery
from mamori.disclosure.services import document_decide, notice_issue, request_create
from mamori.disclosure.tests.documents import LETTER, run_jobs, text_pdf
from mamori.filebook.services import file_create
from mamori.handbooks import services as handbooks
from mamori.incidents.services import incident_save
from mamori.outsourcing import services as outsourcing
from mamori.outsourcing.rules import CHECKLIST
from mamori.register import services
from mamori.register.models import Item, NotificationKind, NotificationStatus, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict
from mamori.training.services import session_save

ROLES = ["staff", "manager", "other_staff", "office", "council", "auditor", "sysadmin"]
REGISTER = {"staff", "manager", "other_staff", "office", "auditor"}
OWN_UNIT = {"staff", "manager", "office", "auditor"}  # see the program of こども未来課; other_staff gets 404
DEPT = {"staff", "manager", "other_staff"}


def expect(ok: set, hidden: set = frozenset(), ok_status=200) -> dict:
    """ok → ok_status, hidden → 404 (exists but out of the user's scope), others → 403."""
    return {role: ok_status if role in ok else 404 if role in hidden else 403 for role in ROLES}


PUBLIC = {"healthz"}  # the load balancer's probe: no login, no personal data (test_production)

TABLE = {
    "home": expect(set(ROLES)),
    "healthz": expect(set(ROLES)),  # and without a login (test_production)
    "register:list": expect(REGISTER),
    "register:program": expect(OWN_UNIT, hidden={"other_staff"}),
    "register:version": expect(OWN_UNIT, hidden={"other_staff"}),
    "register:diff": expect(OWN_UNIT, hidden={"other_staff"}),
    "register:inbox": expect(REGISTER),
    "register:notification_new": expect(DEPT),
    "register:notification_draft": expect(DEPT),
    "register:effective_date_note": expect(DEPT),
    "register:notification_detail": expect(OWN_UNIT, hidden={"other_staff"}),
    "register:notification_edit": expect({"staff", "manager"}, hidden={"other_staff"}),
    "register:vocabulary": expect(REGISTER),
    "register:imports": expect({"office", "auditor"}),
    "register:vocabulary_new": expect({"office"}),
    "register:vocabulary_edit": expect({"office"}),
    "council:list": expect({"council", "office", "auditor"}),
    "council:awaiting": expect({"council", "office", "auditor"}),
    "council:meeting": expect({"council", "office", "auditor"}),
    "council:meeting_new": expect({"office"}),
    "council:meeting_edit": expect({"office"}),
    "council:document": expect({"council", "office", "auditor"}),
    "council:trends": expect({"council", "office", "auditor"}),
    "council:ingest": expect({"office"}),
    "council:packets": expect({"office"}),
    "council:packet": expect({"office"}),
    "disclosure:dashboard": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "disclosure:request_new": expect({"office"}),
    "disclosure:request": expect({"office", "auditor", "staff", "manager"}, hidden={"other_staff"}),
    "disclosure:notice_templates": expect({"office"}),
    "disclosure:calendar": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "disclosure:closure_days": expect({"office"}),
    "disclosure:report": expect({"office", "auditor"}, ok_status=302),  # no year with data here: back to the dashboard with a message
    "disclosure:notice_template_edit": expect({"office"}),
    "disclosure:notice_download": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    # A request's documents, unredacted: those who see its requester (disclosure.selectors.can_see_documents).
    "disclosure:file": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    "disclosure:file_page_image": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    "disclosure:file_page_words": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    "disclosure:file_download": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    "disclosure:delivery_download": expect({"office", "staff", "manager"}, hidden={"other_staff", "auditor"}),
    "outsourcing:dashboard": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "outsourcing:report": expect({"office", "auditor"}, ok_status=302),
    "outsourcing:contractors": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "outsourcing:contractor_new": expect({"office"}),
    "outsourcing:contractor": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "outsourcing:contractor_edit": expect({"office"}),
    "outsourcing:contract_new": expect({"office", "staff", "manager", "other_staff"}),
    "outsourcing:contract": expect({"office", "auditor", "staff", "manager"}, hidden={"other_staff"}),
    "outsourcing:form": expect({"office", "auditor", "staff", "manager"}, hidden={"other_staff"}),
    "outsourcing:checksheet": expect({"office", "auditor", "staff", "manager"}, hidden={"other_staff"}),
    "outsourcing:contracts": expect({"office", "auditor", "staff", "manager", "other_staff"}),  # each sees the contracts of their scope
    "outsourcing:contract_edit": expect({"office", "staff", "manager"}, hidden={"other_staff"}),  # who may register a contract may correct it
    "outsourcing:inspections": expect({"office", "auditor", "staff", "manager", "other_staff"}),
    "outsourcing:inspection_edit": expect({"office", "staff", "manager"}, hidden={"other_staff"}),
    "outsourcing:certification_edit": expect({"office"}),
    "outsourcing:provisions": expect({"office", "auditor", "staff", "manager", "other_staff"}),  # the office adds editions (test_provisions.py)
    "incidents:list": expect({"office", "auditor"}),
    "incidents:new": expect({"office"}),
    "incidents:detail": expect({"office", "auditor"}),
    "incidents:edit": expect({"office"}),
    "incidents:ppc": expect({"office", "auditor"}),
    "training:list": expect({"office", "auditor"}),
    "training:session": expect({"office", "auditor"}),
    "training:session_edit": expect({"office"}),
    "handbooks:list": expect(REGISTER),
    "handbooks:handbook": expect(REGISTER),
    "handbooks:edition": expect(REGISTER),
    "handbooks:edition_file": expect(REGISTER),
    "handbooks:revision_new": expect({"office"}),
    "handbooks:revision": expect(REGISTER),
    "handbooks:revision_document": expect(REGISTER),
    "handbooks:row_edit": expect({"office"}, ok_status=302),  # a GET goes back to the revision's page
    "handbooks:revision_action": expect({"office"}, ok_status=302),
    "filebook:list": expect(REGISTER | {"council"}),
    "filebook:file": expect(OWN_UNIT | {"council"}, hidden={"other_staff"}),  # a file of こども未来課's program
    "filebook:new": expect({"office"}),
    "filebook:edit": expect({"office"}),
    "filebook:download": expect(REGISTER | {"council"}),  # what was published: the public's open data
    "public:preview": expect(REGISTER | {"council"}),  # the public site as it would be published: what was published only
    "public:preview_file": expect(REGISTER | {"council"}),
    "public:publish": expect({"office"}),
    "audit_log": expect({"auditor", "office", "sysadmin"}),
    "audit_record": expect({"auditor", "office", "sysadmin"}),
    "organisation": expect({"sysadmin", "office", "auditor"}),
    "unit_new": expect({"sysadmin", "office"}),
    "unit_edit": expect({"sysadmin", "office"}),
    "user_list": expect({"sysadmin"}),
    "user_new": expect({"sysadmin"}),
    "user_edit": expect({"sysadmin"}),
    "user_password_reset": expect({"sysadmin"}),
    "password_change": expect(set(ROLES)),  # one's own password, from the header
    "date_echo": expect(set(ROLES)),  # what a date field understood: no record, nothing personal
    "impact:ask": expect(REGISTER),  # as the register: each sees only the programs it may read (impact/tests)
    "impact:map": expect(REGISTER),
    "impact:map_data": expect(REGISTER),
    "api_tokens:list": expect(set(ROLES)),  # one's own API tokens, from the header
    # No role is asked for a second factor here (MAMORI_OTP_REQUIRED_ROLES empty; core/tests/test_auth.py turns it on):
    # the code step sends everyone on, and enrolment is refused.
    "otp_verify": expect(set(ROLES), ok_status=302),
    "otp_setup": expect(set()),
}
NOT_WALKED = {
    "login": "public: the login form",
    "impact:apply_to_incident": "POST only: tested in impact/tests/test_screens.py",
    "job": "a job's page: who may see it depends on the job (core/tests/test_jobs.py test_who_may_start_and_see_a_job)",
    "job_download": "a job's result: core/tests/test_jobs.py test_who_may_start_and_see_a_job",
    "logout": "POST only: ends the session",
    "user_unlock": "POST only: tested in core/tests/test_auth.py",
    "user_otp_reset": "POST only: tested in core/tests/test_auth.py",
    "register:notification_action": "POST only: tested in test_actions_are_permission_checked",
    "council:meeting_assign": "POST only: tested in council/tests/test_documents.py",
    "council:meeting_unassign": "POST only: tested in council/tests/test_documents.py",
    "council:meeting_packet": "POST only: tested in council/tests/test_packet.py",
    "disclosure:document_add": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:document_decide": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:clock_add": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:correction_returned": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:appeal_new": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:appeal_edit": "POST only: tested in disclosure/tests/test_requests.py",
    "disclosure:notice_issue": "POST only: tested in disclosure/tests/test_notices.py",
    **{f"disclosure:{name}": "POST only: tested in disclosure/tests/test_documents.py (services: require can_decide_requests)"
       for name in ("file_attach", "file_remove", "box_add", "box_change", "box_remove", "suggestions_find", "file_review", "file_release",
                    "file_colour", "term_add", "term_remove", "delivery_create")},
    "disclosure:delivery_online": "no login, its own expiring token: disclosure/tests/test_documents.py test_the_online_link_expires…",
    "disclosure:delivery_online_file": "no login, its own expiring token: disclosure/tests/test_documents.py test_the_online_link_expires…",
    "disclosure:request_withdraw": "POST only: tested in disclosure/tests/test_words.py (test_only_the_office_records_a_withdrawal)",
    "outsourcing:inspection_save": "POST only: tested in outsourcing/tests/test_screens.py",
    "outsourcing:receipt_save": "POST only: tested in outsourcing/tests/test_screens.py",
    "outsourcing:disposal_save": "POST only: tested in outsourcing/tests/test_screens.py",
    "outsourcing:incident_save": "POST only: tested in outsourcing/tests/test_screens.py",
    "outsourcing:finding_save": "POST only: tested in outsourcing/tests/test_screens.py",
    "incidents:confirm": "POST only: tested in incidents/tests/test_incidents.py",
    "register:imported_review": "POST only: tested in register/tests/test_ingest.py",
    "filebook:decide": "POST only: tested in filebook/tests/test_views.py",
    "filebook:publish": "POST only: tested in filebook/tests/test_views.py",
    "filebook:refresh": "POST only: tested in filebook/tests/test_views.py",
    "api_tokens:revoke": "POST only: tested in api/tests/test_tokens.py",
    "organ_remove": "POST only: tested in handbooks/tests/test_pages.py",
}


def all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{entry.namespace}:" if entry.namespace else ""
            yield from all_url_names(entry, prefix + ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


# The REST API (/api/v1/) has its own walk over every endpoint × role × method, read from the URL resolver
# (mamori/api/tests/test_walk.py, which fails for an endpoint without a row): each api: name is left to it.
NOT_WALKED.update({name: "the API's own walk: api/tests/test_walk.py" for name in all_url_names() if name.startswith("api:")})


def test_every_url_is_in_the_table():
    names = set(all_url_names())
    assert names - set(TABLE) - set(NOT_WALKED) == set(), "every URL needs a row in TABLE (who may use it)"
    assert set(TABLE) - names == set()


@pytest.fixture
def walk(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    teate = city.programs.teate
    proposed = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=teate.current_id)).get())
    review = services.notification_create(actor=city.users.staff, kind=NotificationKind.CHANGE, program=teate, proposed=proposed,
                                          reason="r", content="c", effective_date=datetime.date(2024, 6, 1))
    services.notification_submit(notification=review, actor=city.users.staff)
    services.notification_approve(notification=review, actor=city.users.manager)
    returned = services.notification_create(actor=city.users.staff, kind=NotificationKind.CHANGE, program=teate, proposed=proposed,
                                            reason="r", content="c", effective_date=datetime.date(2024, 6, 1))
    services.notification_submit(notification=returned, actor=city.users.staff)
    services.notification_return(notification=returned, actor=city.users.manager, comment="直してください")

    disclosure_request = request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ,
                                        departments=[city.units.kyufu], received_on=datetime.date(2024, 6, 3),
                                        requester_name="請求 太郎", subject="児童手当の記録", documents=[(city.units.kyufu, "認定台帳")])

    document_decide(document=disclosure_request.documents.get(), actor=city.users.office, decision="disclose", decided_on=datetime.date(2024, 6, 20))
    notice = notice_issue(request=disclosure_request, actor=city.users.office, kind="disclose", issued_on=datetime.date(2024, 6, 20))
    document_file = file_services.file_attach(document=disclosure_request.documents.get(), actor=city.users.office, name="台帳.pdf", data=text_pdf(LETTER))
    run_jobs()
    file_services.file_release(file=type(document_file).objects.get(pk=document_file.pk), actor=city.users.office)
    handed = file_services.delivery_create(request=disclosure_request, actor=city.users.office, build=delivery.build)

    meeting = meeting_create(actor=city.users.office, fiscal_year=2024, number=1, date=datetime.date(2024, 7, 29))

    acme = outsourcing.contractor_save(actor=city.users.office, name="株式会社テスト", corporate_number="1180301018771")
    contract = outsourcing.contract_save(actor=city.users.office, program=city.programs.teate, contractor=acme, kind="outsourcing", title="運用",
                                         starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2025, 3, 31))
    inspection = outsourcing.inspection_save(actor=city.users.office, contract=contract, fiscal_year=2024, method="onsite", inspected_on=datetime.date(2024, 10, 1),
                                             results={str(n): {"result": "ok"} for n, *_ in CHECKLIST})

    certification = outsourcing.certification_add(actor=city.users.office, contractor=acme, kind="pmark", expires_on=datetime.date(2027, 3, 31))

    session = session_save(actor=city.users.office, held_on=datetime.date(2024, 5, 1), name="個人情報保護研修", participants=20)
    incident = incident_save(actor=city.users.office, title="誤送付", summary="通知の誤送付", learned_on=datetime.date(2024, 6, 3), unit=city.units.kyufu,
                             programs=[city.programs.teate], groups=[("受給者", 1)])

    personal_file = file_create(programs=[teate], actor=city.users.office)
    handbook = handbooks.handbook_create(name="個人情報保護制度の手引", actor=city.users.office)
    old = handbooks.edition_create(handbook=handbook, label="旧版", issued_on=datetime.date(2023, 4, 1), pages=[{"number": 1, "lines": ["甲の機関"]}],
                                   source_name="h.docx", source_bytes=b"PK", actor=city.users.office)
    new = handbooks.edition_create(handbook=handbook, label="新版", issued_on=datetime.date(2024, 4, 1), pages=[{"number": 1, "lines": ["甲"]}], actor=city.users.office)
    revision = handbooks.revision_create(handbook=handbook, from_edition=old, to_edition=new, reason="理由", actor=city.users.office)
    packet = services.ingest_source_create(actor=city.users.office, file_name="packet.txt", sha256="0" * 64, size=1, text="資料３", meeting=None)
    event = AuditEvent.objects.filter(model="core.User").first()  # a record every audit reader may see
    args = {
        "home": [], "healthz": [], "register:list": [], "register:program": [teate.code], "register:version": [teate.code, 1],
        "register:diff": [teate.code], "register:inbox": [], "register:notification_new": [], "register:notification_draft": [],
        "register:effective_date_note": [],
        "register:notification_detail": [review.number], "register:notification_edit": [returned.number],
        "register:vocabulary": [], "register:imports": [], "register:vocabulary_new": [], "register:vocabulary_edit": [Item.objects.first().pk],
        "disclosure:dashboard": [], "disclosure:request_new": [], "disclosure:request": [disclosure_request.number],
        "disclosure:notice_templates": [], "disclosure:calendar": [], "disclosure:report": [], "disclosure:closure_days": [], "disclosure:notice_template_edit": ["disclose"],
        "disclosure:notice_download": [disclosure_request.number, notice.pk, "pdf"],
        "disclosure:file": [disclosure_request.number, document_file.pk], "disclosure:file_page_image": [disclosure_request.number, document_file.pk, 1],
        "disclosure:file_page_words": [disclosure_request.number, document_file.pk, 1],
        "disclosure:file_download": [disclosure_request.number, document_file.pk, "redacted"],
        "disclosure:delivery_download": [disclosure_request.number, handed.pk, "zip"],
        "outsourcing:dashboard": [], "outsourcing:report": [], "outsourcing:contractors": [], "outsourcing:contractor_new": [],
        "outsourcing:contractor": [contract.contractor_id], "outsourcing:contractor_edit": [contract.contractor_id], "outsourcing:contract_new": [],
        "outsourcing:contract": [contract.pk], "outsourcing:form": [contract.pk, "3"], "outsourcing:checksheet": [contract.pk, inspection.pk, "pdf"],
        "incidents:list": [], "incidents:new": [], "incidents:detail": [incident.pk], "incidents:edit": [incident.pk],
        "incidents:ppc": [incident.pk, "sokuhou", "pdf"], "training:list": [],
        "outsourcing:contracts": [], "outsourcing:contract_edit": [contract.pk], "outsourcing:inspections": [],
        "outsourcing:inspection_edit": [contract.pk, inspection.pk], "outsourcing:certification_edit": [acme.pk, certification.pk], "outsourcing:provisions": [],
        "training:session": [session.pk], "training:session_edit": [session.pk],
        "council:list": [], "council:awaiting": [], "council:meeting": [meeting.pk], "council:meeting_new": [], "council:meeting_edit": [meeting.pk],
        "council:document": [meeting.pk, "shiryo1", "pdf"], "council:trends": [], "council:ingest": [], "council:packets": [], "council:packet": [packet.pk], "audit_log": [], "audit_record": [event.model, event.object_id], "organisation": [],
        "unit_new": [], "unit_edit": [city.units.kyufu.pk],
        "user_list": [], "user_new": [], "user_edit": [city.users.staff.pk], "user_password_reset": [city.users.staff.pk],
        "password_change": [], "api_tokens:list": [], "otp_verify": [], "otp_setup": [], "date_echo": [], "impact:ask": [], "impact:map": [], "impact:map_data": [],
        "filebook:list": [], "filebook:file": [personal_file.code], "filebook:new": [], "filebook:edit": [personal_file.code],
        "handbooks:list": [], "handbooks:handbook": [handbook.pk], "handbooks:edition": [old.pk], "handbooks:edition_file": [old.pk],
        "handbooks:revision_new": [], "handbooks:revision": [revision.pk], "handbooks:revision_document": [revision.pk, "docx"],
        "handbooks:row_edit": [revision.pk, revision.rows.get().pk], "handbooks:revision_action": [revision.pk, "finalize"],
        "filebook:download": ["csv"], "public:preview": [], "public:preview_file": ["list.html"], "public:publish": [],
    }
    return city, args, review


@pytest.mark.parametrize("role", ROLES)
def test_walk_every_url(client, walk, role):
    from django.urls import reverse

    city, args, _ = walk
    client.force_login(getattr(city.users, role))
    got = {name: client.get(reverse(name, args=args[name])).status_code for name in TABLE}
    want = {name: TABLE[name][role] for name in TABLE}
    assert got == want


def test_anonymous_is_sent_to_login(client, walk):
    from django.urls import reverse

    _, args, _ = walk
    for name in TABLE:
        if name in PUBLIC:
            continue
        response = client.get(reverse(name, args=args[name]))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name


@pytest.mark.parametrize(
    ("role", "action", "status_after"),
    [
        ("staff", "accept", NotificationStatus.APPROVED),  # not the office: refused, nothing changes
        ("manager", "accept", NotificationStatus.APPROVED),
        ("auditor", "return", NotificationStatus.APPROVED),
        ("office", "accept", NotificationStatus.ACCEPTED),
    ],
)
def test_actions_are_permission_checked(client, walk, role, action, status_after):
    city, _, review = walk
    client.force_login(getattr(city.users, role))
    response = client.post(f"/register/notifications/{review.number}/{action}/", {"comment": "x", "base_version": token_for(type(review).objects.get(pk=review.pk))})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == status_after


@pytest.mark.parametrize("role", ["council", "sysadmin"])
def test_actions_forbidden_for_roles_without_register(client, walk, role):
    city, _, review = walk
    client.force_login(getattr(city.users, role))
    assert client.post(f"/register/notifications/{review.number}/comment/", {"comment": "x"}).status_code == 403


def test_other_department_cannot_act_on_hidden_notification(client, walk):
    city, _, review = walk
    client.force_login(city.users.other_manager)
    assert client.post(f"/register/notifications/{review.number}/approve/").status_code == 404
