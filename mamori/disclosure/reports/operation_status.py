"""資料3: 情報公開制度・個人情報保護制度 運用状況報告書 for a fiscal year.

Counted over the requests received in the year (年度 = April–March):
- 件数: a request that spans several departments counts once per department (the seed's note).
- 文書数 and the decisions are counted per document; 非公開 includes 不存在 (and 存否応答拒否 for 公文書).
- 公開率: the municipality's formula (rules.disclosure_rates; 朝霞市's by default), shown on the report.
"""
from dataclasses import asdict, dataclass, field

from django.db.models import Count
from openpyxl import Workbook
from openpyxl.styles import Font

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_bounds, fiscal_year_label, fullwidth, wareki
from mamori.core.models import MunicipalSettings, Organ
from mamori.core.reports import NoData
from mamori.disclosure import rules
from mamori.disclosure.models import Decision, Procedure, Request, RequestDocument


@dataclass
class PublicCounts:
    cases: int = 0
    documents: int = 0
    disclosed: int = 0
    partial: int = 0
    nondisclosed: int = 0
    nonexistent: int = 0
    withdrawn: int = 0
    rate_disclosed: int | None = None
    rate_partial: int | None = None


@dataclass
class PersonalCounts:
    cases: int = 0
    documents: int = 0
    disclosed: int = 0
    partial: int = 0
    nondisclosed: int = 0
    nonexistent: int = 0
    neither: int = 0
    withdrawn: int = 0


@dataclass
class OperationStatus:
    fiscal_year: int
    label: str
    formula: str
    formula_note: str
    public: list[tuple[str, PublicCounts, PublicCounts]]  # (organ, 請求, 申出)
    public_total: tuple[PublicCounts, PublicCounts]
    personal: list[tuple[str, PersonalCounts]]
    personal_total: PersonalCounts
    personal_notes: list[str]
    corrections: dict
    correction_sentence: str
    checks: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year, "label": self.label, "formula": self.formula, "formula_note": self.formula_note,
            "public": {
                "organs": [{"organ": o, "request": asdict(req), "offer": asdict(off)} for o, req, off in self.public],
                "total": {"request": asdict(self.public_total[0]), "offer": asdict(self.public_total[1])},
            },
            "personal": {
                "organs": [{"organ": o, **asdict(c)} for o, c in self.personal],
                "total": asdict(self.personal_total), "notes": self.personal_notes,
            },
            "corrections": self.corrections, "correction_sentence": self.correction_sentence, "checks": self.checks,
        }


PUBLIC_KEYS = {Decision.DISCLOSE: "disclosed", Decision.PARTIAL: "partial", Decision.NONDISCLOSE: "nondisclosed",
               Decision.NONEXISTENT: "nondisclosed", Decision.NEITHER: "nondisclosed", Decision.WITHDRAWN: "withdrawn"}
PERSONAL_KEYS = {Decision.DISCLOSE: "disclosed", Decision.PARTIAL: "partial", Decision.NONDISCLOSE: "nondisclosed",
                 Decision.NONEXISTENT: "nondisclosed", Decision.NEITHER: "neither", Decision.WITHDRAWN: "withdrawn"}


def _fill(counts, by_decision: dict, keys: dict) -> None:
    """Documents by decision (grouped in the database) into the report's columns."""
    for decision, n in by_decision.items():
        counts.documents += n
        if decision in keys:
            setattr(counts, keys[decision], getattr(counts, keys[decision]) + n)
        if decision == Decision.NONEXISTENT:
            counts.nonexistent += n


def _sum(items, cls, formula=None):
    total = cls()
    for item in items:
        for f in ("cases", "documents", "disclosed", "partial", "nondisclosed", "nonexistent", "withdrawn") + (("neither",) if cls is PersonalCounts else ()):
            setattr(total, f, getattr(total, f) + getattr(item, f))
    if cls is PublicCounts:
        total.rate_disclosed, total.rate_partial = rules.disclosure_rates(total.documents, total.disclosed, total.partial, total.withdrawn, formula)
    return total


def context(fiscal_year: int) -> OperationStatus:
    """Counted in the database (grouped aggregates), so a prefecture-sized year stays fast."""
    settings = MunicipalSettings.current()
    formula = settings.rate_formula
    start, end = fiscal_year_bounds(fiscal_year)
    requests = Request.objects.filter(received_on__range=(start, end))
    if not requests.exists():
        raise NoData(f"{fiscal_year_label(fiscal_year)}（{wareki(start)}〜{wareki(end)}）に受け付けた請求はありません。年度を確かめてください。")
    docs = RequestDocument.objects.filter(request__received_on__range=(start, end))
    # 件数: each request counts once per department it spans (a request without documents counts once).
    cases: dict[tuple, int] = {}
    for procedure, organ_id, depts in requests.annotate(depts=Count("documents__department", distinct=True)).values_list("procedure", "organ_id", "depts"):
        cases[(procedure, organ_id)] = cases.get((procedure, organ_id), 0) + (depts or 1)
    by_decision: dict[tuple, dict] = {}
    for procedure, organ_id, decision, n in docs.values("request__procedure", "request__organ_id", "decision").annotate(n=Count("id")).values_list(
        "request__procedure", "request__organ_id", "decision", "n"
    ):
        by_decision.setdefault((procedure, organ_id), {})[decision] = n

    public_rows, personal_rows = [], []
    for organ in Organ.objects.order_by("order"):
        keys = [(p, organ.pk) for p in (Procedure.PUBLIC_REQUEST, Procedure.PUBLIC_OFFER, Procedure.PERSONAL_DISCLOSURE)]
        req, off, per = (PublicCounts(cases=cases.get(keys[0], 0)), PublicCounts(cases=cases.get(keys[1], 0)), PersonalCounts(cases=cases.get(keys[2], 0)))
        _fill(req, by_decision.get(keys[0], {}), PUBLIC_KEYS)
        _fill(off, by_decision.get(keys[1], {}), PUBLIC_KEYS)
        _fill(per, by_decision.get(keys[2], {}), PERSONAL_KEYS)
        for c in (req, off):
            c.rate_disclosed, c.rate_partial = rules.disclosure_rates(c.documents, c.disclosed, c.partial, c.withdrawn, formula)
        if req.cases or off.cases:
            public_rows.append((organ.name, req, off))
        if per.cases:
            personal_rows.append((organ.name, per))
    after_ruling = docs.filter(after_ruling=True, request__procedure=Procedure.PERSONAL_DISCLOSURE).values("request_id").distinct().count()
    notes = [f"※審査会の答申に基づく裁決後の決定含む（{fullwidth(str(after_ruling))}件）。"] if after_ruling else []
    counts_by_procedure = dict(requests.values("procedure").annotate(n=Count("id")).values_list("procedure", "n"))
    corrections = {"correction": counts_by_procedure.get(Procedure.PERSONAL_CORRECTION, 0),
                   "suspension": counts_by_procedure.get(Procedure.PERSONAL_SUSPENSION, 0)}
    label = fiscal_year_label(fiscal_year, full=True)
    sentence = (
        "市が保有する保有個人情報に事実の内容が事実でないと思料するときは訂正請求を、個人情報保護法の規定に反して保有、取扱い、取得、"
        "利用、提供等が行われた場合は利用停止請求をすることができます。"
        + (f"{label}における訂正請求等は、ありませんでした。" if not any(corrections.values())
           else f"{label}における訂正請求は{fullwidth(str(corrections['correction']))}件、利用停止請求は{fullwidth(str(corrections['suspension']))}件でした。")
    )
    checks = []
    pending = list(requests.filter(documents__decision="").values_list("number", flat=True).distinct().order_by("number")[:50])
    if pending:
        checks.append(f"未決定の文書がある請求（翌年度へ繰越し）：{'、'.join(pending)}")
    carried = Request.objects.filter(received_on__lt=start, documents__decided_on__range=(start, end)).distinct().count()
    if carried:
        checks.append(f"前年度に受け付け、この年度に決定した請求：{carried}件（前年度の件数に計上）")
    odd = docs.filter(decision__in=[Decision.REJECTED, Decision.TRANSFERRED]).count()
    if odd:
        checks.append(f"却下・移送の文書 {odd}件は表の決定の欄に含めていません。")
    public_total = (_sum([r[1] for r in public_rows], PublicCounts, formula), _sum([r[2] for r in public_rows], PublicCounts, formula))
    personal_total = _sum([c for _, c in personal_rows], PersonalCounts)
    note = ("公開率は、文書数で計算し、小数点以下を切捨てています。取下げは公開に含めています。" if formula == "asaka"
            else "公開率は、取下げを除いた文書数で計算し、小数点以下を切捨てています。")
    return OperationStatus(fiscal_year, fiscal_year_label(fiscal_year), formula, note, public_rows, public_total,
                           personal_rows, personal_total, notes, corrections, sentence, checks)


# ---------------------------------------------------------------- renderers

# The two tables as the seed prints them (two heading rows), laid out once for PDF, DOCX and XLSX
# (core.rendering.Table). Widths in mm of A4's 170 mm, wide enough that 「14件 97文書」 and
# 「44文書（43文書）」 stay on one line at 9 pt.
H = rendering.Head
PUBLIC_HEAD = [
    [H("実施機関", colspan=2, rowspan=2), H("受付件数", rowspan=2), H("決定の状況", colspan=4), H("公開率(％)※", colspan=2)],
    [H("公開"), H("部分公開"), H("非公開\n(うち不存在)"), H("取下げ"), H("公開"), H("部分公開")],
]
PUBLIC_WIDTHS = (26, 10, 24, 14, 16, 32, 13, 13, 17)
PERSONAL_HEAD = [
    [H("市の機関", rowspan=2), H("受付件数", rowspan=2), H("決定の状況", colspan=5)],
    [H("開示"), H("部分開示"), H("不開示\n(うち不存在)"), H("存否応答拒否"), H("取下げ")],
]
PERSONAL_WIDTHS = (26, 28, 18, 20, 34, 24, 15)
CENTER = ("center",) * 9
DASH = "―"


def _n(value: int, unit: str = "文書") -> str:
    return f"{value}{unit}" if value else DASH


def public_cells(c: PublicCounts) -> list[str]:
    if not c.cases:
        return [DASH] * 7
    nondis = f"{c.nondisclosed}文書（{c.nonexistent}文書）" if c.nondisclosed else DASH
    return [f"{c.cases}件 {c.documents}文書", _n(c.disclosed), _n(c.partial), nondis, _n(c.withdrawn),
            _rate(c.rate_disclosed), _rate(c.rate_partial)]


def _rate(value: int | None) -> str:
    """A 公開率 with nothing to divide (no document, or every one withdrawn under the exclude-withdrawn formula) reads ―."""
    return DASH if value is None else str(value)


def personal_cells(c: PersonalCounts) -> list[str]:
    fw = lambda v, u="文書": fullwidth(f"{v}{u}") if v else DASH  # noqa: E731
    nondis = fullwidth(f"{c.nondisclosed}文書（{c.nonexistent}文書）") if c.nondisclosed else DASH
    return [fullwidth(f"{c.cases}件{c.documents}文書"), fw(c.disclosed), fw(c.partial), nondis, fw(c.neither), fw(c.withdrawn)]


def public_table(ctx: OperationStatus) -> list[list[str]]:
    rows = []
    for organ, req, off in ctx.public:
        rows.append([organ, "請求", *public_cells(req)])
        rows.append([organ, "申出", *public_cells(off)])
    rows.append(["合計", "請求", *public_cells(ctx.public_total[0])])
    rows.append(["合計", "申出", *public_cells(ctx.public_total[1])])
    return rows


def personal_table(ctx: OperationStatus) -> list[list[str]]:
    return [[organ, *personal_cells(c)] for organ, c in ctx.personal] + [["合計", *personal_cells(ctx.personal_total)]]


def title(ctx: OperationStatus) -> str:
    return f"{fiscal_year_label(ctx.fiscal_year, full=True)}情報公開制度・個人情報保護制度運用状況報告書"


PUBLIC_NOTES = ["※受付件数は、一つの申請で複数の担当部署にまたがる場合、各担当部署で計上しています。"]


def render_docx(ctx: OperationStatus) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, "資料３", align="right", size=12)
    rendering.paragraph(doc, title(ctx), align="center", bold=True, size=13, space_after=12)
    rendering.paragraph(doc, "公文書公開請求・公文書公開申出の受付件数と決定の状況", bold=True, space_after=4)
    rendering.docx_table(doc, public_spec(ctx))
    rendering.paragraph(doc, f"※{ctx.formula_note}")
    for note in PUBLIC_NOTES:
        rendering.paragraph(doc, note, space_after=10)
    rendering.paragraph(doc, "保有個人情報開示請求の受付件数と決定の状況", bold=True, space_after=4)
    rendering.docx_table(doc, personal_spec(ctx))
    for note in ctx.personal_notes:
        rendering.paragraph(doc, note)
    rendering.paragraph(doc, "", space_after=6)
    rendering.paragraph(doc, "保有個人情報訂正等の請求受付件数", bold=True, space_after=4)
    rendering.paragraph(doc, ctx.correction_sentence)
    rendering.page_number_footer(doc)
    return rendering.docx_bytes(doc)


def public_spec(ctx: OperationStatus) -> rendering.Table:
    return rendering.Table(widths=PUBLIC_WIDTHS, head=PUBLIC_HEAD, body=public_table(ctx), align=CENTER, keep_rows=True, font_size=9)


def personal_spec(ctx: OperationStatus) -> rendering.Table:
    return rendering.Table(widths=PERSONAL_WIDTHS, head=PERSONAL_HEAD, body=personal_table(ctx), align=CENTER, keep_rows=True, font_size=9)


def render_pdf(ctx: OperationStatus) -> bytes:
    return rendering.pdf_from_template("disclosure/reports/operation_status.html", {
        "r": ctx, "title": title(ctx), "public": public_spec(ctx), "personal": personal_spec(ctx), "public_notes": PUBLIC_NOTES,
    })


# The XLSX keeps the report's headings, with numbers as numbers (not 「9件」) so the office can add them up:
# 受付件数 and 非公開 become two columns each. One sheet per table, each printing on one page wide.
XLSX_PUBLIC_HEAD = [
    [H("実施機関", colspan=2, rowspan=2), H("受付件数", colspan=2), H("決定の状況（文書数）", colspan=5), H("公開率(％)", colspan=2)],
    [H("件数"), H("文書数"), H("公開"), H("部分公開"), H("非公開"), H("うち不存在"), H("取下げ"), H("公開"), H("部分公開")],
]
XLSX_PUBLIC_WIDTHS = (30, 12, 16, 16, 16, 20, 18, 22, 16, 16, 20)
XLSX_PERSONAL_HEAD = [
    [H("市の機関", rowspan=2), H("受付件数", colspan=2), H("決定の状況（文書数）", colspan=6)],
    [H("件数"), H("文書数"), H("開示"), H("部分開示"), H("不開示"), H("うち不存在"), H("存否応答拒否"), H("取下げ")],
]
XLSX_PERSONAL_WIDTHS = (30, 16, 16, 16, 20, 18, 22, 26, 16)


def _sheet(wb, name: str, heading: str, table: rendering.Table, notes: list[str], first: bool = False):
    ws = wb.active if first else wb.create_sheet(name)
    ws.title = name
    ws.append([heading])
    ws["A1"].font = Font(bold=True)
    head_row = 3
    last = rendering.xlsx_table(ws, table, head_row)
    for note in notes:
        rendering.xlsx_note(ws, last, note, len(table.widths))
        last += 1
    rendering.xlsx_page(ws, columns=len(table.widths), last_row=last - 1, title_rows=(head_row, head_row + len(table.head) - 1))
    return ws


def render_xlsx(ctx: OperationStatus) -> bytes:
    wb = Workbook()
    public = [[organ, kind, c.cases, c.documents, c.disclosed, c.partial, c.nondisclosed, c.nonexistent, c.withdrawn, c.rate_disclosed, c.rate_partial]
              for organ, req, off in [*ctx.public, ("合計", *ctx.public_total)] for kind, c in (("請求", req), ("申出", off))]
    _sheet(wb, "公文書公開", title(ctx), rendering.Table(widths=XLSX_PUBLIC_WIDTHS, head=XLSX_PUBLIC_HEAD, body=public, align=("left", "center") + ("right",) * 9),
           [f"※{ctx.formula_note}", *PUBLIC_NOTES], first=True)
    personal = [[organ, c.cases, c.documents, c.disclosed, c.partial, c.nondisclosed, c.nonexistent, c.neither, c.withdrawn]
                for organ, c in [*ctx.personal, ("合計", ctx.personal_total)]]
    _sheet(wb, "保有個人情報", "保有個人情報開示請求の受付件数と決定の状況",
           rendering.Table(widths=XLSX_PERSONAL_WIDTHS, head=XLSX_PERSONAL_HEAD, body=personal, align=("left",) + ("right",) * 8), ctx.personal_notes)
    _sheet(wb, "訂正・利用停止", "保有個人情報訂正等の請求受付件数",
           rendering.Table(widths=(100, 40), head=[[H("請求"), H("件数")]], body=[["訂正請求", ctx.corrections["correction"]], ["利用停止請求", ctx.corrections["suspension"]]],
                           align=("left", "right")), [ctx.correction_sentence])
    return rendering.xlsx_bytes(wb)
