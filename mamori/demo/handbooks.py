"""The office's two handbooks, each in two editions, such that their revision is the seed's 資料7
(令和6年度第1回: 土地開発公社の解散に伴う改訂). Only the pages the revision touches are kept (5, 6 and 108);
the other lines are the handbooks' ordinary explanations, unchanged between the editions."""
import datetime
import itertools

from mamori.core.models import User
from mamori.handbooks import services
from mamori.handbooks.rules import Page, pages_to_json

WIDTH = 32  # characters per printed line

PRIVACY_TEXT = (
    "実施機関は、個人情報を取り扱う事務の目的を明確にし、その目的の達成に必要な範囲内で個人情報を取り扱います。"
    "保有する個人情報は、正確かつ最新の内容に保つよう努めなければなりません。"
    "漏えい、滅失又は毀損の防止その他の安全管理のために必要かつ適切な措置を講じます。"
    "職員は、職務上知り得た個人情報の内容をみだりに他人に知らせ、又は不当な目的に利用してはなりません。"
    "個人情報取扱事務を開始し、又は変更するときは、あらかじめ個人情報取扱管理簿の届出を行います。"
    "委託に伴い個人情報を提供するときは、個人情報の取扱いに関する特記事項を契約に付します。"
    "本人から開示の請求があったときは、請求のあった日から三十日以内に開示するかどうかを決定します。"
    "審議会は、個人情報の保護に関する重要な事項について調査審議し、実施機関に意見を述べます。"
)
DISCLOSURE_TEXT = (
    "この条例は、市民の公文書の公開を求める権利を明らかにし、市の諸活動を市民に説明する責務を全うするものです。"
    "公文書とは、実施機関の職員が職務上作成し、又は取得した文書、図画及び電磁的記録であって、組織的に用いるものをいいます。"
    "公開請求があったときは、請求のあった日から起算して十五日以内に公開するかどうかを決定します。"
    "非公開情報が記録されている部分を容易に区分して除くことができるときは、その部分を除いて公開します。"
    "決定に不服がある者は、審査請求をすることができ、実施機関は審査会に諮問しなければなりません。"
    "公文書の写しの交付に要する費用は、請求者の負担とし、閲覧の手数料は無料とします。"
    "実施機関は、公文書を適正に管理し、公文書の目録を作成して一般の閲覧に供します。"
)


class Filler:
    """Successive printed lines of a handbook's running text (the lines the revision leaves alone)."""

    def __init__(self, text: str):
        chars = itertools.cycle(text)
        self._lines = ("".join(itertools.islice(chars, WIDTH)) for _ in itertools.count())

    def take(self, n: int) -> list[str]:
        return [next(self._lines) for _ in range(n)]


def privacy_editions() -> tuple[list[Page], list[Page]]:
    """「個人情報保護制度の手引」: 令和5年4月版 and 令和6年4月版."""
    f = Filler(PRIVACY_TEXT)
    top5, body_a5, body_a6, body_b, rest6 = f.take(20), f.take(5), f.take(5), f.take(8), f.take(16)
    head = ["第２ 実施機関", "条例及び法の規定により、本市の実施機関は次のとおりです。"]
    old5 = head + top5 + ["次の２つの機関については、", "個人情報保護法の適用について特に注意が必要です。", "（a）土地開発公社について", *body_a5]
    old6 = body_a6 + ["（b）地方議会について", *body_b, *rest6]
    new5 = head + top5 + ["次の機関については、", "個人情報保護法の適用について特に注意が必要です。"]
    new6 = ["地方議会について", *body_b, *rest6]
    return [Page(5, tuple(old5)), Page(6, tuple(old6))], [Page(5, tuple(new5)), Page(6, tuple(new6))]


def disclosure_editions() -> tuple[list[Page], list[Page]]:
    """「情報公開事務の手引」: 令和5年4月版 and 令和6年4月版."""
    f = Filler(DISCLOSURE_TEXT)
    commentary, body_2a, body_2b, mid6, before4, body_4, rest6, top108, rest108 = (
        f.take(14), f.take(5), f.take(2), f.take(12), f.take(6), f.take(4), f.take(13), f.take(20), f.take(9))
    article = ["第２章 条例の解説", "（定義）", "第２条 この条例において「実施機関」とは、市長、教育委員会、選挙管理委員会、監査委員、農業委員会、"]
    old5 = [*article, "固定資産評価審査委員会、議会及び土地開発公社", "をいう。", "", "【解説】", *commentary,
            "議決機関である議会、さらに、市の出資法人である土地開発公社をいいます。", "実施機関の補助機関には、次のものが含まれます。",
            "（１） 福祉事務所", "福祉に関する事務所として市長が設置する機関です。", "（２） 土地開発公社については、", *body_2a]
    new5 = [*article, "固定資産評価審査委員会及び議会", "をいう。", "", "【解説】", *commentary,
            "議決機関である議会をいいます。", "実施機関の補助機関には、次のものが含まれます。",
            "福祉事務所", "福祉に関する事務所として市長が設置する機関です。"]
    old6 = [*body_2b, "３ 土地開発公社以外の市の出資法人等", *mid6, "中学校の職員及び土地開発公社の役職員をいいます", *before4,
            "（４） 「土地開発公社の役職員」とは、", *body_4, *rest6]
    new6 = ["３ 市の出資法人等", *mid6, "中学校の職員をいいます", *before4, *rest6]
    table = ["資料編 実施機関の一覧", *top108]
    old108 = [*table, "固定資産評価審査委員会、議会及び土地開発公社", *rest108]
    new108 = [*table, "固定資産評価審査委員会及び議会", *rest108]
    return ([Page(5, tuple(old5)), Page(6, tuple(old6)), Page(108, tuple(old108))],
            [Page(5, tuple(new5)), Page(6, tuple(new6)), Page(108, tuple(new108))])


BACKGROUND = "朝霞市土地開発公社の解散に伴い、朝霞市情報公開条例の実施機関の定義から「土地開発公社」を削除する改正を行いました"
ORDINANCE_DAY = datetime.date(2024, 3, 25)


def load(office: User) -> None:
    for order, (name, editions) in enumerate((("個人情報保護制度の手引", privacy_editions()), ("情報公開事務の手引", disclosure_editions())), start=1):
        handbook = services.handbook_create(name=name, order=order, actor=office)
        old, new = editions
        a = services.edition_create(handbook=handbook, label="令和5年4月版", issued_on=datetime.date(2023, 4, 1), pages=pages_to_json(old), actor=office)
        b = services.edition_create(handbook=handbook, label="令和6年4月版", issued_on=datetime.date(2024, 4, 1), pages=pages_to_json(new), actor=office)
        revision = services.revision_create(handbook=handbook, from_edition=a, to_edition=b, reason="土地開発公社の実施機関からの除外",
                                            background=BACKGROUND, promulgated_on=ORDINANCE_DAY, enforced_on=ORDINANCE_DAY,
                                            revised_on=datetime.date(2024, 4, 1), actor=office)
        services.revision_finalize(revision=revision, actor=office)
