"""The draft of a leak report to the 個人情報保護委員会 (速報・確報), with the nine items of 規則第44条."""
from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.incidents import rules
from mamori.incidents.services import facts_for

PPC_ITEMS = ["概要", "漏えい等が発生し、又は発生したおそれがある個人データ（保有個人情報）の項目", "本人の数", "原因",
             "二次被害又はそのおそれの有無及びその内容", "本人への対応の実施状況", "公表の実施状況", "再発防止のための措置", "その他参考となる事項"]


def ppc_context(incident, stage: str) -> dict:
    """規則第44条: the nine items. A 速報 carries what is known; a 確報 everything."""
    a = rules.assess(facts_for(incident))
    c = rules.clocks(incident.learned_on, incident.malicious)
    groups = "、".join(f"{g.name}{g.count:,}人" for g in incident.groups.all())
    notice = incident.notice_method or ""
    if incident.notice_exception:
        notice = f"{incident.get_notice_exception_display()}：{incident.notice_exception_reason}"
    values = [incident.summary, "、".join(incident.items), f"{incident.persons:,}人（{groups}）" if groups else f"{incident.persons:,}人", incident.cause,
              incident.secondary_damage, (f"{wareki(incident.notice_on, full=True)} " if incident.notice_on else "") + notice,
              (f"{wareki(incident.published_on, full=True)} " if incident.published_on else "") + incident.publish_note,
              "\n".join(x for x in (incident.measures_done, incident.measures_planned) if x),
              (f"委託先：{incident.contract.contractor if incident.contract else incident.contractor_name}" if (incident.contract or incident.contractor_name) else "")]
    if stage == "sokuhou":
        values = [v or "（調査中）" for v in values]
    return {
        # 報告者 is the 実施機関 the department belongs to (a school matter: 教育委員会), not the city at large.
        "stage": "速報" if stage == "sokuhou" else "確報", "organisation": incident.unit.organ.formal_name, "unit": incident.unit.label,
        "occurred": wareki(incident.occurred_on, full=True) if incident.occurred_on else "不明", "learned": wareki(incident.learned_on, full=True),
        "triggers": [f"{t.article}（{t.label}）" for t in a.triggers if t.applies], "my_number": a.my_number_report,
        "due": wareki(c.kakuhou_by, full=True), "items": list(zip(PPC_ITEMS, values)), "title": incident.title,
    }


def ppc_docx(ctx: dict) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, f"漏えい等報告（{ctx['stage']}）案", align="center", bold=True, size=13, space_after=8)
    for label, value in (("報告者（実施機関）", ctx["organisation"]), ("担当部署", ctx["unit"]), ("事案", ctx["title"]), ("発生日", ctx["occurred"]),
                         ("発覚日（職員が知った日）", ctx["learned"]), ("報告対象となる事態", "、".join(ctx["triggers"]) or "該当なし"),
                         ("確報の期限", ctx["due"])):
        rendering.paragraph(doc, f"{label}：{value}")
    if ctx["my_number"]:
        rendering.paragraph(doc, "※特定個人情報を含むため、番号法第29条の4による報告も必要です。")
    rendering.docx_table(doc, rendering.Table(widths=(55, 115), body=[[f"{n} {label}", value] for n, (label, value) in enumerate(ctx["items"], start=1)],
                                              label_column=True))
    return rendering.docx_bytes(doc)


def ppc_pdf(ctx: dict) -> bytes:
    return rendering.pdf_from_template("incidents/reports/ppc.html", {"c": ctx})
