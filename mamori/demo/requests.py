"""Demo requests: FY2023 exactly as the seed's 資料3 reports it, and requests in progress now.

資料3 (令和5年度): 公文書公開請求 — 市長 9件 53文書 (公開4・部分公開5・非公開44うち不存在43),
教育委員会 2件 4文書 (部分公開3・非公開1うち不存在1), 選挙管理委員会 3件 40文書 (公開2・部分公開38);
保有個人情報開示請求 — 市長 13件 21文書 (開示5・部分開示16), one decided after a 裁決; no 訂正・利用停止.
"""
import datetime

from django.utils import timezone

from mamori.core.models import Organ, OrgUnit, User
from mamori.disclosure import services
from mamori.disclosure.models import ClockKind

D = datetime.date
REASON_PERSONAL = ["法第78条第1項第2号"]
REASON_PUBLIC = ["朝霞市情報公開条例第7条第2号"]

# (organ, procedure, received, [(department code, [(title, decision, decided)]...)], subject)
FY2023 = [
    ("mayor", "public-request", D(2023, 4, 18), [("nozei", [("滞納処分の執行停止に関する決裁文書", "partial", D(2023, 5, 1))])], "滞納処分の執行停止の件数と決裁"),
    ("mayor", "public-request", D(2023, 6, 6), [("nyusatsu", [("令和4年度入札結果一覧", "disclose", D(2023, 6, 16)), ("最低制限価格の算定資料", "partial", D(2023, 6, 16))]),
                                                 ("kukaku", [("区画整理事業の工事請負契約書", "disclose", D(2023, 6, 16))])], "道路・区画整理の契約関係"),
    ("mayor", "public-request", D(2023, 8, 2), [("kankyo-taisaku", [(f"浄化槽清掃業者への指導記録（{y}年度）", "nonexistent", D(2023, 8, 14)) for y in range(2003, 2023)])], "浄化槽清掃業者への指導記録（平成15年度以降）"),
    ("mayor", "public-request", D(2023, 9, 11), [("madoguchi-kakari", [(f"窓口混雑状況の記録（{m}月）", "nonexistent", D(2023, 9, 22)) for m in range(1, 13)])], "窓口の混雑状況の記録"),
    ("mayor", "public-request", D(2023, 10, 3), [("engo-somu", [(f"生活保護の監査資料（{y}年度）", "nonexistent", D(2023, 10, 16)) for y in range(2013, 2024)]),
                                                  ("hogo-kakari", [("保護費の支給事務マニュアル", "partial", D(2023, 10, 16))])], "生活保護の監査資料と支給事務マニュアル"),
    ("mayor", "public-request", D(2023, 11, 20), [("jinji", [("職員の時間外勤務の集計表", "disclose", D(2023, 12, 1)), ("職員の懲戒処分の記録", "partial", D(2023, 12, 1)),
                                                              ("懲戒処分の審査会議事録", "nondisclose", D(2023, 12, 1))])], "職員の勤務と懲戒"),
    ("mayor", "public-request", D(2024, 1, 15), [("somu-ka", [("公用車の運行日誌", "disclose", D(2024, 1, 26)), ("公用車の事故報告書", "partial", D(2024, 1, 26))])], "公用車の運行と事故"),
    ("education", "public-request", D(2023, 7, 5), [("kyoiku-kanri-kakari", [("学校施設の耐震診断報告書", "partial", D(2023, 7, 18)), ("耐震改修の設計書", "partial", D(2023, 7, 18))])], "学校施設の耐震"),
    ("education", "public-request", D(2023, 12, 4), [("shido", [("いじめ調査の集計表", "partial", D(2023, 12, 15)), ("いじめ対策委員会の議事録（平成20年度）", "nonexistent", D(2023, 12, 15))])], "いじめ調査"),
    ("election", "public-request", D(2023, 5, 10), [("senkyo", [("選挙運動費用収支報告書（市議会議員選挙）", "partial", D(2023, 5, 22))] * 19)], "市議会議員選挙の選挙運動費用収支報告書"),
    ("election", "public-request", D(2023, 5, 12), [("senkyo", [("選挙運動費用収支報告書（市長選挙）", "partial", D(2023, 5, 24))] * 19)], "市長選挙の選挙運動費用収支報告書"),
    ("election", "public-request", D(2023, 9, 1), [("senkyo", [("投票所の配置図", "disclose", D(2023, 9, 12)), ("期日前投票所の運営要領", "disclose", D(2023, 9, 12))])], "投票所の運営"),
]
PERSONAL_2023 = [  # 13 requests, 21 documents: 開示 5, 部分開示 16
    ("kodomo-kyufu", [("児童扶養手当の認定記録", "partial")]),
    ("kodomo-kyufu", [("児童手当の支給記録", "disclose")]),
    ("hogo-kakari", [("生活保護のケース記録", "partial"), ("保護決定通知の控え", "disclose")]),
    ("hogo-kakari", [("生活保護のケース記録", "partial")]),
    ("shogai-fukushi", [("障害支援区分認定調査票", "partial"), ("サービス等利用計画", "partial"), ("障害者手帳の交付記録", "partial")]),
    ("kaigo-nintei", [("要介護認定調査票", "partial"), ("主治医意見書", "partial")]),
    ("fukushi-sodan-kakari", [("福祉相談の受付票", "partial")]),
    ("kodomo-sodan", [("児童相談の記録", "partial"), ("家庭訪問の記録", "partial")]),
    ("madoguchi-kakari", [("住民票の写しの交付請求書", "disclose")]),
    ("shiminzei", [("市民税の課税資料", "partial"), ("給与支払報告書", "disclose")]),
    ("boshi-hoken", [("乳幼児健康診査の記録", "partial")]),
    ("jinji", [("人事評価の記録", "partial"), ("健康診断の結果", "disclose")]),
    ("seijin-hoken", [("精神保健相談の記録", "partial"), ("訪問指導の記録", "partial")]),  # decided after a 裁決
]


def load(office: User) -> None:
    organs = {o.code: o for o in Organ.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    for organ, procedure, received, by_dept, subject in FY2023:
        docs = [(units[code], title) for code, items in by_dept for title, _, _ in items]
        r = services.request_create(actor=office, procedure=procedure, organ=organs[organ], departments=[units[c] for c, _ in by_dept],
                                    received_on=received, requester_name="（デモ）請求者", subject=subject, handler=office,
                                    requester_role="other", requester_kind="natural", documents=docs)
        decisions = [(decision, decided) for _, items in by_dept for _, decision, decided in items]
        for doc, (decision, decided) in zip(r.documents.order_by("id"), decisions):
            services.document_decide(document=doc, actor=office, decision=decision, decided_on=decided,
                                     reasons=REASON_PUBLIC if decision in ("partial", "nondisclose") else [],
                                     reason_text={"nonexistent": "作成・取得しておらず、存在しないため。"}.get(decision, "個人に関する情報が記録されているため。" if decision != "disclose" else ""))
    for i, (code, items) in enumerate(PERSONAL_2023):
        received = D(2023, 4, 10) + datetime.timedelta(days=25 * i)
        r = services.request_create(actor=office, procedure="personal-disclosure", organ=organs["mayor"], departments=[units[code]],
                                    received_on=received, requester_name="（デモ）本人", subject="自己に関する記録", handler=office,
                                    requester_role="self", requester_kind="natural", documents=[(units[code], t) for t, _ in items])
        last = i == len(PERSONAL_2023) - 1
        decided = received + datetime.timedelta(days=20)
        for doc, (_, decision) in zip(r.documents.order_by("id"), items):
            if last:  # first 不開示, then 審査請求 → 諮問 → 答申 → 裁決 → 部分開示
                services.document_decide(document=doc, actor=office, decision="nondisclose", decided_on=decided, reasons=["法第78条第1項第7号"], reason_text="事務の適正な遂行に支障")
            else:
                services.document_decide(document=doc, actor=office, decision=decision, decided_on=decided,
                                         reasons=REASON_PERSONAL if decision == "partial" else [], reason_text="第三者の情報" if decision == "partial" else "")
        if last:
            services.appeal_save(request=r, actor=office, filed_on=D(2024, 3, 1), consulted_on=D(2024, 3, 8), reported_on=D(2024, 6, 20),
                                 ruled_on=D(2024, 7, 1), ruling="partly", redecided_on=D(2024, 7, 5))
            for doc in r.documents.all():
                services.document_decide(document=doc, actor=office, decision="partial", decided_on=D(2024, 7, 5), after_ruling=True,
                                         reasons=REASON_PERSONAL, reason_text="答申に基づき、第三者の情報を除いて開示")
            services.notice_issue(request=r, actor=office, kind="partial", issued_on=D(2024, 7, 5))
    _in_progress(office, organs, units)


def _in_progress(office, organs, units) -> None:
    """Open requests around today: overdue, due soon, later, and one waiting for a 補正."""
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    cases = [
        ("personal-disclosure", ago(45), "kodomo-kyufu", "児童扶養手当の相談記録", None),
        ("public-request", ago(20), "nyusatsu", "令和7年度の入札参加資格審査の記録", None),
        ("personal-disclosure", ago(26), "hogo-kakari", "生活保護のケース記録", None),
        ("personal-disclosure", ago(28), "shogai-fukushi", "障害福祉サービスの支給記録", "extension"),
        ("personal-correction", ago(5), "shiminzei", "市民税の課税資料の記載", None),
        ("personal-disclosure", ago(10), "kaigo-nintei", "要介護認定の調査票", "correction"),
        ("public-request", ago(3), "kukaku", "駅東通線の用地交渉記録", None),
    ]
    for procedure, received, code, title, clock in cases:
        r = services.request_create(actor=office, procedure=procedure, organ=organs["mayor"], departments=[units[code]], received_on=received,
                                    requester_name="（デモ）請求者", subject=title, handler=office,
                                    requester_role="other" if procedure.startswith("public") else "self", requester_kind="natural",
                                    documents=[(units[code], title)])
        if clock == "correction":
            services.clock_add(request=r, actor=office, kind=ClockKind.CORRECTION, start_on=received + datetime.timedelta(days=2))
        if clock == "extension":
            services.clock_add(request=r, actor=office, kind=ClockKind.EXTENSION, start_on=received + datetime.timedelta(days=20), days=14,
                               reason="対象の文書が多く、第三者への意見照会が必要なため")
            services.notice_issue(request=r, actor=office, kind="extension", issued_on=received + datetime.timedelta(days=20))
