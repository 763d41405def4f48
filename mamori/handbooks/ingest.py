"""Reading a printed 資料7 back into a revision (for packet ingestion; pure text in, a draft out).

The layout read is the seed's (令和6年度第1回 資料7, as extracted from its PDF): a title line
「…の改訂について」, a lead paragraph wrapped over several lines that ends with the ordinance's dates
「（令和６年３月２５日公布・施行）」, then per handbook its title 「「個人情報保護制度の手引」」, the head
line 「該当ページ等 改訂前 改訂後」 and the rows. A row starts at 「５ページ」; the lines after it that
read 「第２条（定義）」「下から８行目」 complete its 該当ページ等; the lines that follow until the next row
are its two cells, either on one line (「改訂前 改訂後」, split where the two texts are most alike) or
wrapped over several (a cell's last line ends with a space in the extraction; the split is the one
that makes 改訂前 and 改訂後 most alike). Nothing here writes: ``revision_from_packet`` (services) does.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from mamori.core.calendar import parse_wareki
from mamori.handbooks.rules import REMOVED_ITEM, Row, comparable, display_width

PAGE = re.compile(r"^[0-9０-９]+ページ$")
POSITION = re.compile(r"^(?:(?:上|下)から[0-9０-９]+行目|第[0-9０-９一二三四五六七八九十百]+条.*|[0-9０-９]+行目)$")
# A location written on one line, perhaps with the cells after it: 「５ページ 下から８行目 次の…」.
LOCATION_HEAD = re.compile(r"^(?P<page>[0-9０-９]+ページ)(?P<rest>(?:[ \u3000\t]*(?:第[0-9０-９一二三四五六七八九十百]+条(?:（[^（）]{1,20}）)?|(?:上|下)から[0-9０-９]+行目))*)"
                           r"(?:[ \u3000\t]+(?P<cells>.*))?$")
LOCATION_PART = re.compile(r"第[0-9０-９一二三四五六七八九十百]+条(?:（[^（）]{1,20}）)?|(?:上|下)から[0-9０-９]+行目")
HANDBOOK_TITLE = re.compile(r"^「([^「」]+)」$")
HEAD = re.compile(r"^該当ページ等\s*改訂前\s*改訂後$")
DATES = re.compile(r"（([^（）]*?)公布(?:[・、]\s*)?([^（）]*?)施行）")
WHITESPACE_RUN = re.compile(r"[ \u3000]+")
REMOVED_TAIL = re.compile(r"^(.*?)[ \u3000]+(項目[（(].+?[）)]すべて削除)$")
EXCLUSION = re.compile(r"「([^「」]+)」を削除")
# The next document of a packet: 「資料８」「別紙１」, or the contract's 「…特記事項」 (the seed's next part).
NEXT_DOCUMENT = re.compile(r"^(?:(?:資料|別紙)[0-9０-９]+|.{0,30}特記事項)$")


@dataclass
class DraftTable:
    handbook: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class RevisionDraft:
    title: str = ""
    background: str = ""  # the lead's first sentence, before the dates
    reason: str = ""
    promulgated_on: object = None  # datetime.date
    enforced_on: object = None
    tables: list[DraftTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def handbooks(self) -> list[str]:
        return [t.handbook for t in self.tables]


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, comparable(a), comparable(b), autojunk=False).ratio()


def _split_line(text: str) -> tuple[str, str]:
    """One line holding both cells: 「次の 2つの機関については、 次の   機関については、」."""
    m = REMOVED_TAIL.match(text.strip())
    if m:
        return m.group(1).strip(), m.group(2)
    best = (-1.0, text.strip(), "")
    if "\t" in text.strip():  # a tab separates the two cells exactly (text copied from a table)
        before, _, after = text.strip().partition("\t")
        return before.strip(), after.strip()
    for run in WHITESPACE_RUN.finditer(text.strip()):
        before, after = text.strip()[:run.start()], text.strip()[run.end():]
        score = _similar(before, after)
        if score > best[0]:
            best = (score, before, after)
    return best[1], best[2]


def _join(lines: list[str]) -> str:
    """Wrapped cell lines → the cell's text (the blanks inside a line are kept: they mark removed words)."""
    return "".join(line.rstrip() for line in lines)


def _split_cells(lines: list[str]) -> tuple[str, str]:
    """A row's cell lines → (改訂前, 改訂後)."""
    if len(lines) == 1:
        return _split_line(lines[0])
    if REMOVED_ITEM.match(comparable(lines[-1])):
        return _join(lines[:-1]).strip(), lines[-1].strip()
    full = max(display_width(line.strip()) for line in lines)

    def score(k: int) -> float:
        ended = lines[k - 1] != lines[k - 1].rstrip()  # the extraction ends a cell's paragraph with a space
        short = display_width(lines[k - 1].strip()) < 0.9 * full  # a line the cell did not wrap
        return _similar(_join(lines[:k]), _join(lines[k:])) + 0.2 * ended + 0.2 * short

    k = max(range(1, len(lines)), key=score)
    return _join(lines[:k]).strip(), _join(lines[k:]).strip()


def _lead(lines: list[str], draft: RevisionDraft) -> None:
    text = "".join(line.strip() for line in lines)
    m = DATES.search(text)
    if not m:
        draft.background = text
        draft.warnings.append("条例の公布日・施行日（「（令和６年３月２５日公布・施行）」）が前文に見つかりません。")
        return
    draft.background = text[:m.start()].strip()
    promulgated = parse_wareki(m.group(1))
    draft.promulgated_on = promulgated
    draft.enforced_on = parse_wareki(m.group(2)) or promulgated
    excluded = EXCLUSION.search(draft.background)
    draft.reason = f"{excluded.group(1)}の実施機関からの除外" if excluded and "実施機関" in draft.background else draft.background[:200]


def read_revision_text(text: str) -> RevisionDraft:
    """A printed 資料7's text → handbook names, reason, dates and rows (the module's docstring says the layout)."""
    draft = RevisionDraft()
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").split("\n")
    i = 0
    lead: list[str] = []
    # The head: 資料７, the title, the lead paragraph, up to the first handbook's title.
    while i < len(lines):
        s = lines[i].strip()
        if HANDBOOK_TITLE.match(s) and i + 1 < len(lines) and any(HEAD.match(x.strip()) for x in lines[i + 1:i + 4] if x.strip()):
            break
        if s and not draft.title and "改訂" in s:
            draft.title = s
        elif s and draft.title:
            lead.append(s)
        i += 1
    _lead(lead, draft)
    table: DraftTable | None = None
    where: list[str] = []
    cells: list[str] = []

    def close_row():
        if table is not None and where:
            if cells:
                before, after = _split_cells(cells)
            else:
                before, after = "", ""
                draft.warnings.append(f"「{table.handbook}」の {' '.join(where)} の改訂前・改訂後が読めません。")
            table.rows.append(Row(" ".join(where), before, after))
        where.clear()
        cells.clear()

    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        i += 1
        if not s:
            if raw:  # a line of blanks only (not an empty one): the table's end
                close_row()
            continue
        if NEXT_DOCUMENT.match(s):
            break
        title = HANDBOOK_TITLE.match(s)
        if title and i < len(lines) and any(HEAD.match(x.strip()) for x in lines[i:i + 3] if x.strip()):
            close_row()
            table = DraftTable(title.group(1))
            draft.tables.append(table)
            continue
        if HEAD.match(s):
            continue
        if table is None:
            continue
        head = LOCATION_HEAD.match(s)
        if head and (PAGE.match(s) or head.group("rest")):
            close_row()
            where.append(head.group("page"))
            where.extend(LOCATION_PART.findall(head.group("rest") or ""))
            if head.group("cells"):
                cells.append(head.group("cells"))
            continue
        if where and not cells and POSITION.match(s):
            where.append(s)
            continue
        if where:
            cells.append(raw)
        else:  # text after a table that is not a row: the end of 資料7
            break
    close_row()
    if not draft.tables:
        draft.warnings.append("手引の名前（例えば「個人情報保護制度の手引」）と表の見出し「該当ページ等 改訂前 改訂後」が見つかりません。")
    return draft
