"""Hostile input to `mamori ingest` and the upload page (issue 11): a clean refusal in Japanese or a
valid result, never another exception, and nothing written on refusal.

The crafted corpus comes from the same generator as `scripts/make-hostile-corpus.py` and the
benchmark (register.importers.hostile), at the small scale with SMALL_LIMITS; the findings' own
sizes (300 MB zip bomb, 200 MB PDF stream, 5 MB line) run here with the default limits because
they are refused before anything is inflated. Every input goes through the real pipeline: the
child process, the limits, the database. The summary (inputs tried / refused cleanly /
tracebacks / databases changed on refusal) is printed at the end of the module.
"""
import io
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.conftest import PASSWORD
from mamori.core import jobs
from mamori.core.tests import fuzzing
from mamori.core.tests.fuzzing import TALLY
from mamori.register.importers import hostile
from mamori.register.importers.limits import Limits
from mamori.register.importers.readers import clean_text

ROOT = Path(__file__).resolve().parents[3]
COUNTED = (("register", "IngestSource"), ("register", "Notification"), ("core", "AuditEvent"), ("council", "Meeting"))
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", autouse=True)
def _summary():
    """The tally of this module, printed and (under scripts/fuzz-report) written like the other fuzz suites'."""
    yield
    fuzzing.write_tally("ingest")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile.build(tmp_path_factory.mktemp("hostile"), "small")


@pytest.fixture
def small_limits(settings):
    settings.MAMORI_INGEST_LIMITS = hostile.SMALL_LIMITS.as_dict()


def counts() -> dict:
    return {model: apps.get_model(app, model).objects.count() for app, model in COUNTED}


def run(path: Path, user: str | None = "office") -> tuple[str, str]:
    """("accepted", output) or ("refused", message); anything else fails the test, counted as a traceback."""
    before = counts()
    TALLY["tried"] += 1
    out = io.StringIO()
    try:
        call_command("ingest", str(path), *(["--user", user] if user else []), stdout=out)
    except CommandError as exc:
        message = str(exc)
        changed = counts() != before
        TALLY["refused"] += 1
        TALLY["changed"] += changed
        assert not changed, f"{path.name}: the database changed on refusal"
        assert "何も書き込んでいません" in message and "Traceback" not in message
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in message), message  # Japanese
        return "refused", message
    except BaseException:
        TALLY["traceback"] += 1
        raise
    TALLY["accepted"] += 1
    return "accepted", out.getvalue()


def _expected(name: str, scale: str = "small"):
    expected = hostile.EXPECTED[name]
    return expected.get(scale) if isinstance(expected, dict) else expected


def _refused_by(message: str, expected) -> bool:
    return any((f"['{e}']" in message) or (e in message) for e in (expected if isinstance(expected, tuple) else (expected,)))


# ---------------------------------------------------------------- the crafted corpus


@pytest.mark.parametrize("name", sorted(hostile.EXPECTED))
def test_corpus_file_is_refused_by_its_limit_or_read(city, small_limits, corpus, name):
    outcome, message = run(corpus[name])
    expected = _expected(name)
    if expected is None:
        assert outcome == "accepted", message
        assert "取込: 3件" in message
    else:
        assert outcome == "refused", f"{name} was accepted"
        assert _refused_by(message, expected), message


# ---------------------------------------------------------------- the findings, at their measured size


def test_ingest_zip_bomb_docx_refused(city, tmp_path):
    started = time.monotonic()
    outcome, message = run(hostile.zip_bomb_docx(tmp_path / "bomb.docx", 300))
    assert outcome == "refused"
    assert "展開後の大きさが上限 100 MB を超えます（この文書は 300 MB）" in message and "MAMORI_INGEST_LIMITS['expanded_mb']" in message
    assert time.monotonic() - started < 30


def test_ingest_pdf_stream_bomb_refused_before_pdfminer_inflates_it(city, tmp_path):
    started = time.monotonic()
    outcome, message = run(hostile.pdf_stream_bomb(tmp_path / "bomb.pdf", 200))
    assert outcome == "refused"
    assert "ストリーム）の展開後の大きさが上限 50 MB" in message and "['stream_mb']" in message
    assert time.monotonic() - started < 30


def test_ingest_single_line_refused_by_longest_line_limit(city, tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text("事務事業名 " + "あ" * (5 * 1024 * 1024 // 3), encoding="utf-8")
    outcome, message = run(path)
    assert outcome == "refused"
    assert "一番長い行の長さが上限 20,000 文字" in message and "1行目" in message and "['line_chars']" in message


def test_ingest_nul_byte_on_postgresql(city, tmp_path):
    """A NUL past the first 4 KB reached PostgreSQL (which refuses NUL in text) as a traceback. Now a
    text file with a NUL is refused with where it is; a UTF-16 file (NUL in every other byte) is read;
    the control characters a reader may produce are dropped (readers.clean_text). Runs on both databases."""
    txt = tmp_path / "nul.txt"
    txt.write_bytes(hostile.packet_text(60).encode() + b"\x00" + hostile.packet_text(1, seed=1).encode())
    outcome, message = run(txt)
    assert outcome == "refused" and "18945 バイト目（246行目）に NUL 文字" in message
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(hostile.packet_text(2).encode("utf-16"))
    outcome, out = run(utf16)
    assert outcome == "accepted" and "取込: 2件" in out
    assert "\x00" not in apps.get_model("register", "IngestSource").objects.get().text
    assert clean_text("x\x00y\ud800z\x1b") == "xyz"


def test_ingest_directory(city, tmp_path):
    (tmp_path / "x.txt").mkdir()
    outcome, message = run(tmp_path / "x.txt")
    assert outcome == "refused" and "「x.txt」はフォルダーです" in message


def test_ingest_unreadable_file(city, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(hostile.packet_text(1), encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: then prove the other half, a file that vanished
            path.chmod(0o600)
            path.unlink()
        outcome, message = run(path)
    finally:
        if path.exists():
            path.chmod(0o600)
    assert outcome == "refused" and ("開けません" in message or "見つかりません" in message)


def test_ingest_truncated_utf8_reported_with_position(city, tmp_path):
    path = tmp_path / "cut.txt"
    raw = hostile.packet_text(2).encode()
    path.write_bytes(raw[:-2])  # the last 「\n」 and half of 「係」
    outcome, message = run(path)
    assert outcome == "refused"
    assert "途中で切れています" in message and f"{len(raw) - 4} バイト目" in message and "13行目" in message
    assert "文字コードが分かりません" not in message


def test_ingest_shift_jis_is_read(city, tmp_path):
    path = tmp_path / "sjis.txt"
    path.write_bytes(hostile.packet_text(2).encode("cp932"))
    outcome, out = run(path)
    assert outcome == "accepted" and "取込: 2件" in out


def test_ingest_time_limit_stops_the_work(city, tmp_path, settings):
    """The child is killed at the limit: a 1-second limit on a PDF that takes longer."""
    settings.MAMORI_INGEST_LIMITS = {"seconds": 1}
    path = hostile.pdf_pages(tmp_path / "slow.pdf", [[f"{i:04d} lorem ipsum dolor sit amet " * 3 for i in range(200)]] * 200, compress=False)
    started = time.monotonic()
    outcome, message = run(path)
    assert outcome == "refused" and "時間が上限 1 秒" in message and "['seconds']" in message
    assert time.monotonic() - started < 5


def test_ingest_memory_limit_stops_the_work(city, tmp_path, settings):
    """What the checks let through is still bounded: with the text limits lifted, a 5 MB DOCX of
    5 million characters needs more than a 100 MB address space (it reads in about 85 MB resident)."""
    settings.MAMORI_INGEST_LIMITS = {"memory_mb": 100, "text_chars": 50_000_000}
    outcome, message = run(hostile.large_docx(tmp_path / "large.docx", 5))
    assert outcome == "refused" and "メモリが上限 100 MB" in message and "['memory_mb']" in message


def test_unknown_limit_in_settings_is_named():
    with pytest.raises(ValueError, match="知らない項目があります: pages_max"):
        Limits.from_dict({"pages_max": 3})


# ---------------------------------------------------------------- the upload page


@pytest.mark.parametrize("name", ["zip_bomb.docx", "truncated_utf8.txt", "pdf_as.docx", "encrypted.pdf", "one_line_5mb.txt"])
def test_upload_refusal_is_a_form_error_not_a_500(client, city, small_limits, corpus, name, django_capture_on_commit_callbacks):
    """A check (読み取りだけ) refuses on the form; an ingest runs as a job (council.ingest_job) that fails with the same message."""
    client.login(username="office", password=PASSWORD)
    before = counts()
    with corpus[name].open("rb") as f:
        response = client.post(reverse("council:ingest"), {"file": f, "dry_run": "on"})
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors and _refused_by(errors[0], _expected(name))
    with django_capture_on_commit_callbacks(execute=False), corpus[name].open("rb") as f:
        response = client.post(reverse("council:ingest"), {"file": f})
    job = apps.get_model("core", "Job").objects.get(kind="council.ingest")
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and _refused_by(job.error, _expected(name)) and "何も書き込んでいません" in job.error
    assert counts() == before | {"AuditEvent": before["AuditEvent"] + 1}  # only the job's own record (who asked for it)


def test_upload_reads_a_packet(client, city, corpus):
    client.login(username="office", password=PASSWORD)
    with corpus["valid_packet.docx"].open("rb") as f:
        response = client.post(reverse("council:ingest"), {"file": f, "dry_run": "on"})
    assert response.status_code == 200 and "見守り0の2号事業" in response.content.decode()
    assert apps.get_model("register", "Notification").objects.count() == 0  # a dry run writes nothing
    with corpus["valid_packet.docx"].open("rb") as f:
        response = client.post(reverse("council:ingest"), {"file": f})
    jobs.execute(response["Location"].rstrip("/").rsplit("/", 1)[1])  # what the worker does
    assert "届出 3件" in client.get(response["Location"]).content.decode()
    assert apps.get_model("register", "Notification").objects.filter(status="imported").count() == 3


# ---------------------------------------------------------------- fuzzing


FRAGMENTS = st.sampled_from(["事務事業名 ", "理由及び経緯", "内容", "担当 総務部 総務課", "資料１", "「氏名」", "、", "。", "\n", "\r\n",
                             "\x00", "\ufeff", "\u3000", "令和7年度第2回", "株式会社", "（", "）", "\t", "\x1a", "\u2028"])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=60).map("".join)


@FUZZ
@given(text=TEXTS, encoding=st.sampled_from(["utf-8", "cp932", "utf-16", "euc_jp"]), cut=st.integers(0, 3))
def test_fuzz_text_files(city, small_limits, tmp_path, text, encoding, cut):
    raw = text.encode(encoding, errors="replace")
    path = tmp_path / "fuzz.txt"
    path.write_bytes(raw[: len(raw) - cut] if cut else raw)
    run(path)


def _mutate(raw: bytes, data) -> bytes:
    choice = data.draw(st.sampled_from(["cut", "flip", "insert"]))
    at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
    if choice == "cut":
        return raw[:at]
    if choice == "flip":
        return raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:] if raw else raw
    return raw[:at] + data.draw(st.binary(max_size=64)) + raw[at:]


@FUZZ
@given(data=st.data(), source=st.sampled_from(["valid_packet.docx", "valid_packet.pdf", "valid_ascii.pdf", "zip_bomb.docx"]))
def test_fuzz_mutated_documents(city, small_limits, corpus, tmp_path, data, source):
    path = tmp_path / f"fuzz{Path(source).suffix}"
    path.write_bytes(_mutate(corpus[source].read_bytes(), data))
    run(path)


@FUZZ
@given(body=st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40), name=st.sampled_from(["word/document.xml", "word/other.xml"]))
def test_fuzz_docx_text_and_structure(city, small_limits, tmp_path, body, name):
    path = tmp_path / "fuzz.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", hostile.CONTENT_TYPES)
        zf.writestr("_rels/.rels", hostile.RELS)
        text = "".join(f"<w:p><w:r><w:t>{b.replace('&', '&amp;').replace('<', '&lt;')}</w:t></w:r></w:p>" for b in body)
        zf.writestr(name, f'<?xml version="1.0" encoding="UTF-8"?><w:document {hostile.W}><w:body>{text}</w:body></w:document>')
    run(path)


# ---------------------------------------------------------------- the database lock


def test_ingest_does_not_lock_sqlite_writers(tmp_path):
    """While `mamori ingest` reads and writes 100 届出 (half the `programs` limit), another writer on the same SQLite file (with the
    5-second busy timeout Django's connections have) never meets 「database is locked」: the parse and the matching run before the write transaction, which holds
    the lock only for the inserts."""
    db = tmp_path / "lock.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(ROOT), "MAMORI_PAGE_CACHE": "false"}
    cli = [sys.executable, "-m", "mamori.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    probe = sqlite3.connect(db, timeout=5.0)
    probe.execute("CREATE TABLE probe (at REAL)")
    probe.commit()
    packet = tmp_path / "big.txt"
    packet.write_text(hostile.packet_text(100), encoding="utf-8")
    ingest = subprocess.Popen([*cli, "ingest", str(packet)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    locked, writes, slowest = 0, 0, 0.0
    while ingest.poll() is None:
        started = time.monotonic()
        try:
            probe.execute("INSERT INTO probe VALUES (?)", (started,))
            probe.commit()
            writes += 1
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc), exc
            locked += 1
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.01)
    out, err = ingest.communicate()
    assert ingest.returncode == 0, err.decode()[-2000:]
    assert probe.execute("SELECT count(*) FROM register_notification").fetchone()[0] == 100
    print(f"\nconcurrent writer: {writes} writes, {locked} locked, slowest wait {slowest:.3f} s")
    assert writes > 10 and locked == 0 and slowest < 4.0
