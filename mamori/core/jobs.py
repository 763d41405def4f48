"""Long work as background jobs, with their progress on the page.

An app registers a kind of job from its ``AppConfig.ready()``::

    jobs.register_job(JobKind("council.ingest", "審議会資料の取込", run=run_ingest, may_start=perm.can_ingest))

and starts one from a view with ``jobs.start("council.ingest", actor=user, params={...})``. The
job's function receives the Job and a ``progress(percent, step)`` callback and returns a
``Outcome`` (where to look at the result, or a file to download). ``JobError`` carries a message for
the person who asked (in Japanese); any other exception fails the job with a generic message and is
logged without the job's parameters.

The queue is django-tasks' database backend (django-tasks-db): the job's state is in core.Job,
so a second app server or worker joins without any change (``mamori worker``).
"""
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Callable

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from mamori.core import audit
from mamori.core.models import AuditAction, Job, JobStatus

logger = logging.getLogger("mamori.jobs")

STALE_AFTER_SECONDS = 300  # no word from the worker for this long: the page says so


class JobError(Exception):
    """A failure the person who asked can act on; its message is shown on the job's page."""


@dataclass(frozen=True)
class Outcome:
    label: str = ""            # 「取り込んだ届出 3件を確認してください」
    url: str = ""              # the page to go on to
    file_name: str = ""        # a file to download …
    file_content: bytes = b""  # … and its content


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: Callable[[Job, Callable[[int, str], None]], Outcome]
    may_start: Callable[[object], bool]
    may_view: Callable[[object, Job], bool] | None = None  # default: who asked, and whoever may start one


KINDS: dict[str, JobKind] = {}


def register_job(kind: JobKind) -> None:
    KINDS[kind.key] = kind


def may_view(user, job: Job) -> bool:
    kind = KINDS.get(job.kind)
    if kind is None or not getattr(user, "is_authenticated", False):
        return False
    if kind.may_view is not None:
        return kind.may_view(user, job)
    return job.created_by_id == user.pk or kind.may_start(user)


def start(kind_key: str, *, actor, params: dict, title: str = "") -> Job:
    """Queue a job (permission-checked, audited); the worker picks it up once this transaction commits."""
    kind = KINDS[kind_key]
    if not kind.may_start(actor):
        raise PermissionDenied(f"{kind.label}を行う権限がありません。")
    with transaction.atomic():
        job = Job.objects.create(id=uuid.uuid4(), kind=kind.key, title=title or kind.label, params=params, created_by=actor)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=job, after={"処理": job.title}, summary=f"{job.title}を依頼")
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def _update(job: Job, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def execute(job_id: str) -> None:
    """Run one job (called by the worker). A job already taken by another worker is left alone."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
        if job is None:
            return
        _update(job, status=JobStatus.RUNNING, started_at=timezone.now(), worker=f"{socket.gethostname()}:{os.getpid()}",
                step="開始しました")
    kind = KINDS.get(job.kind)
    if kind is None:
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(), error=f"処理の種類「{job.kind}」がこの版にありません。")
        return

    def progress(percent: int, step: str = "") -> None:
        _update(job, progress=max(0, min(100, int(percent))), step=step[:200])

    try:
        outcome = kind.run(job, progress)
    except JobError as exc:
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(), error=str(exc))
        return
    except Exception:  # noqa: BLE001 — any failure must end the job, not leave it 実行中
        logger.exception("job %s (%s) failed", job.pk, job.kind)  # the id and kind only: no parameters, no content
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(),
                error=f"処理中に予期しないエラーが発生しました。システム管理者に処理番号 {job.pk} を伝えてください。")
        return
    if outcome.file_name:
        job.result_file.save(outcome.file_name, ContentFile(outcome.file_content), save=False)
        Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    _update(job, status=JobStatus.DONE, finished_at=timezone.now(), progress=100, step="完了しました",
            result_url=outcome.url, result_label=outcome.label)


def is_stale(job: Job, now=None) -> bool:
    """Running, but the worker has not reported for STALE_AFTER_SECONDS (stopped or killed)."""
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    return ((now or timezone.now()) - job.heartbeat_at).total_seconds() > STALE_AFTER_SECONDS



@task()
def run_job(job_id: str) -> None:
    """The one django-tasks task: only the job's id travels on the queue."""
    execute(job_id)
