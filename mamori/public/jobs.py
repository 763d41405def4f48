"""Publishing the site as a background job (core.jobs, docs/adr/0010-background-jobs.md): the office presses
「公開サイトを作成する」, a worker builds the site into the app's own copy of it (MAMORI_PUBLIC_SITE_DIR, where the
previous publication's forms are reused) and the result is the site as a ZIP, to carry one way to the
internet segment (docs/operations.md)."""
from django.conf import settings
from django.utils import timezone

from mamori.core import jobs
from mamori.core import permissions as perm
from mamori.public import publish, site

KIND = "public.publish"
LABEL = "公開サイト（個人情報ファイル簿）の作成"


def site_dir():
    return settings.MAMORI_PUBLIC_SITE_DIR


def run(job, progress) -> jobs.Outcome:
    progress(2, "公表済みの記載を読んでいます")
    data = site.load()
    try:
        result = publish.publish(data, site_dir(), progress=progress)
    except publish.PublishError as exc:
        raise jobs.JobError(str(exc)) from None
    progress(95, "ZIPにまとめています")
    content = publish.zip_folder(result.path)
    day = timezone.localdate()
    return jobs.Outcome(
        label=f"公開サイトを作成しました（掲載中{result.entries:,}件、消除{result.deleted:,}件、{result.files:,}ファイル）。"
              "ZIPをダウンロードし、インターネット系の公開用サーバーに展開してください。",
        file_name=f"filebook-site-{day.isoformat()}.zip", file_content=content)


def register() -> None:
    jobs.register_job(jobs.JobKind(KIND, LABEL, run=run, may_start=perm.can_keep_files))
