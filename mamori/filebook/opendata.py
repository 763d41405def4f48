"""The whole published register as open data: CSV (UTF-8 with BOM, for Excel), JSON and XLSX.

Built only from ``selectors.public_entries()`` (what the office published); the renderers never query.
The columns, their legal basis and the JSON shape are written in docs/file-register-schema.md so that
other bodies can publish theirs the same way; ``read_csv`` reads a file in that format back.

CSV cells: dates YYYY-MM-DD; あり／なし for the 旨 columns; several values in one cell (組織, 記録項目,
経常的提供先) separated by a line break inside the cell (an item name may itself contain 、 or ・).
"""
import csv
import datetime
import io
import json
from copy import copy
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mamori.core.rendering import xlsx_bytes, xlsx_cell
from mamori.filebook import rules
from mamori.filebook.selectors import PublicEntry, public_entry_dict

FORMAT = "mamori-file-register"
VERSION = 1
BODY = "地方公共団体名"
CODE = "ファイル番号"
COLUMNS = ((BODY, None), (CODE, None), *((f.label, f) for f in rules.ENTRY_FIELDS + rules.DATE_FIELDS))
YES, NO = "あり", "なし"
KIND_BY_LABEL = {label: key for key, label in rules.KIND_LABELS.items()}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _cell(field: rules.Field, value) -> str:
    if field.type == "list":
        return "\n".join(value)
    if field.type == "boolean":
        return YES if value else NO
    if field.type == "kind":
        return rules.KIND_LABELS[value]
    if field.type == "date":
        return value.isoformat() if value else ""
    return value or ""


def rows(entries: list[PublicEntry], body: str) -> list[list[str]]:
    """The table: a heading row, then one row per entry (the CSV and the XLSX sheet)."""
    out = [[label for label, _ in COLUMNS]]
    for e in entries:
        out.append([body, e.code, *(_cell(f, getattr(e, f.key)) for _, f in COLUMNS[2:])])
    return out


def render_csv(entries: list[PublicEntry], body: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(entries, body))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class FormatError(ValueError):
    """A CSV that is not in the register's format; the message says where, in Japanese."""


def _value(field: rules.Field, text: str, where: str):
    if field.type == "list":
        return tuple(v for v in text.split("\n") if v)
    if field.type == "boolean":
        if text not in (YES, NO):
            raise FormatError(f"{where}の「{field.label}」は「{YES}」か「{NO}」です（「{text}」）。")
        return text == YES
    if field.type == "kind":
        if text not in KIND_BY_LABEL:
            raise FormatError(f"{where}の「{field.label}」は{'・'.join(KIND_BY_LABEL)}のいずれかです（「{text}」）。")
        return KIND_BY_LABEL[text]
    if field.type == "date":
        try:
            return datetime.date.fromisoformat(text) if text else None
        except ValueError:
            raise FormatError(f"{where}の「{field.label}」は YYYY-MM-DD で書きます（「{text}」）。") from None
    return text


def read_csv(data: bytes) -> list[PublicEntry]:
    """Entries from a CSV in this format (the change history is not in the CSV: it comes back empty)."""
    text = data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    if not table or table[0] != [label for label, _ in COLUMNS]:
        raise FormatError("1行目の見出しが個人情報ファイル簿の形式（docs/file-register-schema.md）と違います。")
    out = []
    for n, row in enumerate(table[1:], start=2):
        where = f"{n}行目"
        if len(row) != len(COLUMNS):
            raise FormatError(f"{where}の列の数が{len(row)}で、見出しの{len(COLUMNS)}と違います。")
        values = {f.key: _value(f, cell, where) for (_, f), cell in zip(COLUMNS[2:], row[2:])}
        out.append(PublicEntry(code=row[1], **values, history=()))
    return out


def without_history(entries: list[PublicEntry]) -> list[PublicEntry]:
    return [replace(e, history=()) for e in entries]


def render_json(entries: list[PublicEntry], body: str, published_on: datetime.date) -> bytes:
    document = {"format": FORMAT, "version": VERSION, "schema": "docs/file-register-schema.md", "body": body,
                "published_on": published_on.isoformat(), "entries": [public_entry_dict(e) for e in entries]}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


WIDTHS = {BODY: 12, CODE: 10, "記録項目": 40, "個人情報ファイルの利用目的": 40, "記録情報の収集方法": 40, "記録情報の経常的提供先": 28}


WRAPPED = Alignment(wrap_text=True, vertical="top")


class _Style:
    """One cell style for many cells: set on the first through openpyxl's descriptors, copied to the rest as the
    cell's style array (openpyxl's own copy idiom). Setting a style object per cell makes openpyxl hash and
    compare it each time, which took most of a 5,000-entry register's publication."""

    def __init__(self, **styles):
        self.styles, self.array = styles, None

    def apply(self, cell) -> None:
        if self.array is None:
            for name, value in self.styles.items():
                setattr(cell, name, value)
            self.array = copy(cell._style)
        else:
            cell._style = copy(self.array)


def render_xlsx(entries: list[PublicEntry], body: str) -> bytes:
    """Two sheets: the register (one row per entry, the CSV's columns) and its change history."""
    wb = Workbook()
    ws = wb.active
    ws.title = "個人情報ファイル簿"
    head, body_style = _Style(alignment=WRAPPED, font=Font(bold=True)), _Style(alignment=WRAPPED)
    for r, values in enumerate(rows(entries, body), start=1):
        style = head if r == 1 else body_style
        for c, value in enumerate(values, start=1):
            style.apply(xlsx_cell(ws, r, c, value))
    for c, (label, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(label, 18)
    ws.freeze_panes = "C2"
    hs = wb.create_sheet("変更履歴")
    for c, label in enumerate(("ファイル番号", "個人情報ファイルの名称", "回", "種類", "年月日", "内容"), start=1):
        xlsx_cell(hs, 1, c, label).font = Font(bold=True)
    r = 2
    for e in entries:
        for change in e.history:
            for c, value in enumerate((e.code, change.name, change.number, change.kind_label, change.date.isoformat(), "\n".join(change.changes)), start=1):
                body_style.apply(xlsx_cell(hs, r, c, value))
            r += 1
    for c, width in enumerate((10, 30, 5, 8, 12, 60), start=1):
        hs.column_dimensions[get_column_letter(c)].width = width
    return xlsx_bytes(wb)


def render(fmt: str, entries: list[PublicEntry], body: str, published_on: datetime.date) -> bytes:
    if fmt == "csv":
        return render_csv(entries, body)
    if fmt == "json":
        return render_json(entries, body, published_on)
    if fmt == "xlsx":
        return render_xlsx(entries, body)
    raise ValueError(fmt)
