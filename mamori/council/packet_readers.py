"""The council's readers of a packet's parts (council.packet_parts): 資料1・2 (届出), 資料3〜6 (a year's figures),
and 資料7 (a handbook revision, read and staged by the handbooks app: handbooks.ingest and handbooks.services)."""
import re
import unicodedata
from typing import Callable

from mamori.council import figure_readers, services
from mamori.council.packet_parts import Part, PartReader, PartUnreadable, Reading, register_part_reader, title_has
from mamori.handbooks import services as handbook_services
from mamori.handbooks.ingest import read_revision_text

_BLOCK = re.compile(r"^(?:事\s*務\s*事\s*業\s*名|事\s*業\s*名)(?:\s|[:：]|$)")


def _notifications(part: Part) -> Reading:
    """The 届出 themselves are read from the whole text by register.importers (its sandbox); here only their count."""
    blocks = sum(1 for line in part.lines if _BLOCK.match(unicodedata.normalize("NFKC", line)))
    return Reading(summary=f"届出 {blocks}件の事務事業を読み取りました（届出の確認待ちへ）")


def _is_notifications(part: Part) -> bool:
    return any(_BLOCK.match(unicodedata.normalize("NFKC", line)) for line in part.lines)



HANDBOOK_LABEL = "手引の改訂（新旧対照表）"


def handbook_reader(read_revision_text: Callable, revision_from_packet: Callable) -> PartReader:
    """資料7 read by the handbooks app: ``read_revision_text(text) -> RevisionDraft`` (a table of rows per handbook)
    and ``revision_from_packet(*, draft, source, actor)`` (one draft revision per handbook, to review).
    A draft with no rows, or a ValueError from the reader, is reported as not read, with its message."""

    def read(part: Part) -> Reading:
        try:
            draft = read_revision_text(part.text)
        except ValueError as exc:
            raise PartUnreadable(str(exc) or "新旧対照表が見つかりませんでした") from None
        rows = sum(len(t.rows) for t in draft.tables)
        if not rows:
            raise PartUnreadable("新旧対照表（該当ページ等・改訂前・改訂後）が見つかりませんでした。" + "".join(draft.warnings))
        names = "・".join(f"「{t.handbook}」" for t in draft.tables)
        return Reading(drafts=[draft], summary=f"{names}の改訂 {rows}行を読み取りました（手引の画面で改訂を確認してください）")

    def stage(*, reading, part, source, actor) -> int:
        draft = reading.drafts[0]
        revision_from_packet(draft=draft, source=f"{source.file_name}（{part.label or '手引の改訂'}）", actor=actor)  # the revision names where it came from
        return sum(len(t.rows) for t in draft.tables)

    return PartReader("handbook", HANDBOOK_LABEL, recognise=title_has("手引"), read=read, stage=stage)


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
    register_part_reader(handbook_reader(read_revision_text, handbook_services.revision_from_packet))
