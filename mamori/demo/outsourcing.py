"""Demo contracts: FY2023 as the seed's 資料5 reports it, and a few contracts in force now.

資料5 (令和5年度): 185 programs outsourced (再委託 9, 再々委託 1, 賃貸借 1), 296 contractors counted per
program, inspections 実地 55 / 書面 224 / その他 17, certifications Pマーク 45 / ISMS 7 / both 44 / none 200.
The seed's named contractors are on their programs; their certifications here are illustrative.
"""
import datetime
import itertools
from pathlib import Path

from django.utils import timezone

from mamori.core.calendar import fiscal_year
from mamori.core.models import OrgUnit
from mamori.outsourcing import services
from mamori.outsourcing.rules import CHECKLIST
from mamori.register import services as register
from mamori.register.models import Program
from mamori.register.serialize import empty_version_dict

D = datetime.date
FY_START, FY_END = D(2023, 4, 1), D(2024, 3, 31)

# (contractor, certification category, [programs]) — the seed's contractors and the demo register's.
NAMED = [
    ("株式会社ジーシーシー", "both", ["市民税等賦課事業", "障害者生活支援事業", "住民税非課税世帯支援給付金支給事業", "住民税均等割のみ課税世帯支援給付金支給事業",
                               "子育て世帯(住民税非課税世帯等）支援給付金支給事業", "定額減税調整給付金支給事業"]),
    ("アデコ株式会社", "pmark", ["住民税非課税世帯支援給付金支給事業", "住民税均等割のみ課税世帯支援給付金支給事業",
                          "子育て世帯(住民税非課税世帯等）支援給付金支給事業", "定額減税調整給付金支給事業"]),
    ("株式会社キャリア・マム", "pmark", ["ひとり親家庭等相談支援事業"]),
    ("㈱鎌倉新書", "pmark", ["戸籍管理事業"]),
    ("株式会社日本ビジネスデータープロセシングセンター", "both", ["介護認定調査・審査事業"]),
    ("第一環境株式会社", "isms", ["水道事業健全運営事業"]),
    ("社会福祉法人朝霞市社会福祉協議会", "none", ["放課後児童クラブ運営事業"]),
    ("公益財団法人埼玉県健康づくり事業団", "pmark", ["がん検診事業", "児童生徒健康診断事業"]),
    ("株式会社図書館流通センター", "pmark", ["図書館運営事業"]),
]
QUOTA_CERT = {"pmark": 45, "isms": 7, "both": 44, "none": 200}
QUOTA_METHOD = {"onsite": 55, "document": 224, "other": 17}
AREAS = ["高齢者", "障害者", "子育て", "母子保健", "環境美化", "税務", "防災", "学校教育", "文化振興", "スポーツ振興", "市営住宅", "道路維持",
         "公園管理", "地域交通", "商工振興", "観光", "農業振興", "消費生活", "市民活動", "国際交流"]
TASKS = ["相談支援", "給付", "啓発", "施設管理", "システム運用", "実態調査", "訪問支援", "申請受付"]
COMPANY_WORDS = ["みらい", "あさか", "さくら", "ひかり", "つばさ", "わかば", "けやき", "あおば", "ほくと", "こだま", "のぞみ", "やまと"]
COMPANY_KINDS = ["情報システム", "ビジネスサービス", "データセンター", "印刷", "コンサルタント", "メディカル", "ケアサービス", "総合サービス"]


def corporate_number(seed: int) -> str:
    base = f"{300000000000 + seed * 7919:012d}"
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return f"{9 - total % 9}{base}"


def _checklist(ng: int | None = None) -> dict:
    out = {str(n): {"result": "ok", "comment": ""} for n, *_ in CHECKLIST}
    out["7"] = {"result": "na", "comment": "再委託なし"}
    out["11"] = {"result": "na", "comment": ""}
    if ng:
        out[str(ng)] = {"result": "ng", "comment": "保管庫の施錠記録が一部なかった" if ng == 5 else "研修の記録が未作成だった"}
    return out


# The seed's 「個人情報の取扱いに関する特記事項」 (第１条〜第１７条), one paragraph a line as the office types it. The seed does
# not print its 施行日: the demo's edition is in force from 令和5年4月1日 (illustrative), before the demo meeting.
PROVISIONS_TEXT = Path(__file__).parent / "data" / "special_provisions.txt"
PROVISIONS_IN_FORCE = D(2023, 4, 1)


def load_provisions(office):
    return services.special_provisions_add(actor=office, in_force_on=PROVISIONS_IN_FORCE, body=PROVISIONS_TEXT.read_text(encoding="utf-8"))


def load(office) -> None:
    load_provisions(office)
    units = list(OrgUnit.objects.filter(kind="unit").order_by("code"))
    programs_by_name = {p.current.name: p for p in Program.objects.select_related("current").filter(current__isnull=False)}
    contractors = {}
    pairs = []  # (program, contractor name, category, kind)
    named_programs = []
    for name, category, program_names in NAMED:
        for program_name in program_names:
            program = programs_by_name[program_name]
            kind = "designated" if program_name == "放課後児童クラブ運営事業" else "outsourcing"
            pairs.append((program, name, category, kind))
            if program not in named_programs:
                named_programs.append(program)
    # the other programs of the register, then generated ones, up to 185 programs
    others = [p for p in programs_by_name.values() if p not in named_programs and not p.current.abolished_on]
    generated = []
    names = (f"{a}{t}事業" for a, t in itertools.product(AREAS, TASKS))
    while len(named_programs) + len(others) + len(generated) < 185:
        name = next(names)
        if name in programs_by_name:
            continue
        unit = units[len(generated) % len(units)]
        data = empty_version_dict(unit) | {"name": name, "purpose": f"{name}を実施するため。", "person_count": 500 + 37 * len(generated),
                                           "groups": [{"name": "対象者", "note": "", "items": ["氏名", "住所", "電話番号"]}]}
        generated.append(register.program_migrate(data=data, effective_from=D(2020, 4, 1), note="デモ（委託の報告用）"))
    programs = named_programs + others + generated
    rest = programs[len(named_programs):]
    # remaining certification and method quotas after the named pairs
    cert_left = dict(QUOTA_CERT)
    for *_, category, _ in pairs:
        cert_left[category] -= 1
    categories = list(itertools.chain.from_iterable([c] * n for c, n in cert_left.items()))
    seq = itertools.count(1)

    def new_company():
        n = next(seq)
        return f"株式会社{COMPANY_WORDS[n % len(COMPANY_WORDS)]}{COMPANY_KINDS[(n // len(COMPANY_WORDS)) % len(COMPANY_KINDS)]}{n:03d}"

    for i, program in enumerate(rest):
        pairs.append((program, new_company(), None, "lease" if i == len(rest) - 1 else "outsourcing"))
    subs = rest[:9]
    for i, program in enumerate(subs):
        pairs.append((program, new_company(), None, "sub"))
    pairs.append((subs[0], new_company(), None, "subsub"))
    for program in rest[9:106]:
        pairs.append((program, new_company(), None, "outsourcing"))
    assert len({p.pk for p, *_ in pairs}) == 185 and len(pairs) == 296, (len(pairs),)
    generated_pairs = [i for i, (_, _, category, _) in enumerate(pairs) if category is None]
    for index, category in zip(generated_pairs, categories):
        program, name, _, kind = pairs[index]
        pairs[index] = (program, name, category, kind)

    for n, (name, category) in enumerate(dict.fromkeys((name, category) for _, name, category, _ in pairs)):
        contractor = services.contractor_save(actor=office, name=name, corporate_number=corporate_number(n + 1), address="埼玉県内")
        contractors[name] = contractor
        kinds = {"pmark": ["pmark"], "isms": ["isms"], "both": ["pmark", "isms"], "none": []}[category]
        for kind in kinds:
            services.certification_add(actor=office, contractor=contractor, kind=kind, number=f"{'P' if kind == 'pmark' else 'IS'}-{10000 + n}",
                                       issued_on=D(2020, 4, 1), expires_on=D(2027, 3, 31) if n % 40 else D(2026, 12, 31))

    method_left = dict(QUOTA_METHOD)
    contracts_by_program = {}
    for i, (program, name, _, kind) in enumerate(pairs):
        parent = None
        if kind in ("sub", "subsub"):
            wanted = "sub" if kind == "subsub" else None
            parent = next(c for c in reversed(contracts_by_program[program.pk]) if (c.kind == wanted if wanted else c.kind in ("outsourcing", "designated")))
        contract = services.contract_save(
            actor=office, program=program, contractor=contractors[name], kind=kind, parent=parent,
            approved_on=D(2023, 4, 10) if parent else None, title=f"{program.current.name} 業務委託" if kind != "lease" else f"{program.current.name} 機器賃貸借",
            work="業務の一部を委託" if kind != "lease" else "端末機器の賃貸借（保守を含む）", starts_on=FY_START, ends_on=FY_END,
            items=[gi.written_name for g in program.current.groups.all() for gi in g.items.all()][:3],
        )
        contracts_by_program.setdefault(program.pk, []).append(contract)
        method = "onsite" if i < 18 else next(m for m in ("onsite", "document", "other") if method_left[m] > 0)
        method_left[method] -= 1
        services.inspection_save(actor=office, contract=contract, fiscal_year=2023, method=method, inspected_on=D(2023, 10, 2) + datetime.timedelta(days=i % 60),
                                 results=_checklist(5 if i in (3, 40) else 3 if i == 77 else None) if method != "other" else {},
                                 city_inspectors="個人情報保護担当 主査" if method == "onsite" else "", contractor_staff="保護管理者")
        for form in ("1", "2", "3"):
            services.form_receive(actor=office, contract=contract, form=form, received_on=D(2023, 4, 5),
                                  details={"name": "対象者情報", "media": "紙", "place": "受注者事務所 施錠保管庫", "return_on": "2024-03-31"} if form == "3" else {})
        if i % 50 != 7:  # a few ended without the 第14条 report, to show the list
            services.disposal_record(actor=office, contract=contract, method="erase" if i % 3 else "return", done_on=D(2024, 3, 29),
                                     person="受注者 保護管理者", detail="データ消去ソフトによる消去" if i % 3 else "紙媒体を返還", report_received_on=D(2024, 4, 5))
    for inspection_contract in contracts_by_program[pairs[3][0].pk][:1]:
        inspection = inspection_contract.inspections.get()
        for finding in inspection.findings.all():
            services.finding_update(actor=office, finding=finding, action="入退室・施錠の記録簿を整備し、毎日点検する", due_on=D(2023, 11, 30), done_on=D(2023, 11, 28))
    _current(office, programs_by_name, contractors)


def _current(office, programs_by_name, contractors) -> None:
    """Contracts in force this year: some forms missing, one sub-contract without written approval."""
    today = timezone.localdate()
    start = D(fiscal_year(today), 4, 1)
    end = D(fiscal_year(today) + 1, 3, 31)
    gcc = contractors["株式会社ジーシーシー"]
    main = services.contract_save(actor=office, program=programs_by_name["市民税等賦課事業"], contractor=gcc, kind="outsourcing",
                                  title="基幹系システム運用保守業務委託", starts_on=start, ends_on=end, items=["氏名", "住所", "課税状況"])
    services.form_receive(actor=office, contract=main, form="1", received_on=start + datetime.timedelta(days=3))
    sub_company = services.contractor_save(actor=office, name="株式会社あさかデータ入力", corporate_number=corporate_number(900))
    services.contract_save(actor=office, program=programs_by_name["市民税等賦課事業"], contractor=sub_company, kind="sub", parent=main,
                           title="課税資料のデータ入力（再委託）", starts_on=start + datetime.timedelta(days=30), ends_on=end, items=["氏名", "住所"])
    services.incident_report(actor=office, contract=main, occurred_on=start + datetime.timedelta(days=60), reported_on=start + datetime.timedelta(days=61),
                             summary="運用保守作業中に誤った帳票を出力した（外部への流出なし）。")
