"""Job kinds for the tests of the queue itself (core.jobs): a job that counts, one that fails as a person
would be told, one that breaks. Registered by the tests (and by the worker processes they start)."""
import time

from mamori.core import jobs


def count(job, progress):
    steps = int(job.params.get("steps", 3))
    for n in range(1, steps + 1):
        time.sleep(float(job.params.get("pause", 0)))
        progress(n * 100 // steps, f"{n}/{steps} を処理しました")
    return jobs.Outcome(label=f"{steps}件を処理しました。", file_name="結果.txt", file_content=f"{job.pk}\n".encode())


def refuse(job, progress):
    raise jobs.JobError("ファイルが大きすぎます（上限 20 MB）。分けて取り込んでください。")


def crash(job, progress):
    raise RuntimeError("secret parameter: 山田太郎")


def office_only(user) -> bool:
    return getattr(user, "role", "") == "privacy_office"


def register() -> None:
    jobs.register_job(jobs.JobKind("test.count", "数える処理", run=count, may_start=office_only))
    jobs.register_job(jobs.JobKind("test.refuse", "断る処理", run=refuse, may_start=office_only))
    jobs.register_job(jobs.JobKind("test.crash", "壊れる処理", run=crash, may_start=office_only))
