"""The 新旧対照表 (table of old and new text) as the city writes it: pure functions, no ORM.

No statute prescribes the table's form; these are the 朝霞市 office's conventions, read from the
seed packet's 資料7 (令和6年度第1回, 「個人情報保護制度の手引」及び「情報公開事務の手引」の改訂):

* **Where** (該当ページ等): 「５ページ 下から８行目」. A line is counted from the nearer end of its
  page: 上からM行目 when it is in the upper half, 下からM行目 when nearer the foot (a tie counts from
  the top). Only lines with text count; blank lines and the page-number line are not printed lines
  a reader counts. A line inside an article quoted in the handbook is counted from that article's
  first line instead, under its heading: 「５ページ 第２条（定義） 上から２行目」. An article starts at a
  line 「第N条 …」 (its caption 「（定義）」 on the line before) and ends at a blank line, a 【解説】-style
  heading or the next article.
* **What** (改訂前 / 改訂後): one row per changed line. Words removed from a line leave full-width
  blanks in 改訂後 where they stood (the printed edition keeps its line breaks); where words moved, the old
  words' cells are blank and the new words follow them (``padded``); the changed words
  are marked (underlined) in both columns, computed from the two texts (``marks``), so a row the
  office edits keeps its marks.
* **A whole removed item** (a heading 「（a）」「（２）」「（４）」 and the body under it) is one row:
  改訂前 is the heading line, 改訂後 「項目（a）すべて削除」.
* A line added where none stood is located at the line before it (「…行目」 of the old edition).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from mamori.core.calendar import fullwidth

BLANK = "\u3000"  # the full-width space that keeps a removed word's place
# A page marker in typed text: 「―― 5 ――」 (the page number printed at the page foot), or a form feed.
PAGE_MARKER = re.compile(r"^\s*[―—－\-─]{1,4}\s*([0-9０-９]{1,4})\s*[―—－\-─]{1,4}\s*$")
FORM_FEED = "\f"
# An item heading: （a） （２） （４） (a) (2) — the label a removed item is named by.
ITEM_HEADING = re.compile(r"^[\s\u3000]*[（(]([a-zA-Zａ-ｚＡ-Ｚ0-9０-９一二三四五六七八九十ア-ン]{1,3})[）)]")
ARTICLE = re.compile(r"^[\s\u3000]*(第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?)")
CAPTION = re.compile(r"^[\s\u3000]*([（(][^（()）]{1,20}[）)])[\s\u3000]*$")
SECTION_HEAD = re.compile(r"^[\s\u3000]*【")
REMOVED_ITEM = re.compile(r"^項目[（(](.+?)[）)]すべて削除$")
ALIGN_CELLS = 4000  # a changed block of more line pairs than this is paired in order (the likeness search is quadratic)
MOVED_RUN = 3  # an unchanged run shorter than this between two changes is taken as moved words, not a word kept in place
SIMILAR = 0.4  # two lines this alike (difflib ratio, blanks ignored) are one line changed, not one removed and one added


# ---------------------------------------------------------------- the text of an edition

@dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[str, ...]


def pages_from_text(text: str, *, first_page: int = 1) -> list[Page]:
    """Typed or pasted text → pages. A line 「―― 5 ――」 ends page 5 (the number printed at its foot);
    a form feed ends a page numbered one after the one before (the first is ``first_page``).
    Text after the last marker is one more page. Trailing blanks of a line are dropped."""
    pages: list[Page] = []
    lines: list[str] = []
    number = first_page

    def close(n: int) -> None:
        nonlocal lines, number
        pages.append(Page(n, tuple(lines)))
        lines, number = [], n + 1

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parts = raw.split(FORM_FEED)
        for k, part in enumerate(parts):
            if k:
                close(number)
            m = PAGE_MARKER.match(part)
            if m:
                close(int(unicodedata.normalize("NFKC", m.group(1))))
            else:
                lines.append(part.rstrip())
    if any(line.strip() for line in lines):
        close(number)
    return [p for p in pages if p.lines or len(pages) == 1]


def text_from_pages(pages: list[Page]) -> str:
    """Pages → the typed form (each page followed by its marker): what the edit form shows."""
    return "\n".join("\n".join(p.lines) + f"\n―― {p.number} ――" for p in pages)


def pages_to_json(pages: list[Page]) -> list[dict]:
    return [{"number": p.number, "lines": list(p.lines)} for p in pages]


def pages_from_json(data: list[dict]) -> list[Page]:
    return [Page(int(p["number"]), tuple(p.get("lines", ()))) for p in data or ()]


# ---------------------------------------------------------------- where a line stands

@dataclass(frozen=True)
class Line:
    text: str
    page: int
    top: int  # 1 = first line with text on the page
    bottom: int  # 1 = last line with text on the page
    article: str = ""  # 第２条（定義）
    article_line: int = 0  # 1 = the article's 第N条 line


def _key(text: str) -> str:
    """What two lines are compared by: NFKC, blanks removed."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def lines_of(pages: list[Page]) -> list[Line]:
    """The printed lines with text, each with its position (page, from the top and the bottom, article)."""
    out: list[Line] = []
    for page in pages:
        texts = [t for t in page.lines if t.strip()]
        article, at, caption = "", 0, ""
        kept = []
        for raw in page.lines:
            if not raw.strip():
                article, at = "", 0
                continue
            m = ARTICLE.match(raw)
            if m:
                article, at = f"{m.group(1)}{caption}", 0
            elif SECTION_HEAD.match(raw):
                article, at = "", 0
            cap = CAPTION.match(raw)
            caption = cap.group(1) if cap and not m else ""
            if article:
                at += 1
            kept.append((raw, article, at))
        for i, (raw, art, n) in enumerate(kept):
            out.append(Line(raw, page.number, i + 1, len(texts) - i, art, n))
    return out


def location(line: Line) -> str:
    """「５ページ 下から８行目」, 「５ページ 第２条（定義） 上から２行目」 (rule in the module's docstring)."""
    page = f"{fullwidth(line.page)}ページ"
    if line.article:
        return f"{page} {line.article} 上から{fullwidth(line.article_line)}行目"
    if line.bottom < line.top:
        return f"{page} 下から{fullwidth(line.bottom)}行目"
    return f"{page} 上から{fullwidth(line.top)}行目"


# ---------------------------------------------------------------- the rows

@dataclass(frozen=True)
class Row:
    location: str
    before: str
    after: str


def display_width(text: str) -> int:
    """Full-width cells a text takes: a half-width character is half a cell (rounded up)."""
    halves = sum(1 if unicodedata.east_asian_width(c) in ("Na", "H") else 2 for c in text)
    return (halves + 1) // 2


def _ops(a: str, b: str) -> list[list]:
    """The character alignment of two lines (difflib's opcodes, junk heuristics off: the longest common run is kept in
    place first). A removed (or added) run is slid as far right as the text allows: 「次の２つの機関」→「次の機関」
    removes 「２つの」, not 「の２つ」 (as the city blanks it). Changes that an unchanged run of fewer than ``MOVED_RUN``
    characters separates are one change, tagged ``"move"``: words that moved (「、議会及び土地開発公社」→「及び議会」
    keeps neither 「議会」 nor 「及び」 in place; the city blanks the old words and writes the new ones after them)."""
    ops = [list(op) for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]
    for k in range(len(ops) - 1):
        op, nxt = ops[k], ops[k + 1]
        if op[0] not in ("delete", "insert") or nxt[0] != "equal":
            continue
        text, start, end = (a, op[1], op[2]) if op[0] == "delete" else (b, op[3], op[4])
        shift = 0
        while end + shift < (nxt[2] if op[0] == "delete" else nxt[4]) and text[start + shift] == text[end + shift]:
            shift += 1
        if shift:
            if k and ops[k - 1][0] == "equal":
                ops[k - 1][2] += shift
                ops[k - 1][4] += shift
            else:
                ops.insert(k, ["equal", op[1], op[1] + shift, op[3], op[3] + shift])
                op, nxt = ops[k + 1], ops[k + 2]
            op[1] += shift
            op[2] += shift
            op[3] += shift
            op[4] += shift
            nxt[1] += shift
            nxt[3] += shift
    ops = [op for op in ops if op[1] != op[2] or op[3] != op[4]]
    merged: list[list] = []
    for k, op in enumerate(ops):
        island = (op[0] == "equal" and op[2] - op[1] < MOVED_RUN and k + 1 < len(ops) and ops[k + 1][0] != "equal")
        if merged and merged[-1][0] != "equal" and (op[0] != "equal" or island):
            merged[-1] = ["move", merged[-1][1], op[2], merged[-1][3], op[4]]
        else:
            merged.append(list(op))
    return merged


def padded(before: str, after: str) -> str:
    """改訂後 as the city prints it: removed words leave a full-width blank for every cell they took, where they stood
    (「次の２つの機関」→「次の　　　機関」); a replaced word is the new word, blanks filling what is left of the old one's
    width; where words moved and the new words are narrower, the old words' cells are all blank and the new words
    follow them (「委員会、議会及び土地開発公社」→「委員会」＋11 blanks＋「及び議会」, the seed's row), while new words as
    wide as the old (「三十日」→「十五日」) simply take their place. Trailing blanks are dropped."""
    out = []
    for op, i1, i2, j1, j2 in _ops(before, after):
        old, new = before[i1:i2], after[j1:j2]
        if op == "move" and display_width(new) < display_width(old):
            new = BLANK * display_width(old) + new
        elif op in ("delete", "replace"):
            new += BLANK * max(0, display_width(old) - display_width(new))
        out.append(new)
    return "".join(out).rstrip(BLANK)


def removed_item_label(line: str) -> str | None:
    """「（a）土地開発公社について」 → 「項目（a）すべて削除」; None for a line that is not an item heading."""
    m = ITEM_HEADING.match(line)
    return f"項目（{m.group(1)}）すべて削除" if m else None


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _key(a), _key(b), autojunk=False).ratio()


def _align(old: list[Line], new: list[Line]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of a changed block (old i ↔ new j when alike), the rest removed or added: the pairing
    with the most likeness (a small dynamic programme; blocks are a few lines)."""
    n, m = len(old), len(new)
    if n * m > ALIGN_CELLS:  # a page rewritten wholesale: line by line in order, the rest removed or added
        return [(i if i < n else None, i if i < m else None) for i in range(max(n, m))]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            r = _similar(old[i].text, new[j].text)
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + r if r >= SIMILAR else 0.0)
    pairs, i, j = [], 0, 0
    while i < n or j < m:
        if i < n and j < m:
            r = _similar(old[i].text, new[j].text)
            if r >= SIMILAR and best[i][j] == best[i + 1][j + 1] + r:
                pairs.append((i, j))
                i, j = i + 1, j + 1
                continue
        if i < n and (j == m or best[i][j] == best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


def _removed_rows(lines: list[Line]) -> list[Row]:
    """Removed lines: each item heading with the body under it is one row 「項目（a）すべて削除」; lines
    before the first heading are one row with an empty 改訂後."""
    rows, run = [], []

    def flush():
        if run:
            label = removed_item_label(run[0].text)
            rows.append(Row(location(run[0]), run[0].text.strip() if label else "\n".join(x.text.strip() for x in run), label or ""))
            run.clear()

    for line in lines:
        if removed_item_label(line.text):
            flush()
        run.append(line)
    flush()
    return rows


def revision_rows(old_pages: list[Page], new_pages: list[Page]) -> list[Row]:
    """The 新旧対照表 between two editions, in the old edition's order."""
    old, new = lines_of(old_pages), lines_of(new_pages)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, [_key(x.text) for x in old], [_key(x.text) for x in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed: list[Line] = []
        for a, b in _align(old[i1:i2], new[j1:j2]):
            if b is None:
                removed.append(old[i1 + a])
                continue
            rows.extend(_removed_rows(removed))
            removed = []
            if a is None:  # added: placed at the old line before it
                anchor = old[i1 - 1] if i1 else old[0] if old else None
                rows.append(Row(location(anchor) if anchor else f"{fullwidth(new[j1 + b].page)}ページ", "", new[j1 + b].text.strip()))
            else:
                before, after = old[i1 + a].text, new[j1 + b].text
                rows.append(Row(location(old[i1 + a]), before.strip(), padded(before.strip(), after.strip())))
        rows.extend(_removed_rows(removed))
    return rows


# ---------------------------------------------------------------- marks: which words changed

@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if not s.text:
            continue
        if out and out[-1].changed == s.changed:
            out[-1] = Segment(out[-1].text + s.text, s.changed)
        else:
            out.append(s)
    return out


def marks(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """改訂前 and 改訂後 cut into unchanged and changed pieces. A removed item's 改訂前 is changed whole; blanks
    that stand for removed words are marked in 改訂後 (an underlined gap shows where words were)."""
    if REMOVED_ITEM.match(_key(after)) or not after.strip():
        return _merge([Segment(before, bool(before))]), _merge([Segment(after, False)])
    if not before.strip():
        return [], _merge([Segment(after, True)])
    old, new = [], []
    for op, i1, i2, j1, j2 in _ops(before, after):
        old.append(Segment(before[i1:i2], op != "equal"))
        new.append(Segment(after[j1:j2], op != "equal"))
    return _merge(old), _merge(new)


def comparable(text: str) -> str:
    """What two printings of a cell are compared by (the seed's blanks are not reliably extracted)."""
    return _key(text)
