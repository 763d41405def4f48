"""The demo city holds the seed's facts (令和6年度第1回 資料1・資料2)."""
from mamori.core.models import OrgUnit
from mamori.register.models import FlowKind, Notification, NotificationKind, NotificationStatus, Program

SEED_NEW = ["人権啓発事業", "戸籍管理事業", "住民税非課税世帯支援給付金支給事業", "住民税均等割のみ課税世帯支援給付金支給事業",
            "子育て世帯(住民税非課税世帯等）支援給付金支給事業", "定額減税調整給付金支給事業", "ひとり親家庭等相談支援事業"]
SEED_CHANGED = ["市税徴収事業", "国民健康保険税徴収事業", "契約管理事業", "合併処理浄化槽設置促進事業", "福祉相談事業", "介護認定調査・審査事業",
                "ひとり親家庭支援事業", "児童扶養手当給付事業", "後期高齢者医療健康診査等事業", "駅東通線整備事業", "岡通線整備事業"]
REFERENCED = ["住民基本台帳管理事業", "市民税等賦課事業", "生活保護事業", "水道事業健全運営事業", "歯科保健事業", "障害者医療給付事業",
              "児童相談事業", "教育指導支援事業"]


def reuse_sources(name):
    program = Program.objects.get(current__name=name)
    return {f.program.current.name for f in program.current.flows.filter(kind=FlowKind.REUSE_IN)}


def test_seed_notifications_are_accepted_in_order(demo):
    accepted = Notification.objects.filter(status=NotificationStatus.ACCEPTED).order_by("number")
    assert [n.program_name for n in accepted if n.kind == NotificationKind.NEW] == SEED_NEW
    assert [n.program_name for n in accepted if n.kind == NotificationKind.CHANGE] == SEED_CHANGED
    for n in accepted:
        assert n.created_by != n.accepted_by and n.approved_by.role == "dept_manager"


def test_seed_programs_and_their_versions(demo):
    names = set(Program.objects.values_list("current__name", flat=True))
    assert set(SEED_NEW + SEED_CHANGED + REFERENCED) <= names
    assert len(names) >= 50
    for name in SEED_CHANGED:
        assert Program.objects.get(current__name=name).current.number == 2


def test_seed_reuse_links_are_flows_between_programs(demo):
    assert reuse_sources("駅東通線整備事業") == {"水道事業健全運営事業", "生活保護事業", "戸籍管理事業"}
    assert reuse_sources("契約管理事業") == {"市税徴収事業"}
    assert "歯科保健事業" in reuse_sources("後期高齢者医療健康診査等事業")
    assert len(reuse_sources("人権啓発事業")) == 14
    kosodate = reuse_sources("子育て世帯(住民税非課税世帯等）支援給付金支給事業")
    assert {"住民税非課税世帯支援給付金支給事業", "住民税均等割のみ課税世帯支援給付金支給事業"} <= kosodate


def test_team_with_its_home_section(demo):
    team = OrgUnit.objects.get(kind="team")
    assert team.label == "低所得者支援・定額減税調整給付金支給プロジェクト・チーム（福祉部 生活援護課 生活援護総務係）"
    assert team.parts() == {"division": "福祉部", "section": "生活援護課", "unit": "生活援護総務係",
                            "team": "低所得者支援・定額減税調整給付金支給プロジェクト・チーム"}
    program = Program.objects.get(current__name="定額減税調整給付金支給事業")
    assert program.current.unit == team
    assert program.current.has_my_number
    contractors = set(program.current.flows.filter(kind=FlowKind.OUTSOURCE).values_list("party", flat=True))
    assert contractors == {"アデコ株式会社", "株式会社ジーシーシー"}


def test_work_in_progress_fills_every_inbox(demo):
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "approved", "returned", "accepted"} <= statuses
