"""資料5: 委託に関する報告 for a fiscal year.

Over the contracts in force during the year (period overlapping April–March):
- 業務を委託した事業数: programs with a contract; of them, those with a 再委託, a 再々委託, a 賃貸借.
- 委託事業者数: contractors counted per program (the seed: 「同一事業で複数の事業者に委託している場合あり」),
  i.e. distinct (program, contractor) pairs.
- 検査方法: each pair by its inspection of the year (実地 > 書面 > その他 when a pair has several contracts).
- 認証: each pair by its contractor's certifications held at any time during the year; 約N% rounded half up.
"""
from dataclasses import asdict, dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_bounds, fiscal_year_label, fullwidth, wareki
from mamori.core.reports import NoData
from mamori.outsourcing.models import Certification, Contract, Inspection
from mamori.outsourcing.rules import approx_percent


@dataclass
class OutsourcingReport:
    fiscal_year: int
    label: str
    programs: int
    programs_sub: int
    programs_subsub: int
    programs_lease: int
    contractors: int
    methods: dict  # onsite/document/other/none → count
    certifications: dict  # pmark/isms/both/none → count
    percents: dict
    checks: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


METHOD_ORDER = ["onsite", "document", "other"]


def context(fiscal_year: int) -> OutsourcingReport:
    start, end = fiscal_year_bounds(fiscal_year)
    contracts = Contract.objects.filter(starts_on__lte=end, ends_on__gte=start)
    rows = list(contracts.values_list("id", "program_id", "contractor_id", "kind"))
    if not rows:
        raise NoData(f"{fiscal_year_label(fiscal_year)}（{wareki(start)}〜{wareki(end)}）に契約期間がかかる委託契約はありません。年度を確かめてください。")
    programs = {p for _, p, _, _ in rows}
    with_kind = lambda k: len({p for _, p, _, kind in rows if kind == k})  # noqa: E731
    pairs: dict[tuple, list[int]] = {}
    for cid, program, contractor, _ in rows:
        pairs.setdefault((program, contractor), []).append(cid)
    inspected = dict(Inspection.objects.filter(contract__in=contracts, fiscal_year=fiscal_year).values_list("contract_id", "method"))
    methods = {m: 0 for m in [*METHOD_ORDER, "none"]}
    for ids in pairs.values():
        found = [inspected[i] for i in ids if i in inspected]
        methods[min(found, key=METHOD_ORDER.index) if found else "none"] += 1
    held: dict[int, set] = {}
    for contractor, kind in Certification.objects.filter(expires_on__gte=start).exclude(issued_on__gt=end).values_list("contractor_id", "kind"):
        held.setdefault(contractor, set()).add(kind)
    certs = {"pmark": 0, "isms": 0, "both": 0, "none": 0}
    for _, contractor in pairs:
        kinds = held.get(contractor, set())
        certs["both" if kinds == {"pmark", "isms"} else "pmark" if kinds == {"pmark"} else "isms" if kinds == {"isms"} else "none"] += 1
    checks = []
    if methods["none"]:
        checks.append(f"この年度の検査の記録がない委託事業者が{methods['none']}者あります（特記事項第15条）。")
    unapproved = contracts.filter(kind__in=["sub", "subsub"], approved_on__isnull=True).count()
    if unapproved:
        checks.append(f"書面承認の記録がない再委託・再々委託が{unapproved}件あります（特記事項第10条）。")
    return OutsourcingReport(
        fiscal_year, fiscal_year_label(fiscal_year), len(programs), with_kind("sub"), with_kind("subsub"), with_kind("lease"),
        len(pairs), methods, certs, {k: approx_percent(v, len(pairs)) for k, v in certs.items()}, checks,
    )


def fw(n) -> str:
    return fullwidth(str(n))


def tables(ctx: OutsourcingReport) -> list[tuple[str, list[str], list[list[str]]]]:
    """The three tables as the seed prints them."""
    notes = []
    for count, label in ((ctx.programs_sub, "再委託数"), (ctx.programs_subsub, "再々委託"), (ctx.programs_lease, "賃貸借契約")):
        notes.append(f"{label}{fw(count)}件")
    general = [
        ["業務を委託した事業数", f"{fw(ctx.programs)}件", "、".join(notes) + "含む。"],
        ["委託事業者数", f"{fw(ctx.contractors)}者", "同一事業で複数の事業者に委託している場合あり。"],
    ]
    methods = [
        ["実地検査", f"{fw(ctx.methods['onsite'])}者", "個人情報の保護に関する特記事項 別紙４「個人情報取扱状況の確認書（実地検査）」による。"],
        ["書面検査", f"{fw(ctx.methods['document'])}者", "個人情報の保護に関する特記事項 別紙５「個人情報取扱状況の確認書（書面検査）」による。"],
        ["その他", f"{fw(ctx.methods['other'])}者", "業務日誌等の提出、職員が常時同席して確認している業務等。"],
    ]
    if ctx.methods["none"]:
        methods.append(["検査の記録なし", f"{fw(ctx.methods['none'])}者", "この年度の検査が記録されていません。"])
    p = ctx.percents
    certs = [
        ["プライバシーマーク（Ｐマーク）", f"{fw(ctx.certifications['pmark'])}者", f"約{fw(p['pmark'])}％"],
        ["ＩＳＭＳ認証（ＩＳＯ２７００１）", f"{fw(ctx.certifications['isms'])}者", f"約{fw(p['isms'])}％"],
        ["プライバシーマーク・ＩＳＭＳ認証 両方取得", f"{fw(ctx.certifications['both'])}者", f"約{fw(p['both'])}％"],
        ["取得なし", f"{fw(ctx.certifications['none'])}者", f"約{fw(p['none'])}％"],
    ]
    return [("①業務委託全般", ["項目", "件数等", "備考"], general), ("②事業者に対する検査", ["検査方法", "件数等", "備考"], methods),
            ("③事業者のプライバシーマーク等の取得状況", ["取得状況", "件数等", "割合"], certs)]


# Widths in mm of A4's 170 mm: the first column holds 「プライバシーマーク・ＩＳＭＳ認証 両方取得」 on two lines at most,
# 件数等 never wraps 「２９６者」, 備考 takes the rest. The same for the PDF, the DOCX and the XLSX.
WIDTHS = (68, 24, 78)


def specs(ctx) -> list[tuple[str, rendering.Table]]:
    return [(heading, rendering.Table(widths=WIDTHS, head=[[rendering.Head(h) for h in head]], body=rows, align=("left", "center", "left"),
                                      keep_rows=True))
            for heading, head, rows in tables(ctx)]


def title(ctx) -> str:
    return f"{fiscal_year_label(ctx.fiscal_year, full=True)} 委託に関する報告について"


def lead(ctx) -> str:
    return f"{fiscal_year_label(ctx.fiscal_year, full=True)}における個人情報を取り扱う業務委託の状況は以下のとおりです。"


def render_docx(ctx: OutsourcingReport) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, "資料５", align="right", size=12)
    rendering.paragraph(doc, title(ctx), align="center", bold=True, size=13, space_after=10)
    rendering.paragraph(doc, lead(ctx), space_after=8)
    for heading, table in specs(ctx):
        rendering.paragraph(doc, heading, bold=True, space_after=4)
        rendering.docx_table(doc, table)
        rendering.paragraph(doc, "", space_after=8)
    rendering.page_number_footer(doc)
    return rendering.docx_bytes(doc)


def render_pdf(ctx: OutsourcingReport) -> bytes:
    return rendering.pdf_from_template("outsourcing/reports/outsourcing.html", {"title": title(ctx), "lead": lead(ctx), "tables": specs(ctx)})


XLSX_WIDTHS = (68, 46, 26, 26)


def render_xlsx(ctx: OutsourcingReport) -> bytes:
    """Numbers as numbers, one row per figure, with the report's three sections as 区分."""
    wb = Workbook()
    ws = wb.active
    ws.title = "資料5"
    ws.append([title(ctx)])
    ws["A1"].font = Font(bold=True)
    body = [
        ["①業務委託全般", "業務を委託した事業数", ctx.programs, None],
        ["①業務委託全般", "うち再委託", ctx.programs_sub, None],
        ["①業務委託全般", "うち再々委託", ctx.programs_subsub, None],
        ["①業務委託全般", "うち賃貸借", ctx.programs_lease, None],
        ["①業務委託全般", "委託事業者数", ctx.contractors, None],
        *(["②事業者に対する検査", label, ctx.methods[key], None]
          for key, label in (("onsite", "実地検査"), ("document", "書面検査"), ("other", "その他"), ("none", "検査の記録なし"))),
        *(["③プライバシーマーク等の取得状況", label, ctx.certifications[key], ctx.percents[key]]
          for key, label in (("pmark", "プライバシーマーク"), ("isms", "ISMS"), ("both", "両方取得"), ("none", "取得なし"))),
    ]
    H = rendering.Head
    last = rendering.xlsx_table(ws, rendering.Table(widths=XLSX_WIDTHS, head=[[H("区分"), H("項目"), H("件数・者数"), H("割合（％）")]], body=body,
                                                    align=("left", "left", "right", "right")), 3)
    rendering.xlsx_page(ws, columns=len(XLSX_WIDTHS), last_row=last - 1, title_rows=(3, 3))
    return rendering.xlsx_bytes(wb)
