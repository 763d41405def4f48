"""The system administrator manages users; every change is audited; bad input keeps the form."""
from mamori.core.concurrency import token_for  # the version the edit page gives its form
from mamori.core.models import AuditEvent, OrgUnit, Role, User


def test_sysadmin_creates_and_edits_a_user(client, city):
    client.force_login(city.users.sysadmin)
    response = client.post("/users/new/", {"username": "newstaff", "display_name": "新任 職員", "email": "", "role": Role.DEPT_STAFF,
                                            "unit": city.units.shuno.pk, "is_active": "on", "password": "a-long-password-1"})
    assert response.status_code == 302
    user = User.objects.get(username="newstaff")
    assert user.unit == city.units.shuno and user.check_password("a-long-password-1")
    client.post(f"/users/{user.pk}/edit/", {"username": "newstaff", "display_name": "新任 職員", "email": "", "role": Role.DEPT_MANAGER,
                                            "unit": city.units.shuno.pk, "base_version": token_for(user)})
    user.refresh_from_db()
    assert user.role == Role.DEPT_MANAGER and user.is_active is False  # unchecked box: deactivated
    event = AuditEvent.objects.filter(model="core.User", object_id=str(user.pk), action="update").get()
    assert event.actor == city.users.sysadmin
    assert event.before["role"] == "dept_staff" and event.after["role"] == "dept_manager"
    assert "password" not in event.after


def test_department_role_needs_a_unit(client, city):
    client.force_login(city.users.sysadmin)
    page = client.post("/users/new/", {"username": "nounit", "display_name": "所属 なし", "role": Role.DEPT_STAFF, "is_active": "on"}).content.decode()
    assert "所管課の役割には所属を選んでください" in page and 'value="nounit"' in page
    assert not User.objects.filter(username="nounit").exists()


def test_sysadmin_adds_a_team_and_renames_a_unit(client, city):

    client.force_login(city.users.sysadmin)
    response = client.post("/organisation/new/", {"organ": city.organ.pk, "kind": "team", "parent": city.units.kyufu.pk,
                                                  "code": "new-pt", "name": "新プロジェクト・チーム", "order": 0})
    assert response.status_code == 302
    team = OrgUnit.objects.get(code="new-pt")
    assert team.label == "新プロジェクト・チーム（こども・健康部 こども未来課 こども給付係）"
    assert team.path.startswith(city.units.mirai.path)  # inside こども未来課's scope
    # a 係 cannot sit directly under a 部
    page = client.post("/organisation/new/", {"organ": city.organ.pk, "kind": "unit", "parent": city.units.somu.pk,
                                              "code": "bad", "name": "誤った係", "order": 0}).content.decode()
    assert "係は部の下には置けません" in page and not OrgUnit.objects.filter(code="bad").exists()
    client.post(f"/organisation/{city.units.kyufu.pk}/edit/", {"name": "こども支援係", "order": 0,
                                                            "base_version": token_for(OrgUnit.objects.get(pk=city.units.kyufu.pk))})
    city.units.kyufu.refresh_from_db()
    assert city.units.kyufu.name == "こども支援係" and city.units.kyufu.active is False
    event = AuditEvent.objects.filter(model="core.OrgUnit", object_id=str(city.units.kyufu.pk), action="update").get()
    assert event.before["name"] == "こども給付係" and event.after["name"] == "こども支援係"


def test_the_user_list_is_paged_sorted_and_counted(client, city):
    client.force_login(city.users.sysadmin)
    page = client.get("/users/", {"sort": "-username"}).content.decode()
    assert "全8件" in page and 'aria-sort="descending"' in page
    names = [n for n in ("sysadmin", "staff", "other-mgr", "other", "office", "manager", "council", "auditor") if f">{n}</a>" in page]
    assert names == sorted(names, reverse=True) and page.index(">sysadmin</a>") < page.index(">auditor</a>")
