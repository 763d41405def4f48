"""Reading council materials and 届出書 (.txt, .pdf, .docx) into notification records.

The documents are what offices have: 審議会 packets (次第, 資料1 新規分, 資料2 変更分) and
single 届出書, often extracted from PDF with page numbers, wrapped lines and words
split across lines. The rules here are about the *form* of such documents (labels,
quoting, list labels, legal-entity names, particles and verbs), never about the
strings of one city's packet.

Pipeline: ``read_document`` (file → text, or a Japanese error) → ``parse`` (text →
``ParseResult``: the meeting in the header and one ``Extracted`` per 事務事業 block).
Nothing here writes to the database; ``mamori.register.importers.ingest`` does.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from mamori.core.calendar import parse_time, parse_wareki
from mamori.register.importers.limits import IngestError
from mamori.register.importers.readers import read_document

__all__ = ["IngestError", "parse", "read_document"]  # reading files: importers.readers, within importers.limits


# ---------------------------------------------------------------- cleaning

_PAGE_NUMBER = re.compile(r"^[\s\-－―ー‐]*[0-9０-９]{1,4}[\s\-－―ー‐]*$|^[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}$|^[（(]?\s*[0-9０-９]{1,4}\s*[)）]?$")
_MATERIAL = re.compile(r"^資\s*料\s*([0-9０-９]{1,2})\s*$")
_SPACES = re.compile(r"[ \t\u3000]+")


def clean_lines(text: str) -> list[str]:
    """Lines without page numbers, form feeds and surrounding blanks."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        line = raw.strip(" \t\u3000\u00a0")
        if not line or _PAGE_NUMBER.match(line):
            continue
        out.append(line)
    return out


def join_wrapped(lines: list[str]) -> str:
    """Lines broken by the layout, joined as one text (Japanese needs no space at a line break).

    A space is kept only between two Latin letters or digits, where the break stood for one.
    """
    text = ""
    for line in lines:
        if text and re.match(r"[A-Za-z0-9]$", text[-1]) and re.match(r"^[A-Za-z0-9]", line):
            text += " "
        text += line
    return text


def paragraphs(lines: list[str]) -> str:
    """Like join_wrapped, but a new paragraph where a line starts with a bullet or a numbered mark."""
    out: list[list[str]] = []
    for line in lines:
        open_quote = bool(out) and "".join(out[-1]).count("「") > "".join(out[-1]).count("」")  # a 「…」 the layout wrapped
        list_item = bool(out) and len(out[-1]) == 1 and _BULLET.match(out[-1][0]) and len(out[-1][0]) <= 28 and not re.search(r"[。、「」]", out[-1][0])
        if not out or (not open_quote and (_BULLET.match(line) or list_item
                                           or (out[-1][-1].endswith("。") and not line.startswith(("）", ")"))))):
            out.append([line])
        else:
            out[-1].append(line)
    return "\n".join(join_wrapped(p) for p in out)


_BULLET = re.compile(r"^(・|●|○|◆|■|□|※|【|[①-⑳]|[ⅰ-ⅹ]+[）)]|[（(][0-9０-９一二三四五六七八九十]+[）)]|[0-9０-９]+[.．、)）]|[ア-ン][.．、)）]|上記)")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# A list mark before a name: 「・転出先市町村」「①氏名」「(1) 氏名」「1. 氏名」「ア. 氏名」「ⅱ）氏名」.
_MARKS = re.compile(r"^(?:[・●○◆■□※]|[①-⑳]|[ⅰ-ⅹ]+[）)]|[（(][0-9０-９一二三四五六七八九十]{1,2}[）)]|[0-9０-９]{1,2}[.．、)）]|[ア-ン][.．、)）])\s*")


def strip_marks(name: str) -> str:
    """A name without the bullet or numbering a list put before it."""
    return _MARKS.sub("", name.strip(" 　")).strip(" 　")


_LIST_LEAD = re.compile(r"(項目|個人情報|情報|以下|次の?|下記)")


def listed_items(lines: list[str]) -> list[str]:
    """Names written as a list, one a line with a bullet or a number and no 「」 (「・転出先市町村」), after a line that
    introduces them (「次の記録項目を追加する。」「…外部提供する個人情報」): the 記録項目 of that list."""
    out: list[str] = []
    run: list[str] = []
    lead = previous = ""
    width = max((len(line) for line in lines), default=0)  # a line this long was wrapped by the layout
    for line in [*lines, ""]:
        name = strip_marks(line) if _MARKS.match(line) else None
        if name and len(name) <= 25 and not re.search(r"[「」。、，,：:]", name):
            run.append(name)
            previous = line
            continue
        if run and line and name is None and len(previous) >= width - 1 and len(run[-1] + line) <= 25 and not re.search(r"[「」。、，,：:]", line):
            run[-1] += line  # the rest of an item the layout wrapped
            previous = line
            continue
        if len(run) >= 2 and _LIST_LEAD.search(lead):
            out += [n for n in run if n not in out]
        run = []
        lead = line
    return out


# ---------------------------------------------------------------- structure

LABELS = {
    "name": re.compile(r"^(?:事\s*務\s*事\s*業\s*名|事\s*業\s*名)(?:\s+|[:：]\s*|$)(.*)$"),
    "reason": re.compile(r"^理\s*由\s*(?:及\s*び|と)\s*経\s*緯(?:\s+|[:：]\s*|$)(.*)$"),
    "content": re.compile(r"^内\s*容(?:\s+|[:：]\s*|$)(.*)$"),
    "department": re.compile(r"^(?:担\s*当|担\s*当\s*課|所\s*管\s*課)(?:\s+|[:：]\s*|$)(.*)$"),
}
_KIND_WORDS = (("廃止", "abolish"), ("新規", "new"), ("変更", "change"))
_FORM_KIND = re.compile(r"^(?:届出の種類|届出区分|区分)[:：\s]*(.*)$")
_CHECKED_KIND = re.compile(r"[■☑✓✔☒●]\s*(新規|変更|廃止)")


def _heading_kind(line: str) -> str | None:
    """A heading that names the kind of the blocks under it: 「…届出書（新規分の取りまとめ）」, 「【変更】」."""
    key = _key(line)
    if len(key) > 60:
        return None
    if not re.search(r"届出|取りまとめ|取まとめ|とりまとめ|分|【", key):
        return None
    for word, kind in _KIND_WORDS:
        if word in key:
            return kind
    return None


# OCR (importers.ocr) loses the space after a label: 「事務事業名人権啓発事業」「担当総務部人権庶務課人権庶務係」.
_NAME_GLUED = re.compile(r"^事\s*務\s*事\s*業\s*名(\S.*)$")
# (not 「担当者…」「担当窓口で受付」 of a wrapped sentence: no punctuation or particle, a level's suffix or a parenthesis
# somewhere, no kana at the end)
_DEPARTMENT_GLUED = re.compile(r"^担\s*当(?![者しさすせのをにがでとはもへ])(?=[^、。「」でをがに]*(?:部|局|課|室|係|所|館|センター|チーム|グループ|[（(]))"
                               r"([^、。「」でをがに]*[^、。「」ぁ-ん\s])$")


def _label(line: str) -> tuple[str, str] | None:
    for name, pattern in LABELS.items():
        m = pattern.match(line)
        if m:
            return name, m.group(1).strip()
    for name, pattern in (("name", _NAME_GLUED), ("department", _DEPARTMENT_GLUED)):
        m = pattern.match(line)
        if m:
            return name, m.group(1).strip()
    return None


@dataclass
class Department:
    division: str | None = None
    section: str | None = None
    unit: str | None = None
    team: str | None = None


@dataclass
class Extracted:
    kind: str
    program: str
    department: Department
    reason: str
    content: str
    items: list[str] = field(default_factory=list)
    reuse_sources: list[str] = field(default_factory=list)
    provided_to: list[str] = field(default_factory=list)
    contractors: list[str] = field(default_factory=list)
    online_partners: list[str] = field(default_factory=list)  # オンライン結合の相手 (no 委託先)
    uses_my_number: bool = False
    online_link: bool = False
    warnings: list[str] = field(default_factory=list)
    department_text: str = ""
    source_text: str = ""  # the block as found (cleaned lines), for the review screen
    reason_paragraphs: str = ""
    content_paragraphs: str = ""
    titles: list[str] = field(default_factory=list)  # quoted text recognised as a title, not an item
    form_names: list[str] = field(default_factory=list)  # 「…請求書」: a form's name, not an item unless the vocabulary has it

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "program": self.program,
            "department": asdict(self.department),
            "reason": self.reason,
            "content": self.content,
            "items": self.items,
            "reuse_sources": self.reuse_sources,
            "provided_to": self.provided_to,
            "contractors": self.contractors,
            "online_partners": self.online_partners,
            "uses_my_number": self.uses_my_number,
            "online_link": self.online_link,
            "warnings": self.warnings,
        }


@dataclass
class MeetingHeader:
    title: str | None = None
    fiscal_year: int | None = None
    number: int | None = None
    date: str | None = None
    time: str | None = None
    place: str | None = None
    council: str | None = None
    agenda: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


@dataclass
class ParseResult:
    source: str
    meeting: MeetingHeader | None
    notifications: list[Extracted]
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "meeting": self.meeting.as_json() if self.meeting else None,
            "notifications": [n.as_json() for n in self.notifications],
            "warnings": self.warnings,
        }

    def to_dict(self) -> dict:
        """Everything, for the way back from the child process that parsed it (importers.sandbox)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ParseResult:
        return cls(
            source=data["source"], meeting=MeetingHeader(**data["meeting"]) if data["meeting"] else None, warnings=data["warnings"],
            notifications=[Extracted(**(n | {"department": Department(**n["department"])})) for n in data["notifications"]],
        )


# ---------------------------------------------------------------- the header (次第)

_MEETING_TITLE = re.compile(r"(令和|平成)\s*(元|[0-9]{1,2})\s*年度\s*第\s*([0-9]{1,2})\s*回")
_AGENDA_ITEM = re.compile(r"^[（(]\s*([0-9]{1,2})\s*[)）]\s*(.+)$")


def parse_header(lines: list[str]) -> MeetingHeader | None:
    """The meeting named before the first 資料 or block: title, date, time, place, 議題."""
    head: list[str] = []
    for line in lines:
        if _MATERIAL.match(line) or _label(line):
            break
        head.append(line)
    header = MeetingHeader()
    for i, line in enumerate(head[:40]):
        norm = unicodedata.normalize("NFKC", line)
        m = _MEETING_TITLE.search(norm)
        if m and header.title is None:
            era, year, number = m.groups()
            start_year = {"令和": 2019, "平成": 1989}[era]
            header.fiscal_year = start_year + (0 if year == "元" else int(year) - 1)
            header.number = int(number)
            council = norm[m.end():].strip()
            if not council and i + 1 < len(head):
                council = unicodedata.normalize("NFKC", head[i + 1]).strip()
            council = re.sub(r"(会議)?次第$", "", council).strip()
            if "審議会" in council or "委員会" in council or "会議" in council:
                header.council = council
            header.title = f"{m.group(0).replace(' ', '')} {header.council}".strip() if header.council else m.group(0).replace(" ", "")
            continue
        if header.date is None and parse_wareki(norm):
            header.date = parse_wareki(norm).isoformat()
            continue
        if header.time is None and re.search(r"(午前|午後)?\s*[0-9]{1,2}\s*時", norm) and parse_time(norm):
            header.time = parse_time(norm).strftime("%H:%M")
            if i + 1 < len(head) and header.place is None:
                place = head[i + 1].strip()
                if not re.match(r"^[0-9０-９]", place):
                    header.place = _SPACES.sub(" ", place)
            continue
        agenda = _AGENDA_ITEM.match(norm)
        if agenda:
            header.agenda.append(agenda.group(2).strip())
    if header.title is None and header.date is None:
        return None
    return header


# ---------------------------------------------------------------- blocks


@dataclass
class _Block:
    kind: str | None
    material: int | None
    fields: dict = field(default_factory=lambda: {"name": [], "reason": [], "content": [], "department": []})
    lines: list[str] = field(default_factory=list)


def split_blocks(lines: list[str]) -> tuple[list[_Block], list[str]]:
    """Walk the lines: 資料N markers and headings set the kind; a block runs from its
    事務事業名 label to the end of its 担当."""
    blocks: list[_Block] = []
    warnings: list[str] = []
    kind: str | None = None
    material: int | None = None
    current: _Block | None = None
    active: str | None = None
    for line in lines:
        in_text = current is not None and active in ("reason", "content")
        form_kind = _FORM_KIND.match(line)
        checked = _CHECKED_KIND.search(line)
        if (form_kind or checked) and not in_text:
            value = checked.group(1) if checked else form_kind.group(1)
            for word, k in _KIND_WORDS:
                if word in value:
                    kind = k
                    if current is not None:
                        current.kind = k
                    break
            continue
        marker = _MATERIAL.match(line)
        heading = _heading_kind(line) if not in_text else None
        if marker or (heading and not _label(line)):
            if marker:
                material = int(unicodedata.normalize("NFKC", marker.group(1)))
                kind = None
            if heading:
                kind = heading
            current, active = None, None
            continue
        label = _label(line)
        if label:
            name, rest = label
            if name == "name":
                if current is not None and not current.fields["department"] and rest and "".join(current.fields["name"]) == rest:
                    # The block's heading row repeated at the top of a page (資料1・2 print 事務事業名 again when 内容
                    # runs on, as Word does with a repeated header row): the same block goes on where it was.
                    continue
                current = _Block(kind=kind, material=material)
                blocks.append(current)
            elif current is None:
                continue
            active = name
            if rest:
                current.fields[name].append(rest)
            current.lines.append(line)
            continue
        if current is None or active is None:
            continue
        if active == "department":
            dept = current.fields["department"]
            # 担当 is one line, or a team's line and its home section in parentheses, or either wrapped at any width.
            if not dept or _department_goes_on(dept, line):
                dept.append(line)
                current.lines.append(line)
                continue
            active = None
            continue
        current.fields[active].append(line)
        current.lines.append(line)
    return blocks, warnings


# ---------------------------------------------------------------- departments


def _department_goes_on(lines: list[str], line: str) -> bool:
    """Whether ``line`` continues the 担当 begun in ``lines``: its home section in parentheses, the rest of a
    name the layout broke (「…給付金支給プ」「ロジェクト・チーム」), or one more level (「人権庶務係」)."""
    if len(lines) >= 4 or len(line) > 60 or "。" in line:
        return False
    text = "".join(lines)
    if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        return True
    if line.startswith(("（", "(")):
        return True
    if not text.endswith(_DIVISION_END + _SECTION_END + _UNIT_END + ("）", ")")):
        return True  # the name was cut
    first = re.split(r"[\s（(]", line, maxsplit=1)[0]
    return bool(first) and first.endswith(_DIVISION_END + _SECTION_END + _UNIT_END) and len(first) <= 20


def join_department(lines: list[str]) -> str:
    """The 担当's lines as one: a level's name cut by the layout joined as it was, a space between whole levels."""
    text = ""
    for line in lines:
        if text and text.endswith(_DIVISION_END + _SECTION_END + _UNIT_END) and not line.startswith(("（", "(", "）", ")")):
            text += " "
        text += line
    return text


_DIVISION_END = ("部", "局", "本部", "事務局")
_SECTION_END = ("課", "室", "所", "館", "センター", "事務所", "園")
_UNIT_END = ("係", "担当", "グループ", "チーム")


def parse_department(text: str) -> tuple[Department, list[str]]:
    """「総務部 人権庶務課 人権庶務係」, a team with its home 「…チーム（福祉部 生活援護課 …係）」."""
    warnings = []
    text = _SPACES.sub(" ", text.strip())
    dept = Department()
    m = re.match(r"^(.*?)\s*[（(](.+)[）)]\s*$", text)
    home = text
    if m and m.group(1).strip():
        # 「…チーム（home）」, or the team's own division and section first: 「こども未来部 こども未来課 …チーム（home）」
        dept.team = m.group(1).split()[-1]
        home = m.group(2)
    tokens = []
    for token in (t for t in re.split(r"\s+", home.strip()) if t):  # levels written without spaces: split at their suffixes
        g = re.match(r"^(.+?[部局])?(.+?[課室所館])?(.+?係)?$", token)
        tokens += [t for t in g.groups() if t] if g and any(g.groups()) else [token]
    for token in tokens:
        if token.endswith(_UNIT_END) and dept.unit is None and dept.section is not None:
            dept.unit = token
        elif token.endswith(_DIVISION_END) and dept.division is None and dept.section is None:
            dept.division = token
        elif dept.section is None:
            dept.section = token
        elif dept.unit is None:
            dept.unit = token
        else:
            warnings.append(f"担当「{text}」の「{token}」がどの組織の階層か判断できませんでした。")
    if not tokens:
        warnings.append("担当が書かれていません。")
    return dept, warnings


# ---------------------------------------------------------------- the content

_QUOTE = re.compile(r"「([^「」]{1,200})」")
_ENTITY_PREFIX = r"(?:株式会社|有限会社|合同会社|合資会社|合名会社|㈱|㈲|\(株\)|（株）|公益財団法人|一般財団法人|公益社団法人|一般社団法人|社会福祉法人|特定非営利活動法人|ＮＰＯ法人|NPO法人|独立行政法人|地方独立行政法人|医療法人|学校法人|協同組合)"
_ENTITY_SUFFIX = r"(?:株式会社|有限会社|合同会社|㈱|㈲|\(株\)|（株）)"
_NAME_CHARS = r"[^\s、。，,（）()「」『』：:；;をにがはでとへやの及並]"
_CONTRACTOR = re.compile(
    rf"({_ENTITY_PREFIX}[^\s、。，,（）()「」『』：:；;]+|{_NAME_CHARS}+{_ENTITY_SUFFIX})"
)
# A name runs into the particle and verb that follow it: 「…サービスに外部委託する」.
_VERB_TAIL = re.compile(r"(?:に|へ|を|が|は|で|から|より|と)(?:外部|再)?(?:委託|提供|依頼|契約|収集|引き渡|引渡|実施|報告|送付|照会|通知|連携|し|す).*$")
_LIST_LABEL = re.compile(r"(目的外利用の?収集先|収集先|外部提供先|提供先|委託先|外部委託先|オンライン結合先|結合先)\s*[:：]\s*([^）)]+)")
# 「オンライン結合の相手として「A」」 「結合先に「A」」 「「A」とオンライン結合」
_ONLINE_TAIL = re.compile(r"(?:との間で|との|と)(?:オンライン)?結合.*$")
_ONLINE_PARTNER = re.compile(r"(?:結合の相手(?:先)?|結合先)(?:欄)?(?:として|に|は|を)?\s*「([^「」]+)」|「([^「」]+)」\s*と(?:の間で|の)?(?:オンライン)?結合")
_SENTENCE = re.compile(r"[^。\n]+。?")
_PROGRAM = re.compile(r"(事業|業務|事務)$")
_TITLE_HINT = re.compile(r"[0-9０-９、。]|^(令和|平成|昭和)|制度$|計画$|方針$|条例$|法$|規則$|要綱$|対策$")
_BODY_END = ("所", "署", "会", "県", "都", "道", "府", "市", "町", "村", "庁", "省", "機構", "連合", "センター", "施設", "協議会", "学校", "病院", "機関", "事務所", "金庫", "銀行", "組合")


def _is_program(text: str) -> bool:
    return bool(_PROGRAM.search(text)) and not _TITLE_HINT.search(text) and len(text) <= 30


def _is_title(text: str) -> bool:
    return bool(_TITLE_HINT.search(text)) or len(text) > 30


def _split_list(text: str) -> list[str]:
    parts = re.split(r"[、，,]|及び|並びに|ならびに", text)  # 「・」 is part of names (妊娠・出産…)
    return [p.strip(" 　「」") for p in parts if p.strip(" 　「」")]


def _add(target: list[str], value: str) -> None:
    value = strip_marks(value)
    if value and _key(value) not in {_key(v) for v in target}:
        target.append(value)


def _quoted_run_before(sentence: str, index: int) -> list[str]:
    """The quoted names joined by 及び/、/並びに/と that end at ``index`` (where から or に follows)."""
    names = []
    pos = index
    while True:
        m = re.search(r"「([^「」]+)」\s*$", sentence[:pos])
        if not m:
            break
        names.insert(0, m.group(1))
        before = sentence[: m.start()]
        j = re.search(r"(及び|並びに|、|と|，)\s*$", before)
        if not j:
            break
        pos = j.start()
    return names


# The name of a form or a document (申請書, 届, 通知書, 台帳 …), as a 「」 in the text: not a 記録項目 by its form.
_FORM_NAME = re.compile(r"(?:申請書|請求書|届出書|届書|届|通知書|証明書|決定書|報告書|確認書|同意書|契約書|依頼書|様式|台帳|名簿|一覧表|票)$")
# 「A」（以下「B」という。）: B stands for A in the rest of the text.
_ALIAS = re.compile(r"「?([^「」（）()、。]{2,60}?)」?\s*[（(]以下[、,]?「([^「」]{1,30})」という。?[）)]")


def form_name_warning(name: str) -> str:
    return f"「{name}」は書類・様式の名前と読み、記録項目に含めていません。記録項目であれば追加してください。"


def _resolve_aliases(reason: str, content: str) -> tuple[str, str]:
    """A recipient named once in full and then by its short name (「以下「広域連合」という。」): the short name
    written out, so that it is recorded once, under its full name."""
    aliases = {m.group(2): m.group(1) for text in (reason, content) for m in _ALIAS.finditer(text)}
    if not aliases:
        return reason, content

    def resolve(text: str) -> str:
        text = re.sub(r"\s*[（(]以下[、,]?「[^「」]{1,30}」という。?[）)]", "", text)
        for alias, name in aliases.items():
            prefix = name[: -len(alias)] if name.endswith(alias) and len(name) > len(alias) else ""
            pattern = (rf"(?<!{re.escape(prefix[-1])})" if prefix else "") + rf"「?{re.escape(alias)}」?"
            text = re.sub(pattern, lambda m, name=name: name if not m.group(0).startswith("「") else f"「{name}」", text)
        return text

    return resolve(reason), resolve(content)


def extract(reason: str, content: str) -> dict:
    """Items, 目的外利用 sources, recipients, contractors and the flags from the block's text."""
    out = {"items": [], "reuse_sources": [], "provided_to": [], "contractors": [], "online_partners": [], "titles": [], "form_names": [],
           "warnings": []}
    reason, content = _resolve_aliases(reason, content)
    texts = [content, reason]
    roles: dict[str, str] = {}  # quoted text key → role decided by its context

    for text in texts:
        # Lists behind a label: （目的外利用の収集先：A、B） （外部提供先：C、D）
        for m in _LIST_LABEL.finditer(text):
            label, values = m.group(1), _split_list(m.group(2))
            target = ("reuse_sources" if "収集先" in label else "contractors" if "委託" in label
                      else "online_partners" if "結合" in label else "provided_to")
            for value in values:
                _add(out[target], value)
                roles[_key(value)] = target
        # オンライン結合 keeps its kind: a body named in a sentence about the 結合 (and not about a 委託)
        # is the 結合の相手, not a 委託先 — 「オンライン結合の相手として「一般社団法人…」を追加」.
        for sentence in _SENTENCE.findall(text):
            if "オンライン結合" not in sentence or "委託" in sentence:
                continue
            names = [m.group(1) or m.group(2) for m in _ONLINE_PARTNER.finditer(sentence)]
            names += [_VERB_TAIL.sub("", _ONLINE_TAIL.sub("", c.strip())) for c in _CONTRACTOR.findall(sentence)]
            for name in names:
                name = name.strip(" 　「」")
                if len(_key(name)) > 1 and _key(name) not in roles and not _is_title(name):
                    _add(out["online_partners"], name)
                    roles[_key(name)] = "online_partners"
        for contractor in _CONTRACTOR.findall(text):
            contractor = _VERB_TAIL.sub("", _ONLINE_TAIL.sub("", contractor.strip()))
            if roles.get(_key(contractor)) == "online_partners":
                continue
            if len(_key(contractor)) > 4:
                _add(out["contractors"], contractor)
                roles[_key(contractor)] = "contractors"
        for sentence in _SENTENCE.findall(text):
            reuse = "目的外利用" in sentence
            provide = "提供" in sentence
            outsource = "委託" in sentence
            # 「A」から目的外利用 / 「A」及び「B」から… / 収集先に「A」を追加
            for m in re.finditer(r"」\s*から", sentence):
                for name in _quoted_run_before(sentence, m.start() + 1):
                    if reuse and _is_program(name):
                        _add(out["reuse_sources"], name)
                        roles[_key(name)] = "reuse_sources"
            for m in re.finditer(r"収集先(?:欄)?に\s*(?:[^「」、。]{0,12}の)?「([^「」]+)」", sentence):
                if _is_program(m.group(1)):
                    _add(out["reuse_sources"], m.group(1))
                    roles[_key(m.group(1))] = "reuse_sources"
            if provide:
                # 提供先(欄)に「A、B」を追加 / 「A」に提供 / 「A」に「x」を提供 / …を A に提供
                for m in re.finditer(r"提供先(?:欄)?に\s*「([^「」]+)」", sentence):
                    for value in _split_list(m.group(1)):
                        _add(out["provided_to"], value)
                        roles[_key(value)] = "provided_to"
                for m in re.finditer(r"「([^「」]+)」\s*(?:に|へ)(?!より|よる|おいて|ついて|係る|関する|基づ|対し)", sentence):
                    name = m.group(1)
                    tail = sentence[m.end():]
                    if _key(name) in roles or not re.search(r"提供", tail):
                        continue
                    if _is_program(name) or name.endswith(_BODY_END) or re.search(r"[（(].+[）)]$", name):
                        _add(out["provided_to"], name)
                        roles[_key(name)] = "provided_to"
                unquoted = (
                    r"(?:^|を|、)\s*([^「」、。を]{2,40}?)\s*(?:に|へ)(?:情報を|個人情報を)?(?:外部)?提供",  # …を A に提供
                    r"(?:^|、)\s*([^「」、。を]{2,40}?)\s*(?:に|へ)「[^。]*?」を(?:外部)?提供",  # A に「x」を提供
                )
                for m in (m for pattern in unquoted for m in re.finditer(pattern, sentence.strip())):
                    name = m.group(1).strip()
                    if "「" in name or "」" in name or re.search(r"(ため|場合|上|とき|際)$", name):
                        continue
                    if name.endswith(_BODY_END) or _is_program(name):
                        _add(out["provided_to"], name)
                        roles[_key(name)] = "provided_to"
            if outsource:
                for m in re.finditer(r"「([^「」]+)」\s*(?:に|へ)(?:[^。]{0,10})委託", sentence):
                    if _key(m.group(1)) not in roles and not _is_title(m.group(1)):
                        _add(out["contractors"], m.group(1))
                        roles[_key(m.group(1))] = "contractors"

    # Every other quoted text: an item, unless its form says it is something else.
    for text in texts:
        for m in _QUOTE.finditer(text):
            quoted = m.group(1).strip()
            key = _key(quoted)
            if key in roles:
                continue
            if _is_title(quoted):
                _add(out["titles"], quoted)
                roles[key] = "titles"
            elif _is_program(quoted):
                roles[key] = "program"
                out["warnings"].append(f"事務事業「{quoted}」が書かれていますが、目的外利用の収集元か提供先か判断できませんでした。")
            elif re.match(_ENTITY_PREFIX, quoted) or re.search(_ENTITY_SUFFIX + "$", quoted):
                _add(out["contractors"], quoted)
            elif "、" in quoted:
                out["warnings"].append(f"「{quoted}」は項目名としては長く、読点を含むため項目に含めていません。")
            elif _FORM_NAME.search(quoted):
                # 「過誤納金還付請求書」: a form's or document's name, not a 記録項目 — unless the item vocabulary knows it
                # (importers.ingest checks, outside this sandboxed parse); flagged, not guessed.
                _add(out["form_names"], quoted)
                roles[key] = "form_names"
                out["warnings"].append(form_name_warning(quoted))
            else:
                _add(out["items"], quoted)
    whole = unicodedata.normalize("NFKC", reason + content)
    out["uses_my_number"] = bool(re.search(r"マイナンバー|個人番号|特定個人情報", whole))
    out["online_link"] = "オンライン結合" in whole
    return out


# ---------------------------------------------------------------- the whole document


def parse(text: str, source: str = "") -> ParseResult:
    lines = clean_lines(text)
    header = parse_header(lines)
    blocks, warnings = split_blocks(lines)
    notifications = []
    for i, block in enumerate(blocks, start=1):
        name = join_wrapped(block.fields["name"]).strip()
        block_warnings = []
        if not name:
            block_warnings.append(f"{i}件目の事務事業名が読み取れませんでした。")
        kind = block.kind
        if kind is None:
            kind = {1: "new", 2: "change"}.get(block.material or 0)
        if kind is None:
            kind = "new"
            block_warnings.append("新規・変更・廃止のどれか判断できなかったため「新規」としました。確認してください。")
        for label, key in (("理由及び経緯", "reason"), ("内容", "content"), ("担当", "department")):
            if not block.fields[key]:
                block_warnings.append(f"「{name or i}」の{label}が見つかりません。")
        department_text = join_department(block.fields["department"])
        department, dept_warnings = parse_department(department_text) if department_text else (Department(), [])
        reason, content = join_wrapped(block.fields["reason"]), join_wrapped(block.fields["content"])
        # Extracted from the paragraphs (a list's lines kept apart, so a sentence never runs across a bullet).
        found = extract(paragraphs(block.fields["reason"]), paragraphs(block.fields["content"]))
        for listed in listed_items(block.fields["content"]) + listed_items(block.fields["reason"]):
            if _key(listed) not in {_key(i) for i in found["items"]}:
                found["items"].append(listed)
        notifications.append(
            Extracted(
                kind=kind, program=name, department=department, reason=reason, content=content,
                items=found["items"], reuse_sources=found["reuse_sources"], provided_to=found["provided_to"],
                contractors=found["contractors"], online_partners=found["online_partners"], uses_my_number=found["uses_my_number"], online_link=found["online_link"],
                warnings=block_warnings + dept_warnings + found["warnings"], department_text=department_text,
                source_text="\n".join(block.lines), reason_paragraphs=paragraphs(block.fields["reason"]),
                content_paragraphs=paragraphs(block.fields["content"]), titles=found["titles"], form_names=found["form_names"],
            )
        )
    if not notifications:
        warnings.append("事務事業のブロック（「事務事業名」「理由及び経緯」「内容」「担当」）が見つかりませんでした。")
    return ParseResult(source=source, meeting=header, notifications=notifications, warnings=warnings)
