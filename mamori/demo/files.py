"""The demo city's 個人情報ファイル簿: a file for every named program, judged by the rule and confirmed by
the office, the listed ones published, and one change drafted and waiting (the office's own correction).

The seed's 18 届出 were accepted before this runs, so their programs already have files (the ファイル簿
follows every acceptance, core.hooks); the programs migrated from the office's previous register get
theirs here, as the office does when it starts using Mamori. The filler programs of 資料5 get none.
"""
from mamori.core.models import User
from mamori.demo import programs as data
from mamori.filebook import services
from mamori.filebook.models import PersonalFile
from mamori.register.models import Program

# What only the office knows about a file: the exemption it confirms (法第75条第2項), or its own wording.
EXEMPT = {
    "職員人事管理事業": ("74-2-3", "職員の任免・給与・服務等の人事に関する事項だけを記録するファイルのため（法第74条第2項第3号）。"),
}
WORDING = {
    "住民基本台帳管理事業": {"name": "住民基本台帳ファイル"},
    "選挙人名簿管理事業": {"name": "選挙人名簿ファイル", "collection_text": "住民基本台帳の記録に基づき、選挙管理委員会が職権で登録する。"},
    "市民税等賦課事業": {"name": "個人住民税課税台帳ファイル"},
}
JUKI_COLLECTION = ("住民異動届により本人から収集する。\n他市町村からの転入・転出の通知により収集する。\n"
                   "住民基本台帳ネットワークシステムにより、地方公共団体情報システム機構から本人確認情報の通知を受ける。")
LEFT_FOR_THE_OFFICE = "ひとり親家庭等相談支援事業"  # its exemption (fewer than 1,000) waits for the office's confirmation


def _named_programs() -> list[Program]:
    names = [p["name"] for p in data.BASELINE] + list(data.NEW)
    by_name = {p.current.name: p for p in Program.objects.filter(current__name__in=names).select_related("current")}
    return [by_name[n] for n in names if n in by_name]


def load(office: User) -> None:
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

    # A correction after publication: the office words the 収集方法 of 住民基本台帳ファイル itself; the change waits.
    file = PersonalFile.objects.get(programs__current__name="住民基本台帳管理事業")
    services.file_update(file=file, actor=office, programs=[link.program for link in file.fileprogram_set.order_by("order")],
                         name=file.name, collection_text=JUKI_COLLECTION)
