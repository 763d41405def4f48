"""The demo city's 個人情報ファイル簿: a file for every named program, judged by the rule and confirmed by
the office, the listed ones published, and one change drafted by an accepted 届出 and waiting.

The seed's 18 届出 were accepted before this runs, so their programs already have files (the ファイル簿
follows every acceptance, core.hooks); the programs migrated from the office's previous register get
theirs here, as the office does when it starts using Mamori. The filler programs of 資料5 get none.
"""
from mamori.core.models import User
from mamori.demo import programs as data
from mamori.filebook import services
from mamori.filebook.models import PersonalFile
from mamori.register.models import NotificationKind, Program, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict

# What only the office knows about a file: the exemption it confirms (法第75条第2項), or its own wording.
EXEMPT = {
    "職員人事管理事業": ("74-2-3", "職員の任免・給与・服務等の人事に関する事項だけを記録するファイルのため（法第74条第2項第3号）。"),
}
WORDING = {
    "住民基本台帳管理事業": {"name": "住民基本台帳ファイル"},
    "選挙人名簿管理事業": {"name": "選挙人名簿ファイル", "collection_text": "住民基本台帳の記録に基づき、選挙管理委員会が職権で登録する。"},
    "市民税等賦課事業": {"name": "個人住民税課税台帳ファイル"},
}
LEFT_FOR_THE_OFFICE = "ひとり親家庭等相談支援事業"  # its exemption (fewer than 1,000) waits for the office's confirmation


def _named_programs() -> list[Program]:
    names = [p["name"] for p in data.BASELINE] + list(data.NEW)
    by_name = {p.current.name: p for p in Program.objects.filter(current__name__in=names).select_related("current")}
    return [by_name[n] for n in names if n in by_name]


def load(office: User, accept) -> None:
    """``accept(kind, version, effective, reason, content, program, office)``: demo.city's 届出 through the workflow."""
    for program in _named_programs():
        if not PersonalFile.objects.filter(programs=program).exists():
            services.file_create(programs=[program], actor=office, **WORDING.get(program.current.name, {}))
    for program in _named_programs():
        file = PersonalFile.objects.get(programs=program)
        name = program.current.name
        if name in WORDING and file.name != WORDING[name].get("name", ""):
            services.file_update(file=file, actor=office, programs=[program], **WORDING[name])
        if name in EXEMPT:
            code, note = EXEMPT[name]
            services.file_decide(file=file, actor=office, exemption=code, exemption_note=note)
        elif services.pending(file) is not None:
            services.revision_publish(file=file, actor=office)
        elif name != LEFT_FOR_THE_OFFICE and not file.confirmed:
            services.file_decide(file=file, actor=office)

    # A change accepted after publication: its entry is drafted and waits for the office.
    program = Program.objects.get(current__name="予防接種事業")
    version = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())
    version["groups"][0]["items"].append("電子メールアドレス")
    version["flows"].append({"kind": "collect_person", "program": None, "party": "", "purpose": "電子申請（予約）により本人から収集する。",
                             "items": ["氏名", "生年月日", "電子メールアドレス"]})
    accept(NotificationKind.CHANGE, version, "2025-04-01", "予防接種の予約を電子申請で受け付けるため。",
           "記録項目に「電子メールアドレス」を追加し、電子申請による収集を加える。", program, office)
