"""Screens: forms keep what was typed and say in Japanese what to fix; search; the editor saves a 届出."""
from mamori.register import services
from mamori.register.models import Item, Notification, NotificationKind


def editor_post(city, **overrides):
    data = {
        "n-reason": "相談窓口を新設するため。", "n-content": "「氏名」、「住所」を収集する。", "n-effective_date": "2025-04-01",
        "p-name": "こども食堂支援事業", "p-unit": city.units.kyufu.code, "p-purpose": "支援のため", "p-computerized": "on",
        "p-retention": "5年", "p-person_count": "40",
        "groups-TOTAL_FORMS": "2", "groups-INITIAL_FORMS": "0", "groups-MIN_NUM_FORMS": "0", "groups-MAX_NUM_FORMS": "1000",
        "groups-0-name": "代表者", "groups-0-items": "「氏名」、「住所」、「ＬＩＮＥ ＩＤ」",
        "flows-TOTAL_FORMS": "3", "flows-INITIAL_FORMS": "0", "flows-MIN_NUM_FORMS": "0", "flows-MAX_NUM_FORMS": "1000",
        "flows-0-kind": "reuse_in", "flows-0-program": "住民基本台帳管理事業", "flows-0-items": "氏名、住所",
    }
    data.update(overrides)
    return data


def test_editor_creates_a_notification_with_its_structure(client, city):
    client.force_login(city.users.staff)
    response = client.post("/register/notifications/draft/?kind=new", editor_post(city))
    n = Notification.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/register/notifications/{n.number}/"
    assert n.kind == NotificationKind.NEW and n.unit == city.units.kyufu
    assert n.proposed["groups"] == [{"name": "代表者", "note": "", "items": ["氏名", "住所", "ＬＩＮＥ ＩＤ"]}]
    assert n.proposed["flows"][0] == {"kind": "reuse_in", "program": city.programs.juki.code, "party": "", "purpose": "", "items": ["氏名", "住所"]}
    page = client.get(f"/register/notifications/{n.number}/").content.decode()
    assert "記録項目の語彙にない項目名があります" in page and "ＬＩＮＥ ＩＤ" in page


def test_errors_keep_what_was_typed_and_say_what_to_fix(client, city):
    client.force_login(city.users.staff)
    post = editor_post(city, **{"n-reason": "", "flows-0-program": "存在しない事業", "flows-1-kind": "outsource", "flows-1-items": "氏名",
                                "p-computerized": "", "p-person_count": "-3"})
    response = client.post("/register/notifications/draft/?kind=new", post)
    page = response.content.decode()
    assert response.status_code == 200 and not Notification.objects.exists()
    assert "入力内容に誤りがあります" in page
    assert "この項目は必須です" in page  # 理由及び経緯 (DRF's Japanese catalogue words Django's "This field is required." so)
    assert "事務事業「存在しない事業」が登録簿に見つかりません" in page
    assert "外部委託の相手先を入力してください" in page
    assert "電算処理かマニュアル処理の少なくとも一方を選んでください" in page
    assert "0 以上" in page  # 本人の数
    # what was typed is still there
    assert "「氏名」、「住所」、「ＬＩＮＥ ＩＤ」" in page and "こども食堂支援事業" in page and "存在しない事業" in page


def test_register_search_filters(client, city):
    client.force_login(city.users.office)
    assert "児童手当給付事業" in client.get("/register/?my_number=1").content.decode()
    page = client.get("/register/?my_number=1&q=住民").content.decode()
    assert "<strong>0</strong>件" in page
    page = client.get("/register/?source=住民基本台帳").content.decode()
    assert "児童手当給付事業" in page and "<strong>1</strong>件" in page
    # htmx asks for the results only
    partial = client.get("/register/?q=児童", HTTP_HX_REQUEST="true").content.decode()
    assert "児童手当給付事業" in partial and "<html" not in partial


def test_department_sees_only_its_own_programs(client, city):
    client.force_login(city.users.other_staff)
    page = client.get("/register/").content.decode()
    assert "住民基本台帳管理事業" in page and "児童手当給付事業" not in page


def test_audit_log_search(client, city):
    client.force_login(city.users.auditor)
    page = client.get("/audit/", {"user": city.users.staff.pk}).content.decode()
    assert "全0件" in page  # staff has written nothing yet
    client.force_login(city.users.staff)
    client.post("/register/notifications/draft/?kind=new", editor_post(city))
    client.force_login(city.users.auditor)
    page = client.get("/audit/", {"user": city.users.staff.pk, "model": "Notification"}).content.decode()
    assert "全1件（1〜1件目）" in page and "こども食堂支援事業" in page
    page = client.get("/audit/", {"date_from": "2030-01-01", "date_to": "2020-01-01"}).content.decode()
    assert "終了日は開始日以降の日付にしてください" in page


def test_list_marks_sensitive_and_my_number_per_row(client, city):

    client.force_login(city.users.office)
    page = client.get("/register/").content.decode()
    teate_row = page.split("児童手当給付事業")[1].split("</tr>")[0]
    juki_row = page.split("住民基本台帳管理事業")[1].split("</tr>")[0]
    assert "マイナンバー" in teate_row and "マイナンバー" not in juki_row
    assert "要配慮" not in teate_row
    services.item_update(item=Item.objects.get(name="住所"), actor=city.users.office, sensitive=True)
    page = client.get("/register/").content.decode()
    assert "要配慮" in page.split("住民基本台帳管理事業")[1].split("</tr>")[0]


def test_editor_drafts_the_content_sentence_without_saving(client, city):

    client.force_login(city.users.staff)
    teate = city.programs.teate
    page = client.get(f"/register/notifications/draft/?kind=change&program={teate.code}").content.decode()
    assert "内容の文案を作成" in page
    post = editor_post(city, **{
        "n-reason": "手当の支給期間の確認のため。", "n-content": "", "p-name": "児童手当給付事業",
        "groups-0-name": "受給者", "groups-0-items": "氏名、住所、マイナンバー",
        "flows-0-kind": "reuse_in", "flows-0-program": "住民基本台帳管理事業", "flows-0-items": "氏名、住所",
        "flows-1-kind": "provide_body", "flows-1-party": "埼玉県", "flows-1-items": "氏名", "draft_content": "1",
    })
    page = client.post(f"/register/notifications/draft/?kind=change&program={teate.code}", post).content.decode()
    assert "外部提供の提供先に「埼玉県」を追加し、「氏名」を提供する。" in page
    assert "手当の支給期間の確認のため。" in page  # what was typed stays
    assert not Notification.objects.exists()


def _suggestions(page: str) -> str:
    return page[page.index('<datalist id="program-names">'):].split("</datalist>")[0]


def test_lesser_department_editor_suggests_only_own_programs(client, city):
    """Finding (issue 11, lesser): department users saw every program's name and code in the 届出 editor."""
    juki, teate = city.programs.juki, city.programs.teate
    for user, shown, hidden in ((city.users.staff, teate, juki), (city.users.other_staff, juki, teate)):
        client.force_login(user)
        for url in ("/register/notifications/new/", "/register/notifications/draft/?kind=new"):
            box = _suggestions(client.get(url).content.decode())
            assert shown.current.name in box and shown.code in box, (user, url)
            assert hidden.current.name not in box and hidden.code not in box, (user, url)
        # Naming another department's program to change it says what it says for one that does not exist.
        page = client.post("/register/notifications/new/", {"kind": "change", "program": hidden.code}).content.decode()
        assert "自分の所属の登録簿から選んでください" in page and hidden.current.name not in _suggestions(page)


def test_an_item_name_too_long_for_the_register_is_refused_beside_its_field(client, city):
    """A missing separator makes one long 'item': said beside the field, before PostgreSQL would refuse the row."""
    client.force_login(city.users.staff)
    post = editor_post(city, **{"groups-0-items": "氏名" + "あ" * 130})
    page = client.post("/register/notifications/draft/?kind=new", post).content.decode()
    assert "記録項目は1つ120文字以内にしてください：「氏名あああああああああああああ…」（132文字）" in page
    assert not Notification.objects.exists()
