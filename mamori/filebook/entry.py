"""A file's entry as the register shows it now: computed from its programs' current versions.

Nothing here is stored. The file keeps only what the register does not know (filebook.models); the
rest is read from the linked programs every time, so the entry can never fall out of step with the
register — what changes is only whether the office has published it yet (FileRevision).
"""
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Prefetch

from mamori.core.models import UNIT_CHAIN, MunicipalSettings, Organ
from mamori.filebook import rules
from mamori.filebook.models import FileProgram, PersonalFile
from mamori.register.models import FlowKind, ProgramVersion

VERSION_PREFETCH = ("groups__items__item__alias_of", "flows__items__item__alias_of", "flows__program__current__unit__organ")


@dataclass
class Computed:
    """The entry's content (JSON-safe, keyed as rules.ENTRY_FIELDS) and the facts the rule decides on."""

    file: PersonalFile
    versions: list[ProgramVersion]
    content: dict
    facts: rules.Facts
    assessment: rules.Assessment
    sources: dict = field(default_factory=dict)  # field key → "register" / "file" / "settings" (where the value came from)

    @property
    def digest(self) -> str:
        return digest(self.content)


def digest(content: dict) -> str:
    """A short fingerprint of an entry's content (what a page showed, checked when it is published)."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _unique(values) -> list:
    return list(dict.fromkeys(v for v in values if v))


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text.endswith("。") else text + "。"


class Context:
    """What every entry of one batch shares: the settings, the 実施機関 names, the ordinance's items."""

    def __init__(self, settings: MunicipalSettings | None = None):
        self.settings = settings or MunicipalSettings.current()
        self._organs: dict[int, str] = {}
        self.ordinance_items = {x.strip() for x in self.settings.ordinance_sensitive_items.splitlines() if x.strip()}

    def organ_name(self, organ: Organ) -> str:
        """行政機関等の名称 as the city writes it: 朝霞市長, 朝霞市教育委員会."""
        if organ.pk not in self._organs:
            s = self.settings
            self._organs[organ.pk] = s.head_title if organ.code == "mayor" or organ.name == "市長" else f"{s.name}{organ.name}"
        return self._organs[organ.pk]


def default_name(versions: list[ProgramVersion]) -> str:
    return f"{versions[0].name}ファイル" if versions else "（事務事業のないファイル）"


def _collection(versions: list[ProgramVersion]) -> str:
    """収集方法 in sentences, from the register's collecting flows (本人, other bodies, 目的外利用)."""
    lines = []
    for v in versions:
        for f in v.flows.all():
            if f.kind == FlowKind.COLLECT_PERSON:
                lines.append(_sentence(f.purpose) or "本人から収集する。")
            elif f.kind == FlowKind.COLLECT_BODY:
                lines.append(f"{f.party}から収集する" + (f"（{f.purpose.rstrip('。')}）。" if f.purpose else "。"))
            elif f.kind == FlowKind.REUSE_IN and f.program_id:
                lines.append(f"「{f.program.current.name if f.program.current_id else f.program.code}」から目的外利用により収集する"
                             + (f"（{f.purpose.rstrip('。')}）。" if f.purpose else "。"))
    return "\n".join(_unique(lines))


def _recipients(versions: list[ProgramVersion], ctx: Context) -> list[str]:
    """経常的提供先 (法第74条第1項第7号: 当該機関以外の者): the register's 外部提供, and provision to another
    実施機関's program. Outsourcing is no provision (法第66条第2項: the contractor handles it for the city)."""
    out = []
    for v in versions:
        for f in v.flows.all():
            if f.kind == FlowKind.PROVIDE_BODY:
                out.append(f.party)
            elif f.kind == FlowKind.PROVIDE_PROGRAM and f.program_id and f.program.current_id:
                other = f.program.current
                if other.unit.organ_id != v.unit.organ_id:
                    out.append(f"{ctx.organ_name(other.unit.organ)}（{other.name}）")
    return _unique(out)


def compute(file: PersonalFile, all_versions: list[ProgramVersion], ctx: Context) -> Computed:
    # An abolished program no longer feeds a file its others still hold; when all are abolished, the entry
    # is what they last held (the one the deletion removes).
    versions = [v for v in all_versions if not v.is_abolished] or all_versions
    items = [item for v in versions for item in v.all_items()]
    names = _unique(item.canonical.name for item in items)
    written = {item.name for item in items}
    computerized = any(v.computerized for v in versions) or not versions
    scope = _unique(g.name for v in versions for g in v.groups.all())
    content = {
        "name": file.name.strip() or default_name(versions),
        "organ": "、".join(_unique(ctx.organ_name(v.unit.organ) for v in versions)),
        "units": _unique(v.unit.label for v in versions),
        "purpose": "\n".join(_unique(v.purpose.strip() for v in versions)),
        "items": names,
        "scope": file.scope_text.strip() or "、".join(scope),
        "collection": file.collection_text.strip() or _collection(versions),
        "sensitive": any(item.is_sensitive for item in items),
        "ordinance_sensitive": bool(ctx.ordinance_items & (set(names) | written)),
        "recipients": _recipients(versions, ctx),
        "request_office": ctx.settings.disclosure_office,
        "special_procedures": "\n".join(_unique(v.special_procedures.strip() for v in versions)),
        "kind": "computerized" if computerized else "manual",
        "manual_counterpart": computerized and any(v.manual for v in versions),
    }
    abolished = [v.abolished_on for v in all_versions if v.abolished_on]
    facts = rules.Facts(
        held=any(not v.is_abolished for v in all_versions),
        person_counts=tuple(v.person_count for v in versions),
        threshold=ctx.settings.file_register_threshold,
        claimed=file.exemption,
        claimed_note=file.exemption_note,
        file_count=file.person_count,
        abolished_on=max(abolished) if abolished else None,
        group_names=tuple(scope),
        retentions=tuple(v.retention for v in versions),
        items=tuple(names),
    )
    sources = {f.key: f.source for f in rules.ENTRY_FIELDS}
    for key, stored in (("name", file.name), ("scope", file.scope_text), ("collection", file.collection_text)):
        sources[key] = "file" if stored.strip() else "register"
    return Computed(file, all_versions, content, facts, rules.assess(facts), sources)


def _versions_qs():
    return ProgramVersion.objects.select_related(f"unit__{UNIT_CHAIN}", "unit__organ").prefetch_related(*VERSION_PREFETCH)


CHUNK = 500  # files read at a time: SQLite refuses a query over some 1,000 ids ("Expression tree is too large")


def for_files(files, ctx: Context | None = None) -> dict[int, Computed]:
    """The computed entries of many files, read with a fixed number of queries per CHUNK files."""
    ctx = ctx or Context()
    files = list(files)
    if len(files) > CHUNK:
        out: dict[int, Computed] = {}
        for start in range(0, len(files), CHUNK):
            out.update(for_files(files[start:start + CHUNK], ctx))
        return out
    links = FileProgram.objects.filter(file__in=files).select_related("program").order_by("file_id", "order", "id")
    by_file: dict[int, list[int]] = {}
    for link in links:
        if link.program.current_id:
            by_file.setdefault(link.file_id, []).append(link.program.current_id)
    wanted = {vid for ids in by_file.values() for vid in ids}
    versions = {v.pk: v for v in _versions_qs().filter(pk__in=wanted)}
    return {f.pk: compute(f, [versions[vid] for vid in by_file.get(f.pk, [])], ctx) for f in files}


def for_file(file: PersonalFile, ctx: Context | None = None) -> Computed:
    return for_files([file], ctx)[file.pk]


def files_prefetch(qs):
    return qs.prefetch_related(Prefetch("fileprogram_set", queryset=FileProgram.objects.select_related("program__current")))
