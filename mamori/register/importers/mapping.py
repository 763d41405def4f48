"""What was read from a document, mapped onto this installation: its programs, units and vocabulary.

- ``Matcher`` finds the programs and units a document names (NFKC, spaces ignored);
- ``review_lists`` says what the office must map or create before accepting;
- ``proposed_from_extracted`` turns a reading into the version it stands for (the base version
  for a 変更 plus what the document adds), for ``services.imported_accept``;
- ``highlighted`` shows the source with each extracted phrase marked, for the review screen.

Nothing here writes.
"""
import html
import re
from dataclasses import dataclass, field

from mamori.core.models import UNIT_CHAIN, OrgUnit, UnitKind
from mamori.register.models import Program, name_key
from mamori.register.serialize import empty_version_dict
from mamori.register.vocabulary import Vocabulary

ONLINE_UNNAMED = "オンライン結合先（届出の内容のとおり）"  # a document that says オンライン結合 without naming the partner
LEVELS = (("division", UnitKind.DIVISION), ("section", UnitKind.SECTION), ("unit", UnitKind.UNIT), ("team", UnitKind.TEAM))


@dataclass
class DepartmentMatch:
    """A document's 担当 against the organisation, level by level (部 → 課 → 係 → チーム)."""

    text: str  # as the document writes it: 健康福祉部 高齢介護課 地域包括係
    exact: OrgUnit | None  # the unit it names, when every level it names exists
    nearest: OrgUnit | None  # the deepest level that exists (the 課 of a 係 the organisation lacks)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (level, name) the organisation lacks, top down

    @property
    def unknown(self) -> bool:
        return self.exact is None and bool(self.missing)

    @property
    def missing_text(self) -> str:
        """「地域包括係」（係） or 「高齢介護課」（課）・「地域包括係」（係）"""
        return "・".join(f"「{name}」（{UnitKind(kind).label}）" for kind, name in self.missing)


class Matcher:
    """Names in a document → programs and units of this installation (NFKC, spaces ignored)."""

    def __init__(self):
        self.programs = {name_key(p.current.name): p for p in Program.objects.filter(current__isnull=False).select_related("current")}
        self.units = list(OrgUnit.objects.select_related(UNIT_CHAIN))

    def program(self, name: str) -> Program | None:
        return self.programs.get(name_key(name))

    def department(self, department: dict) -> DepartmentMatch:
        """Walk the levels the document names, each under the one found before it. A level the
        organisation lacks is reported, never replaced by its parent (a missing 係 is not its 課)."""
        named = [(kind, department[key]) for key, kind in LEVELS if department.get(key)]
        text = " ".join(name for _, name in named)
        parent = None
        for i, (kind, name) in enumerate(named):
            found = [u for u in self.units if u.kind == kind and name_key(u.name) == name_key(name)
                     and (parent is None or u.parent_id == parent.pk)]
            if len(found) != 1:  # none, or the same name in two places with nothing above to tell them apart
                return DepartmentMatch(text, None, parent, [(k, n) for k, n in named[i:]])
            parent = found[0]
        return DepartmentMatch(text, parent, parent)

    def unit(self, department: dict) -> OrgUnit | None:
        return self.department(department).exact


def review_lists(extracted: dict, matcher: Matcher | None = None, vocabulary: Vocabulary | None = None) -> dict:
    """What the office must map or create before accepting: unknown items, programs, unit."""
    matcher = matcher or Matcher()
    vocabulary = vocabulary or Vocabulary()
    provided_programs = [p for p in extracted.get("provided_to", []) if matcher.program(p) or p.endswith("事業")]
    return {
        "unknown_items": [i for i in extracted.get("items", []) if vocabulary.find(i) is None],
        "unknown_programs": [p for p in [*extracted.get("reuse_sources", []), *provided_programs] if matcher.program(p) is None],
    }


def proposed_from_extracted(extracted: dict, unit: OrgUnit, base: dict | None) -> tuple[dict, list[str]]:
    """The version a reviewed import stands for: the base (for 変更) plus what the document adds.

    Returns the version dict and the programs it names that the register does not have.
    """
    matcher = Matcher()
    data = base or empty_version_dict(unit)
    data["name"] = extracted["program"]
    if base is None:
        data["unit"] = unit.code
    items = list(extracted.get("items", []))
    vocabulary = Vocabulary()
    if extracted.get("uses_my_number") and not any((item := vocabulary.find(i)) and item.is_my_number for i in items):
        items.append("マイナンバー")
    if not data["groups"]:
        data["groups"] = [{"name": "本人", "note": "", "items": []}]
    known = {name_key(i) for g in data["groups"] for i in g["items"]}
    data["groups"][0]["items"] += [i for i in items if name_key(i) not in known]

    def has_flow(kind, program=None, party=""):
        return any(f["kind"] == kind and (f.get("program") == program if program else name_key(f.get("party") or "") == name_key(party)) for f in data["flows"])

    missing = []
    for name in extracted.get("reuse_sources", []):
        program = matcher.program(name)
        if program is None:
            missing.append(name)
        elif not has_flow("reuse_in", program.code):
            data["flows"].append({"kind": "reuse_in", "program": program.code, "party": "", "purpose": "", "items": []})
    for name in extracted.get("provided_to", []):
        program = matcher.program(name)
        if program is not None:
            if not has_flow("provide_program", program.code):
                data["flows"].append({"kind": "provide_program", "program": program.code, "party": "", "purpose": "", "items": []})
        elif name.endswith("事業"):
            missing.append(name)
        elif not has_flow("provide_body", party=name):
            data["flows"].append({"kind": "provide_body", "program": None, "party": name, "purpose": "", "items": []})
    for name in extracted.get("contractors", []):
        if not has_flow("outsource", party=name):
            data["flows"].append({"kind": "outsource", "program": None, "party": name, "purpose": "", "items": []})
    # オンライン結合 keeps its kind: its partner is no 委託先 (the document names it as the 結合の相手).
    for name in extracted.get("online_partners", []):
        if not has_flow("online", party=name):
            data["flows"].append({"kind": "online", "program": None, "party": name, "purpose": "", "items": []})
    if extracted.get("online_link") and not any(f["kind"] == "online" for f in data["flows"]):
        data["flows"].append({"kind": "online", "program": None, "party": ONLINE_UNNAMED, "purpose": "", "items": []})
    return data, missing


HIGHLIGHT_CLASSES = (
    ("program", "事務事業名"), ("items", "記録項目"), ("reuse_sources", "目的外利用の収集元"),
    ("provided_to", "提供先"), ("contractors", "委託先"), ("online_partners", "オンライン結合の相手"),
)


def highlighted(source: str, extracted: dict) -> str:
    """The source block as HTML, each extracted phrase in a <mark> saying what it was read as.

    A phrase may cross a line break of the source, so the pattern allows one between any two characters.
    """
    phrases: dict[str, str] = {}
    for key, label in HIGHLIGHT_CLASSES:
        values = extracted.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            if value and value not in phrases:
                phrases[value] = (key, label)
    dept = extracted.get("department") or {}
    for value in dept.values():
        if value and value not in phrases:
            phrases[value] = ("department", "担当")
    if not phrases:
        return html.escape(source)
    ordered = sorted(phrases, key=len, reverse=True)
    pattern = re.compile("|".join("\n?".join(re.escape(ch) for ch in phrase) for phrase in ordered))
    out, pos = [], 0
    for m in pattern.finditer(source):
        out.append(html.escape(source[pos:m.start()]))
        found = m.group(0).replace("\n", "")
        key, label = phrases.get(found, ("other", ""))
        out.append(f'<mark class="x-{key}" title="{label}">{html.escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(html.escape(source[pos:]))
    return "".join(out)
