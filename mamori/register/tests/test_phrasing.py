"""The drafted 内容, in the city's phrasing."""
from mamori.register.phrasing import draft_content

BASE = {"name": "合併処理浄化槽設置促進事業", "unit": "u1", "groups": [{"name": "設置者", "items": ["氏名", "住所"]}],
        "flows": [{"kind": "collect_person", "program": None, "party": "", "items": ["氏名", "住所"]}]}
LABELS = {("program", "P1"): "水道事業健全運営事業", ("program", "P2"): "生活保護事業", ("unit", "u1"): "市民環境部 環境推進課"}


def change(groups=None, flows=()):
    return {**BASE, "groups": groups or BASE["groups"], "flows": BASE["flows"] + list(flows)}


def test_reuse_source_added_reads_as_the_city_writes_it():
    new = change(flows=[{"kind": "reuse_in", "program": "P1", "party": "", "items": ["収納状況"]}])
    assert draft_content(BASE, new, LABELS) == "目的外利用の収集先に「水道事業健全運営事業」を追加し、「収納状況」を収集する。"


def test_items_added_and_a_recipient_added():
    new = change(groups=[{"name": "設置者", "items": ["氏名", "住所", "かかりつけ医", "親族氏名"]}],
                 flows=[{"kind": "provide_body", "program": None, "party": "埼玉弁護士会", "items": ["相談内容"]}])
    assert draft_content(BASE, new, LABELS).split("\n") == [
        "個人情報取扱項目に「かかりつけ医」、「親族氏名」を追加する。",
        "外部提供の提供先に「埼玉弁護士会」を追加し、「相談内容」を提供する。",
    ]


def test_contractor_and_removal():
    old = change(flows=[{"kind": "reuse_in", "program": "P2", "party": "", "items": ["公的扶助の受給の有無"]}])
    new = change(flows=[{"kind": "outsource", "program": None, "party": "アデコ株式会社", "items": ["氏名", "住所"]}])
    assert draft_content(old, new, LABELS).split("\n") == [
        "外部委託の委託先に「アデコ株式会社」を追加し、「氏名」、「住所」を引き渡す。",
        "目的外利用の収集先から「生活保護事業」を削除する。",
    ]


def test_new_program_and_abolition():
    new = {**BASE, "flows": BASE["flows"] + [{"kind": "reuse_in", "program": "P1", "party": "", "items": ["収納状況"]}]}
    assert draft_content(None, new, LABELS).split("\n") == [
        "設置者の「氏名」、「住所」を収集する。",
        "「水道事業健全運営事業」から目的外利用を行い、「収納状況」を収集する。",
    ]
    assert draft_content(BASE, {**BASE, "abolished_on": "2026-03-31"}) == "事務事業を廃止する。"


def test_nothing_changed_drafts_nothing():
    assert draft_content(BASE, BASE, LABELS) == ""
