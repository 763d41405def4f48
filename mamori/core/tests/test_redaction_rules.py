"""Suggestions: the rules (tables of cases) and their places on a page."""
import pytest

from mamori.core.redaction import rules, suggest
from mamori.core.tests import redaction_pdfs as make


# 番号法施行令第8条 / 平成26年総務省令第85号第5条: 検査用数字 = 11 − (Σ Pn × Qn mod 11), 0 when the remainder ≦ 1.
@pytest.mark.parametrize("first11,check", [
    ("12345678901", 8),  # Σ = 212, 212 mod 11 = 3 → 8 (worked by hand)
    ("98765432109", 3),
    ("00000000001", 9),  # 1 × Q1 (2) = 2 → 9
    ("00000000006", 0),  # 6 × 2 = 12, remainder 1 → 0
    ("00000000000", 0),  # remainder 0 → 0
    ("11111111111", 8),
    ("00000100000", 4),  # P6 = 1, Q6 = 7 → 11 − 7
    ("00001000000", 9),  # P7 = 1, Q7 = 2 → 11 − 2
])
def test_mynumber_check_digit(first11, check):
    assert rules.mynumber_check_digit(first11) == check


@pytest.mark.parametrize("text,found", [
    ("個人番号 123456789018", ["123456789018"]),
    ("個人番号 1234 5678 9018 です", ["1234 5678 9018"]),
    ("個人番号 1234-5678-9018", ["1234-5678-9018"]),
    ("個人番号 123456789017", []),  # check digit wrong
    ("口座 1234567890185", []),  # 13 digits: not a マイナンバー
    ("受付番号 98765432109３", ["987654321093"]),  # full-width digit
])
def test_mynumbers(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.mynumbers(text)] == found


@pytest.mark.parametrize("text,found", [
    ("電話 048-463-1111", ["048-463-1111"]),
    ("携帯 090-1234-5678 まで", ["090-1234-5678"]),
    ("TEL 03(1234)5678", ["03(1234)5678"]),
    ("ＴＥＬ ０４８－４６３－１１１１", ["048-463-1111"]),
    ("連絡先 0484631111", ["0484631111"]),
    ("令和6年4月1日 第12-345号", []),
    ("048-463-11", []),  # too few digits
    ("個人番号 123456789018", []),  # a マイナンバー, not a phone number
])
def test_phones(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.phones(text)] == found


@pytest.mark.parametrize("text,found", [
    ("連絡は taro.yamada@example.co.jp まで", ["taro.yamada@example.co.jp"]),
    ("ｍａｉｌ：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", ["taro@example.jp"]),
    ("@ だけ、または a@b", []),
])
def test_emails(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.emails(text)] == found


@pytest.mark.parametrize("text,found", [
    ("生年月日 昭和55年3月1日", ["昭和55年3月1日"]),
    ("生年月日：平成元年12月31日生", ["平成元年12月31日"]),
    ("生年月日 1980年3月1日", ["1980年3月1日"]),
    ("生年月日 S55.3.1", ["S55.3.1"]),
    ("生年月日　１９８０/０３/０１", ["1980/03/01"]),
    ("受付日 令和6年4月1日", []),  # a date, not a date of birth
])
def test_birthdates(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.birthdates(text)] == found


@pytest.mark.parametrize("text,found", [
    ("住所 埼玉県朝霞市本町1丁目1番1号", ["埼玉県朝霞市本町1丁目1番1号"]),
    ("朝霞市本町一丁目1番1号に住む", ["朝霞市本町一丁目1番1号"]),
    ("東京都千代田区霞が関1-2-1", ["東京都千代田区霞が関1-2-1"]),
    ("北足立郡伊奈町小室9493番地", ["北足立郡伊奈町小室9493番地"]),
    ("朝霞市膝折町二丁目3番地の5", ["朝霞市膝折町二丁目3番地の5"]),
    ("朝霞市の事業について", []),  # a city alone is not an address
])
def test_addresses(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.addresses(text)] == found


@pytest.mark.parametrize("text,found", [
    ("氏名 山田太郎", ["山田太郎"]),
    ("氏名：山田 太郎", ["山田 太郎"]),
    ("申請者 佐藤花子 電話", ["佐藤花子"]),
    ("担当者　鈴木一郎", ["鈴木一郎"]),
    ("山田太郎様", ["山田太郎"]),
    ("高橋 健 殿", ["高橋 健"]),
    ("田中さんから", ["田中"]),
    ("市長様", []),  # an office, not a surname
    ("関係者各位殿", []),
    ("会議の皆様", []),
    ("運転免許証などの本人確認書類", []),
    ("担当者名及び所属", []),  # no separator after the label
    ("代表者\n氏名", []),  # the next label, not a name
    ("氏名\n朝霞 花子", ["朝霞 花子"]),  # a table cell below its label
    ("フリガナ　ヤマダ　タロウ\n氏名　山田　太郎", ["ヤマダ タロウ", "山田 太郎"]),  # (normalize() makes the full-width spaces ASCII)
    ("ふりがな：やまだ たろう", ["やまだ たろう"]),
])
def test_names(text, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.names(text)] == found


@pytest.mark.parametrize("text,words,found", [
    ("山田太郎と山田 太郎と山田\n太郎", ["山田太郎"], ["山田太郎", "山田 太郎", "山田\n太郎"]),
    ("Minami Corp. と MINAMI", ["minami"], ["Minami", "MINAMI"]),
    ("ＡＢＣ商事", ["ABC商事"], ["ABC商事"]),
    ("何もない", ["", "  "], []),
])
def test_terms(text, words, found):
    text = rules.normalize(text)
    assert [text[s:e] for s, e in rules.terms(text, words)] == found


def test_a_term_broken_over_two_lines_is_two_boxes_naming_the_term():
    pdf = make.text_pdf([[(72, 80, "相手方は株式会社", 12), (72, 100, "ミナミです。", 12)]])
    found = suggest(pdf, terms=["株式会社 ミナミ"])
    assert [(s.text, s.term) for s in found] == [("株式会社", "株式会社 ミナミ"), ("ミナミ", "株式会社 ミナミ")]
    assert found[0].rect[1] < 85 < 95 < found[1].rect[1]


def test_terms_every_occurrence_and_one_kind_per_span():
    text = rules.normalize("株式会社ミナミの件。ミナミ社の担当。 電話 090-1234-5678")
    found = rules.find(text, ["ミナミ", " "])
    assert [(k, text[s:e]) for k, s, e in found] == [("term", "ミナミ"), ("term", "ミナミ"), ("phone", "090-1234-5678")]


def test_suggest_places_boxes_on_the_page():
    lines = [(72, 80, "申請者 山田太郎 様", 12), (72, 110, "電話 048-463-1111 mail: taro@example.jp", 12),
             (72, 140, "生年月日 昭和55年3月1日 個人番号 123456789018", 12), (72, 170, "住所 埼玉県朝霞市本町1丁目1番1号", 12),
             (72, 200, "相手方 株式会社ミナミ", 12)]
    pdf = make.turned(make.text_pdf([lines, lines]), 2, rotate=90)
    found = suggest(pdf, terms=["株式会社ミナミ"])
    page1 = {(s.kind, s.text) for s in found if s.page == 1}
    assert page1 == {("name", "山田太郎"), ("phone", "048-463-1111"), ("email", "taro@example.jp"), ("birthdate", "昭和55年3月1日"),
                     ("mynumber", "123456789018"), ("address", "埼玉県朝霞市本町1丁目1番1号"), ("term", "株式会社ミナミ")}
    assert {(s.kind, s.text) for s in found if s.page == 2} == page1  # the turned page too
    assert {s.term for s in found if s.kind == "term"} == {"株式会社ミナミ"} and {s.term for s in found if s.kind != "term"} == {""}
    name = next(s for s in found if s.page == 1 and s.kind == "name")
    x0, top, x1, bottom = name.rect
    assert 100 < x0 < 120 and 78 < top < 82 and bottom - top < 16  # after 「申請者 」 on the first line
    assert name.label == "氏名" and name.to_box("条例第7条第2号").article == "条例第7条第2号"
    turned = next(s for s in found if s.page == 2 and s.kind == "name")
    assert turned.rect[3] - turned.rect[1] > turned.rect[2] - turned.rect[0]  # the line runs down the turned page


def test_a_label_and_its_value_in_two_table_cells():
    pdf = make.text_pdf([[(72, 80, "申請者", 12), (200, 80, "佐藤花子", 12), (72, 110, "電話", 12), (200, 110, "048-463-1111", 12)]])
    assert [(s.kind, s.text) for s in suggest(pdf)] == [("name", "佐藤花子"), ("phone", "048-463-1111")]


# The stamp on a box: the article as given, then its numbers with their units, then its numbers alone.
@pytest.mark.parametrize("article,texts", [
    ("条例第7条第2号", ("条例第7条第2号", "7条2号", "7-2")),
    ("法第78条第1項第2号", ("法第78条第1項第2号", "78条1項2号", "78-1-2")),
    ("法第78条第1項第7号", ("法第78条第1項第7号", "78条1項7号", "78-1-7")),
    ("朝霞市情報公開条例第７条第２号", ("朝霞市情報公開条例第７条第２号", "7条2号", "7-2")),  # full-width digits
    ("法第七十八条第一項第二号", ("法第七十八条第一項第二号", "78条1項2号", "78-1-2")),  # kanji numerals
    ("条例第12条の2第1号", ("条例第12条の2第1号", "12条の2第1号", "12の2-1")),  # a branch article keeps its の
    ("  条例第7条第2号 ", ("条例第7条第2号", "7条2号", "7-2")),
    ("第3項", ("第3項",)),  # no 条: nothing shorter names it
    ("その他", ("その他",)),
    ("", ()),
])
def test_stamp_texts(article, texts):
    assert rules.stamp_texts(article) == texts
