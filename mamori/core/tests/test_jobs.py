"""Background jobs (core.jobs) on the database queue (django-tasks-db), run by real workers."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult

from mamori.core import jobs
from mamori.core.models import AuditEvent, Job, JobStatus
from mamori.core.tests import jobkinds

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def kinds():
    jobkinds.register()


def run_worker():
    """What a worker does with each queued task, in this process (the real worker processes are below:
    db_worker closes the connection the test's transaction lives on)."""
    for result in DBTaskResult.objects.filter(status="READY"):
        assert result.task_path == "mamori.core.jobs.run_job" and len(result.args_kwargs["args"]) == 1
        jobs.execute(*result.args_kwargs["args"])


def test_a_job_is_queued_on_commit_run_by_the_worker_and_reports_its_result(city, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.count", actor=city.users.office, params={"steps": 4})
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.count() == 1
    assert AuditEvent.objects.filter(model="core.Job", object_id=str(job.pk), action="create").count() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.progress, job.result_label) == (JobStatus.DONE, 100, "4件を処理しました。")
    assert job.started_at and job.finished_at and job.worker
    client.force_login(city.users.office)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "完了" in page and "4件を処理しました。" in page and "結果をダウンロード" in page
    assert 'hx-trigger="every 1s"' not in page  # a finished job stops polling
    response = client.get(f"/jobs/{job.pk}/download/")
    assert b"".join(response.streaming_content).decode().strip() == str(job.pk)


def test_a_queued_job_polls_and_says_it_waits_for_a_worker(city, client):
    job = jobs.start("test.count", actor=city.users.office, params={})
    client.force_login(city.users.office)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "待機中" in page and 'hx-trigger="every 1s"' in page and "mamori worker" in page
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="job-status"') and "<html" not in partial


def test_a_refusal_is_shown_in_the_words_of_the_job(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.refuse", actor=city.users.office, params={})
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "上限 20 MB" in job.error


def test_a_crash_fails_the_job_with_a_generic_message_and_logs_no_parameters(city, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.crash", actor=city.users.office, params={"name": "山田太郎"})
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and str(job.pk) in job.error and "予期しないエラー" in job.error
    assert "山田太郎" not in job.error
    assert "山田太郎" not in "".join(r.getMessage() for r in caplog.records if r.name == "mamori.jobs")


def test_who_may_start_and_see_a_job(city, client):
    with pytest.raises(PermissionDenied):
        jobs.start("test.count", actor=city.users.staff, params={})
    job = jobs.start("test.count", actor=city.users.office, params={})
    for user, status in [(city.users.office, 200), (city.users.staff, 404), (city.users.auditor, 404), (city.users.sysadmin, 404)]:
        client.force_login(user)
        assert client.get(f"/jobs/{job.pk}/").status_code == status, user
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_job_is_run_once_even_if_its_task_is_delivered_twice(city):
    job = jobs.start("test.count", actor=city.users.office, params={"steps": 1})
    jobs.execute(str(job.pk))
    Job.objects.filter(pk=job.pk).update(result_label="一度目")
    jobs.execute(str(job.pk))  # a second delivery finds it done and leaves it alone
    job.refresh_from_db()
    assert job.result_label == "一度目"


def test_a_silent_worker_is_shown_as_stale(city):
    import datetime

    from django.utils import timezone

    job = jobs.start("test.count", actor=city.users.office, params={})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    job.refresh_from_db()
    assert jobs.is_stale(job) and not jobs.is_stale(Job(status=JobStatus.RUNNING, heartbeat_at=timezone.now()))


WORKER = """
import os, sys
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from mamori.core.tests import jobkinds
jobkinds.register()
from django.core.management import call_command
call_command("worker", interval=0.2, verbosity=0)
"""


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_the_queue_and_run_each_job_once(city, tmp_path, settings):
    """Two real worker processes against the test database: 12 jobs, each run exactly once, by either."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and (db["NAME"] == ":memory:" or "mode=memory" in str(db.get("TEST", {}).get("NAME") or db["NAME"])):
        pytest.fail("the test database must be a file for worker processes to reach it (see pyproject: --reuse-db off, TEST NAME)")
    env = {**os.environ, "DATABASE_URL": _url(db), "PYTHONPATH": str(ROOT)}
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)), encoding="utf-8")
    workers = [subprocess.Popen([sys.executable, str(script)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"w{n}.log", "w"))
               for n in range(2)]
    try:
        started = [jobs.start("test.count", actor=city.users.office, params={"steps": 2, "pause": 0.25}) for _ in range(12)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Job.objects.exclude(status=JobStatus.DONE).exists():
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=20)
    done = Job.objects.filter(pk__in=[j.pk for j in started], status=JobStatus.DONE)
    logs = "".join((tmp_path / f"w{n}.log").read_text() for n in range(2))
    assert done.count() == 12, logs
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 12
    assert len({j.worker.split(":")[0] for j in done}) == 1  # one host …
    assert len({j.worker for j in done}) == 2, "both processes took work"  # … two processes


def _url(db) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_home_page_lists_ones_own_waiting_and_failed_jobs(city, client):
    waiting = jobs.start("test.count", actor=city.users.office, params={})
    failed = jobs.start("test.refuse", actor=city.users.office, params={})
    jobs.execute(str(failed.pk))
    client.force_login(city.users.office)
    home = client.get("/").content.decode()
    assert "依頼したバックグラウンド処理" in home and f"/jobs/{waiting.pk}/" in home and f"/jobs/{failed.pk}/" in home
    assert "失敗した処理があります" in home
    client.force_login(city.users.staff)
    assert "依頼したバックグラウンド処理" not in client.get("/").content.decode()
