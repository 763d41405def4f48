"""One JSON shape for a program version, used by 届出 (``Notification.proposed``),
export/import and the 新旧対照 diff. Documented in docs/data-format.md.
"""
import datetime
from collections import defaultdict

from mamori.core.models import OrgUnit
from mamori.register.models import PARTY_FLOW_KINDS, PROGRAM_FLOW_KINDS, Flow, FlowItem, FlowKind, GroupItem, ProgramVersion, SubjectGroup

SCALAR_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "computerized",
    "manual",
    "retention",
    "person_count",
    "started_on",
    "abolished_on",
    "special_procedures",
    "note",
)
DATE_FIELDS = ("started_on", "abolished_on")


def _iso(value):
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


def shape_version(scalars: dict, unit_code: str, groups: list[tuple], flows: list[tuple]) -> dict:
    """The version JSON shape from plain values: groups are (name, note, items), flows
    (kind, program code, party, purpose, items)."""
    data = {field: _iso(scalars[field]) for field in SCALAR_FIELDS}
    data["unit"] = unit_code
    data["groups"] = [{"name": name, "note": note, "items": items} for name, note, items in groups]
    data["flows"] = [
        {"kind": kind, "program": program, "party": party, "purpose": purpose, "items": items}
        for kind, program, party, purpose, items in flows
    ]
    return data


def version_to_dict(version: ProgramVersion) -> dict:
    """The content of a version (what a 届出 can change), codes for references."""
    return shape_version(
        {field: getattr(version, field) for field in SCALAR_FIELDS},
        version.unit.code,
        [(g.name, g.note, [gi.written_name for gi in g.items.all()]) for g in version.groups.all()],
        [
            (f.kind, f.program.code if f.program_id else None, f.party, f.purpose, [fi.written_name for fi in f.items.all()])
            for f in version.flows.all()
        ],
    )


def versions_as_dicts(program_ids: list[int]) -> dict[int, tuple[ProgramVersion, dict]]:
    """Every version of these programs in the version JSON shape, by version id, read
    with a handful of flat queries (for export and reports over many programs)."""
    versions = list(
        ProgramVersion.objects.filter(program_id__in=program_ids).select_related("unit", "created_by").order_by("program_id", "number")
    )
    group_items, flow_items = defaultdict(list), defaultdict(list)
    for group_id, name in GroupItem.objects.filter(group__version__program_id__in=program_ids).order_by("group_id", "order", "id").values_list("group_id", "written_name"):
        group_items[group_id].append(name)
    for flow_id, name in FlowItem.objects.filter(flow__version__program_id__in=program_ids).order_by("flow_id", "order", "id").values_list("flow_id", "written_name"):
        flow_items[flow_id].append(name)
    groups, flows = defaultdict(list), defaultdict(list)
    for gid, vid, name, note in SubjectGroup.objects.filter(version__program_id__in=program_ids).order_by("version_id", "order", "id").values_list("id", "version_id", "name", "note"):
        groups[vid].append((name, note, group_items[gid]))
    for fid, vid, kind, code, party, purpose in Flow.objects.filter(version__program_id__in=program_ids).order_by("version_id", "order", "id").values_list(
        "id", "version_id", "kind", "program__code", "party", "purpose"
    ):
        flows[vid].append((kind, code, party, purpose, flow_items[fid]))
    return {
        v.pk: (v, shape_version({f: getattr(v, f) for f in SCALAR_FIELDS}, v.unit.code, groups[v.pk], flows[v.pk]))
        for v in versions
    }


def empty_version_dict(unit: OrgUnit | None = None) -> dict:
    data = {field: None for field in SCALAR_FIELDS}
    data.update(name="", purpose="", legal_basis="", retention="", special_procedures="", note="")
    data.update(computerized=True, manual=False, unit=unit.code if unit else None, groups=[], flows=[])
    return data


def prefetch_version(qs):
    return qs.select_related("unit").prefetch_related("groups__items", "flows__items", "flows__program__current")


def validate_version_dict(data: dict, *, units: dict, programs: dict) -> list[tuple[str, str]]:
    """(field, Japanese message) for everything wrong with a version dict.

    ``units`` maps unit codes to units, ``programs`` program codes to programs (or
    to True for programs that are about to exist, during an import).
    """
    errors: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return [("", "版の内容はオブジェクトで指定してください。")]
    if not str(data.get("name") or "").strip():
        errors.append(("name", "事務事業名を入力してください。"))
    if data.get("unit") not in units:
        errors.append(("unit", f"担当の組織コード「{data.get('unit')}」が見つかりません。"))
    for field in DATE_FIELDS:
        value = data.get(field)
        if value:
            try:
                datetime.date.fromisoformat(value)
            except (TypeError, ValueError):
                errors.append((field, f"日付「{value}」は YYYY-MM-DD で指定してください。"))
    count = data.get("person_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        errors.append(("person_count", "本人の数は0以上の整数で指定してください。"))
    for i, group in enumerate(data.get("groups") or [], start=1):
        if not isinstance(group, dict) or not str(group.get("name") or "").strip():
            errors.append((f"groups[{i}].name", f"{i}番目の本人の範囲の名前を入力してください。"))
        elif not isinstance(group.get("items", []), list):
            errors.append((f"groups[{i}].items", "記録項目は文字列のリストで指定してください。"))
        else:
            errors += _long_names(group["items"] if "items" in group else [], f"groups[{i}].items", f"{i}番目の本人の範囲の記録項目", NAME_LIMIT)
    valid_kinds = set(FlowKind.values)
    for i, flow in enumerate(data.get("flows") or [], start=1):
        if not isinstance(flow, dict):
            errors.append((f"flows[{i}]", f"{i}番目の流れはオブジェクトで指定してください。"))
            continue
        kind = flow.get("kind")
        if kind not in valid_kinds:
            errors.append((f"flows[{i}].kind", f"{i}番目の流れの種別「{kind}」は使えません（{', '.join(sorted(valid_kinds))}）。"))
            continue
        if kind in PROGRAM_FLOW_KINDS and flow.get("program") not in programs:
            errors.append((f"flows[{i}].program", f"{i}番目の流れの相手の事務事業「{flow.get('program')}」が見つかりません。"))
        if kind in PARTY_FLOW_KINDS and not str(flow.get("party") or "").strip():
            errors.append((f"flows[{i}].party", f"{i}番目の流れ（{FlowKind(kind).label}）の相手先を入力してください。"))
        errors += _long_names([flow.get("party") or ""], f"flows[{i}].party", f"{i}番目の流れの相手先", PARTY_LIMIT)
        if isinstance(flow.get("items", []), list):
            errors += _long_names(flow.get("items") or [], f"flows[{i}].items", f"{i}番目の流れの項目", NAME_LIMIT)
    return errors


NAME_LIMIT, PARTY_LIMIT = 120, 200  # Item.name and GroupItem/FlowItem.written_name; Flow.party


def _long_names(names: list, field: str, what: str, limit: int) -> list[tuple[str, str]]:
    """Names a row cannot hold: refused with the limit, not left to the database (PostgreSQL would fail the write)."""
    return [(field, f"{what}「{str(n)[:15]}…」は{limit}文字以内にしてください（{len(str(n))}文字）。") for n in names if len(str(n).strip()) > limit]


GROUP_KEYS = ("name", "note", "items")
FLOW_KEYS = ("kind", "program", "party", "purpose", "items")
VERSION_KEYS = (*SCALAR_FIELDS, "unit", "groups", "flows")


def _ordered(d: dict, keys: tuple[str, ...]) -> dict:
    out = {k: d[k] for k in keys if k in d}
    out.update({k: d[k] for k in sorted(d) if k not in out})
    return out


def canonical(data: dict) -> dict:
    """The version dict with its keys in one fixed order (PostgreSQL's jsonb does not keep key order)."""
    if not isinstance(data, dict):
        return data
    out = _ordered(data, VERSION_KEYS)
    if isinstance(out.get("groups"), list):
        out["groups"] = [_ordered(g, GROUP_KEYS) if isinstance(g, dict) else g for g in out["groups"]]
    if isinstance(out.get("flows"), list):
        out["flows"] = [_ordered(f, FLOW_KEYS) if isinstance(f, dict) else f for f in out["flows"]]
    return out
