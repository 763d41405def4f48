from mamori.register.diff import diff

OLD = {
    "name": "福祉相談事業", "unit": "u1", "retention": "5年", "person_count": 1000,
    "groups": [{"name": "相談者", "items": ["氏名", "住所"]}],
    "flows": [{"kind": "collect_person", "program": None, "party": "", "purpose": "", "items": ["氏名"]}],
}


def test_new_program_lists_everything_as_added():
    rows = diff(None, OLD)
    assert {r.change for r in rows} == {"added"}
    assert ("本人の範囲と記録項目", "相談者", "氏名、住所") in [(r.section, r.label, r.new) for r in rows]


def test_change_shows_added_items_and_flows_and_fields():
    new = {**OLD, "retention": "10年", "groups": [{"name": "相談者", "items": ["氏名", "住所", "かかりつけ医"]}],
           "flows": OLD["flows"] + [{"kind": "provide_body", "program": None, "party": "埼玉弁護士会", "purpose": "", "items": ["相談内容"]}]}
    rows = {(r.section, r.label): r for r in diff(OLD, new, {("unit", "u1"): "福祉部 福祉相談課"})}
    assert rows[("基本事項", "保存期間")].old == "5年" and rows[("基本事項", "保存期間")].new == "10年"
    assert rows[("本人の範囲と記録項目", "相談者")].added_items == ["かかりつけ医"]
    assert rows[("収集・提供・委託", "外部提供：埼玉弁護士会")].change == "added"
    assert ("基本事項", "担当") not in rows  # unchanged fields are not listed


def test_dates_read_in_wareki_and_counts_with_separators():
    rows = {r.label: r for r in diff({**OLD, "started_on": "2019-05-01"}, {**OLD, "started_on": "2024-04-01", "person_count": 12371})}
    assert (rows["開始年月日"].old, rows["開始年月日"].new) == ("令和元年5月1日", "令和6年4月1日")
    assert (rows["本人の数"].old, rows["本人の数"].new) == ("1,000人", "12,371人")


def test_identical_versions_have_no_rows():
    assert diff(OLD, OLD) == []


def test_repeated_flows_of_one_kind_are_kept_apart():
    person = {"kind": "collect_person", "program": None, "party": "", "purpose": "", "items": ["氏名"]}
    new = {**OLD, "flows": [person, {**person, "items": ["氏名", "ＬＩＮＥアカウント名"]}]}
    rows = {r.label: r for r in diff(OLD, new)}
    assert "本人から収集：本人" not in rows  # the first is unchanged
    assert rows["本人から収集：本人（2）"].change == "added"
    assert rows["本人から収集：本人（2）"].new == "氏名、ＬＩＮＥアカウント名"
