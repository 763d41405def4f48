"""新旧対照: what changed between two versions of a program.

Pure functions over the version JSON shape (serialize.py). References (unit and
program codes) are turned into labels by the caller through ``labels``.
"""
import datetime
from dataclasses import dataclass, field

from mamori.core.calendar import wareki
from mamori.register.models import FlowKind

DATE_KEYS = ("started_on", "abolished_on")

FIELD_LABELS = {
    "name": "事務事業名",
    "unit": "担当",
    "purpose": "利用目的",
    "legal_basis": "根拠法令",
    "computerized": "電算処理",
    "manual": "マニュアル処理",
    "retention": "保存期間",
    "person_count": "本人の数",
    "started_on": "開始年月日",
    "abolished_on": "廃止年月日",
    "special_procedures": "訂正・利用停止の特別の手続",
    "note": "備考",
}


@dataclass
class DiffRow:
    section: str  # 基本事項 / 本人の範囲と記録項目 / 収集・提供・委託
    label: str
    old: str
    new: str
    change: str  # added / removed / changed
    added_items: list[str] = field(default_factory=list)
    removed_items: list[str] = field(default_factory=list)

    @property
    def change_label(self) -> str:
        return {"added": "追加", "removed": "削除", "changed": "変更"}[self.change]


def _shown(key: str, value) -> str:
    """A field's value as a person reads it: dates in 和暦, counts with their separators."""
    if key in DATE_KEYS and isinstance(value, str) and value:
        try:
            return wareki(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if key == "person_count" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}人"
    return _text(value)


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "あり"
    if value is False:
        return "なし"
    return str(value)


def _items_row(section, label, old_items, new_items) -> DiffRow | None:
    if old_items is None:
        return DiffRow(section, label, "—", "、".join(new_items) or "（項目なし）", "added", added_items=list(new_items))
    if new_items is None:
        return DiffRow(section, label, "、".join(old_items) or "（項目なし）", "—", "removed", removed_items=list(old_items))
    if old_items == new_items:
        return None
    added = [n for n in new_items if n not in old_items]
    removed = [n for n in old_items if n not in new_items]
    return DiffRow(section, label, "、".join(old_items), "、".join(new_items), "changed", added, removed)


def flow_key(flow: dict, labels: dict) -> str:
    kind = FlowKind(flow["kind"]).label
    other = labels.get(("program", flow.get("program"))) or flow.get("program") or flow.get("party") or "本人"
    return f"{kind}：{other}"


def _keyed_flows(flows: list[dict], labels: dict) -> dict[str, dict]:
    """Flows by their label; a repeated kind and counterpart (two 本人から収集) is numbered （2）, （3）…"""
    out: dict[str, dict] = {}
    for flow in flows:
        key = base = flow_key(flow, labels)
        n = 1
        while key in out:
            n += 1
            key = f"{base}（{n}）"
        out[key] = flow
    return out


def diff(old: dict | None, new: dict | None, labels: dict | None = None) -> list[DiffRow]:
    """Rows for every difference; ``old`` None for a new program, ``new`` None for a removal."""
    labels = labels or {}
    old = old or {}
    new = new or {}
    rows: list[DiffRow] = []
    for key, label in FIELD_LABELS.items():
        a, b = old.get(key), new.get(key)
        if key == "unit":
            a, b = labels.get(("unit", a), a), labels.get(("unit", b), b)
        if (a or None) != (b or None) and not (a in (None, "") and b in (None, "")):
            change = "added" if a in (None, "") else "removed" if b in (None, "") else "changed"
            rows.append(DiffRow("基本事項", label, _shown(key, a), _shown(key, b), change))

    old_groups = {g["name"]: g.get("items") or [] for g in old.get("groups") or []}
    new_groups = {g["name"]: g.get("items") or [] for g in new.get("groups") or []}
    for name in list(dict.fromkeys([*old_groups, *new_groups])):
        row = _items_row("本人の範囲と記録項目", name, old_groups.get(name), new_groups.get(name))
        if row:
            rows.append(row)

    old_flows = _keyed_flows(old.get("flows") or [], labels)
    new_flows = _keyed_flows(new.get("flows") or [], labels)
    for key in list(dict.fromkeys([*old_flows, *new_flows])):
        a, b = old_flows.get(key), new_flows.get(key)
        row = _items_row(
            "収集・提供・委託", key, None if a is None else a.get("items") or [], None if b is None else b.get("items") or []
        )
        if row is None and a and b and (a.get("purpose") or "") != (b.get("purpose") or ""):
            row = DiffRow("収集・提供・委託", f"{key}（目的・内容）", _text(a.get("purpose")), _text(b.get("purpose")), "changed")
        if row:
            rows.append(row)
    return rows
