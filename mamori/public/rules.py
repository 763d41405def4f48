"""How a person asks for the personal information a file holds (保有個人情報の開示請求), as the public
site explains it beside each file of the 個人情報ファイル簿. No ORM: the city's settings come in as arguments.

Sources (e-Gov 法令検索 text of 個人情報の保護に関する法律 and its 施行令):
- 法第76条第1項: 何人も, the 本人 may ask for the disclosure of their 保有個人情報; 第2項: a minor's or an
  adult ward's 法定代理人, or an agent the person appointed (任意代理人), may ask on their behalf.
- 法第77条第1項: the request is a written 開示請求書 stating 第1号 the requester's 氏名及び住所又は居所 and
  第2号 what identifies the 保有個人情報 asked for; 第2項: the requester shows or submits what proves they
  are the 本人 (or the agent), as the 政令 says — 施行令第22条.
- 施行令第22条第1項: shown at the counter: 運転免許証, 個人番号カード, 旅券, 在留カード… ; 第2項: by post, a
  copy of such a document and a 住民票の写し; 第3項: an agent also proves being one (法定代理人: 戸籍謄本
  など, 任意代理人: 委任状).
- 法第82条: the decision (開示決定等) is notified in writing; 法第83条第1項: within 30 days of the request
  (an ordinance may shorten it, 法第108条 — a municipal setting); 第2項: extended by at most 30 days, with
  written notice and its reason; 法第84条: 特例 for very large requests.
- 法第87条第1項: disclosure by 閲覧 or 写しの交付 (electronic records as the 実施機関 decides).
- 法第89条第2項: the requester pays the fee the 条例 fixes (実費の範囲内); the cost of copies likewise.
- 法第90条・第98条: after disclosure, a 訂正請求 or 利用停止請求 may follow (within 90 days).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Fees:
    """法第89条第2項: what the city's 条例 charges (MunicipalSettings)."""

    request: int  # 開示請求手数料 (円), 0: free
    copy_monochrome: int  # 写しの交付 1枚 (白黒)
    copy_colour: int  # 写しの交付 1枚 (カラー)


def yen(amount: int) -> str:
    return f"{amount:,}円"


def fee_lines(fees: Fees) -> tuple[str, ...]:
    """The fees as the request page states them (法第89条第2項)."""
    request = "開示請求の手数料は無料です。" if fees.request == 0 else f"開示請求の手数料は、1件につき{yen(fees.request)}です。"
    return (
        request + "（個人情報の保護に関する法律第89条第2項、条例）",
        f"写しの交付を受けるときは、その費用（白黒1枚{yen(fees.copy_monochrome)}、カラー1枚{yen(fees.copy_colour)}）をご負担ください。"
        "郵送を希望するときは、郵送料もご負担ください。",
    )


def copy_cost(fees: Fees, *, monochrome: int = 0, colour: int = 0) -> int:
    """What copies cost: sheets × the per-sheet fee (法第89条第2項; the rates are the 条例's)."""
    if monochrome < 0 or colour < 0:
        raise ValueError("枚数は0以上です。")
    return monochrome * fees.copy_monochrome + colour * fees.copy_colour


def decision_lines(days: int) -> tuple[str, ...]:
    """When the answer comes (法第82条・第83条・第84条); ``days`` is the city's period (法第108条, at most 30)."""
    days = min(days, 30)
    return (
        f"開示するかどうかは、請求を受けた日の翌日から{days}日以内に決定し、書面でお知らせします（法第82条、第83条第1項）。",
        "事務処理上の困難などの正当な理由があるときは、30日以内に限り延長することがあり、その場合は理由を書面でお知らせします"
        "（法第83条第2項）。請求された情報が著しく大量のときは、さらに延長することがあります（法第84条）。",
    )


# 施行令第22条: what proves who is asking. (label, article)
IDENTITY_DOCUMENTS: tuple[str, ...] = ("運転免許証", "個人番号カード（マイナンバーカード）", "旅券（パスポート）", "在留カード・特別永住者証明書")
WHO_MAY_ASK = (
    ("本人", "何人も、自分の保有個人情報の開示を請求できます（法第76条第1項）。"),
    ("法定代理人", "未成年者・成年被後見人の法定代理人は、本人に代わって請求できます（法第76条第2項）。"),
    ("任意代理人", "本人の委任による代理人も、本人に代わって請求できます（法第76条第2項）。"),
)
BRING = (
    ("開示請求書", "氏名・住所（又は居所）と、請求する保有個人情報を特定する事項を書きます（法第77条第1項）。"
                  "このページの請求書には、ファイルの名称・番号と受付窓口があらかじめ書いてあります。"),
    ("本人であることを示す書類", f"{'、'.join(IDENTITY_DOCUMENTS)}など（法第77条第2項、施行令第22条第1項）。"
                             "郵送で請求するときは、その写しと住民票の写し（30日以内に作成されたもの）を添えます（施行令第22条第2項）。"),
    ("代理人が請求するとき", "代理人自身の本人確認書類に加え、法定代理人は戸籍謄本など資格を証明する書類、"
                        "任意代理人は委任状を添えます（施行令第22条第3項）。"),
)
AFTER = (
    "開示は、閲覧又は写しの交付により行います（法第87条第1項）。",
    "開示された内容が事実でないと思うときは訂正請求（法第90条）、法に反して取り扱われていると思うときは利用停止請求"
    "（法第98条）ができます。いずれも開示を受けた日から90日以内です。",
)
