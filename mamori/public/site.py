"""The public 個人情報ファイル簿 site (法第75条第1項, 施行令第20条第5項) as a set of static files.

Built only from the filebook's public data contract — ``public_entries(include_deleted=True)``,
``public_history()``, ``opendata.render`` — and the city's settings (name, fees, decision period);
nothing internal reaches it. ``load()`` is the one function that reads the database; ``Site`` turns
what it read into files, one path at a time (the app's preview serves single pages, ``publish``
writes them all). Every link is relative, so the site works from ``file://`` and from any folder of
the internet web server. The same data gives the same bytes, except the generated-at line of the
index page (the office archives, the web server keeps only the newest copy).

Layout:
    index.html                 search (script over assets/search-index.js) and the way in
    list.html                  every entry, by 実施機関 and 組織 (no script needed)
    files/F00001.html          one page per file, stable; a deleted entry keeps its page as a 消除 notice
    request/F00001.html        「この個人情報の開示を請求する」: the procedure, the office, the fees
    request/F00001.pdf|docx    the pre-filled 保有個人情報開示請求書
    data/index.html            bulk downloads (CSV with BOM, JSON, XLSX) and data/schema.html
    feed.xml                   Atom feed of the published acts (作成・変更・消除)
    assets/                    tokens.css (Digital Agency design tokens), site.css, search.js
"""
import datetime
import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from django.template.loader import render_to_string
from django.utils import timezone
from markdown_it import MarkdownIt

from mamori.core.calendar import wareki
from mamori.core.models import MunicipalSettings
from mamori.filebook import opendata, selectors
from mamori.filebook import rules as filebook_rules
from mamori.filebook.selectors import PublicChange, PublicEntry
from mamori.public import rules
from mamori.public.reports import request_form

ROOT = Path(__file__).resolve().parents[2]
TOKENS = ROOT / "mamori" / "core" / "static" / "vendor" / "tokens.css"
STATIC = Path(__file__).resolve().parent / "static" / "public"
SCHEMA = ROOT / "docs" / "file-register-schema.md"
DATA_NAME = "file-register"
FEED_ENTRIES = 100  # the newest published acts in the feed; the full history is on each file's page and in the JSON
# The forms change when their renderer or its rules do: part of the key under which a publication reuses a form.
FORM_SOURCES = (Path(request_form.__file__), Path(rules.__file__))


@dataclass(frozen=True)
class SiteData:
    body: str  # 地方公共団体名
    entries: tuple[PublicEntry, ...]  # every published entry, deleted ones included, by code
    history: tuple[PublicChange, ...]  # every published act, newest first
    fees: rules.Fees
    request_days: int  # 法第83条第1項 (法第108条: the city's period)
    generated_at: datetime.datetime
    schema_md: str = ""


def load(now: datetime.datetime | None = None) -> SiteData:
    """What the public site shows, read through the filebook's public contract and the city's settings."""
    s = MunicipalSettings.current()
    return SiteData(
        body=s.name, entries=tuple(selectors.public_entries(include_deleted=True)), history=tuple(selectors.public_history()),
        fees=rules.Fees(s.personal_request_fee, s.copy_fee_monochrome, s.copy_fee_colour), request_days=s.personal_request_days,
        generated_at=timezone.localtime(now or timezone.now()), schema_md=SCHEMA.read_text(encoding="utf-8") if SCHEMA.is_file() else "",
    )


# ---------------------------------------------------------------- deterministic office files

def _fixed_zip(data: bytes, when: datetime.date) -> bytes:
    """A DOCX/XLSX (a ZIP) whose bytes depend only on its content: every member dated ``when``, and the
    document properties' created/modified set to it (python-docx and openpyxl write the clock there)."""
    stamp = f"{when.isoformat()}T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            member = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, content)
    return out.getvalue()


FORM_DATE = datetime.date(2000, 1, 1)  # the forms' file dates: a form's bytes depend on its content alone


def form_version() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in FORM_SOURCES)).hexdigest()[:16]


# ---------------------------------------------------------------- the site


@dataclass(frozen=True)
class Row:
    label: str
    basis: str
    text: str = ""
    items: tuple[str, ...] | None = None  # a list field


def entry_rows(e: PublicEntry) -> list[Row]:
    """The entry field by field, with the statute's heading and article (docs/file-register-schema.md)."""
    out = []
    for f in filebook_rules.ENTRY_FIELDS:
        value = getattr(e, f.key)
        if f.type == "list":
            out.append(Row(f.label, f.basis, "なし" if not value else "", tuple(value) or None))
        else:
            out.append(Row(f.label, f.basis, filebook_rules.shown(f, value)))
    return out


@dataclass
class Site:
    data: SiteData
    reuse: Callable[[str, str], bytes | None] = lambda path, key: None  # a form built before, if its key is the same
    preview: bool = False  # inside the app: a banner says so
    keys: dict = field(default_factory=dict)  # form path → key, for the manifest

    def __post_init__(self):
        self.by_code = {e.code: e for e in self.data.entries}
        self.listed = [e for e in self.data.entries if not e.deleted]
        self.deleted = [e for e in self.data.entries if e.deleted]
        self.last_change = self.data.history[0].date if self.data.history else self.data.generated_at.date()
        self._form_version = form_version()
        self._docx_forms: request_form.DocxForms | None = None

    # -------------------------------------------------------------- what there is

    def paths(self) -> list[str]:
        out = ["index.html", "list.html", "feed.xml", "data/index.html", "data/schema.html", "data/file-register-schema.md",
               *(f"data/{DATA_NAME}.{fmt}" for fmt in ("csv", "json", "xlsx")),
               "assets/tokens.css", "assets/site.css", "assets/search.js", "assets/search-index.js"]
        for e in self.data.entries:
            out.append(f"files/{e.code}.html")
            if not e.deleted:
                out += [f"request/{e.code}.html", f"request/{e.code}.pdf", f"request/{e.code}.docx"]
        return sorted(out)

    def render(self, path: str) -> bytes | None:
        """The file at ``path``, or None when the site has no such file."""
        fixed = {
            "index.html": self.index, "list.html": self.list_page, "feed.xml": self.feed, "data/index.html": self.data_page,
            "data/schema.html": self.schema_page, "assets/search-index.js": self.search_index,
        }
        if path in fixed:
            return fixed[path]()
        if path == "data/file-register-schema.md":
            return self.data.schema_md.encode("utf-8")
        if path.startswith("data/") and path.count(".") == 1:
            stem, fmt = path[5:].split(".")
            if stem == DATA_NAME and fmt in opendata.MEDIA_TYPES:
                return self.download(fmt)
        if path == "assets/tokens.css":
            return TOKENS.read_bytes()
        if path in ("assets/site.css", "assets/search.js"):
            return (STATIC / path.split("/")[1]).read_bytes()
        m = re.fullmatch(r"(files|request)/([A-Za-z0-9_-]+)\.(html|pdf|docx)", path)
        if m:
            folder, code, ext = m.groups()
            e = self.by_code.get(code)
            if e is None or (folder == "files" and ext != "html") or (folder == "request" and e.deleted):
                return None
            if folder == "files":
                return self.file_page(e)
            return self.request_page(e) if ext == "html" else self.form(e, ext)
        return None

    # -------------------------------------------------------------- pages

    def _page(self, template: str, depth: int, **context) -> bytes:
        root = "../" * depth
        return render_to_string(template, {"root": root, "body": self.data.body, "preview": self.preview, **context}).encode("utf-8")

    def index(self) -> bytes:
        generated = f"{wareki(self.data.generated_at.date())} {self.data.generated_at:%H:%M}"
        return self._page("public/site/index.html", 0, section="search", listed=len(self.listed), deleted=len(self.deleted), last_change=self.last_change,
                          recent=self.data.history[:10], generated=generated, fields=SEARCH_FIELDS)

    def list_page(self) -> bytes:
        organs: dict[str, list[PublicEntry]] = {}
        for e in sorted(self.listed, key=lambda e: (e.units[:1], e.code)):
            organs.setdefault(e.organ, []).append(e)
        groups = [{"organ": organ, "anchor": f"organ-{i}", "entries": entries} for i, (organ, entries) in enumerate(organs.items(), start=1)]
        return self._page("public/site/list.html", 0, section="list", groups=groups, deleted=self.deleted, listed=len(self.listed))

    def file_page(self, e: PublicEntry) -> bytes:
        return self._page("public/site/file.html", 1, e=e, rows=entry_rows(e), history=e.history)

    def request_page(self, e: PublicEntry) -> bytes:
        return self._page("public/site/request.html", 1, e=e, fees=rules.fee_lines(self.data.fees), decision=rules.decision_lines(self.data.request_days),
                          who=rules.WHO_MAY_ASK, bring=rules.BRING, after=rules.AFTER)

    def data_page(self) -> bytes:
        counts = {"listed": len(self.listed), "deleted": len(self.deleted)}
        files = [(f"{DATA_NAME}.{fmt}", label, len(self.download(fmt))) for fmt, label in
                 (("csv", "CSV（UTF-8、BOM付き。Excelで開けます）"), ("xlsx", "Excel（XLSX。変更履歴のシート付き）"), ("json", "JSON（変更履歴付き）"))]
        return self._page("public/site/data.html", 1, section="data", files=files, counts=counts, last_change=self.last_change)

    def schema_page(self) -> bytes:
        md = MarkdownIt("commonmark").enable("table")
        html = md.render(self.data.schema_md)
        html = re.sub(r"<h1>.*?</h1>\n?", "", html, count=1)  # the page's own h1 comes from the template
        return self._page("public/site/schema.html", 1, section="data", schema=html)

    def feed(self) -> bytes:
        acts = [{"change": c, "id": uuid.uuid5(uuid.NAMESPACE_URL, f"mamori-file-register:{self.data.body}:{c.code}:{c.number}").urn,
                 "updated": f"{c.date.isoformat()}T00:00:00+09:00"} for c in self.data.history[:FEED_ENTRIES]]
        feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"mamori-file-register:{self.data.body}").urn
        return render_to_string("public/site/feed.xml", {"body": self.data.body, "acts": acts, "feed_id": feed_id,
                                                         "updated": f"{self.last_change.isoformat()}T00:00:00+09:00"}).encode("utf-8")

    # -------------------------------------------------------------- data

    def download(self, fmt: str) -> bytes:
        cache = self.__dict__.setdefault("_downloads", {})
        if fmt not in cache:
            data = opendata.render(fmt, list(self.data.entries), self.data.body, self.last_change)
            cache[fmt] = _fixed_zip(data, self.last_change) if fmt == "xlsx" else data
        return cache[fmt]

    def search_index(self) -> bytes:
        """The index the search script reads: one record per listed entry (a script, not a fetch: file:// has no fetch)."""
        records = [{"c": e.code, "n": e.name, "o": e.organ, "u": list(e.units), "p": e.purpose, "i": list(e.items),
                    "k": e.kind, "s": int(e.sensitive), "r": int(e.has_recipients)} for e in self.listed]
        document = {"body": self.data.body, "kinds": filebook_rules.KIND_LABELS, "entries": records}
        return ("window.MAMORI_FILEBOOK = " + json.dumps(document, ensure_ascii=False, separators=(",", ":")) + ";\n").encode("utf-8")

    # -------------------------------------------------------------- the request forms

    def form_key(self, e: PublicEntry, fmt: str) -> str:
        ctx = request_form.context(e, self.data.fees)
        raw = json.dumps({"form": ctx.key(), "fmt": fmt, "version": self._form_version}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def form(self, e: PublicEntry, fmt: str) -> bytes:
        return self.previous_form(e, fmt) or next(self.make_forms([(e, fmt)]))

    def previous_form(self, e: PublicEntry, fmt: str) -> bytes | None:
        """The form from the previous publication, if it is made of the same things; records its key either way."""
        path, key = f"request/{e.code}.{fmt}", self.form_key(e, fmt)
        self.keys[path] = key
        return self.reuse(path, key)

    def make_forms(self, forms: list[tuple[PublicEntry, str]], *, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """Typeset these forms, in order: the DOCX filled from one template made for this publication, the PDFs
        drawn on every processor (request_form.render_pdfs), which start at once."""
        contexts = [request_form.context(e, self.data.fees) for e, _ in forms]
        pdfs = request_form.render_pdfs([ctx for ctx, (_, fmt) in zip(contexts, forms) if fmt == "pdf"], progress=progress)
        if self._docx_forms is None and any(fmt == "docx" for _, fmt in forms):
            self._docx_forms = request_form.DocxForms(rules.fee_lines(self.data.fees), finish=lambda data: _fixed_zip(data, FORM_DATE))
        return (next(pdfs) if fmt == "pdf" else self._docx_forms.render(ctx) for ctx, (_, fmt) in zip(contexts, forms))

    def form_of(self, path: str) -> tuple[PublicEntry, str] | None:
        """The entry and format of a request form's path (request/F00001.pdf), if the site has that form."""
        m = re.fullmatch(r"request/([A-Za-z0-9_-]+)\.(pdf|docx)", path)
        e = self.by_code.get(m.group(1)) if m else None
        return (e, m.group(2)) if e is not None and not e.deleted else None


SEARCH_FIELDS = (("all", "すべての項目"), ("name", "名称"), ("unit", "組織"), ("purpose", "利用目的"), ("items", "記録項目"), ("kind", "種別"))
