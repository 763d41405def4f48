"""What contractor supervision contributes to core's registries: 資料5 (and the 別紙 様式 the packet prints after it), export/import sections, integrity
checks, the home page's entries (contracts with a warning, findings past due, certifications to follow), and how
an inspection's checklist and a form's contents read in the audit log."""
from mamori.core import audit, integrity, transfer, worklist
from mamori.core.reports import register_annex, register_annual
from mamori.outsourcing import reports, selectors
from mamori.outsourcing.integrity import contracts
from mamori.outsourcing.rules import CHECKLIST, RESULTS
from mamori.outsourcing.transfer_sections import ContractorsSection, ContractsSection, ProvisionsSection

# 別紙3 受注業務に係る個人情報の預かり書: the keys of FormReceipt.details (forms.ReceiptForm).
RECEIPT_DETAILS = {"name": "個人情報の名称", "media": "記録の媒体", "media_other": "その他の媒体", "place": "保管場所",
                   "return_on": "返還（消去・廃棄）予定日"}


def _answer(entry: dict) -> str:
    if not entry:
        return audit.EMPTY
    text = RESULTS.get(entry.get("result"), "（未回答）")
    return f"{text}（{entry['comment']}）" if entry.get("comment") else text


def checklist_in_words(before, after) -> list[tuple[str, str, str]]:
    """別紙4: each item answered 適・否・該当なし, with its comment."""
    before, after = before or {}, after or {}
    rows = []
    for number, title, _, _ in CHECKLIST:
        old, new = before.get(str(number)) or {}, after.get(str(number)) or {}
        if old != new:
            rows.append((f"点検結果・{number} {title}", _answer(old), _answer(new)))
    return rows


def receipt_details_in_words(before, after) -> list[tuple[str, str, str]]:
    before, after = before or {}, after or {}
    return [(f"記載内容・{RECEIPT_DETAILS.get(key, key)}", audit.value_text(None, before.get(key)), audit.value_text(None, after.get(key)))
            for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]


def register() -> None:
    register_annual(reports.REPORT)
    for annex in reports.ANNEXES:
        register_annex(reports.REPORT.key, annex)
    integrity.register_checks(contracts)
    transfer.register_sections(ContractorsSection, ContractsSection, ProvisionsSection)
    audit.register_describer("outsourcing.Inspection", "results", checklist_in_words)
    audit.register_describer("outsourcing.FormReceipt", "details", receipt_details_in_words)
    worklist.register_worklist(selectors.worklist)
