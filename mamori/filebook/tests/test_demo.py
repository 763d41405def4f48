"""The demo city's ファイル簿: files for the programs that qualify, with the right exemptions, some published, one change waiting."""
import json

from mamori.core.models import User
from mamori.filebook import entry, opendata, selectors, services
from mamori.filebook.models import Assessment, FileRevision, PersonalFile, RevisionKind, RevisionStatus
from mamori.register.models import Notification


def by_program(name) -> PersonalFile:
    return PersonalFile.objects.get(programs__current__name=name)


def test_the_demo_citys_file_register(demo):
    # every named program has its file; the 資料5 filler programs have none
    assert PersonalFile.objects.count() == 50
    # 法第74条第2項第3号: the staff file, as the program's note says, confirmed by the office and never published
    staff = by_program("職員人事管理事業")
    assert (staff.assessment, staff.assessment_ground, staff.confirmed) == (Assessment.EXEMPT, "74-2-3", True)
    assert not staff.revisions.filter(status=RevisionStatus.PUBLISHED).exists()
    # 第9号: fewer than 1,000 persons
    for name in ("人権啓発事業", "民生委員児童委員活動事業", "駅東通線整備事業"):
        assert by_program(name).assessment_ground == "74-2-9"
    assert not by_program("ひとり親家庭等相談支援事業").confirmed  # left for the office to confirm (home worklist)
    # the listed ones are published; a manual-only program's file is a マニュアル処理ファイル
    entries = {e.name: e for e in selectors.public_entries()}
    assert len(entries) == 40 and "住民基本台帳ファイル" in entries and "職員人事管理事業ファイル" not in entries
    assert entries["市民相談事業ファイル"].kind == "manual"
    assert entries["生活保護事業ファイル"].sensitive and entries["生活保護事業ファイル"].recipients == ("埼玉県",)
    # one change drafted and waiting: the office's own wording of 住民基本台帳ファイル's 収集方法
    [waiting] = FileRevision.objects.filter(status=RevisionStatus.DRAFTED)
    assert waiting.kind == RevisionKind.CHANGE and waiting.file == by_program("住民基本台帳管理事業")
    assert "住民基本台帳ネットワークシステム" in entry.for_file(waiting.file).content["collection"]
    assert "住民基本台帳ネットワークシステム" not in entries["住民基本台帳ファイル"].collection  # not published yet
    # nothing internal reaches the open data: no staff names, no notes, no 届出
    published = json.loads(opendata.render_json(selectors.public_entries(), "朝霞市", waiting.drafted_at.date()))
    text = json.dumps([list(e.values()) for e in published["entries"]], ensure_ascii=False)
    for user in User.objects.all():
        assert user.display_name not in text and f'"{user.username}"' not in text
    reasons = PersonalFile.objects.values_list("assessment_reason", flat=True)
    for internal in ("移行データ", staff.exemption_note, "受理により", *reasons, *Notification.objects.values_list("number", flat=True)):
        assert internal not in text
    assert services.pending(by_program("予防接種事業")) is None
