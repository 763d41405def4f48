"""The 内容 of a 届出 drafted from its structured change, in the city's phrasing.

朝霞市's 届出 write, for example, 「目的外利用の収集先に「水道事業健全運営事業」を追加し、
「収納状況」を収集する。」 and 「個人情報取扱項目に「かかりつけ医」を追加する。」. The phrases are
data (PHRASES) so that another city's wording is a change of table, not of code. The
department edits the draft before submitting.
"""
from mamori.register.diff import _keyed_flows

# kind → (phrase for an added flow, the verb for its items, the phrase for a removed flow)
PHRASES = {
    "collect_person": ("本人から", "収集する", "本人からの収集"),
    "reuse_in": ("目的外利用の収集先に「{x}」を追加し", "収集する", "目的外利用の収集先から「{x}」を削除する。"),
    "collect_body": ("収集先に「{x}」を追加し", "収集する", "収集先から「{x}」を削除する。"),
    "provide_body": ("外部提供の提供先に「{x}」を追加し", "提供する", "外部提供の提供先から「{x}」を削除する。"),
    "provide_program": ("目的外提供の提供先に「{x}」を追加し", "提供する", "目的外提供の提供先から「{x}」を削除する。"),
    "outsource": ("外部委託の委託先に「{x}」を追加し", "引き渡す", "外部委託の委託先から「{x}」を削除する。"),
    "online": ("オンライン結合の相手先に「{x}」を追加し", "連携する", "オンライン結合の相手先から「{x}」を削除する。"),
}
NEW_PHRASES = {
    "collect_person": ("本人から", "収集する"),
    "reuse_in": ("「{x}」から目的外利用を行い", "収集する"),
    "collect_body": ("「{x}」から", "収集する"),
    "provide_body": ("「{x}」に", "提供する"),
    "provide_program": ("「{x}」に", "提供する"),
    "outsource": ("「{x}」に外部委託し", "引き渡す"),
    "online": ("オンライン結合により「{x}」と", "連携する"),
}
FIELD_NAMES = {"name": "事務事業名", "unit": "担当", "retention": "保存期間", "legal_basis": "根拠法令", "purpose": "利用目的"}


def quoted(names: list[str]) -> str:
    return "、".join(f"「{n}」" for n in names)


def _party(flow: dict, labels: dict) -> str:
    return labels.get(("program", flow.get("program"))) or flow.get("program") or flow.get("party") or ""


def draft_content(old: dict | None, new: dict, labels: dict | None = None) -> str:
    """Sentences for what changed from ``old`` to ``new`` (``old`` None: a new program)."""
    labels = labels or {}
    sentences: list[str] = []
    if old is None:
        for group in new.get("groups") or []:
            if group.get("items"):
                sentences.append(f"{group['name']}の{quoted(group['items'])}を収集する。")
        for flow in new.get("flows") or []:
            if flow["kind"] == "collect_person":
                continue
            lead, verb = NEW_PHRASES[flow["kind"]]
            lead = lead.format(x=_party(flow, labels))
            sentences.append(f"{lead}、{quoted(flow['items'])}を{verb}。" if flow.get("items") else f"{lead}{'' if lead.endswith('に') else '、'}情報を{verb}。")
        return "\n".join(sentences)

    if new.get("abolished_on") and not old.get("abolished_on"):
        return "事務事業を廃止する。"
    for key, label in FIELD_NAMES.items():
        a, b = old.get(key), new.get(key)
        if key == "unit":
            a, b = labels.get(("unit", a), a), labels.get(("unit", b), b)
        if (a or "") != (b or ""):
            sentences.append(f"{label}を「{a}」から「{b}」に変更する。" if len(str(a or "")) < 40 and len(str(b or "")) < 40 and a else f"{label}を変更する。")
    old_items = {i for g in old.get("groups") or [] for i in g.get("items") or []}
    new_items = [i for g in new.get("groups") or [] for i in g.get("items") or []]
    added = [i for i in dict.fromkeys(new_items) if i not in old_items]
    removed = [i for i in dict.fromkeys(i for g in old.get("groups") or [] for i in g.get("items") or []) if i not in set(new_items)]
    if added:
        sentences.append(f"個人情報取扱項目に{quoted(added)}を追加する。")
    if removed:
        sentences.append(f"個人情報取扱項目から{quoted(removed)}を削除する。")
    old_flows, new_flows = _keyed_flows(old.get("flows") or [], labels), _keyed_flows(new.get("flows") or [], labels)
    for key, flow in new_flows.items():
        lead, verb, _ = PHRASES[flow["kind"]]
        party = _party(flow, labels)
        if key not in old_flows:
            if flow["kind"] == "collect_person":
                sentences.append(f"本人から{quoted(flow['items'])}を収集する。" if flow.get("items") else "本人からの収集を追加する。")
                continue
            lead = lead.format(x=party)
            sentences.append(f"{lead}、{quoted(flow['items'])}を{verb}。" if flow.get("items") else f"{lead.removesuffix('し')}する。")
            continue
        more = [i for i in flow.get("items") or [] if i not in (old_flows[key].get("items") or [])]
        if more:
            where = {"reuse_in": f"「{party}」から目的外利用により収集する項目", "provide_body": f"「{party}」に提供する項目",
                     "provide_program": f"「{party}」に提供する項目", "outsource": f"「{party}」に引き渡す項目",
                     "collect_body": f"「{party}」から収集する項目", "online": f"「{party}」と連携する項目",
                     "collect_person": "本人から収集する項目"}[flow["kind"]]
            sentences.append(f"{where}に{quoted(more)}を追加する。")
    for key, flow in old_flows.items():
        if key not in new_flows and flow["kind"] != "collect_person":
            sentences.append(PHRASES[flow["kind"]][2].format(x=_party(flow, labels)))
    return "\n".join(sentences)
