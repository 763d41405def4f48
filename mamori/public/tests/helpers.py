"""A small published register, through the filebook's real workflow (届出 accepted, entries published)."""
from mamori.filebook import services
from mamori.filebook.models import PersonalFile
from mamori.filebook.tests.helpers import change, new_program


def publish_entries(city):
    """Three entries: one changed (a 経常的提供先 added), one deleted (its count fell below the threshold), one manual;
    returns the files by name."""
    a = new_program(city, groups=(("児童・保護者", ("氏名", "住所", "電話番号", "勤務先、通学先")),), purpose="放課後の居場所を提供するため。\n入室を決定するため。")
    fa = PersonalFile.objects.get(programs=a)
    services.revision_publish(file=fa, actor=city.users.office)
    change(city, a, lambda d: d["flows"].append({"kind": "provide_body", "program": None, "party": "埼玉県", "purpose": "", "items": ["氏名"]}))
    services.revision_publish(file=fa, actor=city.users.office)
    b = new_program(city, name="敬老祝金支給事業", persons=2000)
    fb = PersonalFile.objects.get(programs=b)
    services.revision_publish(file=fb, actor=city.users.office)
    change(city, b, lambda d: d.update(person_count=10))
    services.revision_publish(file=fb, actor=city.users.office)
    c = new_program(city, name="紙台帳事業", computerized=False, manual=True)
    fc = PersonalFile.objects.get(programs=c)
    services.revision_publish(file=fc, actor=city.users.office)
    return {"changed": fa, "deleted": fb, "manual": fc}
