"""資料3 computed from the records, not copied from the seed: a small 令和7年度 of its own (figures unlike
the seed's), the figures following a change, and the 3月31日／4月1日 edges of the fiscal year.

The expected figures are worked out by hand from DOMAIN.md §6 (朝霞市's 公開率, floor of the percentage):
- 市長 請求: 4件 (one request spans two departments) 8文書 — 公開2・部分公開2・非公開3（うち不存在2）・取下げ1;
  公開率 公開 = ⌊100×(2+1)/8⌋ = ⌊37.5⌋ = 37, 部分公開 = ⌊100×(2+2+1)/8⌋ = ⌊62.5⌋ = 62.
- 市長 申出: 1件 1文書 — 部分公開1; 0, 100.
- 教育委員会 請求: 1件 3文書 — 公開1・部分公開1・存否応答拒否1 (a 非公開 for 公文書); ⌊33.3⌋ = 33, ⌊66.6⌋ = 66.
- 合計 請求: 5件 11文書 — 公開3・部分公開3・非公開4（うち不存在2）・取下げ1; ⌊400/11⌋ = 36, ⌊700/11⌋ = 63.
- 保有個人情報 市長: 3件 5文書 — 開示1・部分開示1・不開示1（うち不存在1）・存否応答拒否1・取下げ1; one decided after a 裁決.
- 訂正請求 1件, 利用停止請求 0件.
"""
import datetime
import io
import json

import docx
import openpyxl
import pdfplumber
import pytest

from mamori.core import services as core
from mamori.core.models import MunicipalSettings, Organ, UnitKind
from mamori.disclosure import services
from mamori.disclosure.reports import operation_status as report

D = datetime.date
FY = 2025  # 令和7年度: 2025-04-01 〜 2026-03-31
NEEDS_REASON = {"partial", "nondisclose", "nonexistent", "neither"}


def add_request(office, organ, procedure, received_on, documents, departments=None, subject="テストの請求"):
    """documents: [(department, title, decision, decided_on, after_ruling)]; decision "" leaves it undecided."""
    public = procedure.startswith("public")
    departments = departments or list(dict.fromkeys(d[0] for d in documents))
    r = services.request_create(
        actor=office, procedure=procedure, organ=organ, departments=departments, received_on=received_on,
        requester_name="テスト 請求者", subject=subject, requester_role="other" if public else "self", requester_kind="natural",
        documents=[(d[0], d[1]) for d in documents],
    )
    for doc, (_, _, decision, decided_on, after_ruling) in zip(r.documents.order_by("id"), documents):
        if decision:
            decide(office, doc, decision, decided_on, after_ruling=after_ruling)
    return r


def decide(office, doc, decision, decided_on, after_ruling=False):
    services.document_decide(
        document=doc, actor=office, decision=decision, decided_on=decided_on, after_ruling=after_ruling,
        reasons=["朝霞市情報公開条例第7条第2号"] if decision in NEEDS_REASON else [],
        reason_text="個人に関する情報が記録されているため。" if decision in NEEDS_REASON else "",
    )


@pytest.fixture
def year(city):
    office, u = city.users.office, city.units
    mayor = city.organ
    education = Organ.objects.get(code="education")
    gakko = core.unit_create(organ=education, kind=UnitKind.SECTION, code="gakko", name="学校教育課", actor=None)
    pr, po, pd = "public-request", "public-offer", "personal-disclosure"
    # 市長 請求 — the first and the last day of the year are inside it.
    first = add_request(office, mayor, pr, D(2025, 4, 1), [
        (u.nozei, "滞納整理の決裁文書", "disclose", D(2025, 4, 14), False),
        (u.nozei, "差押えの記録", "partial", D(2025, 4, 14), False),
        (u.nozei, "滞納者との面談記録", "nondisclose", D(2025, 4, 14), False),
    ])
    add_request(office, mayor, pr, D(2025, 6, 10), [  # two departments: 2件
        (u.nozei, "督促状の発送記録（令和5年度）", "nonexistent", D(2025, 6, 20), False),
        (u.nozei, "督促状の発送記録（令和6年度）", "nonexistent", D(2025, 6, 20), False),
        (u.kyufu, "児童手当の支給事務要領", "withdrawn", D(2025, 6, 18), False),
        (u.kyufu, "児童手当の支給実績", "partial", D(2025, 6, 20), False),
    ])
    add_request(office, mayor, pr, D(2026, 3, 31), [  # received on the last day, decided in the next year: still this year's
        (u.mirai, "こども未来課の事務分掌表", "disclose", D(2026, 4, 10), False),
    ])
    add_request(office, mayor, po, D(2025, 9, 1), [(u.mirai, "子育て支援の委託契約書", "partial", D(2025, 9, 12), False)])
    add_request(office, education, pr, D(2025, 11, 5), [
        (gakko, "学校施設の点検記録", "disclose", D(2025, 11, 17), False),
        (gakko, "通学路の安全点検結果", "partial", D(2025, 11, 17), False),
        (gakko, "特定の児童に関する指導記録", "neither", D(2025, 11, 17), False),
    ])
    # 保有個人情報開示請求, all 市長
    add_request(office, mayor, pd, D(2025, 5, 20), [
        (u.kyufu, "児童手当の認定記録", "disclose", D(2025, 6, 2), False),
        (u.kyufu, "面談記録", "partial", D(2025, 12, 1), True),  # after a 裁決
    ])
    add_request(office, mayor, pd, D(2025, 8, 1), [
        (u.nozei, "納税相談の記録", "nonexistent", D(2025, 8, 20), False),
        (u.nozei, "調査の記録", "neither", D(2025, 8, 20), False),
    ])
    add_request(office, mayor, pd, D(2026, 1, 13), [(u.kyufu, "受給資格の記録", "withdrawn", D(2026, 1, 20), False)])
    add_request(office, mayor, "personal-correction", D(2025, 10, 1), [(u.kyufu, "住所の記載", "", None, False)])
    return {"office": office, "units": u, "mayor": mayor, "education": education, "gakko": gakko, "first": first}


EXPECTED_PUBLIC = [
    ["市長", "請求", "4件 8文書", "2文書", "2文書", "3文書（2文書）", "1文書", "37", "62"],
    ["市長", "申出", "1件 1文書", "―", "1文書", "―", "―", "0", "100"],
    ["教育委員会", "請求", "1件 3文書", "1文書", "1文書", "1文書（0文書）", "―", "33", "66"],
    ["教育委員会", "申出", "―", "―", "―", "―", "―", "―", "―"],
    ["合計", "請求", "5件 11文書", "3文書", "3文書", "4文書（2文書）", "1文書", "36", "63"],
    ["合計", "申出", "1件 1文書", "―", "1文書", "―", "―", "0", "100"],
]
EXPECTED_PERSONAL = [
    ["市長", "３件５文書", "１文書", "１文書", "１文書（１文書）", "１文書", "１文書"],
    ["合計", "３件５文書", "１文書", "１文書", "１文書（１文書）", "１文書", "１文書"],
]
CORRECTIONS = "令和７年度における訂正請求は１件、利用停止請求は０件でした。"


def counts(c) -> tuple:
    return (c.cases, c.documents, c.disclosed, c.partial, c.nondisclosed, c.nonexistent, c.withdrawn, c.rate_disclosed, c.rate_partial)


def public_by_organ(ctx) -> dict:
    return {organ: (counts(req), counts(off)) for organ, req, off in ctx.public}


def test_a_year_of_its_own_is_counted_from_the_records(year):
    ctx = report.context(FY)
    assert (ctx.fiscal_year, ctx.label, ctx.formula) == (2025, "令和7年度", "asaka")
    assert public_by_organ(ctx) == {
        "市長": ((4, 8, 2, 2, 3, 2, 1, 37, 62), (1, 1, 0, 1, 0, 0, 0, 0, 100)),
        "教育委員会": ((1, 3, 1, 1, 1, 0, 0, 33, 66), (0, 0, 0, 0, 0, 0, 0, None, None)),
    }
    assert counts(ctx.public_total[0]) == (5, 11, 3, 3, 4, 2, 1, 36, 63)
    assert counts(ctx.public_total[1]) == (1, 1, 0, 1, 0, 0, 0, 0, 100)
    ((organ, personal),) = ctx.personal
    assert organ == "市長"
    assert (personal.cases, personal.documents, personal.disclosed, personal.partial, personal.nondisclosed, personal.nonexistent,
            personal.neither, personal.withdrawn) == (3, 5, 1, 1, 1, 1, 1, 1)
    assert ctx.personal_notes == ["※審査会の答申に基づく裁決後の決定含む（１件）。"]
    assert ctx.corrections == {"correction": 1, "suspension": 0}
    assert ctx.correction_sentence.endswith(CORRECTIONS)
    assert ctx.checks == ["未決定の文書がある請求（翌年度へ繰越し）：個2025-0004"]  # the 訂正請求's item, not yet decided

    data = ctx.as_json()
    assert data["public"]["total"]["request"] == {"cases": 5, "documents": 11, "disclosed": 3, "partial": 3, "nondisclosed": 4,
                                                  "nonexistent": 2, "withdrawn": 1, "rate_disclosed": 36, "rate_partial": 63}
    assert data["personal"]["total"]["neither"] == 1 and data["corrections"] == {"correction": 1, "suspension": 0}
    json.dumps(data, ensure_ascii=False)

    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    assert "令和７年度情報公開制度・個人情報保護制度運用状況報告書" in [p.text for p in d.paragraphs]
    assert [[c.text for c in row.cells] for row in d.tables[0].rows][2:] == EXPECTED_PUBLIC
    assert [[c.text for c in row.cells] for row in d.tables[1].rows][2:] == EXPECTED_PERSONAL
    assert any(p.text.endswith(CORRECTIONS) for p in d.paragraphs)
    assert "※審査会の答申に基づく裁決後の決定含む（１件）。" in [p.text for p in d.paragraphs]

    page = pdfplumber.open(io.BytesIO(report.render_pdf(ctx))).pages[0]
    text = page.extract_text()
    assert "令和７年度情報公開制度・個人情報保護制度運用状況報告書" in text and CORRECTIONS in text.replace("\n", "")
    public_pdf, personal_pdf = page.extract_tables()
    assert [[c for c in row if c is not None] for row in public_pdf[2:]] == EXPECTED_PUBLIC
    assert [[c for c in row if c is not None] for row in personal_pdf[2:]] == EXPECTED_PERSONAL

    wb = openpyxl.load_workbook(io.BytesIO(report.render_xlsx(ctx)))
    rows = list(wb["公文書公開"].iter_rows(values_only=True))
    assert rows[0] == ("令和７年度情報公開制度・個人情報保護制度運用状況報告書",) + (None,) * 10
    assert rows[2][:5] == ("実施機関", None, "受付件数", None, "決定の状況（文書数）") and rows[3][2:4] == ("件数", "文書数")
    assert rows[4:10] == [
        ("市長", "請求", 4, 8, 2, 2, 3, 2, 1, 37, 62),
        ("市長", "申出", 1, 1, 0, 1, 0, 0, 0, 0, 100),
        ("教育委員会", "請求", 1, 3, 1, 1, 1, 0, 0, 33, 66),
        ("教育委員会", "申出", 0, 0, 0, 0, 0, 0, 0, None, None),
        ("合計", "請求", 5, 11, 3, 3, 4, 2, 1, 36, 63),
        ("合計", "申出", 1, 1, 0, 1, 0, 0, 0, 0, 100),
    ]
    personal_rows = list(wb["保有個人情報"].iter_rows(values_only=True))
    assert personal_rows[4:6] == [("市長", 3, 5, 1, 1, 1, 1, 1, 1), ("合計", 3, 5, 1, 1, 1, 1, 1, 1)]
    assert list(wb["訂正・利用停止"].iter_rows(values_only=True))[3:5] == [("訂正請求", 1), ("利用停止請求", 0)]


def test_the_figures_follow_the_records(year):
    office, u, mayor, first = year["office"], year["units"], year["mayor"], year["first"]
    before = report.context(FY)
    assert public_by_organ(before)["市長"][0] == (4, 8, 2, 2, 3, 2, 1, 37, 62)

    # one more document, decided 部分公開, in a department the request already has: 文書 +1, 件数 the same
    decide(office, services.document_add(request=first, actor=office, department=u.nozei, title="分納誓約書"), "partial", D(2025, 4, 14))
    ctx = report.context(FY)
    assert public_by_organ(ctx)["市長"][0] == (4, 9, 2, 3, 3, 2, 1, 33, 66)  # ⌊300/9⌋, ⌊600/9⌋
    assert counts(ctx.public_total[0]) == (5, 12, 3, 4, 4, 2, 1, 33, 66)  # ⌊400/12⌋, ⌊800/12⌋
    cells = [[c.text for c in row.cells] for row in docx.Document(io.BytesIO(report.render_docx(ctx))).tables[0].rows]
    assert cells[2] == ["市長", "請求", "4件 9文書", "2文書", "3文書", "3文書（2文書）", "1文書", "33", "66"]

    # a document of another department on the same request: the request now counts once per department → 件数 +1
    decide(office, services.document_add(request=first, actor=office, department=u.kyufu, title="児童手当との調整記録"), "disclose", D(2025, 4, 14))
    ctx = report.context(FY)
    assert public_by_organ(ctx)["市長"][0] == (5, 10, 3, 3, 3, 2, 1, 40, 70)  # ⌊400/10⌋, ⌊700/10⌋
    assert counts(ctx.public_total[0]) == (6, 13, 4, 4, 4, 2, 1, 38, 69)  # ⌊500/13⌋ = 38, ⌊900/13⌋ = 69

    # a decision changed (非公開 → 公開 after review): the same counts move between columns
    nondisclosed = first.documents.get(title="滞納者との面談記録")
    decide(office, nondisclosed, "disclose", D(2025, 5, 1))
    ctx = report.context(FY)
    assert public_by_organ(ctx)["市長"][0] == (5, 10, 4, 3, 2, 2, 1, 50, 80)

    # one more 保有個人情報 request and one 利用停止請求
    add_request(office, mayor, "personal-disclosure", D(2025, 7, 7), [(u.mirai, "相談記録", "partial", D(2025, 7, 25), False)])
    add_request(office, mayor, "personal-suspension", D(2025, 7, 8), [(u.mirai, "相談記録の利用", "", None, False)])
    ctx = report.context(FY)
    (_, personal), = ctx.personal
    assert (personal.cases, personal.documents, personal.partial) == (4, 6, 2)
    assert ctx.corrections == {"correction": 1, "suspension": 1}
    assert ctx.correction_sentence.endswith("令和７年度における訂正請求は１件、利用停止請求は１件でした。")


def test_the_edges_of_the_fiscal_year(year):
    office, u, mayor = year["office"], year["units"], year["mayor"]
    before = report.context(FY)
    # received the day before the year starts (decided inside it), and the day after it ends
    add_request(office, mayor, "public-request", D(2025, 3, 31), [(u.nozei, "前年度末の請求の文書", "disclose", D(2025, 4, 2), False)])
    add_request(office, mayor, "public-request", D(2026, 4, 1), [(u.nozei, "翌年度初日の請求の文書", "partial", D(2026, 4, 13), False)])
    add_request(office, mayor, "personal-disclosure", D(2026, 4, 1), [(u.kyufu, "翌年度の開示請求", "disclose", D(2026, 4, 13), False)])
    add_request(office, mayor, "personal-correction", D(2025, 3, 31), [(u.kyufu, "前年度の訂正請求", "", None, False)])
    ctx = report.context(FY)
    assert public_by_organ(ctx) == public_by_organ(before)
    assert counts(ctx.public_total[0]) == counts(before.public_total[0]) == (5, 11, 3, 3, 4, 2, 1, 36, 63)
    assert ctx.personal[0][1].cases == 3 and ctx.corrections == {"correction": 1, "suspension": 0}
    assert "前年度に受け付け、この年度に決定した請求：1件（前年度の件数に計上）" in ctx.checks
    # each lands in its own year
    previous, following = report.context(2024), report.context(2026)
    assert public_by_organ(previous) == {"市長": ((1, 1, 1, 0, 0, 0, 0, 100, 100), (0, 0, 0, 0, 0, 0, 0, None, None))}
    assert previous.corrections == {"correction": 1, "suspension": 0} and previous.personal == []
    assert public_by_organ(following)["市長"][0] == (1, 1, 0, 1, 0, 0, 0, 0, 100)
    assert following.personal[0][1].cases == 1
    with pytest.raises(report.NoData, match="令和9年度"):
        report.context(2027)


def test_the_other_citys_formula_leaves_withdrawals_out(year):
    settings = MunicipalSettings.current()  # no service writes the settings
    settings.rate_formula = "exclude-withdrawn"
    settings.save()
    ctx = report.context(FY)
    # 市長 請求: 8文書 less 1 取下げ = 7 → ⌊200/7⌋ = 28, ⌊400/7⌋ = 57; 合計: 10 → 30, 60
    assert public_by_organ(ctx)["市長"][0][-2:] == (28, 57)
    assert counts(ctx.public_total[0])[-2:] == (30, 60)
    assert ctx.formula_note == "公開率は、取下げを除いた文書数で計算し、小数点以下を切捨てています。"
    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    assert "※公開率は、取下げを除いた文書数で計算し、小数点以下を切捨てています。" in [p.text for p in d.paragraphs]
    assert [c.text for c in d.tables[0].rows[2].cells][-2:] == ["28", "57"]


def test_a_rate_without_documents_is_printed_as_a_dash(year):
    """With no document to count, 公開率 has no value (None in the context): the printed report shows 「―」, as for
    every empty figure, never the word None (operation_status.public_cells writes str(None) today)."""
    office, education, gakko = year["office"], year["education"], year["gakko"]
    # a 公開申出 just received, its documents not identified yet (the intake form lets them be added later)
    offer = add_request(office, education, "public-offer", D(2025, 12, 1), [], departments=[gakko])
    ctx = report.context(FY)
    assert public_by_organ(ctx)["教育委員会"][1] == (1, 0, 0, 0, 0, 0, 0, None, None)
    assert counts(ctx.public_total[1]) == (2, 1, 0, 1, 0, 0, 0, 0, 100)
    rows = [[c.text for c in row.cells] for row in docx.Document(io.BytesIO(report.render_docx(ctx))).tables[0].rows]
    assert rows[5] == ["教育委員会", "申出", "1件 0文書", "―", "―", "―", "―", "―", "―"]
    # the other city's formula: every document of the 申出 withdrawn leaves nothing to divide by
    settings = MunicipalSettings.current()
    settings.rate_formula = "exclude-withdrawn"
    settings.save()
    decide(office, services.document_add(request=offer, actor=office, department=gakko, title="部活動の指導方針"), "withdrawn", D(2025, 12, 5))
    ctx = report.context(FY)
    assert public_by_organ(ctx)["教育委員会"][1] == (1, 1, 0, 0, 0, 0, 1, None, None)
    rows = [[c.text for c in row.cells] for row in docx.Document(io.BytesIO(report.render_docx(ctx))).tables[0].rows]
    assert rows[5] == ["教育委員会", "申出", "1件 1文書", "―", "―", "―", "1文書", "―", "―"]
    page = pdfplumber.open(io.BytesIO(report.render_pdf(ctx))).pages[0]
    assert "None" not in page.extract_text()
