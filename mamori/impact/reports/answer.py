"""An impact answer as a document: CSV (UTF-8 with BOM, for Excel), XLSX and PDF (A4 landscape).
Built from the Answer dataclass only; the renderers never query."""
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.impact.selectors import Answer

COLUMNS = ("管理番号", "事務事業名", "担当", "経路", "記録項目", "要配慮個人情報", "個人番号", "本人の数", "契約（期間）")
WIDTHS = (20, 40, 40, 55, 50, 20, 14, 18, 20)  # mm of A4 landscape's 277
WIDTHS = tuple(round(w * 277 / sum(WIDTHS), 1) for w in WIDTHS)


def title(answer: Answer) -> str:
    return f"影響範囲（{answer.kind_label}：{answer.subject}、{wareki(answer.on)}現在）"


def summary(answer: Answer) -> list[str]:
    lines = [f"該当する事務事業 {len(answer.rows):,}件、本人の数の合計 {answer.total_persons:,}人（事務事業ごとに数えた延べ人数）"]
    if answer.unknown_counts:
        lines.append(f"本人の数が管理簿にない事務事業が{answer.unknown_counts}件あります（合計に含めていません）。")
    if answer.any_sensitive:
        lines.append("要配慮個人情報を含む事務事業があります。")
    if answer.any_my_number:
        lines.append("個人番号（特定個人情報）を含む事務事業があります。")
    lines += list(answer.notes)
    if answer.contact_units:
        lines.append("連絡先の担当：" + "、".join(answer.contact_units))
    return lines


def _contracts(row) -> str:
    return "\n".join(f"{c.title}（{c.contractor}、{wareki(c.starts_on)}〜{wareki(c.ends_on)}）" for c in row.contracts)


def body(answer: Answer) -> list[list]:
    return [[r.code, r.name, r.unit, r.path_label, "、".join(r.items), "、".join(r.sensitive_items) or "なし",
             "あり" if r.my_number else "なし", f"{r.person_count:,}" if r.person_count is not None else "不明", _contracts(r)]
            for r in answer.rows]


def table(answer: Answer) -> rendering.Table:
    return rendering.Table(widths=WIDTHS, head=[[rendering.Head(c) for c in COLUMNS]], body=body(answer),
                           align=("left",) * 7 + ("right", "left"), font_size=8.5)


def as_csv(answer: Answer) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in body(answer):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(value):
    """A cell of text never starts a formula in Excel (formula injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_xlsx(answer: Answer) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "影響範囲"
    rendering.xlsx_cell(ws, 1, 1, title(answer)).font = Font(bold=True, size=13)
    row = 2
    for line in summary(answer):
        rendering.xlsx_note(ws, row, line, len(COLUMNS))
        row += 1
    head_row = row + 1
    last = rendering.xlsx_table(ws, table(answer), head_row) - 1
    rendering.xlsx_page(ws, columns=len(COLUMNS), last_row=last, landscape=True, title_rows=(head_row, head_row))
    return rendering.xlsx_bytes(wb)


def as_pdf(answer: Answer) -> bytes:
    return rendering.pdf_from_template("impact/answer_pdf.html", {"title": title(answer), "summary": summary(answer), "t": table(answer)})


RENDERERS = {"csv": as_csv, "xlsx": as_xlsx, "pdf": as_pdf}


def file_name(answer: Answer, fmt: str) -> str:
    return f"影響範囲_{answer.subject}_{answer.on:%Y%m%d}.{fmt}".replace("/", "／")
