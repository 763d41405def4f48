"""The measures a past year's figures are kept under (`YearFigure.measure`), with their printed labels and units.

One vocabulary for the packet reader that writes them (資料1〜6 of an ingested packet) and the charts that read them.
Decisions are per document, as 資料3 counts them; 公開率 is the percentage the packet printed.
"""
from dataclasses import dataclass

from mamori.council.models import FigureTopic


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str


_REQUESTS = (
    Measure("received", "受付件数", "件"),
    Measure("documents", "文書数", "文書"),
    Measure("withdrawn", "取下げ", "件"),
    Measure("rate", "公開率", "％"),  # as printed: 公開と部分公開の文書 ÷ 文書数
    Measure("rate:full", "公開率（公開のみ）", "％"),  # the packet's first 公開率 column
)

MEASURES: dict[str, tuple[Measure, ...]] = {
    FigureTopic.DISCLOSURE: _REQUESTS + (
        Measure("decided:full", "公開", "文書"),
        Measure("decided:partial", "部分公開", "文書"),
        Measure("decided:refused", "非公開", "文書"),
        Measure("decided:absent", "うち不存在", "文書"),
        Measure("offers", "公文書公開申出の受付件数", "件"),
    ),
    FigureTopic.PERSONAL: _REQUESTS + (
        Measure("decided:full", "開示", "文書"),
        Measure("decided:partial", "部分開示", "文書"),
        Measure("decided:refused", "不開示", "文書"),
        Measure("decided:absent", "うち不存在", "文書"),
        Measure("decided:neither", "存否応答拒否", "文書"),
    ),
    FigureTopic.CORRECTION: (
        Measure("correction", "訂正請求", "件"),
        Measure("suspension", "利用停止請求", "件"),
    ),
    FigureTopic.TRAINING: (
        Measure("sessions", "研修の回数", "回"),
        Measure("participants", "参加者数", "人"),
    ),
    FigureTopic.OUTSOURCING: (
        Measure("programs", "業務を委託した事業数", "件"),
        Measure("contractors", "委託事業者数", "者"),
        Measure("inspection:onsite", "実地検査", "者"),
        Measure("inspection:written", "書面検査", "者"),
        Measure("inspection:other", "その他の検査", "者"),
        Measure("cert:pmark", "プライバシーマーク", "者"),
        Measure("cert:isms", "ISMS認証", "者"),
        Measure("cert:both", "プライバシーマーク・ISMS認証 両方取得", "者"),
        Measure("cert:none", "取得なし", "者"),
    ),
    FigureTopic.INCIDENTS: (Measure("reports", "報告件数", "件"),),
    FigureTopic.NOTIFICATIONS: (
        Measure("new", "新規", "件"),
        Measure("change", "変更", "件"),
        Measure("abolish", "廃止", "件"),
    ),
}


# The topics each figure reader writes (PacketPart.reader → YearFigure.topic): what a part's review shows and accepts.
PART_TOPICS = {
    "operations": (FigureTopic.DISCLOSURE, FigureTopic.PERSONAL, FigureTopic.CORRECTION),
    "training": (FigureTopic.TRAINING,),
    "outsourcing": (FigureTopic.OUTSOURCING,),
    "incidents": (FigureTopic.INCIDENTS,),
}


def measure(topic: str, key: str) -> Measure | None:
    return next((m for m in MEASURES.get(topic, ()) if m.key == key), None)
