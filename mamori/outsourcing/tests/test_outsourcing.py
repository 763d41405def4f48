"""Contractor supervision: the chain, bad input, and 資料5 equal to the seed cell by cell."""
import datetime
import io
import json

import docx
import openpyxl
import pdfplumber
import pytest
from django.core.exceptions import ValidationError

from mamori.outsourcing import services
from mamori.outsourcing.models import Contract, Contractor, Disposal
from mamori.outsourcing.reports import build
from mamori.outsourcing.reports.outsourcing_report import context, tables
from mamori.outsourcing.selectors import chain, ended_without_disposal, unapproved_subcontracts

D = datetime.date

SEED_TABLES = [
    ("①業務委託全般", [["業務を委託した事業数", "１８５件", "再委託数９件、再々委託１件、賃貸借契約１件含む。"],
                  ["委託事業者数", "２９６者", "同一事業で複数の事業者に委託している場合あり。"]]),
    ("②事業者に対する検査", [["実地検査", "５５者", "個人情報の保護に関する特記事項 別紙４「個人情報取扱状況の確認書（実地検査）」による。"],
                    ["書面検査", "２２４者", "個人情報の保護に関する特記事項 別紙５「個人情報取扱状況の確認書（書面検査）」による。"],
                    ["その他", "１７者", "業務日誌等の提出、職員が常時同席して確認している業務等。"]]),
    ("③事業者のプライバシーマーク等の取得状況", [["プライバシーマーク（Ｐマーク）", "４５者", "約１５％"], ["ＩＳＭＳ認証（ＩＳＯ２７００１）", "７者", "約２％"],
                                 ["プライバシーマーク・ＩＳＭＳ認証 両方取得", "４４者", "約１５％"], ["取得なし", "２００者", "約６８％"]]),
]


@pytest.fixture
def setup(city):
    office = city.users.office
    acme = services.contractor_save(actor=office, name="株式会社テスト", corporate_number="1180301018771")
    sub = services.contractor_save(actor=office, name="株式会社再受注", corporate_number="7000012050002")
    main = services.contract_save(actor=office, program=city.programs.teate, contractor=acme, kind="outsourcing", title="システム運用",
                                  starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31), items=["氏名", "住所"])
    return office, acme, sub, main


def test_invalid_corporate_number_is_refused(city):
    with pytest.raises(ValidationError, match="検査用数字"):
        services.contractor_save(actor=city.users.office, name="株式会社誤り", corporate_number="2180301018771")
    assert not Contractor.objects.exists()


def test_sub_contract_of_another_program_is_refused(city, setup):
    office, acme, sub, main = setup
    with pytest.raises(ValidationError, match="同じ事務事業の契約"):
        services.contract_save(actor=office, program=city.programs.juki, contractor=sub, kind="sub", parent=main, title="再委託",
                               starts_on=D(2024, 5, 1), ends_on=D(2025, 3, 31))
    assert Contract.objects.count() == 1


def test_chain_tree_and_unapproved_flag(city, setup):
    office, acme, sub, main = setup
    child = services.contract_save(actor=office, program=city.programs.teate, contractor=sub, kind="sub", parent=main, title="データ入力",
                                   starts_on=D(2024, 5, 1), ends_on=D(2025, 3, 31))
    assert [(d, c.title) for d, c in chain(child)] == [(0, "システム運用"), (1, "データ入力")]
    assert list(unapproved_subcontracts(city.users.office)) == [child]
    services.contract_save(actor=office, contract=child, program=city.programs.teate, contractor=sub, kind="sub", parent=main, title="データ入力",
                           starts_on=D(2024, 5, 1), ends_on=D(2025, 3, 31), approved_on=D(2024, 4, 20))
    assert list(unapproved_subcontracts(city.users.office)) == []


def test_items_must_come_from_the_program(city, setup):
    office, acme, _, _ = setup
    with pytest.raises(ValidationError, match="記録項目にない項目"):
        services.contract_save(actor=office, program=city.programs.teate, contractor=acme, kind="outsourcing", title="x",
                               starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31), items=["病歴"])


def test_disposal_before_the_contract_starts_is_refused(city, setup):
    office, _, _, main = setup
    with pytest.raises(ValidationError, match="契約の開始（令和6年4月1日）より前です"):
        services.disposal_record(actor=office, contract=main, method="erase", done_on=D(2024, 3, 1), person="保護管理者")
    assert not Disposal.objects.exists()
    assert list(ended_without_disposal(office, D(2025, 4, 10))) == [main]
    services.disposal_record(actor=office, contract=main, method="erase", done_on=D(2025, 3, 31), person="保護管理者", report_received_on=D(2025, 4, 3))
    assert list(ended_without_disposal(office, D(2025, 4, 10))) == []


def test_inspection_with_a_ng_opens_a_finding(city, setup):
    from mamori.outsourcing.rules import CHECKLIST

    office, _, _, main = setup
    results = {str(n): {"result": "ok"} for n, *_ in CHECKLIST}
    results["4"] = {"result": "ng", "comment": ""}
    with pytest.raises(ValidationError, match="点検項目4は「否」です"):
        services.inspection_save(actor=office, contract=main, fiscal_year=2024, method="onsite", inspected_on=D(2024, 10, 1), results=results)
    results["4"]["comment"] = "指定外の場所で作業していた"
    inspection = services.inspection_save(actor=office, contract=main, fiscal_year=2024, method="onsite", inspected_on=D(2024, 10, 1), results=results)
    (finding,) = inspection.findings.all()
    assert (finding.item, finding.finding) == (4, "指定外の場所で作業していた")


def test_demo_fy2023_equals_the_seed(demo):
    ctx = context(2023)
    assert [(heading, rows) for heading, _, rows in tables(ctx)] == SEED_TABLES
    data = json.loads(build(2023, "json"))
    assert (data["programs"], data["contractors"], data["certifications"]["none"], data["percents"]["none"]) == (185, 296, 200, 68)
    d = docx.Document(io.BytesIO(build(2023, "docx")))
    assert [[c.text for c in row.cells] for row in d.tables[2].rows][1:] == SEED_TABLES[2][1]
    page = pdfplumber.open(io.BytesIO(build(2023, "pdf"))).pages[0]
    assert "令和５年度 委託に関する報告について" in page.extract_text()
    assert [[c.replace("\n", "") for c in row] for row in page.extract_tables()[0][1:]] == SEED_TABLES[0][1]  # cells wrap as in the seed
    rows = list(openpyxl.load_workbook(io.BytesIO(build(2023, "xlsx")))["資料5"].iter_rows(values_only=True))
    assert ("③プライバシーマーク等の取得状況", "取得なし", 200, 68) in rows
    named = Contractor.objects.get(name="アデコ株式会社")
    assert {c.program.current.name for c in named.contracts.all()} >= {"定額減税調整給付金支給事業", "住民税非課税世帯支援給付金支給事業"}
