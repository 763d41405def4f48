"""Impact analysis: the register as a graph, read from one starting point.

Start from a contractor (its contracts, and its place in sub-contract chains), an item (with its
synonyms), a program, an outside recipient or an online-link partner, and find every program
affected, with the path that ties it:

* direct — the program holds the item, names the recipient or partner, or is the program asked about;
* 委託 / 再委託 — a contract in force on the date (outsourcing), or the register's 外部委託 flow;
* 目的外利用 — the program takes data from an affected program (``reuse_in``) or an affected program
  provides to it (``provide_program``), over any number of hops, each program reached once.

For each program: the items concerned, 要配慮 / マイナンバー, 本人の数, the contracts in force on the date
and the unit to contact. The total counts a person once per program (the register does not know
whether two programs hold the same person). Reads only what the viewer may read
(register.selectors.programs_visible).
"""
import datetime
from collections import deque
from dataclasses import dataclass, field

from django.db.models import F, Q

from mamori.core.calendar import wareki as _wareki
from mamori.core.models import OrgUnit
from mamori.outsourcing.models import Contract, Contractor
from mamori.register import selectors as register_selectors
from mamori.register.models import PROGRAM_FLOW_KINDS, Flow, FlowKind, GroupItem, Item, Program, name_key

KINDS = {
    "contractor": "委託事業者",
    "item": "記録項目",
    "program": "事務事業",
    "recipient": "外部提供先",
    "partner": "オンライン結合の相手先",
}


@dataclass(frozen=True)
class Step:
    kind: str    # direct, outsource, sub, flow_outsource, reuse, provide, recipient, partner
    label: str   # 「再委託（元請：株式会社A）」


@dataclass(frozen=True)
class ContractRef:
    pk: int
    title: str
    contractor: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    chain: tuple[str, ...]  # prime contractor first


@dataclass(frozen=True)
class Affected:
    program_pk: int
    code: str
    name: str
    unit_pk: int
    unit: str
    path: tuple[Step, ...]
    items: tuple[str, ...]
    sensitive_items: tuple[str, ...]
    my_number: bool
    person_count: int | None
    contracts: tuple[ContractRef, ...] = ()

    @property
    def sensitive(self) -> bool:
        return bool(self.sensitive_items)

    @property
    def path_label(self) -> str:
        return " → ".join(step.label for step in self.path)


@dataclass(frozen=True)
class Answer:
    kind: str
    subject: str             # what was asked about, as a person names it
    on: datetime.date
    rows: tuple[Affected, ...]
    contact_units: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total_persons(self) -> int:
        return sum(r.person_count or 0 for r in self.rows)

    @property
    def unknown_counts(self) -> int:
        return sum(1 for r in self.rows if r.person_count is None)

    @property
    def any_sensitive(self) -> bool:
        return any(r.sensitive for r in self.rows)

    @property
    def any_my_number(self) -> bool:
        return any(r.my_number for r in self.rows)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


class NotFound(ValueError):
    """The starting point does not exist; the message says what was looked for."""


# ---------------------------------------------------------------- helpers


def _in_force(on: datetime.date) -> Q:
    return Q(starts_on__lte=on, ends_on__gte=on)


def _item_family(items) -> set[int]:
    """The items and every synonym of their canonical entries."""
    canon = {i.alias_of_id or i.pk for i in items}
    return canon | set(Item.objects.filter(alias_of__in=canon).values_list("pk", flat=True))


def _visible_programs(user, on: datetime.date):
    """Programs the viewer may read that were not abolished before the date (``user`` None: the command
    line, run by the server's operator, reads everything)."""
    programs = Program.objects.filter(current__isnull=False) if user is None else register_selectors.programs_visible(user)
    return (programs
            .filter(Q(current__abolished_on__isnull=True) | Q(current__abolished_on__gte=on)))


def _describe(program_ids: set[int], only_items: dict[int, set[int]] | None = None):
    """Per program: code, name, unit, items (all, or only those named in only_items), flags, count.
    Plain values, not model instances: an answer may hold hundreds of programs and thousands of items."""
    rows = Program.objects.filter(pk__in=program_ids).values_list("pk", "code", "current_id", "current__name", "current__unit_id",
                                                                   "current__person_count")
    programs = {pk: (code, version, name, unit, count) for pk, code, version, name, unit, count in rows}
    version_of = {v[1]: pk for pk, v in programs.items()}
    held: dict[int, dict[int, tuple]] = {pk: {} for pk in programs}
    links = GroupItem.objects.filter(group__version_id__in=version_of).values_list(
        "group__version_id", "item_id", "item__name", "item__alias_of_id",
        "item__sensitive", "item__my_number", "item__alias_of__sensitive", "item__alias_of__my_number").order_by("group__order", "order")
    for version, item, name, alias_of, sensitive, my_number, alias_sensitive, alias_my_number in links:
        # a synonym's flags are those of the item it stands for (register.models.Item)
        flags = (alias_sensitive, alias_my_number) if alias_of else (sensitive, my_number)
        held[version_of[version]].setdefault(item, (name, alias_of or item, bool(flags[0]), bool(flags[1])))
    units = dict(OrgUnit.choices_for(OrgUnit.objects.filter(pk__in={v[3] for v in programs.values()})))
    out = {}
    for pk, (code, _version, name, unit, count) in programs.items():
        items = list(held[pk].items())
        wanted = (only_items or {}).get(pk)
        chosen = [v for i, v in items if i in wanted or v[1] in wanted] if wanted else []
        chosen = chosen or [v for _i, v in items]
        out[pk] = {
            "program_pk": pk, "code": code, "name": name, "unit_pk": unit, "unit": units.get(unit, ""),
            "items": tuple(dict.fromkeys(v[0] for v in chosen)),
            "sensitive_items": tuple(dict.fromkeys(v[0] for v in chosen if v[2])),
            "my_number": any(v[3] for v in chosen), "person_count": count,
        }
    return out


def _contracts_by_program(program_ids: set[int], on: datetime.date) -> dict[int, list[ContractRef]]:
    refs: dict[int, list[ContractRef]] = {}
    contracts = Contract.objects.filter(_in_force(on), program_id__in=program_ids).select_related("contractor", "parent__contractor")
    for contract in contracts:
        refs.setdefault(contract.program_id, []).append(_ref(contract))
    return refs


def _chain(contract: Contract) -> tuple[str, ...]:
    names, node, seen = [], contract, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names.append(node.contractor.name)
        node = node.parent
    return tuple(reversed(names))


def _ref(contract: Contract) -> ContractRef:
    return ContractRef(contract.pk, contract.title, contract.contractor.name, contract.get_kind_display(),
                       contract.starts_on, contract.ends_on, _chain(contract))


def _answer(kind, subject, on, reached: dict[int, tuple[Step, ...]], only_items=None, contracts=None, notes=()) -> Answer:
    described = _describe(set(reached), only_items)
    in_force = _contracts_by_program({pk for pk in reached if not (contracts or {}).get(pk)}, on)
    rows = []
    for pk, path in reached.items():
        if pk not in described:
            continue
        refs = tuple((contracts or {}).get(pk) or in_force.get(pk, ()))
        rows.append(Affected(path=path, contracts=refs, **described[pk]))
    rows.sort(key=lambda r: (len(r.path), r.code))
    units = tuple(dict.fromkeys(r.unit for r in rows))
    return Answer(kind, subject, on, tuple(rows), units, tuple(notes))


def _spread(start: dict[int, tuple[Step, ...]], visible: set[int], item_ids: set[int] | None, names: dict[int, str]):
    """Follow 目的外利用 from the programs reached (breadth first, each program once, cycles end)."""
    reached = dict(start)
    queue = deque(start)
    flows = _current_flows().filter(kind__in=PROGRAM_FLOW_KINDS, program__isnull=False)
    if item_ids is not None:
        flows = flows.filter(items__item_id__in=item_ids).distinct()
    edges: dict[int, list[tuple[int, str]]] = {}
    for owner, other, kind in flows.values_list("version__program_id", "program_id", "kind"):
        if kind == FlowKind.REUSE_IN:      # owner takes from other: data of other reaches owner
            edges.setdefault(other, []).append((owner, "reuse"))
        else:                              # owner provides to other
            edges.setdefault(owner, []).append((other, "provide"))
    while queue:
        source = queue.popleft()
        for target, how in edges.get(source, ()):
            if target in reached or target not in visible:
                continue
            label = f"目的外利用（{names.get(source) or source}から）" if how == "reuse" else f"目的外提供（{names.get(source) or source}から）"
            reached[target] = reached[source] + (Step(how, label),)
            queue.append(target)
    return reached


LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "公益社団法人", "一般財団法人", "公益財団法人",
               "社会福祉法人", "特定非営利活動法人", "医療法人", "学校法人", "(株)", "(有)")


def _party_core(name: str) -> str:
    """The part of a name the database can look for (「株式会社 検診センター」 → 検診センター); the exact
    comparison is then made on name_key."""
    key = name_key(name)
    for form in LEGAL_FORMS:
        key = key.replace(form, "")
    return key or name_key(name)


def _current_flows():
    """Flows of the programs' current versions (older versions' flows are history)."""
    return Flow.objects.filter(version__program__current=F("version"))


def _names() -> dict[int, str]:
    """Every current program's name, in one query (a path names the programs it passed; only visible ones are reached)."""
    return dict(Program.objects.filter(current__isnull=False).values_list("pk", "current__name"))


# ---------------------------------------------------------------- the questions


def by_contractor(user, contractor: Contractor, on: datetime.date) -> Answer:
    """Every program whose data the contractor holds on the date: its own contracts, the contracts it works
    under as a sub-contractor (再委託・再々委託), and the register's 外部委託 flows that name it."""
    visible = _visible_programs(user, on).values("pk")
    reached: dict[int, tuple[Step, ...]] = {}
    contracts: dict[int, list[ContractRef]] = {}
    only: dict[int, set[int]] = {}
    rows = (Contract.objects.filter(_in_force(on), contractor=contractor, program__in=visible)
            .select_related("contractor", "parent__contractor")
            .order_by("program_id", "starts_on", "pk"))
    for contract in rows:
        ref = _ref(contract)
        contracts.setdefault(contract.program_id, []).append(ref)
        if contract.parent_id:
            step = Step("sub", f"{contract.get_kind_display()}（{' → '.join(ref.chain[:-1])}の下）")
        else:
            step = Step("outsource", f"{contract.get_kind_display()}（{contract.title}）")
        reached.setdefault(contract.program_id, (step,))
        if contract.items:
            names = {name_key(n) for n in contract.items}
            only.setdefault(contract.program_id, set()).update(
                Item.objects.filter(key__in=names).values_list("pk", flat=True))
    key = name_key(contractor.name)
    flows = _current_flows().filter(kind=FlowKind.OUTSOURCE, version__program__in=visible, party__icontains=_party_core(contractor.name))
    for owner, party in flows.values_list("version__program_id", "party"):
        if key and key in name_key(party) and owner not in reached:
            reached[owner] = (Step("flow_outsource", f"外部委託（管理簿の記載「{party}」）"),)
    notes = []
    out_of_force = Contract.objects.filter(contractor=contractor).exclude(_in_force(on)).count()
    if out_of_force:
        notes.append(f"{_wareki(on)}に期間外の契約が{out_of_force}件あります（含めていません）。")
    return _answer("contractor", contractor.name, on, reached, only_items=only, contracts=contracts, notes=notes)


def by_item(user, item: Item, on: datetime.date) -> Answer:
    """Programs that hold the item (or a synonym), and programs that take it from them by 目的外利用."""
    family = _item_family([item])
    visible = set(_visible_programs(user, on).values_list("pk", flat=True))
    holders = set(GroupItem.objects.filter(item_id__in=family, group__version__program__current=F("group__version"),
                                           group__version__program_id__in=visible)
                  .values_list("group__version__program_id", flat=True))
    start = {pk: (Step("direct", "この項目を記録"),) for pk in holders}
    reached = _spread(start, visible, family, _names())
    return _answer("item", item.canonical.name, on, reached, only_items={pk: family for pk in reached})


def by_program(user, program: Program, on: datetime.date) -> Answer:
    """The program, every program its data reaches by 目的外利用 (any items), and who outside holds it."""
    visible = set(_visible_programs(user, on).values_list("pk", flat=True))
    if program.pk not in visible:
        raise NotFound("その事務事業は見つからないか、閲覧できません。")
    reached = _spread({program.pk: (Step("direct", "対象の事務事業"),)}, visible, None, _names())
    notes = []
    for kind, party in _current_flows().filter(version__program=program, kind__in=[FlowKind.PROVIDE_BODY, FlowKind.OUTSOURCE,
                                                                                     FlowKind.ONLINE]).values_list("kind", "party"):
        notes.append(f"{FlowKind(kind).label}：{party}")
    return _answer("program", f"{program.code} {program}", on, reached, notes=notes)


def _by_party(user, kind: str, flow_kind: str, text: str, on: datetime.date) -> Answer:
    key = name_key(text)
    if not key:
        raise NotFound("相手先の名称を入力してください。")
    visible = set(_visible_programs(user, on).values_list("pk", flat=True))
    reached: dict[int, tuple[Step, ...]] = {}
    only: dict[int, set[int]] = {}
    flows = _current_flows().filter(kind=flow_kind, version__program_id__in=visible).prefetch_related("items")
    label = FlowKind(flow_kind).label
    for flow in flows:
        if key in name_key(flow.party):
            owner = flow.version.program_id
            reached.setdefault(owner, (Step(kind, f"{label}（{flow.party}）"),))
            only.setdefault(owner, set()).update(fi.item_id for fi in flow.items.all())
    return _answer(kind, text, on, reached, only_items=only)


def by_recipient(user, text: str, on: datetime.date) -> Answer:
    return _by_party(user, "recipient", FlowKind.PROVIDE_BODY, text, on)


def by_partner(user, text: str, on: datetime.date) -> Answer:
    return _by_party(user, "partner", FlowKind.ONLINE, text, on)


def find_contractor(text: str) -> Contractor:
    """A contractor by 法人番号 (13 digits) or by name (exact, then the only one containing it)."""
    value = (text or "").strip()
    if value.isdigit():
        found = Contractor.objects.filter(corporate_number=value).first()
        if found:
            return found
        raise NotFound(f"法人番号 {value} の委託事業者は登録されていません。")
    exact = Contractor.objects.filter(name=value).first()
    if exact:
        return exact
    matches = [c for c in Contractor.objects.all() if name_key(value) and name_key(value) in name_key(c.name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"「{value}」という委託事業者は登録されていません。")
    raise NotFound(f"「{value}」を含む委託事業者が{len(matches)}件あります：{'、'.join(c.name for c in matches[:5])}。名称か法人番号で指定してください。")


def find_item(text: str) -> Item:
    key = name_key(text)
    found = Item.objects.filter(key=key).select_related("alias_of").first()
    if not found:
        raise NotFound(f"「{text}」という記録項目は語彙にありません。記録項目の画面で名称を確かめてください。")
    return found


def find_program(text: str) -> Program:
    value = (text or "").strip()
    found = Program.objects.filter(code=value).first() or Program.objects.filter(current__name=value).first()
    if not found:
        raise NotFound(f"管理番号または事務事業名「{value}」の事務事業はありません。")
    return found


def ask(user, kind: str, value, on: datetime.date) -> Answer:
    """One entry for the page, the CLI and the API: ``value`` is the chosen record or the typed name."""
    if kind == "contractor":
        return by_contractor(user, value if isinstance(value, Contractor) else find_contractor(value), on)
    if kind == "item":
        return by_item(user, value if isinstance(value, Item) else find_item(value), on)
    if kind == "program":
        return by_program(user, value if isinstance(value, Program) else find_program(value), on)
    if kind == "recipient":
        return by_recipient(user, str(value), on)
    if kind == "partner":
        return by_partner(user, str(value), on)
    raise NotFound(f"調べ方「{kind}」はありません（{'、'.join(KINDS)}）。")
