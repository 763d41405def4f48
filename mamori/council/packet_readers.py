"""The council's readers of a packet's parts (council.packet_parts): 資料1・2 (届出), 資料3〜6 (a year's figures),
and the place 資料7 (a handbook revision) takes until the handbooks app registers its reader under the key 「handbook」."""
import re
import unicodedata

from mamori.council import figure_readers, services
from mamori.council.packet_parts import Part, PartReader, Reading, register_part_reader, title_has

_BLOCK = re.compile(r"^(?:事\s*務\s*事\s*業\s*名|事\s*業\s*名)(?:\s|[:：]|$)")


def _notifications(part: Part) -> Reading:
    """The 届出 themselves are read from the whole text by register.importers (its sandbox); here only their count."""
    blocks = sum(1 for line in part.lines if _BLOCK.match(unicodedata.normalize("NFKC", line)))
    return Reading(summary=f"届出 {blocks}件の事務事業を読み取りました（届出の確認待ちへ）")


def _is_notifications(part: Part) -> bool:
    return any(_BLOCK.match(unicodedata.normalize("NFKC", line)) for line in part.lines)



def register() -> None:
    register_part_reader(PartReader("notifications", "個人情報取扱管理簿の届出", recognise=_is_notifications, read=_notifications))
    register_part_reader(PartReader("operations", "情報公開制度・個人情報保護制度の運用状況",
                                    recognise=title_has("運用状況"), read=figure_readers.read_operations, stage=services.year_figures_stage))
    register_part_reader(PartReader("training", "職員への研修", recognise=title_has("研修"),
                                    read=figure_readers.read_training, stage=services.year_figures_stage))
    register_part_reader(PartReader("outsourcing", "委託に関する報告", recognise=title_has("委託に関する", "委託の状況"),
                                    read=figure_readers.read_outsourcing, stage=services.year_figures_stage))
    register_part_reader(PartReader("incidents", "個人情報保護委員会への漏えい等の報告", recognise=title_has("漏えい"),
                                    read=figure_readers.read_incidents, stage=services.year_figures_stage))
    # 資料7: recognised, not read, until mamori.handbooks registers a reader with this key (read_revision_text / revision_from_packet).
    register_part_reader(PartReader("handbook", "手引の改訂（新旧対照表）", recognise=title_has("手引"),
                                    unsupported="この版では読み取れません。手引の画面で改訂を登録してください。"))


