"""資料5 (委託に関する報告) and the contract forms (別紙1〜4)."""
from mamori.core.reports import Annex, annual_report
from mamori.outsourcing.reports import forms, outsourcing_report, provisions

REPORT = annual_report(outsourcing_report, code="outsourcing", key="shiryo5", label="資料5", topic="委託",
                       title="資料5 委託に関する報告", file_title="委託に関する報告",
                       formats=("json", "docx", "pdf", "xlsx"))
FORMATS = REPORT.formats
build = REPORT.build

# After 資料5 in the bound council packet (council.reports.packet): the 特記事項 in force on the meeting's date, then
# its forms as blank 様式.
ANNEXES = (
    Annex("provisions", "個人情報の取扱いに関する特記事項", provisions.context, {"pdf": provisions.render_pdf, "docx": provisions.render_docx}),
    Annex("forms", "個人情報の取扱いに関する特記事項 別紙１〜３（様式）", forms.blank_forms, {"pdf": forms.forms_pdf, "docx": forms.forms_docx}),
    Annex("checksheet", "個人情報の取扱いに関する特記事項 別紙４ 個人情報取扱状況の確認書（様式）", forms.blank_checksheet,
          {"pdf": forms.checksheet_pdf, "docx": forms.checksheet_docx}),
)
