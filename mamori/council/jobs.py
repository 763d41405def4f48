"""The bound packet as a background job (core.jobs, docs/adr/0010-background-jobs.md): the meeting page's
「会議資料一式を作成」 queues it, a worker renders every part and binds them, and the job's page
(/jobs/<id>/) offers the file. A 審議会委員 may ask for it as the office may; each sees only their own jobs."""
from mamori.core import jobs
from mamori.core import permissions as perm
from mamori.council.models import Meeting
from mamori.council.reports import packet, packet_context

KIND = "council.packet"
LABEL = "審議会の会議資料一式の作成"
FORMAT_LABELS = {"pdf": "PDF（1冊）", "docx": "DOCX（1文書）", "zip": "ZIP（資料ごとのDOCX・PDF）"}


def run(job, progress) -> jobs.Outcome:
    meeting = Meeting.objects.filter(pk=job.params.get("meeting")).first()
    fmt = job.params.get("format")
    if meeting is None:
        raise jobs.JobError("この審議会は削除されています。審議会の一覧から選び直してください。")
    if fmt not in packet.FORMATS:
        raise jobs.JobError(f"形式「{fmt}」では作成できません（PDF・DOCX・ZIP のいずれか）。")
    progress(2, "資料の内容を集めています")
    ctx = packet_context(meeting, charts=bool(job.params.get("charts")))
    content = packet.RENDERERS[fmt](ctx, progress=progress)
    missing = f"（{'、'.join(ctx.missing)}）" if ctx.missing else ""
    return jobs.Outcome(label=f"{meeting.title}の会議資料一式（{FORMAT_LABELS[fmt]}、{len(ctx.parts)}点）を作成しました。{missing}",
                        file_name=packet.file_name(ctx, fmt), file_content=content)


def may_view(user, job) -> bool:
    """Who asked, and the office (a member does not see another member's requests)."""
    return job.created_by_id == user.pk or perm.can_manage_council(user)


def register() -> None:
    jobs.register_job(jobs.JobKind(KIND, LABEL, run=run, may_start=perm.can_read_council, may_view=may_view))
