"""The browser upload of a council packet as a background job (core.jobs): the file is kept in the storage
until the worker has read it, the job's page shows the parts as they are read, and links to the review."""
import tempfile
import uuid
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.urls import reverse

from mamori.core import jobs
from mamori.core import permissions as perm
from mamori.council.ingest import ingest_file
from mamori.register.importers.limits import IngestError

KIND = "council.ingest"
LABEL = "審議会資料・届出書の取込"
FOLDER = "ingest-uploads"


def keep_upload(upload, name: str) -> str:
    """The uploaded file in the storage, for the worker (removed once read)."""
    return default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}/{name}", File(upload))


def start(*, upload, name: str, actor):
    stored = keep_upload(upload, name)
    return jobs.start(KIND, actor=actor, params={"file": stored, "name": name}, title=f"「{name}」の取込")


def run(job, progress) -> jobs.Outcome:
    stored, name = job.params["file"], job.params["name"]
    try:
        with tempfile.TemporaryDirectory(prefix="mamori-ingest-") as directory:
            path = Path(directory) / name
            with default_storage.open(stored, "rb") as src, path.open("wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    dst.write(chunk)
            found = ingest_file(path=path, actor=job.created_by, name=name, progress=progress)
    except IngestError as exc:
        raise jobs.JobError(f"{exc}（何も書き込んでいません）") from None
    finally:
        default_storage.delete(stored)
    url = reverse("council:packet", args=[found["source_id"]])
    if found["already_ingested"]:
        return jobs.Outcome(label=f"「{name}」は取込済みです。何も追加していません。", url=url)
    read = sum(1 for p in found["parts"] if p["status"] == "read")
    return jobs.Outcome(label=f"「{name}」の{len(found['parts'])}の部分のうち{read}を読み取りました: 届出 {len(found['created'])}件、"
                              f"過年度の数値 {found['figures']}件（確認待ち）"
                              + (f"、手引の改訂 {found['handbook_rows']}行（下書き）" if found.get("handbook_rows") else "")
                              + "。取り込んだ資料を確認してください。", url=url)


def register() -> None:
    jobs.register_job(jobs.JobKind(KIND, LABEL, run=run, may_start=perm.can_review_notifications))
