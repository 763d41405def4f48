"""Suggested boxes: the rules of rules.py run over each page's text, placed on the page (one box per line)."""
from collections.abc import Sequence
from dataclasses import dataclass

from mamori.core.redaction import reading, rules
from mamori.core.redaction.geometry import Box

PAD = 0.5  # points around the characters found


@dataclass(frozen=True)
class Suggestion:
    kind: str  # name, address, phone, email, birthdate, mynumber, term (rules.KIND_LABELS)
    text: str  # as on the page (personal data: show it, never log it)
    page: int  # 1-based
    rect: tuple[float, float, float, float]  # x0, top, x1, bottom, display points
    term: str = ""  # for kind "term": the request's term as given (the text found may differ in spaces, case, lines)

    @property
    def label(self) -> str:
        return rules.KIND_LABELS[self.kind]

    def to_box(self, article: str) -> Box:
        return Box(self.page, *self.rect, article=article)


LINE_BREAK, GAP = -1, -2  # page_text's positions that are no character of the page
GAP_EM = 0.2  # a gap wider than this (in font sizes) on a line is a space: one left as positioning, a table cell


def page_text(chars) -> tuple[str, list[int]]:
    """The page's text, normalized, "\\n" between lines, a space in a wide gap on a line (the next cell of a
    table), and for each position the index of its character (LINE_BREAK, GAP)."""
    parts, index = [], []
    for i, c in enumerate(chars):
        if i and not reading.same_line(chars[i - 1], c):
            parts.append("\n")
            index.append(LINE_BREAK)
        elif i and c.flow[0] - chars[i - 1].flow[2] > GAP_EM * max(c.size, chars[i - 1].size) and not c.text.isspace():
            parts.append(" ")
            index.append(GAP)
        parts.append(c.text)
        index.append(i)
    return rules.normalize("".join(parts)), index


def on_page(chars, page: int, terms: Sequence[str] = ()) -> list[Suggestion]:
    text, index = page_text(chars)
    out = []
    for kind, start, end in rules.find(text, terms):
        term = rules.which_term(text[start:end], terms) if kind == "term" else ""
        line: list = []
        lines = [line]
        for pos in range(start, end):
            i = index[pos]
            if i == LINE_BREAK:
                line = []
                lines.append(line)
            elif i == GAP:
                continue
            elif not chars[i].text.isspace():
                line.append(chars[i])
        for group in lines:
            if group:
                rect = (min(c.x0 for c in group) - PAD, min(c.top for c in group) - PAD,
                        max(c.x1 for c in group) + PAD, max(c.bottom for c in group) + PAD)
                out.append(Suggestion(kind, "".join(c.text for c in group), page, rect, term))
    return out


def suggest(pdf: bytes, *, terms: Sequence[str] = ()) -> list[Suggestion]:
    """Boxes to suggest on every page: names, addresses, phone numbers, e-mail addresses, dates of birth,
    マイナンバー (check digit verified) and every occurrence of the request's own ``terms``."""
    out = []
    with reading.opened(pdf) as doc:
        for n in range(len(doc)):
            page = doc[n]
            out += on_page(reading.chars(page, detail=False), n + 1, terms)
            page.close()
    return out
