"""資料5 computed from the contracts, inspections and certifications, not copied from the seed: a 令和7年度 of
its own, the figures following a change, and the 3月31日／4月1日 edges of the year.

The fixture's 令和7年度 (2025-04-01 〜 2026-03-31), worked out by hand:
- 事業数 2 (住民基本台帳管理事業, 児童手当給付事業); of them with a 再委託 1, a 再々委託 0, a 賃貸借 1.
- 委託事業者数 8 (program, contractor) pairs: アルファ twice (two programs; on 住基 also a 賃貸借, still one pair).
- 検査: 実地 2 (アルファ/住基 — 実地 beats its 賃貸借's その他 —, デルタ), 書面 3, その他 1, none 2 (ガンマ's contract,
  in force on 2025-04-01 only, was inspected for 令和6年度; ゼータ's starts on 2026-03-31 and has none yet).
- 認証 over 8: Ｐマーク 3 → 37.5 → 約38%, ＩＳＭＳ 1 → 12.5 → 約13% (四捨五入: half up, not to even), 両方 2 → 約25%,
  取得なし 2 → 約25% (ゼータ's Ｐマーク expired on 2025-03-31, イータ's was granted on 2026-04-01: neither held in the
  year; ガンマ's expired on 2025-04-01, so held on its first day; デルタ's ＩＳＭＳ from 2026-03-31 makes it 両方).
"""
import datetime
import io

import docx
import openpyxl
import pdfplumber
import pytest

from mamori.conftest import version_data
from mamori.outsourcing import services
from mamori.outsourcing.reports import outsourcing_report as report
from mamori.outsourcing.rules import CHECKLIST
from mamori.register import services as register

D = datetime.date
FY = 2025  # 令和7年度
START, END = D(2025, 4, 1), D(2026, 3, 31)
NOTES = {
    "onsite": "個人情報の保護に関する特記事項 別紙４「個人情報取扱状況の確認書（実地検査）」による。",
    "document": "個人情報の保護に関する特記事項 別紙５「個人情報取扱状況の確認書（書面検査）」による。",
    "other": "業務日誌等の提出、職員が常時同席して確認している業務等。",
}


def checklist() -> dict:
    return {str(n): {"result": "ok", "comment": ""} for n, *_ in CHECKLIST}


def inspect(office, contract, method, on, fiscal_year=FY):
    return services.inspection_save(actor=office, contract=contract, fiscal_year=fiscal_year, method=method, inspected_on=on,
                                    results=checklist() if method != "other" else {})


@pytest.fixture
def year(city):
    office = city.users.office
    juki, teate = city.programs.juki, city.programs.teate

    def contractor(name, *certs):
        c = services.contractor_save(actor=office, name=name)
        for kind, issued_on, expires_on in certs:
            services.certification_add(actor=office, contractor=c, kind=kind, issued_on=issued_on, expires_on=expires_on, number=f"{kind}-{name}")
        return c

    def contract(program, who, kind="outsourcing", starts_on=START, ends_on=END, **kw):
        return services.contract_save(actor=office, program=program, contractor=who, kind=kind, title=f"{program.current.name}の{kind}",
                                      starts_on=starts_on, ends_on=ends_on, items=["氏名"], **kw)

    alpha = contractor("株式会社アルファ", ("pmark", D(2019, 4, 1), D(2027, 3, 31)))
    beta = contractor("株式会社ベータ", ("isms", None, D(2026, 6, 30)))
    gamma = contractor("株式会社ガンマ", ("pmark", D(2023, 4, 1), D(2025, 4, 1)))  # held on the year's first day
    delta = contractor("株式会社デルタ", ("pmark", D(2020, 1, 1), D(2028, 1, 1)), ("isms", D(2026, 3, 31), D(2029, 3, 30)))  # ISMS from the last day
    epsilon = contractor("株式会社イプシロン", ("pmark", D(2024, 5, 1), D(2028, 5, 1)), ("isms", D(2021, 1, 1), D(2030, 1, 1)))
    zeta = contractor("株式会社ゼータ", ("pmark", D(2023, 4, 1), D(2025, 3, 31)))  # expired the day before the year
    eta = contractor("株式会社イータ", ("pmark", D(2026, 4, 1), D(2028, 3, 31)))  # granted the day after it

    main = contract(juki, alpha)
    inspect(office, main, "onsite", D(2025, 9, 1))
    inspect(office, contract(juki, beta, kind="sub", parent=main, approved_on=D(2025, 4, 20), starts_on=D(2025, 5, 1)), "document", D(2025, 10, 1))
    inspect(office, contract(juki, alpha, kind="lease", starts_on=D(2025, 10, 1), ends_on=D(2030, 9, 30)), "other", D(2025, 11, 1))
    inspect(office, contract(juki, gamma, starts_on=D(2024, 4, 1), ends_on=D(2025, 4, 1)), "document", D(2024, 10, 1), fiscal_year=2024)
    inspect(office, contract(teate, epsilon, starts_on=D(2024, 10, 1), ends_on=D(2025, 9, 30)), "document", D(2025, 6, 2))
    inspect(office, contract(teate, delta, kind="designated", ends_on=D(2028, 3, 31)), "onsite", D(2025, 7, 1))
    late = contract(teate, zeta, starts_on=D(2026, 3, 31), ends_on=D(2027, 3, 31))  # starts on the last day; not inspected
    inspect(office, contract(teate, eta), "other", D(2025, 12, 1))
    inspect(office, contract(teate, alpha), "document", D(2026, 2, 2))
    return {"office": office, "city": city, "alpha": alpha, "beta": beta, "main": main, "late": late, "contractor": contractor, "contract": contract}


EXPECTED_TABLES = [
    ("①業務委託全般", [
        ["業務を委託した事業数", "２件", "再委託数１件、再々委託０件、賃貸借契約１件含む。"],
        ["委託事業者数", "８者", "同一事業で複数の事業者に委託している場合あり。"],
    ]),
    ("②事業者に対する検査", [
        ["実地検査", "２者", NOTES["onsite"]], ["書面検査", "３者", NOTES["document"]], ["その他", "１者", NOTES["other"]],
        ["検査の記録なし", "２者", "この年度の検査が記録されていません。"],
    ]),
    ("③事業者のプライバシーマーク等の取得状況", [
        ["プライバシーマーク（Ｐマーク）", "３者", "約３８％"], ["ＩＳＭＳ認証（ＩＳＯ２７００１）", "１者", "約１３％"],
        ["プライバシーマーク・ＩＳＭＳ認証 両方取得", "２者", "約２５％"], ["取得なし", "２者", "約２５％"],
    ]),
]


def figures(ctx) -> dict:
    return {"programs": (ctx.programs, ctx.programs_sub, ctx.programs_subsub, ctx.programs_lease), "contractors": ctx.contractors,
            "methods": ctx.methods, "certifications": ctx.certifications, "percents": ctx.percents}


def test_a_year_of_its_own_is_counted_from_the_records(year):
    ctx = report.context(FY)
    assert (ctx.fiscal_year, ctx.label) == (2025, "令和7年度")
    assert figures(ctx) == {
        "programs": (2, 1, 0, 1), "contractors": 8,
        "methods": {"onsite": 2, "document": 3, "other": 1, "none": 2},
        "certifications": {"pmark": 3, "isms": 1, "both": 2, "none": 2},
        "percents": {"pmark": 38, "isms": 13, "both": 25, "none": 25},
    }
    assert ctx.checks == ["この年度の検査の記録がない委託事業者が2者あります（特記事項第15条）。"]
    data = ctx.as_json()
    assert (data["programs"], data["contractors"], data["methods"]["none"], data["percents"]["isms"]) == (2, 8, 2, 13)

    d = docx.Document(io.BytesIO(report.render_docx(ctx)))
    texts = [p.text for p in d.paragraphs]
    assert "令和７年度 委託に関する報告について" in texts
    assert "令和７年度における個人情報を取り扱う業務委託の状況は以下のとおりです。" in texts
    assert [h for h, _ in EXPECTED_TABLES] == [t for t in texts if t[:1] in ("①", "②", "③")]
    assert [[[c.text for c in row.cells] for row in t.rows][1:] for t in d.tables] == [rows for _, rows in EXPECTED_TABLES]

    pages = pdfplumber.open(io.BytesIO(report.render_pdf(ctx))).pages
    text = "".join(p.extract_text() for p in pages)
    assert "令和７年度 委託に関する報告について" in text
    tables = [t for p in pages for t in p.extract_tables()]
    assert [[[c.replace("\n", "") for c in row] for row in t[1:]] for t in tables] == [rows for _, rows in EXPECTED_TABLES]

    rows = list(openpyxl.load_workbook(io.BytesIO(report.render_xlsx(ctx)))["資料5"].iter_rows(values_only=True))
    general, checks, certs = "①業務委託全般", "②事業者に対する検査", "③プライバシーマーク等の取得状況"
    assert rows[2] == ("区分", "項目", "件数・者数", "割合（％）")
    assert rows[3:] == [
        (general, "業務を委託した事業数", 2, None), (general, "うち再委託", 1, None), (general, "うち再々委託", 0, None),
        (general, "うち賃貸借", 1, None), (general, "委託事業者数", 8, None),
        (checks, "実地検査", 2, None), (checks, "書面検査", 3, None), (checks, "その他", 1, None), (checks, "検査の記録なし", 2, None),
        (certs, "プライバシーマーク", 3, 38), (certs, "ISMS", 1, 13), (certs, "両方取得", 2, 25), (certs, "取得なし", 2, 25),
    ]


def test_the_figures_follow_the_records(year):
    office, city, main, late = year["office"], year["city"], year["main"], year["late"]
    contractor, contract = year["contractor"], year["contract"]
    before = report.context(FY)
    assert before.methods["onsite"] == 2 and before.methods["none"] == 2

    # one more inspection: the contract that starts on the last day, inspected that day
    inspect(office, late, "onsite", D(2026, 3, 31))
    ctx = report.context(FY)
    assert ctx.methods == {"onsite": 3, "document": 3, "other": 1, "none": 1}
    assert ctx.checks == ["この年度の検査の記録がない委託事業者が1者あります（特記事項第15条）。"]
    cells = [[c.text for c in row.cells] for row in docx.Document(io.BytesIO(report.render_docx(ctx))).tables[1].rows]
    assert cells[1][:2] == ["実地検査", "３者"] and cells[4][:2] == ["検査の記録なし", "１者"]

    # one more contractor, with a Ｐマーク, on a new program: 9 pairs, 3 programs
    kokuho = register.program_migrate(data=version_data("国民健康保険事業", city.units.nozei), effective_from=D(2020, 4, 1))
    theta = contractor("株式会社シータ", ("pmark", D(2022, 4, 1), D(2026, 3, 31)))
    inspect(office, contract(kokuho, theta, starts_on=D(2025, 7, 1), ends_on=D(2025, 12, 31)), "document", D(2025, 8, 1))
    ctx = report.context(FY)
    assert (ctx.programs, ctx.contractors) == (3, 9)
    assert ctx.certifications == {"pmark": 4, "isms": 1, "both": 2, "none": 2}
    assert ctx.percents == {"pmark": 44, "isms": 11, "both": 22, "none": 22}  # 44.4, 11.1, 22.2, 22.2
    assert ctx.methods["document"] == 4

    # a 再々委託 under the 再委託, not approved in writing: counted, and flagged
    sub = main.children.get()
    contract(city.programs.juki, year["beta"], kind="subsub", parent=sub, starts_on=D(2025, 6, 1))
    ctx = report.context(FY)
    assert (ctx.programs, ctx.programs_subsub, ctx.contractors) == (3, 1, 9)  # the same (program, contractor) pair
    assert "書面承認の記録がない再委託・再々委託が1件あります（特記事項第10条）。" in ctx.checks
    rows = [[c.text for c in row.cells] for row in docx.Document(io.BytesIO(report.render_docx(ctx))).tables[0].rows]
    assert rows[1] == ["業務を委託した事業数", "３件", "再委託数１件、再々委託１件、賃貸借契約１件含む。"]
    assert rows[2][:2] == ["委託事業者数", "９者"]


def test_the_edges_of_the_fiscal_year(year):
    office, city, contractor, contract = year["office"], year["city"], year["contractor"], year["contract"]
    before = figures(report.context(FY))
    # a program whose only contracts end the day before the year, or start the day after it
    kokuho = register.program_migrate(data=version_data("国民健康保険事業", city.units.nozei), effective_from=D(2020, 4, 1))
    iota = contractor("株式会社イオタ", ("pmark", D(2020, 4, 1), D(2030, 3, 31)))
    kappa = contractor("株式会社カッパ")
    inspect(office, contract(kokuho, iota, starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31)), "onsite", D(2025, 3, 1), fiscal_year=2024)
    inspect(office, contract(kokuho, kappa, starts_on=D(2026, 4, 1), ends_on=D(2027, 3, 31)), "onsite", D(2026, 5, 1), fiscal_year=2026)
    assert figures(report.context(FY)) == before
    previous = report.context(2024)
    # 令和6年度: ガンマ (to 2025-04-01), イプシロン (from 2024-10-01) and イオタ
    assert (previous.programs, previous.contractors) == (3, 3)
    assert previous.methods == {"onsite": 1, "document": 1, "other": 0, "none": 1}
    assert previous.certifications == {"pmark": 2, "isms": 0, "both": 1, "none": 0}
    assert previous.percents == {"pmark": 67, "isms": 0, "both": 33, "none": 0}
    following = report.context(2026)
    assert following.methods["onsite"] == 1
    assert report.context(2030).contractors == 1  # the 賃貸借 runs to 2030-09-30
    with pytest.raises(report.NoData, match="令和13年度"):
        report.context(2031)
