"""The register as a map: programs, the outside bodies they exchange data with, their contractors and
sub-contractors, and the flows between them (for cytoscape.js on the page, and for the list beside it).

Programs are those the viewer may read, narrowed by the register's own filters (register.selectors):
unit, item, 要配慮, マイナンバー. A body (recipient, source, online partner, contractor) is one node per
name, however the register or the contracts write it (name_key), so the register's 外部委託 flow and the
contract with the same company meet at one node.
"""
import datetime

from django.db.models import F, Q

from mamori.outsourcing.models import Contract
from mamori.register import selectors as register_selectors
from mamori.register.models import Flow, FlowItem, FlowKind, GroupItem, name_key

NODE_TYPES = {"program": "事務事業", "body": "外部の機関", "contractor": "委託先", "partner": "オンライン結合の相手先"}
EDGE_LABELS = {
    FlowKind.REUSE_IN: "目的外利用", FlowKind.PROVIDE_PROGRAM: "目的外提供", FlowKind.COLLECT_BODY: "収集",
    FlowKind.PROVIDE_BODY: "外部提供", FlowKind.OUTSOURCE: "委託", FlowKind.ONLINE: "オンライン結合", "contract": "委託", "sub": "再委託",
}


def _body_id(name: str) -> str:
    return "b:" + name_key(name)


def map_data(user, filters: register_selectors.RegisterFilters, on: datetime.date, highlight: set[int] = frozenset(),
             highlight_bodies: set[str] = frozenset(), only: set[int] | None = None) -> dict:
    """Nodes and edges for cytoscape.js; ``highlight``: programs of an impact answer, ``highlight_bodies``: its contractor."""
    programs = register_selectors.register_search(user, filters)
    if only is not None:  # an impact answer's programs only
        programs = programs.filter(pk__in=only)
    chosen = programs.values("pk")  # a subquery: the whole register is never a list of ids in SQL
    rows = list(programs.values_list("pk", "code", "current__name", "current__person_count"))
    sensitive, my_number = _flagged(chosen, "sensitive"), _flagged(chosen, "my_number")
    shown = {pk for pk, *_ in rows}
    nodes: dict[str, dict] = {}
    edges: dict[tuple, dict] = {}
    for pk, code, name, persons in rows:
        nodes[f"p{pk}"] = {"id": f"p{pk}", "label": name, "type": "program", "code": code, "sensitive": pk in sensitive,
                           "my_number": pk in my_number, "persons": persons, "highlight": pk in highlight}

    def body(name: str, kind: str, official: bool = False) -> str:
        node_id = _body_id(name)
        node = nodes.setdefault(node_id, {"id": node_id, "label": name, "type": kind, "highlight": False})
        if kind == "contractor":  # a contractor is a contractor, whatever else the register calls it
            node["type"] = "contractor"
        if official:  # the contractor's registered name, not the register's way of writing it
            node["label"] = name
        return node_id

    def edge(source: str, target: str, kind: str) -> None:
        key = (source, target, kind)
        edges.setdefault(key, {"id": f"e{len(edges)}", "source": source, "target": target, "kind": kind, "label": EDGE_LABELS[kind]})

    flows = (Flow.objects.filter(version__program__current=F("version"), version__program__in=chosen)
             .values_list("version__program_id", "kind", "program_id", "party"))
    for owner, kind, other, party in flows:
        me = f"p{owner}"
        if kind == FlowKind.REUSE_IN and other in shown:
            edge(f"p{other}", me, kind)
        elif kind == FlowKind.PROVIDE_PROGRAM and other in shown:
            edge(me, f"p{other}", kind)
        elif kind == FlowKind.COLLECT_BODY and party:
            edge(body(party, "body"), me, kind)
        elif kind == FlowKind.PROVIDE_BODY and party:
            edge(me, body(party, "body"), kind)
        elif kind == FlowKind.OUTSOURCE and party:
            edge(me, body(party, "contractor"), kind)
        elif kind == FlowKind.ONLINE and party:
            edge(me, body(party, "partner"), kind)
    contracts = (Contract.objects.filter(starts_on__lte=on, ends_on__gte=on, program__in=chosen)
                 .values_list("program_id", "contractor__name", "parent__contractor__name"))
    for program, contractor, parent in contracts:
        target = body(contractor, "contractor", official=True)
        if parent:
            edge(body(parent, "contractor", official=True), target, "sub")
        else:
            # the register's 外部委託 flow to the same company is the same edge
            edges.pop((f"p{program}", target, FlowKind.OUTSOURCE), None)
            edge(f"p{program}", target, "contract")
    for name in highlight_bodies:
        if _body_id(name) in nodes:
            nodes[_body_id(name)]["highlight"] = True
    return {"nodes": list(nodes.values()), "edges": list(edges.values()), "types": NODE_TYPES,
            "counts": {"programs": len(rows), "bodies": len(nodes) - len(rows), "edges": len(edges)}}


def _flagged(programs, flag: str) -> set[int]:
    """Programs (a subquery) whose current version holds an item flagged 要配慮 / 個人番号, itself or as a synonym."""
    flagged = Q(**{f"item__{flag}": True}) | Q(**{f"item__alias_of__{flag}": True})
    in_groups = GroupItem.objects.filter(flagged, group__version__program__current=F("group__version"),
                                         group__version__program__in=programs).values_list("group__version__program_id", flat=True)
    in_flows = FlowItem.objects.filter(flagged, flow__version__program__current=F("flow__version"),
                                       flow__version__program__in=programs).values_list("flow__version__program_id", flat=True)
    return set(in_groups) | set(in_flows)


def connections(data: dict) -> dict[str, list[str]]:
    """Per node, its connections in words (「目的外提供 → 児童手当給付事業」), for the list beside the map."""
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    out: dict[str, list[str]] = {}
    for e in data["edges"]:
        out.setdefault(e["source"], []).append(f"{e['label']} → {labels[e['target']]}")
        out.setdefault(e["target"], []).append(f"{e['label']} ← {labels[e['source']]}")
    return out
