"""Turning written item names into vocabulary items.

Departments write items in 「」 separated by 、 (the seed), one per line, or with
commas. Names are matched on their NFKC key, so 「ＦＡＸ番号」 finds FAX番号 and a
synonym finds its item; the name is always kept as written. A name the vocabulary
does not know becomes a new, unreviewed item (services.item_learn): kept and flagged, never dropped.
"""
import re

from mamori.register.models import Item, name_key

_QUOTED = re.compile(r"「([^「」]+)」")
_SEPARATORS = re.compile(r"[、,，;；\n\r\t]+")


def split_items(text: str) -> list[str]:
    """「氏名」、「住所」 / 氏名、住所 / one per line → ['氏名', '住所'], each distinct once, in order."""
    text = text or ""
    quoted = _QUOTED.findall(text)
    names = quoted if quoted else _SEPARATORS.split(text)
    out: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = raw.strip().strip("・").strip()
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def join_items(names: list[str]) -> str:
    return "、".join(names)


class Vocabulary:
    """A cache of the vocabulary by key for one batch of work (a version, an import)."""

    def __init__(self):
        self._by_key: dict[str, Item] = {item.key: item for item in Item.objects.select_related("alias_of")}

    def find(self, name: str) -> Item | None:
        return self._by_key.get(name_key(name))

    def unknown(self, names: list[str]) -> list[str]:
        return [n for n in names if self.find(n) is None or not self.find(n).reviewed]

    def remember(self, item: Item) -> None:
        """An item created during this batch (services.item_learn), so the next use finds it."""
        self._by_key[item.key] = item
