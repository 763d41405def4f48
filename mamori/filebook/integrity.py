"""The ファイル簿's checks over data written in bulk (core.integrity: `mamori import`, `mamori restore`).

What the services guarantee, asked of rows that did not come through them: a file holds records of at
least one program, its claimed exemption is one of the law's, its published acts run in the order the
law makes them (filebook.rules.sequence_problem), a published act has its date, number and content.
"""
from django.db.models import Count

from mamori.core.integrity import Violation
from mamori.filebook import rules
from mamori.filebook.models import FileRevision, PersonalFile, RevisionStatus

FILE = "filebook.json"


def files():
    for f in PersonalFile.objects.annotate(n=Count("fileprogram")).order_by("code").iterator(chunk_size=2000):
        where = f"個人情報ファイル {f.code}"
        if f.n == 0:
            yield Violation(FILE, "filebook.personalfile", where, "programs", "事務事業が1つもありません。記録を持つ事務事業を指定してください。")
        if f.exemption and f.exemption not in rules.CLAIMABLE:
            yield Violation(FILE, "filebook.personalfile", where, "exemption", f"適用除外「{f.exemption}」は法の号にありません（{', '.join(rules.CLAIMABLE)}）。")
        if f.exemption and not f.exemption_note.strip():
            yield Violation(FILE, "filebook.personalfile", where, "exemption_note", "適用除外とする理由を書いてください。")
        if f.decision and f.decided_at is None:
            yield Violation(FILE, "filebook.personalfile", where, "decided_at", "確認した判定に確認日時がありません。")


def revisions():
    published: dict[str, list[str]] = {}
    for r in FileRevision.objects.select_related("file").order_by("file__code", "number", "drafted_at", "pk").iterator(chunk_size=2000):
        where = f"個人情報ファイル {r.file.code} の記載（{r.get_kind_display()}）"
        if r.status == RevisionStatus.PUBLISHED:
            if r.published_at is None or r.number is None or not r.content:
                yield Violation(FILE, "filebook.filerevision", where, "published_at", "公表した記載に公表日時・公表の回・内容のいずれかがありません。")
            elif r.published_at < r.drafted_at:
                yield Violation(FILE, "filebook.filerevision", where, "published_at", "公表日時が起案日時より前です。")
            published.setdefault(r.file.code, []).append(r.kind)
        elif r.number is not None or r.published_at is not None:
            yield Violation(FILE, "filebook.filerevision", where, "status", f"「{r.get_status_display()}」の記載に公表の回・公表日時があります。")
        if r.status == RevisionStatus.SUPERSEDED and r.closed_at is None:
            yield Violation(FILE, "filebook.filerevision", where, "closed_at", "取り消した記載に取消日時がありません。")
    for code, kinds in published.items():
        problem = rules.sequence_problem(kinds)
        if problem:
            yield Violation(FILE, "filebook.filerevision", f"個人情報ファイル {code}", "revisions", problem)
