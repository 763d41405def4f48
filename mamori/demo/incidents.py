"""The seed's FY2023 incident (資料6) and training sessions (資料4), and this year's training."""
import datetime

from django.utils import timezone

from mamori.core.calendar import fiscal_year
from mamori.core.models import OrgUnit, User
from mamori.incidents import services as incidents
from mamori.outsourcing.models import Contract
from mamori.register.models import Program
from mamori.training import services as training

D = datetime.date
SUMMARY = ("教職員や生徒の検診の委託先である「公益財団法人埼玉県健康づくり事業団」が保有するシステムが不正アクセス攻撃を受け、"
           "検診データが漏えいしたおそれがあった（小中学校児童生徒１２，０７３人、教職員２９８人）。")


def load(office) -> None:
    program = Program.objects.get(current__name="児童生徒健康診断事業")
    contract = Contract.objects.filter(program=program, contractor__name="公益財団法人埼玉県健康づくり事業団").first()
    incidents.incident_save(
        actor=office, title="委託先の検診システムへの不正アクセス", summary=SUMMARY, learned_on=D(2024, 2, 26),
        unit=OrgUnit.objects.get(code="kyoiku-kanri-kakari"), programs=[program], contract=contract, media="電子（委託先のシステム）",
        cause="委託先のシステムが外部から不正アクセス攻撃を受けた。", malicious=True,
        secondary_damage="現時点で二次被害は確認されていない。", measures_done="委託先にシステムの停止・調査を指示した。",
        measures_planned="委託先の安全管理措置（アクセス制御・ログ監視）の強化を確認し、実地検査を行う。",
        sokuhou_on=D(2024, 2, 29), kakuhou_on=D(2024, 4, 4),
        notice_method="学校を通じてメールにて通知（卒業生、転出者等については、市ホームページにて通知文書を公表する）。",
        notice_on=D(2024, 3, 1), published_on=D(2024, 3, 1), publish_note="市ホームページに掲載",
        groups=[("小中学校児童生徒", 12073), ("教職員", 298)],
    )
    for held_on, name, target, n in (
        (D(2023, 4, 4), "新規採用職員前期研修", "", 21),
        (D(2023, 5, 9), "情報公開制度・個人情報保護制度事務研修会", "係長・各課で選任した保護担当者", 96),
        (D(2023, 7, 13), "個人情報保護制度研修会", "入庁２年目職員", 29),
        (D(2023, 11, 1), "新規採用職員後期研修", "", 35),
    ):
        training.session_save(actor=office, held_on=held_on, name=name, target=target, participants=n)
    today = timezone.localdate()
    start = D(fiscal_year(today), 4, 1)
    attended = list(User.objects.filter(username__in=["tanto", "kacho"]))
    training.session_save(actor=office, held_on=start + datetime.timedelta(days=40), name="番号法・個人情報保護制度研修", target="マイナンバーを扱う課の職員",
                          participants=len(attended), attendees=attended)
