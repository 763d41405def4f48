"""The background jobs of a request's documents (core.jobs, docs/adr/0010-background-jobs.md): a file's conversion to
its review PDF (LibreOffice can take a minute on a large workbook), and 「黒塗りを確定」 of a large file."""
from django.core.exceptions import ValidationError
from django.urls import reverse

from mamori.core import jobs
from mamori.core import permissions as perm
from mamori.disclosure import file_services
from mamori.disclosure.models import DocumentFile, FileStatus


def _file(job) -> DocumentFile:
    file = DocumentFile.objects.select_related("document__request").filter(pk=job.params.get("file")).first()
    if file is None:
        raise jobs.JobError("このファイルは削除されています。")
    return file


def _page(file: DocumentFile) -> str:
    return reverse("disclosure:file", args=[file.document.request.number, file.pk])


def run_convert(job, progress) -> jobs.Outcome:
    file = _file(job)
    progress(10, f"「{file.name}」をPDFにしています")
    file = file_services.file_convert(file)
    if file.status == FileStatus.FAILED:
        raise jobs.JobError(f"「{file.name}」をPDFにできませんでした：{file.error}")
    return jobs.Outcome(label=f"「{file.name}」をPDF（{file.page_count}ページ）にしました。黒塗りの作業に進めます。", url=_page(file))


def run_release(job, progress) -> jobs.Outcome:
    file = _file(job)
    progress(10, f"「{file.name}」を黒塗りしています")
    try:
        file_services.file_release_run(file, job.created_by)
    except ValidationError as exc:
        raise jobs.JobError(" ".join(exc.messages)) from None
    return jobs.Outcome(label=f"「{file.name}」の黒塗りを確定しました（検査に合格）。", url=_page(file))


def register() -> None:
    jobs.register_job(jobs.JobKind(file_services.CONVERT_JOB, "文書のPDF変換", run=run_convert, may_start=perm.can_decide_requests))
    jobs.register_job(jobs.JobKind(file_services.RELEASE_JOB, "黒塗りの確定", run=run_release, may_start=perm.can_decide_requests))
