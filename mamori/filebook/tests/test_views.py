"""The ファイル簿's pages: the list and its filters, a file's page with the unpublished differences, the office's forms."""
import pytest
from django.utils import timezone

from mamori.core.concurrency import token_for
from mamori.filebook import entry, services
from mamori.filebook.models import PersonalFile, RevisionKind, RevisionStatus
from mamori.filebook.tests.helpers import change, new_program
from mamori.register.models import Item


@pytest.fixture
def files(city):
    """A published file of こども未来課 with a drafted change, a small exempt one, and one of 収納課."""
    kodomo = new_program(city)
    listed = PersonalFile.objects.get(programs=kodomo)
    services.revision_publish(file=listed, actor=city.users.office)
    change(city, kodomo, lambda d: d["groups"][0]["items"].append("電子メールアドレス"))
    small = PersonalFile.objects.get(programs=new_program(city, name="こども食堂支援事業", persons=40))
    other = services.file_create(programs=[city.programs.juki], actor=city.users.office)
    return listed, small, other


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response


def test_the_file_page_shows_the_unpublished_difference_old_and_new(client, city, files):
    listed, _, _ = files
    html = page(client, city.users.office, f"/files/{listed.code}/").content.decode()
    assert "公表待ちの記載（変更）" in html
    assert "<ins>電子メールアドレス</ins>" in html and "変更あり" in html
    assert "この記載を公表する" in html and "data-confirm=" in html


def test_the_office_publishes_from_the_page(client, city, files):
    listed, _, _ = files
    client.force_login(city.users.office)
    response = client.get(f"/files/{listed.code}/")
    form = response.context["publish_form"]
    posted = client.post(f"/files/{listed.code}/publish/", {"p-shown": form.initial["shown"], "p-base_version": form["base_version"].value()})
    assert posted.status_code == 302
    assert services.last_published(listed).kind == RevisionKind.CHANGE and services.pending(listed) is None


def test_a_publication_of_something_other_than_what_was_shown_is_refused_on_the_page(client, city, files):
    listed, _, _ = files
    client.force_login(city.users.office)
    listed.refresh_from_db()
    response = client.post(f"/files/{listed.code}/publish/", {"p-shown": "0000", "p-base_version": token_for(listed)})
    assert response.status_code == 200 and "画面を開いた後に変わりました" in response.content.decode()
    assert services.pending(listed).status == RevisionStatus.DRAFTED


def test_a_decision_error_comes_back_beside_its_field_with_what_was_typed(client, city, files):
    _, small, _ = files
    client.force_login(city.users.office)
    response = client.post(f"/files/{small.code}/decide/", {"d-exemption": "74-2-7", "d-exemption_note": "", "d-person_count": "",
                                                             "d-base_version": token_for(small)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_d-exemption_note_error"' in html and "理由" in html
    assert '<option value="74-2-7" selected>' in html
    assert "<details open>" in html
    small.refresh_from_db()
    assert small.exemption == "" and not small.confirmed


def test_a_decision_confirms_and_is_audited(client, city, files):
    _, small, _ = files
    client.force_login(city.users.office)
    response = client.post(f"/files/{small.code}/decide/", {"d-exemption": "", "d-exemption_note": "", "d-person_count": "",
                                                             "d-base_version": token_for(small)})
    assert response.status_code == 302
    small.refresh_from_db()
    assert small.confirmed and small.decided_by == city.users.office


def test_a_stale_decision_is_refused_and_keeps_the_input(client, city, files):
    _, small, _ = files
    old = token_for(small)
    services.file_decide(file=small, actor=city.users.office)
    client.force_login(city.users.office)
    response = client.post(f"/files/{small.code}/decide/", {"d-exemption": "74-2-6", "d-exemption_note": "半年で消去する",
                                                             "d-person_count": "", "d-base_version": old})
    html = response.content.decode()
    assert response.status_code == 200 and "保存していません" in html and "半年で消去する" in html


def test_a_department_reads_only_its_own_files_and_no_forms(client, city, files):
    listed, small, other = files
    html = page(client, city.users.staff, "/files/").content.decode()
    assert listed.code in html and small.code in html and other.code not in html
    detail = page(client, city.users.staff, f"/files/{listed.code}/").content.decode()
    assert "この記載を公表する" not in detail and "判定を確認する" not in detail
    page(client, city.users.staff, f"/files/{other.code}/", status=404)
    page(client, city.users.other_staff, f"/files/{listed.code}/", status=404)
    client.force_login(city.users.staff)
    assert client.post(f"/files/{listed.code}/publish/", {}).status_code == 403


def test_the_council_and_auditors_read_every_file(client, city, files):
    for user in (city.users.council, city.users.auditor):
        html = page(client, user, "/files/").content.decode()
        assert all(f.code in html for f in files)
        assert "この記載を公表する" not in page(client, user, f"/files/{files[0].code}/").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", {0, 2}),  # a change waiting; 住民基本台帳 (1,200 persons) drafted at registration
        ("status=not_listed", {1}),
        ("status=listed", set()),
        ("unconfirmed=1", {1}),  # 住民基本台帳's assessment is confirmed by publishing its drafted entry
        ("q=こども食堂", {1}),
        ("kind=manual", set()),
        ("kind=computerized", {0, 1, 2}),
        ("overdue=1", set()),
    ],
)
def test_the_list_filters(client, city, files, query, expected):
    response = page(client, city.users.office, f"/files/?{query}")
    assert {f.code for f in response.context["page"].object_list} == {files[i].code for i in expected}


def test_the_list_is_sortable_and_paginated(client, city, files):
    response = page(client, city.users.office, "/files/?sort=-code")
    assert [f.code for f in response.context["page"].object_list] == sorted((f.code for f in files), reverse=True)
    assert 'aria-sort="descending"' in response.content.decode() and "全3件" in response.content.decode()


def test_overdue_shows_on_the_list_and_on_the_home_page(client, city, files):
    listed, _, _ = files
    services.pending(listed).__class__.objects.filter(pk=services.pending(listed).pk).update(due_on=timezone.localdate().replace(year=2024))
    response = page(client, city.users.office, "/files/?overdue=1")
    assert [f.code for f in response.context["page"].object_list] == [listed.code]
    home = page(client, city.users.office, "/").content.decode()
    assert "ファイル簿の公表期限を過ぎた記載" in home and "/files/?status=pending&amp;overdue=1" in home


def test_the_office_edits_what_the_file_itself_records(client, city, files):
    _, _, other = files
    client.force_login(city.users.office)
    response = client.post(f"/files/{other.code}/edit/", {"programs": [city.programs.juki.pk], "name": "住民基本台帳ファイル", "scope_text": "",
                                                          "collection_text": "", "note": "", "base_version": token_for(other)})
    assert response.status_code == 302
    other.refresh_from_db()
    assert entry.for_file(other).content["name"] == "住民基本台帳ファイル"
    empty = client.post(f"/files/{other.code}/edit/", {"programs": [], "name": "x", "base_version": token_for(other)})
    assert "事務事業を1つ以上選んでください" in empty.content.decode()


def test_the_office_registers_a_file_for_a_program_without_one(client, city):
    client.force_login(city.users.office)
    form = client.get(f"/files/new/?program={city.programs.teate.code}")
    assert city.programs.teate.current.name in form.content.decode()
    response = client.post("/files/new/", {"programs": [city.programs.teate.pk], "name": "", "scope_text": "", "collection_text": "", "note": ""})
    file = PersonalFile.objects.get(programs=city.programs.teate)
    assert response.status_code == 302 and response["Location"] == f"/files/{file.code}/"
    assert services.pending(file).kind == RevisionKind.CREATE  # 1,200 persons: listed, drafted at once


def test_refresh_drafts_what_the_register_now_shows(client, city):
    program = new_program(city, groups=(("利用者", ("氏名", "傷病名・傷病歴")),))
    file = PersonalFile.objects.get(programs=program)
    services.revision_publish(file=file, actor=city.users.office)

    Item.objects.filter(name="傷病名・傷病歴").update(sensitive=False)  # the vocabulary changes, no 届出
    client.force_login(city.users.office)
    assert "管理簿に合わせて見直す" in client.get(f"/files/{file.code}/").content.decode()
    client.post(f"/files/{file.code}/refresh/")
    assert services.pending(file).kind == RevisionKind.CHANGE


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_downloads_hold_only_what_was_published(client, city, files, fmt):
    response = page(client, city.users.auditor, f"/files/download/{fmt}/")
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt != "xlsx":
        text = response.content.decode("utf-8-sig")
        assert files[0].code in text and "電子メールアドレス" not in text and files[1].code not in text
