"""保有個人情報開示請求書 (法第77条第1項), pre-filled for one file of the 個人情報ファイル簿: the file's name and
number as 「開示を請求する保有個人情報」, the 実施機関 it is addressed to and the office that receives it.
The requester adds their name, address and what they want from the file. DOCX and PDF (core.rendering);
the renderers never query.
"""
from dataclasses import asdict, dataclass

from docx.shared import Mm

from mamori.core import rendering
from mamori.public import rules


@dataclass(frozen=True)
class RequestForm:
    code: str  # F00001
    file_name: str
    organ: str  # the addressee: 朝霞市長, 朝霞市教育委員会
    units: str  # 事務をつかさどる組織, 「、」-joined
    office: str  # 開示請求等を受理する組織の名称及び所在地 (法第74条第1項第9号)
    fee_lines: tuple[str, ...]

    @property
    def subject(self) -> str:
        return (f"個人情報ファイル簿に掲載されている「{self.file_name}」（ファイル番号 {self.code}、{self.organ} {self.units}）"
                "に記録されている私の保有個人情報")

    def key(self) -> dict:
        """What the document is made of (the publication reuses a document whose key has not changed)."""
        return asdict(self)


def context(entry, fees: rules.Fees) -> RequestForm:
    """The form for a PublicEntry (filebook.selectors.PublicEntry)."""
    return RequestForm(entry.code, entry.name, entry.organ, "、".join(entry.units), entry.request_office, rules.fee_lines(fees))


TITLE = "保有個人情報開示請求書"
LEAD = "個人情報の保護に関する法律第77条第1項の規定により、次のとおり保有個人情報の開示を請求します。"
METHODS = "□ 事務所における開示（□ 閲覧　□ 写しの交付　□ その他（　　　　　　））\n□ 写しの送付を希望する"
REQUESTER_KIND = "□ 本人　□ 法定代理人　□ 任意代理人"
IDENTITY = "□ " + "　□ ".join(rules.IDENTITY_DOCUMENTS) + "　□ その他（　　　　　　）\n※ 郵送の場合は、本人確認書類の写しと住民票の写しを添えてください。"
AGENT = "本人の氏名：\n本人の住所：\n添付書類：□ 戸籍謄本など（法定代理人）　□ 委任状（任意代理人）"


def rows(ctx: RequestForm) -> list[tuple[str, str]]:
    """The form's table: (heading, what is written) — the same in the DOCX and the PDF."""
    return [
        ("開示を請求する保有個人情報", f"{ctx.subject}\n（求める内容・期間など：　　　　　　　　　　　　　　　　）"),
        ("求める開示の実施方法等\n（希望があれば記入）", METHODS),
        ("開示請求者の区分", REQUESTER_KIND),
        ("本人確認書類", IDENTITY),
        ("代理人が請求する場合", AGENT),
    ]


REQUESTER = (("氏名", ""), ("住所又は居所", "〒"), ("連絡先電話番号", ""))


def render_docx(ctx: RequestForm) -> bytes:
    doc = rendering.new_document(font_size=10.5)
    rendering.paragraph(doc, TITLE, align="center", bold=True, size=14, space_after=10)
    rendering.paragraph(doc, "年　　月　　日", align="right", space_after=6)
    rendering.paragraph(doc, f"（宛先）{ctx.organ}", space_after=8)
    people = doc.add_table(rows=len(REQUESTER), cols=2)
    people.style = "Table Grid"
    for row, (label, value) in zip(people.rows, REQUESTER):
        row.cells[0].width, row.cells[1].width = Mm(40), Mm(130)
        rendering.cell_text(row.cells[0], label, bold=True)
        rendering.cell_text(row.cells[1], value)
    rendering.paragraph(doc, "", space_after=4)
    rendering.paragraph(doc, LEAD, space_after=6)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows(ctx):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(45), Mm(125)
        rendering.cell_text(cells[0], label, bold=True)
        rendering.cell_text(cells[1], value)
    rendering.paragraph(doc, "", space_after=4)
    rendering.paragraph(doc, f"提出先：{ctx.office}", space_after=2)
    for line in ctx.fee_lines:
        rendering.paragraph(doc, line, size=9, space_after=2)
    rendering.paragraph(doc, "", space_after=4)
    office = doc.add_table(rows=1, cols=3)
    office.style = "Table Grid"
    for cell, label in zip(office.rows[0].cells, ("※受付年月日", "※受付番号", "※担当")):
        rendering.cell_text(cell, f"{label}\n\n")
    rendering.paragraph(doc, "※欄は記入しないでください。", size=9)
    return rendering.docx_bytes(doc)


def render_pdf(ctx: RequestForm) -> bytes:
    return rendering.pdf_from_template("public/request_form.html", {"f": ctx, "title": TITLE, "lead": LEAD, "rows": rows(ctx),
                                                                    "requester": REQUESTER})
