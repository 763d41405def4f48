"""Impact paths, by table: direct, 目的外利用 chains (two hops, a cycle), 再委託・再々委託, contracts out of
force on the date, synonyms; person totals worked out by hand on the fixture below."""
import datetime

import pytest

from mamori.conftest import version_data
from mamori.impact import selectors as impact
from mamori.outsourcing import services as outsourcing
from mamori.register import services as register
from mamori.register.models import Item

D = datetime.date
ON = D(2024, 7, 1)


@pytest.fixture
def graph(city):
    """juki (1200) → teate (1200) by reuse_in of 氏名・住所 (conftest). Added:
    kenshin (800, 検診の結果 要配慮) takes 氏名 from teate (second hop) and gives 氏名 back to juki (a cycle);
    kyushoku (300) provides to 県教育委員会 and is online with 国保連; contracts: 検診センター holds kenshin,
    and works as a sub-contractor under 情報システム社 for kyushoku, whose sub-sub is 印刷所;
    an old contract of 検診センター for juki ended in 2023."""
    u = city.units
    kenshin = register.program_migrate(data=version_data(
        "がん検診事業", u.kyufu, person_count=800,
        groups=(("受診者", ("氏名", "生年月日", "検診の結果")),),
        flows=({"kind": "reuse_in", "program": city.programs.teate.code, "party": "", "purpose": "対象者の抽出", "items": ["氏名"]},
               {"kind": "provide_program", "program": city.programs.juki.code, "party": "", "purpose": "確認", "items": ["氏名"]},
               {"kind": "outsource", "program": "", "party": "株式会社 検診センター", "purpose": "検診の実施", "items": ["氏名"]})),
        effective_from=D(2022, 4, 1))
    kyushoku = register.program_migrate(data=version_data(
        "学校給食事業", u.mirai, person_count=300,
        groups=(("児童", ("氏名", "アレルギー情報", "Eメールアドレス")),),
        flows=({"kind": "provide_body", "program": "", "party": "埼玉県教育委員会", "purpose": "報告", "items": ["氏名"]},
               {"kind": "online", "program": "", "party": "国民健康保険団体連合会", "purpose": "照会", "items": ["氏名"]})),
        effective_from=D(2022, 4, 1))
    centre = outsourcing.contractor_save(actor=None, name="株式会社検診センター", corporate_number="9234567890123")
    system = outsourcing.contractor_save(actor=None, name="情報システム株式会社")
    printer = outsourcing.contractor_save(actor=None, name="有限会社印刷所")
    outsourcing.contract_save(actor=None, program=kenshin, contractor=centre, kind="outsourcing", title="がん検診業務委託",
                              starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31), items=["氏名", "検診の結果"])
    prime = outsourcing.contract_save(actor=None, program=kyushoku, contractor=system, kind="outsourcing", title="給食管理システム運用",
                                      starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    sub = outsourcing.contract_save(actor=None, program=kyushoku, contractor=centre, kind="sub", title="給食管理システム運用（再委託）",
                                    parent=prime, approved_on=D(2024, 4, 1), starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    outsourcing.contract_save(actor=None, program=kyushoku, contractor=printer, kind="subsub", title="帳票印刷", parent=sub,
                              approved_on=D(2024, 4, 2), starts_on=D(2024, 4, 2), ends_on=D(2025, 3, 31))
    outsourcing.contract_save(actor=None, program=city.programs.juki, contractor=centre, kind="outsourcing", title="旧契約",
                              starts_on=D(2022, 4, 1), ends_on=D(2023, 3, 31))
    return {"kenshin": kenshin, "kyushoku": kyushoku, "centre": centre, "system": system, "printer": printer,
            "juki": city.programs.juki, "teate": city.programs.teate}


def rows(answer):
    return {r.name: (r.path_label, r.items, r.sensitive, r.person_count) for r in answer.rows}


CASES = [
    # (kind, value, expected {program: path}, total persons)
    ("contractor", "株式会社検診センター", {
        "がん検診事業": "委託（がん検診業務委託）",
        "学校給食事業": "再委託（情報システム株式会社の下）",
    }, 800 + 300),
    ("contractor", "9234567890123", {  # by 法人番号
        "がん検診事業": "委託（がん検診業務委託）", "学校給食事業": "再委託（情報システム株式会社の下）"}, 1100),
    ("contractor", "有限会社印刷所", {"学校給食事業": "再々委託（情報システム株式会社 → 株式会社検診センターの下）"}, 300),
    ("item", "検診の結果", {"がん検診事業": "この項目を記録"}, 800),
    ("item", "氏名", {  # everyone holds 氏名 directly
        "住民基本台帳管理事業": "この項目を記録", "児童手当給付事業": "この項目を記録", "がん検診事業": "この項目を記録",
        "学校給食事業": "この項目を記録"}, 1200 + 1200 + 800 + 300),
    ("program", "住民基本台帳管理事業", {  # two hops, and the cycle back to juki ends
        "住民基本台帳管理事業": "対象の事務事業",
        "児童手当給付事業": "対象の事務事業 → 目的外利用（住民基本台帳管理事業から）",
        "がん検診事業": "対象の事務事業 → 目的外利用（住民基本台帳管理事業から） → 目的外利用（児童手当給付事業から）",
    }, 1200 + 1200 + 800),
    ("recipient", "埼玉県教育委員会", {"学校給食事業": "外部提供（埼玉県教育委員会）"}, 300),
    ("partner", "国保連", {}, 0),  # the register names it in full: a short name finds nothing, and says so
    ("partner", "国民健康保険団体連合会", {"学校給食事業": "オンライン結合（国民健康保険団体連合会）"}, 300),
]


@pytest.mark.parametrize("kind,value,expected,total", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_paths(graph, city, kind, value, expected, total):
    answer = impact.ask(city.users.office, kind, value, ON)
    assert {name: path for name, (path, *_rest) in rows(answer).items()} == expected
    assert answer.total_persons == total


def test_contracts_out_of_force_are_left_out_and_said(graph, city):
    answer = impact.ask(city.users.office, "contractor", "株式会社検診センター", ON)
    assert "住民基本台帳管理事業" not in rows(answer)
    assert any("期間外の契約が1件" in n for n in answer.notes)
    old = impact.ask(city.users.office, "contractor", "株式会社検診センター", D(2022, 6, 1))
    assert set(rows(old)) == {"住民基本台帳管理事業", "がん検診事業"}  # then: the old contract; the register's 外部委託 flow


def test_the_items_handed_over_and_the_flags(graph, city):
    answer = rows(impact.ask(city.users.office, "contractor", "株式会社検診センター", ON))
    path, items, sensitive, count = answer["がん検診事業"]
    assert items == ("氏名", "検診の結果") and sensitive  # the contract's items, not the whole program
    assert answer["学校給食事業"][1] == ("氏名", "アレルギー情報", "Eメールアドレス")  # no items on the contract: all


def test_synonyms_find_the_same_programs(graph, city):
    canonical = Item.objects.get(name="Eメールアドレス").canonical
    alias = Item.objects.filter(alias_of=canonical).first() or canonical
    by_alias = rows(impact.ask(city.users.office, "item", alias.name, ON))
    by_name = rows(impact.ask(city.users.office, "item", canonical.name, ON))
    assert by_alias == by_name and "学校給食事業" in by_name


def test_chains_carry_only_the_item_asked_about(graph, city):
    """生年月日 is held by kenshin only; no flow carries it, so nothing downstream is reached."""
    assert set(rows(impact.ask(city.users.office, "item", "生年月日", ON))) == {"がん検診事業"}


def test_a_department_sees_only_its_programs(graph, city):
    """Both programs belong to こども未来課 (and its 係): its staff see them, 収納課's staff see none."""
    assert set(rows(impact.ask(city.users.staff, "contractor", "株式会社検診センター", ON))) == {"がん検診事業", "学校給食事業"}
    assert rows(impact.ask(city.users.other_staff, "contractor", "株式会社検診センター", ON)) == {}
    assert set(rows(impact.ask(city.users.other_staff, "item", "氏名", ON))) == {"住民基本台帳管理事業"}


def test_unknown_starting_points_say_what_to_fix(graph, city):
    for kind, value, words in [("contractor", "存在しない社", "登録されていません"), ("item", "好きな色", "語彙にありません"),
                               ("program", "X-999", "事務事業はありません"), ("contractor", "株式会社", "件あります")]:
        with pytest.raises(impact.NotFound) as exc:
            impact.ask(city.users.office, kind, value, ON)
        assert words in str(exc.value)
