"""Item names: splitting what departments write, NFKC matching, synonyms, unknown names."""
import datetime

import pytest

from mamori.conftest import version_data
from mamori.register import services
from mamori.register.models import Item
from mamori.register.selectors import RegisterFilters, register_search
from mamori.register.vocabulary import Vocabulary, split_items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("「氏名」、「住所」、「生年月日」", ["氏名", "住所", "生年月日"]),
        ("氏名、住所\n生年月日", ["氏名", "住所", "生年月日"]),
        ("氏名,住所，電話番号", ["氏名", "住所", "電話番号"]),
        ("「氏名」、「住所」、「氏名」", ["氏名", "住所"]),  # each distinct item once
        ("「振込先金融機関名・預金種目・口座番号・口座名義人」", ["振込先金融機関名・預金種目・口座番号・口座名義人"]),  # a combined item is one
        ("「職業・職歴」、\n「学歴」", ["職業・職歴", "学歴"]),
        ("  \n 、", []),
    ],
)
def test_split_items(text, expected):
    assert split_items(text) == expected


def test_width_variants_match_one_item(city):
    vocab = Vocabulary()
    assert vocab.find("FAX番号").name == "ＦＡＸ番号"  # NFKC: half- and full-width are one name
    assert vocab.find("ＦＡＸ番号") == vocab.find("FAX番号")


def test_synonym_takes_flags_of_its_item(city):
    syn = Item.objects.get(name="個人番号")
    assert syn.alias_of.name == "マイナンバー"
    assert syn.is_my_number and not syn.my_number  # the flag lives on the canonical item


def test_unknown_name_is_kept_and_flagged_never_dropped(city):
    office = city.users.office
    data = version_data("新事業", city.units.kyufu, groups=(("利用者", ("氏名", "ＬＩＮＥ ＩＤ")),))
    program = services.program_migrate(data=data, effective_from=datetime.date(2024, 4, 1), actor=office)
    names = [gi.written_name for gi in program.current.groups.get().items.all()]
    assert names == ["氏名", "ＬＩＮＥ ＩＤ"]
    item = Item.objects.get(name="ＬＩＮＥ ＩＤ")
    assert item.reviewed is False


def test_search_by_item_finds_synonyms(city):
    data = version_data("図書館事業", city.units.kyufu, groups=(("利用者", ("氏名", "メールアドレス")),))
    services.program_migrate(data=data, effective_from=datetime.date(2024, 4, 1))
    found = {p.current.name for p in register_search(city.users.office, RegisterFilters(item="電子メールアドレス"))}
    assert found == {"図書館事業"}  # written as メールアドレス, a synonym of 電子メールアドレス


def test_reclassifying_an_item_changes_the_derived_flag(city):
    program = city.programs.juki
    assert not program.current.has_sensitive
    assert list(register_search(city.users.office, RegisterFilters(sensitive=True))) == []
    services.item_update(item=Item.objects.get(name="住所"), actor=city.users.office, sensitive=True)
    flagged = {p.code for p in register_search(city.users.office, RegisterFilters(sensitive=True))}
    assert flagged == {city.programs.juki.code, city.programs.teate.code}  # both hold 住所
