"""別紙1〜3 prefilled for the contractor to sign, and 別紙4 (個人情報取扱状況の確認書) filled in."""
from dataclasses import dataclass

from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.core.models import MunicipalSettings
from mamori.outsourcing.rules import CHECKLIST, METHODS, RESULTS


@dataclass(frozen=True)
class FormFields:
    """What 別紙1〜3 fill in from a contract; blank on the 様式 the council packet prints."""
    contract_title: str = ""
    address: str = ""
    contractor: str = ""
    handled: str = "（　　　　　　　　）"  # 別紙3's 個人情報の名称: the program's name and the items
    return_on: str = ""


def contract_fields(contract) -> FormFields:
    items = "、".join(contract.items) or "（　　　　　　　　）"
    return FormFields(contract.title, contract.contractor.address, contract.contractor.name,
                      f"{contract.program.current.name}の{items}", wareki(contract.ends_on, full=True))


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "center", or "staff" (a heading over a table of 職名・氏名 with ``rows`` empty rows)
    text: str
    rows: int = 0

    @property
    def empty_rows(self) -> range:
        return range(self.rows)


def _blocks(*items) -> tuple[Block, ...]:
    return tuple(Block(*item) for item in items)


@dataclass(frozen=True)
class FormSheet:
    """One of 別紙1〜3, described once for the DOCX and the PDF: its head and its body's blocks."""
    label: str  # 別紙１（第２条関係）
    title: str
    fields: FormFields
    head_title: str  # 朝霞市長
    blocks: tuple[Block, ...]


def form_sheet(fields: FormFields, form: str, head_title: str) -> FormSheet:
    if form == "1":
        return FormSheet("別紙１（第２条関係）", "保護管理者及び保護担当者届", fields, head_title, _blocks(
            ("p", "標記受注業務に係る個人情報取扱業務の責任者及び従事者を下記のとおり定めましたので、契約書（協定書）、"
                  "個人情報の取扱いに関する特記事項第２条第２項の規定により提出します。"),
            ("center", "記"), ("staff", "保護管理者（責任者）", 1), ("staff", "保護担当者（従事者）", 3),
            ("p", "※必要に応じて行を追加してください。")))
    if form == "2":
        return FormSheet("別紙２（第３条関係）", "秘密保持に関する誓約書", fields, head_title, _blocks(
            ("p", "この度、標記受注業務の遂行に当たっては、契約書（協定書）、個人情報の取扱いに関する特記事項のほか、"
                  "個人情報の保護に関する法律等の規定を遵守します。"),
            ("p", "また、当該受注業務のため貸与若しくは提供を受け、又は収集した個人情報を適切に取り扱い、業務期間中はもとより業務終了の後においても、"
                  "個人情報の漏えいその他の個人の権利利益を侵害するような行為は一切行わないことを誓約します。")))
    return FormSheet("別紙３（第６条関係）", "受注業務に係る個人情報の預かり書", fields, head_title, _blocks(
        ("p", "標記受注業務の遂行のため、下記のとおり個人情報の貸与・提供を受けました。業務の終了後は、貴市の指示に従って、"
              "当該個人情報、その複写物及び複製物の返還又は消去若しくは廃棄を行います。"),
        ("center", "記"), ("p", f"１　個人情報の名称　{fields.handled}"), ("p", "２　個人情報の記録の媒体　□紙　□ＣＤ　□その他（　　　　　）"),
        ("p", "３　個人情報の保管場所"), ("p", f"４　返還（消去・廃棄）予定日　{fields.return_on}")))


def _sheet_docx(doc, sheet: FormSheet) -> None:
    f = sheet.fields
    rendering.paragraph(doc, sheet.label, align="left")
    rendering.paragraph(doc, sheet.title, align="center", bold=True, size=13)
    rendering.paragraph(doc, f"（業務名　{f.contract_title}）", align="center", space_after=8)
    rendering.paragraph(doc, "　　　　年　　月　　日", align="right", space_after=6)
    rendering.paragraph(doc, f"{sheet.head_title}　宛", space_after=6)
    rendering.paragraph(doc, f"受注者　住所又は所在地　{f.address}", align="right")
    rendering.paragraph(doc, f"名称　{f.contractor}", align="right")
    rendering.paragraph(doc, "代表者氏名（署名又は記名押印）　　　　　　　　", align="right", space_after=10)
    for block in sheet.blocks:
        if block.kind == "staff":
            rendering.paragraph(doc, block.text, bold=True)
            table = doc.add_table(rows=block.rows + 1, cols=2)
            table.style = "Table Grid"
            rendering.cell_text(table.rows[0].cells[0], "職　名", bold=True)
            rendering.cell_text(table.rows[0].cells[1], "氏　　名", bold=True)
        else:
            center = block.kind == "center"
            rendering.paragraph(doc, block.text, align="center" if center else "left", space_after=6 if center else 0)


def forms_docx(sheets: list[FormSheet]) -> bytes:
    doc = rendering.new_document(font_size=11)
    for i, sheet in enumerate(sheets):
        if i:
            doc.add_page_break()
        _sheet_docx(doc, sheet)
    return rendering.docx_bytes(doc)


def forms_pdf(sheets: list[FormSheet]) -> bytes:
    return rendering.pdf_from_template("outsourcing/reports/forms.html", {"sheets": sheets})


def form_docx(contract, form: str) -> bytes:
    return forms_docx([form_sheet(contract_fields(contract), form, MunicipalSettings.current().head_title)])


@dataclass
class Checksheet:
    contract_title: str
    contractor: str
    method: str
    handled: str
    rows: list  # (no, title+article, content, result label, comment)
    date: str
    contractor_staff: str
    city_inspectors: str


def checksheet(inspection) -> Checksheet:
    rows = []
    for number, title, content, article in CHECKLIST:
        entry = inspection.results.get(str(number)) or {}
        rows.append((number, f"{title}{f'（{article}関係）' if article else ''}", content, RESULTS.get(entry.get("result"), "／"), entry.get("comment", "")))
    return Checksheet(inspection.contract.title, inspection.contract.contractor.name,
                      f"{METHODS[inspection.method]}{'（市職員による検査）' if inspection.method == 'onsite' else '（受注者による検査）' if inspection.method == 'document' else ''}",
                      inspection.handled_info or "、".join(inspection.contract.items), rows, wareki(inspection.inspected_on, full=True),
                      inspection.contractor_staff, inspection.city_inspectors)


# 別紙4's checklist, for the PDF and the DOCX: an item never splits across two pages.
CHECK_WIDTHS = (8, 38, 60, 16, 48)


def checklist_table(cs: Checksheet) -> rendering.Table:
    H = rendering.Head
    return rendering.Table(widths=CHECK_WIDTHS, head=[[H("点検項目", colspan=2), H("点検内容"), H("点検結果"), H("コメント等")]],
                           body=[list(row) for row in cs.rows], align=("center", "left", "left", "center", "left"), keep_rows=True, font_size=9)


def checksheet_docx(cs: Checksheet) -> bytes:
    doc = rendering.new_document(font_size=9.5)
    rendering.paragraph(doc, "別紙４（第１５条関係）", align="right")
    rendering.paragraph(doc, "個人情報取扱状況の確認書", align="center", bold=True, size=13)
    rendering.paragraph(doc, "※点検項目等のうち、該当がない場合は斜線を引いてください。", space_after=4)
    head = rendering.docx_table(doc, rendering.Table(widths=(36, 62, 26, 46), body=[
        ["契約件名", cs.contract_title, "受注者名", cs.contractor], ["確認方法", cs.method, "", ""], ["取り扱う個人情報の内容", cs.handled, "", ""]],
        label_column=True, keep_rows=True))
    rendering.cell_text(head.cell(0, 2), "受注者名", bold=True)
    for r in (1, 2):
        head.cell(r, 1).merge(head.cell(r, 3))
    rendering.paragraph(doc, "", space_after=2)
    rendering.docx_table(doc, checklist_table(cs))
    rendering.paragraph(doc, "", space_after=2)
    foot = rendering.docx_table(doc, rendering.Table(widths=(50, 50, 30, 40), body=[
        ["検査実施日", cs.date, "", ""], ["受注者検査対応者（受注者検査実施者）", cs.contractor_staff, "発注者検査実施者", cs.city_inspectors]],
        label_column=True, keep_rows=True))
    rendering.cell_text(foot.cell(1, 2), "発注者検査実施者", bold=True)
    foot.cell(0, 1).merge(foot.cell(0, 3))
    return rendering.docx_bytes(doc)


def checksheet_pdf(cs: Checksheet) -> bytes:
    return rendering.pdf_from_template("outsourcing/reports/checksheet.html", {"c": cs, "t": checklist_table(cs)})


# ---------------------------------------------------------------- the 様式 after 資料5 in the bound council packet

def blank_forms(fiscal_year: int, *, on=None) -> list[FormSheet]:
    """別紙1〜3 as blank 様式 (the year does not change them)."""
    head = MunicipalSettings.current().head_title
    return [form_sheet(FormFields(contract_title="　" * 12), form, head) for form in ("1", "2", "3")]


def blank_checksheet(fiscal_year: int, *, on=None) -> Checksheet:
    """別紙4 as a blank 様式: every item of the checklist, no answers."""
    rows = [(number, f"{title}{f'（{article}関係）' if article else ''}", content, "", "") for number, title, content, article in CHECKLIST]
    return Checksheet("", "", "実地検査（市職員による検査）・書面検査（受注者による検査）", "", rows, "　　　　年　　月　　日", "", "")
