"""資料3〜6 of a council packet read into a year's figures (drafts of council.YearFigure).

The tables come as text: one cell per line or several on a line, full-width digits, 「―」 for none,
organ names spaced out (「市 長」「選挙管理 / 委 員 会」) and broken over lines. The readers work on
tokens (NFKC, split at white space, 「13件21文書」 split into its counts), not on the seed's line breaks:

- 資料3: the 公文書公開 table (per 実施機関: 請求 受付件数・文書数・公開・部分公開・非公開・(うち不存在)・取下げ・
  公開率 two columns, and the 申出 row), the 保有個人情報開示 table (開示・部分開示・不開示・(うち不存在)・
  存否応答拒否・取下げ) and the 訂正等 counts (「…はありませんでした」 is 0);
- 資料4: one session per 「N人」, the participants summed;
- 資料5: 「label N件/者」 rows of the vocabulary (council.history);
- 資料6: 報告件数.

A value the packet prints as 「―」 is 0. Nothing here touches the database: ``Figure`` rows are staged by
council.services.year_figures_stage.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from mamori.council.history import measure
from mamori.council.models import FigureTopic
from mamori.council.packet_parts import Part, PartUnreadable, Reading

NONE_MARKS = ("―", "－", "-", "—", "‐", "ー", "─")
_COUNT = re.compile(r"^([0-9][0-9,]*)(件|文書|人|回|者)$")
_ABSENT = re.compile(r"^[（(]([0-9][0-9,]*)(?:件|文書)?[）)]$|^[（(][―－\-—‐ー─][）)]$")
_NUMBER = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?$")
_RUN = re.compile(r"[0-9][0-9,]*(?:件|文書|人|回|者)")


@dataclass
class Figure:
    topic: str
    measure: str
    organ: str  # "" = the total
    value: Decimal
    source_text: str

    @property
    def label(self) -> str:
        m = measure(self.topic, self.measure)
        return f"{FigureTopic(self.topic).label} {self.organ or '合計'} {m.label if m else self.measure}: {self.value.normalize():f}{m.unit if m else ''}"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _tokens(line: str) -> list[str]:
    """「市 長 13件21文書 5文書」 → ['市', '長', '13件', '21文書', '5文書']."""
    out = []
    for token in _norm(line).split():
        runs = _RUN.findall(token)
        out += runs if runs and "".join(runs) == token else [token]
    return out


def _is_none(token: str) -> bool:
    return token in NONE_MARKS


def _value(token: str) -> Decimal | None:
    if _is_none(token):
        return Decimal(0)
    m = _COUNT.match(token)
    if m:
        return Decimal(m.group(1).replace(",", ""))
    if _NUMBER.match(token):
        return Decimal(token.replace(",", ""))
    return None


def _is_value(token: str) -> bool:
    return _value(token) is not None or bool(_ABSENT.match(token))


def _organ(words: list[str]) -> str:
    name = "".join(words)
    return "" if name in ("合計", "計", "総計") else name


# A word of a table's header row, not of an organ's name: the organ is what stands just before the row's values.
_HEADER_WORD = re.compile(r"受付|公開|開示|取下|状況|機関|不存在|拒否|存否|応答|決定|率|^決$|^定$|^の$|^状$|^況$|請求$|申出$|^※")


@dataclass
class _Row:
    organ: str
    kind: str  # 請求 / 申出 / "" (a table without the column)
    values: list[str]
    text: str


def _rows(lines: list[str]) -> list[_Row]:
    """Organ, row kind and value tokens, whatever the line breaks."""
    rows: list[_Row] = []
    words: list[str] = []
    organ = ""
    current: _Row | None = None
    for line in lines:
        if _norm(line).startswith("※"):
            break
        for token in _tokens(line):
            if token in ("請求", "申出"):
                if words:
                    organ, words = _organ(words), []
                current = _Row(organ=organ, kind=token, values=[], text=line)
                rows.append(current)
            elif _is_value(token):
                if words:  # a table without 請求/申出: the organ's words end where its values start
                    organ, words = _organ(words), []
                    current = _Row(organ=organ, kind="", values=[], text=line)
                    rows.append(current)
                if current is not None:
                    current.values.append(token)
                    if line not in current.text:
                        current.text += "\n" + line
            elif _HEADER_WORD.search(token):
                words = []
            else:
                if current is not None and current.values and not words:
                    current = None  # the next organ's name begins
                words.append(token)
    return rows


def _assign(row: _Row, columns: tuple[str, ...], rates: int) -> dict[str, Decimal]:
    """The row's values by column: the 件 count first, the bare numbers at the end are the rates, a value
    in parentheses is うち不存在 (and is left out where the packet leaves it out, for 非公開 ―)."""
    values = list(row.values)
    out: dict[str, Decimal] = {}
    tail = []
    while rates and values and _NUMBER.match(values[-1]) and len(tail) < rates:
        tail.insert(0, _value(values.pop()))
    plain = [v for v in values if not _ABSENT.match(v)]
    absent = [v for v in values if _ABSENT.match(v)]
    if len(plain) != len(columns):
        raise PartUnreadable(f"{row.organ or '合計'}の{row.kind or '行'}の値が {len(plain)} 個で、表の列（{len(columns)} 列）と合いません")
    out.update({c: _value(v) for c, v in zip(columns, plain)})
    if absent:
        m = _ABSENT.match(absent[0])
        out["decided:absent"] = Decimal(m.group(1).replace(",", "")) if m.group(1) else Decimal(0)
    elif out.get("decided:refused") == 0:
        out["decided:absent"] = Decimal(0)
    for key, value in zip(("rate:full", "rate"), tail):
        out[key] = value
    return out


_DISCLOSURE_COLUMNS = ("received", "documents", "decided:full", "decided:partial", "decided:refused", "withdrawn")
_PERSONAL_COLUMNS = ("received", "documents", "decided:full", "decided:partial", "decided:refused", "decided:neither", "withdrawn")


def _section(lines: list[str], start: re.Pattern, stop: re.Pattern) -> list[str]:
    out, inside = [], False
    for line in lines:
        norm = _norm(line)
        if inside and stop.search(norm):
            break
        if not inside and start.search(norm):
            inside = True
            continue
        if inside:
            out.append(line)
    return out


def read_operations(part: Part) -> Reading:
    """資料3: the 公文書公開 and 保有個人情報開示 tables and the 訂正等 counts."""
    figures: list[Figure] = []
    warnings: list[str] = []
    lines = part.lines
    disclosure = _section(lines, re.compile(r"公文書公開請求.*受付件数"), re.compile(r"^※|保有個人情報"))
    for row in _rows(disclosure):
        if row.kind == "申出":
            first = _value(row.values[0]) if row.values else None
            if first is not None:
                figures.append(Figure(FigureTopic.DISCLOSURE, "offers", row.organ, first, row.text))
            continue
        try:
            values = _assign(row, _DISCLOSURE_COLUMNS, rates=2)
        except PartUnreadable as exc:
            warnings.append(f"公文書公開の表: {exc}。")
            continue
        figures += [Figure(FigureTopic.DISCLOSURE, k, row.organ, v, row.text) for k, v in values.items()]
    # The 保有個人情報 table: its header row names 開示 and 部分開示; it may stand after the 訂正等 paragraph.
    personal = _section(lines, re.compile(r"部分開示"), re.compile(r"^※|^資料|公文書公開|訂正等の請求"))
    for row in _rows(personal):
        try:
            values = _assign(row, _PERSONAL_COLUMNS, rates=0)
        except PartUnreadable as exc:
            warnings.append(f"保有個人情報開示の表: {exc}。")
            continue
        figures += [Figure(FigureTopic.PERSONAL, k, row.organ, v, row.text) for k, v in values.items()]
    correction = _section(lines, re.compile(r"訂正等の請求"), re.compile(r"^(市の機関|実施機関)|部分開示"))
    text = "".join(_norm(x) for x in correction)
    if correction and re.search(r"訂正請求等?は、?ありませんでした", text):
        sentence = next((x for x in correction if "ありませんでした" in x), correction[0])
        figures += [Figure(FigureTopic.CORRECTION, k, "", Decimal(0), sentence) for k in ("correction", "suspension")]
    else:
        for key, word in (("correction", "訂正請求"), ("suspension", "利用停止請求")):
            m = re.search(word + r"[^0-9。]{0,10}([0-9]+)件", text)
            if m:
                figures.append(Figure(FigureTopic.CORRECTION, key, "", Decimal(m.group(1)), m.group(0)))
    if not figures:
        raise PartUnreadable("".join(w.rstrip("。") for w in warnings[:3]) or "公文書公開・保有個人情報開示の表が見つかりませんでした")
    return Reading(drafts=figures, summary=f"{len(figures)}件の数値を読み取りました", warnings=warnings)


def read_training(part: Part) -> Reading:
    """資料4: each 「N人」 is one session's participants."""
    sessions = []
    for line in part.lines:
        m = re.search(r"([0-9][0-9,]*)人$", _norm(line).replace(" ", ""))
        if m and not _norm(line).startswith("※"):
            sessions.append((int(m.group(1).replace(",", "")), line))
    if not sessions:
        raise PartUnreadable("研修の参加者数（「〇人」）が見つかりませんでした")
    text = "\n".join(line for _, line in sessions)
    figures = [
        Figure(FigureTopic.TRAINING, "sessions", "", Decimal(len(sessions)), text),
        Figure(FigureTopic.TRAINING, "participants", "", Decimal(sum(n for n, _ in sessions)), text),
    ]
    return Reading(drafts=figures, summary=f"研修 {len(sessions)}回・{sum(n for n, _ in sessions)}人を読み取りました")


_OUTSOURCING_LABELS = (  # the longer label first: 「プライバシーマーク・ISMS認証 両方取得」 before 「プライバシーマーク」
    ("cert:both", r"プライバシーマーク・ISMS認証両方取得"),
    ("cert:pmark", r"プライバシーマーク(?:\(Pマーク\))?"),
    ("cert:isms", r"ISMS認証(?:\(ISO27001\))?"),
    ("cert:none", r"取得なし"),
    ("programs", r"業務を委託した事業数"),
    ("contractors", r"委託事業者数"),
    ("inspection:onsite", r"実地検査"),
    ("inspection:written", r"書面検査"),
    ("inspection:other", r"その他(?:の検査)?"),
)


def read_outsourcing(part: Part) -> Reading:
    figures, seen = [], set()
    for line in part.lines:
        compact = _norm(line).replace(" ", "")
        for key, label in _OUTSOURCING_LABELS:
            m = re.match(rf"^{label}([0-9][0-9,]*)(件|者)", compact)
            if m and key not in seen:
                seen.add(key)
                figures.append(Figure(FigureTopic.OUTSOURCING, key, "", Decimal(m.group(1).replace(",", "")), line))
                break
    if not figures:
        raise PartUnreadable("委託の件数（「業務を委託した事業数」など）が見つかりませんでした")
    return Reading(drafts=figures, summary=f"{len(figures)}件の数値を読み取りました")


def read_incidents(part: Part) -> Reading:
    text = [(_norm(x).replace(" ", ""), x) for x in part.lines]
    for i, (compact, line) in enumerate(text):
        if compact.startswith("報告件数"):
            for later, raw in [(compact[4:], line)] + text[i + 1:i + 3]:
                m = re.match(r"^[:：]?([0-9][0-9,]*)件", later)
                if m:
                    value = Decimal(m.group(1).replace(",", ""))
                    return Reading(drafts=[Figure(FigureTopic.INCIDENTS, "reports", "", value, f"{line}\n{raw}".strip())],
                                   summary=f"報告件数 {value}件を読み取りました")
    if any("ありませんでした" in c for c, _ in text):
        return Reading(drafts=[Figure(FigureTopic.INCIDENTS, "reports", "", Decimal(0), part.lines[-1])], summary="報告件数 0件を読み取りました")
    raise PartUnreadable("報告件数が見つかりませんでした")
