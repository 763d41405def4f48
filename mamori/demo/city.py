"""The demo city (`mamori load-demo`): 朝霞市 as the seed shows it.

Everything goes through the services, so the demo also exercises the real paths:
the organisation and users, the shipped vocabulary, the register as it stood
before Mamori (移行データ), then the seed's 18 notifications of 令和6年度第1回
drafted by the departments, approved by their 課長 and accepted by the office.
"""
import copy
import datetime
import json
from pathlib import Path

from django.db import transaction

from mamori.core import services as core
from mamori.core.models import MunicipalSettings, OrgUnit, Role, UnitKind, User
from mamori.council import services as council
from mamori.demo import files, handbooks, incidents, outsourcing, redaction, requests
from mamori.demo import organisation as org
from mamori.demo import programs as data
from mamori.register import services as register
from mamori.register.models import NotificationKind, Program, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict

DATA = Path(__file__).parent / "data"
VOCABULARY = Path(__file__).resolve().parent.parent / "register" / "data" / "vocabulary.json"
PASSWORD = "mamori-demo-pass"

# The logins printed by `make demo`: one per role.
LOGINS = [
    ("tanto", "子育 太郎", Role.DEPT_STAFF, "mirai"),
    ("kacho", "未来 花子", Role.DEPT_MANAGER, "mirai"),
    ("hogo", "保護 一郎", Role.PRIVACY_OFFICE, "joho"),
    ("iin", "審議 さくら", Role.COUNCIL, None),
    ("kansa", "監査 次郎", Role.AUDITOR, None),
    ("admin", "管理 三郎", Role.SYSADMIN, "somu-ka"),
]


class AlreadyLoaded(Exception):
    pass


def _units() -> dict[str, OrgUnit]:
    return {u.code: u for u in OrgUnit.objects.all()}


def load_organisation() -> None:
    organs = {code: core.organ_create(code=code, name=name, order=i, actor=None) for i, (code, name) in enumerate(org.ORGANS)}
    order = 0
    for organ_code, (div_code, div_name), sections in org.TREE:
        organ = organs[organ_code]
        division = core.unit_create(organ=organ, kind=UnitKind.DIVISION, code=div_code, name=div_name, order=order, actor=None)
        for sec_code, sec_name, units in sections:
            order += 1
            section = core.unit_create(organ=organ, kind=UnitKind.SECTION, code=sec_code, name=sec_name, parent=division, order=order, actor=None)
            for unit_code, unit_name in units:
                order += 1
                core.unit_create(organ=organ, kind=UnitKind.UNIT, code=unit_code, name=unit_name, parent=section, order=order, actor=None)
    for organ_code, sec_code, sec_name, units in org.TOP_SECTIONS:
        section = core.unit_create(organ=organs[organ_code], kind=UnitKind.SECTION, code=sec_code, name=sec_name, order=order, actor=None)
        for unit_code, unit_name in units:
            core.unit_create(organ=organs[organ_code], kind=UnitKind.UNIT, code=unit_code, name=unit_name, parent=section, actor=None)
    for code, name, home in org.TEAMS:
        parent = OrgUnit.objects.get(code=home)
        core.unit_create(organ=parent.organ, kind=UnitKind.TEAM, code=code, name=name, parent=parent, actor=None)


def _user(username, name, role, unit_code) -> User:
    unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
    return core.user_create(actor=None, password=PASSWORD, username=username, display_name=name, role=role, unit=unit, is_active=True)


def department_users(section: OrgUnit) -> tuple[User, User]:
    """A drafter and a 課長 for a section (created on first use)."""
    staff = User.objects.filter(unit=section, role=Role.DEPT_STAFF).first() or _user(f"{section.code}-tanto", f"{section.name}担当", Role.DEPT_STAFF, section.code)
    manager = User.objects.filter(unit=section, role=Role.DEPT_MANAGER).first() or _user(f"{section.code}-kacho", f"{section.name}長", Role.DEPT_MANAGER, section.code)
    return staff, manager


def _section_of(unit: OrgUnit) -> OrgUnit:
    return unit.section or unit


def _resolve_programs(version: dict) -> dict:
    """Program names in flows → program codes."""
    out = copy.deepcopy(version)
    by_name = {p.current.name: p.code for p in Program.objects.select_related("current")}
    for flow in out["flows"]:
        if flow["program"]:
            flow["program"] = by_name[flow["program"]]
    return out


def _file(kind: str, version: dict, effective: str, reason: str, content: str, program: Program | None, office: User):
    unit = OrgUnit.objects.get(code=version["unit"])
    staff, manager = department_users(_section_of(unit))
    n = register.notification_create(
        actor=staff, kind=kind, program=program, reason=reason, content=content,
        proposed=version, effective_date=datetime.date.fromisoformat(effective),
    )
    register.notification_submit(notification=n, actor=staff)
    register.notification_approve(notification=n, actor=manager, comment="内容を確認しました。")
    return register.notification_accept(notification=n, actor=office, comment="")


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    if OrgUnit.objects.exists() or Program.objects.exists():
        raise AlreadyLoaded("データベースにはすでにデータがあります。デモデータは空のデータベースにだけ読み込めます。")
    settings = MunicipalSettings.current()
    settings.save()
    load_organisation()
    for username, name, role, unit in LOGINS:
        _user(username, name, role, unit)
    office = User.objects.get(username="hogo")
    register.vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))

    # The register as it stood before Mamori, in dependency order (sources first).
    pending = list(data.BASELINE)
    while pending:
        known = set(Program.objects.values_list("current__name", flat=True))
        ready = [p for p in pending if all(f["program"] in known for f in p["flows"] if f["program"])]
        if not ready:
            raise RuntimeError(f"未解決の参照: {[p['name'] for p in pending]}")
        for version in ready:
            register.program_migrate(data=_resolve_programs(version), effective_from=datetime.date.fromisoformat(version["started_on"]), actor=None)
            pending.remove(version)

    # 資料1 and 資料2: the seed's notifications, through the workflow.
    texts = json.loads((DATA / "seed_notifications.json").read_text(encoding="utf-8"))
    filed = []
    for entry in [t for t in texts if t["kind"] == "new"]:
        version, effective = data.NEW[entry["program"]]
        filed.append(_file(NotificationKind.NEW, _resolve_programs(version), effective, entry["reason"], entry["content"], None, office))
    for entry in [t for t in texts if t["kind"] == "change"]:
        program = Program.objects.select_related("current").get(current__name=entry["program"])
        change, effective = data.CHANGES[entry["program"]]
        current = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())
        names = {p.code: p.current.name for p in Program.objects.select_related("current")}
        for flow in current["flows"]:
            flow["program"] = names.get(flow["program"], flow["program"])
        change(current)
        filed.append(_file(NotificationKind.CHANGE, _resolve_programs(current), effective, entry["reason"], entry["content"], program, office))

    # 令和6年度第1回: the seed's meeting, reporting the 18 届出 (資料1・資料2).
    meeting = council.meeting_create(actor=office, fiscal_year=2024, number=1, date=datetime.date(2024, 7, 29),
                                     start_time=datetime.time(10, 0), place="市役所 別館２階 全員協議会室")
    council.meeting_assign(meeting=meeting, notifications=filed, actor=office)
    _work_in_progress(office)
    files.load(office)
    requests.load(office)
    redaction.load(office, PASSWORD)
    outsourcing.load(office)
    incidents.load(office)
    handbooks.load(office)
    return [(u, n, Role(r).label) for u, n, r, _ in LOGINS]


def _work_in_progress(office: User) -> None:
    """A few notifications in every state, so each role's inbox has something in it."""
    tanto, kacho = User.objects.get(username="tanto"), User.objects.get(username="kacho")

    def current(name):
        program = Program.objects.get(current__name=name)
        return program, version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())

    # Approved by the 課長, waiting for the office; it uses an item name the vocabulary does not know.
    program, v = current("児童手当給付事業")
    v["groups"][0]["items"].append("ＬＩＮＥアカウント名")
    v["flows"].append({"kind": "collect_person", "program": None, "party": "", "purpose": "LINE公式アカウントによる現況届の受付", "items": ["氏名", "ＬＩＮＥアカウント名"]})
    n = register.notification_create(actor=tanto, kind=NotificationKind.CHANGE, program=program, proposed=v,
                                     reason="令和7年度から児童手当の現況確認をLINE公式アカウントでも受け付けるため。",
                                     content="本人から収集する項目に「ＬＩＮＥアカウント名」を追加する。", effective_date=datetime.date(2025, 6, 1))
    register.notification_submit(notification=n, actor=tanto)
    register.notification_approve(notification=n, actor=kacho, comment="確認しました。")

    # Submitted, waiting for the 課長.
    program, v = current("こども医療費助成事業")
    v["flows"].append({"kind": "online", "program": None, "party": "社会保険診療報酬支払基金（オンライン資格確認）", "purpose": "受給資格の確認", "items": ["氏名", "生年月日", "被保険者番号"]})
    n = register.notification_create(actor=tanto, kind=NotificationKind.CHANGE, program=program, proposed=v,
                                     reason="医療費助成の受給資格確認をオンライン資格確認で行うため。",
                                     content="オンライン結合の相手に「社会保険診療報酬支払基金（オンライン資格確認）」を追加する。", effective_date=datetime.date(2025, 4, 1))
    register.notification_submit(notification=n, actor=tanto)

    # A draft.
    v = data.P("こども食堂支援事業", "kodomo-ikusei", "こども食堂の運営団体を支援し、利用児童の見守りにつなげるため。", "",
               [("運営団体代表者", ["氏名", "住所", "電話番号", "電子メールアドレス"])],
               [data.me(["氏名", "住所", "電話番号", "電子メールアドレス"], "補助金申請書により収集する。")],
               persons=40, started="2025-04-01")
    register.notification_create(actor=tanto, kind=NotificationKind.NEW, proposed=v, reason="令和7年度から補助制度を開始するため。",
                                 content="運営団体代表者の「氏名」、「住所」、「電話番号」、「電子メールアドレス」を収集する。", effective_date=datetime.date(2025, 4, 1))

    # Returned by the office with a comment.
    program, v = current("図書館運営事業")
    staff, manager = department_users(program.current.unit.section)
    v["groups"][0]["items"].append("利用履歴")
    n = register.notification_create(actor=staff, kind=NotificationKind.CHANGE, program=program, proposed=v,
                                     reason="おすすめ図書の案内を始めるため。", content="「利用履歴」を記録項目に追加する。", effective_date=datetime.date(2025, 7, 1))
    register.notification_submit(notification=n, actor=staff)
    register.notification_approve(notification=n, actor=manager)
    register.notification_return(notification=n, actor=office,
                                 comment="利用履歴は読書の内容が分かる情報です。利用目的（おすすめ案内）と保存期間、本人の同意の取り方を内容に書き加えてください。")
