"""Read and parse a document in a child process held to the memory and time limits.

pdfminer inflates PDF streams whole, lxml and python-docx hold the whole part in memory, and the
parser's patterns run over whole texts: the checks in importers.readers refuse what they can see
coming, and this process boundary bounds the rest. The child (``python -m
mamori.register.importers.sandbox``, no Django) sets RLIMIT_AS to ``memory_mb`` and RLIMIT_CPU
before it imports anything heavy, and stops itself after ``seconds`` of wall time (an alarm; the OCR of
scanned pages adds ``ocr_seconds``, importers.ocr); the parent kills it if it does not. It answers
one JSON object on stdout: the text and the parse, or the Japanese message of the refusal. Its
stderr is dropped (it could quote the document). Cost: one Python start and the readers' imports,
about 0.25 s for a .txt or .docx and 0.4 s for a .pdf on the office machine (docs/operations.md).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mamori.register.importers.limits import MB, SPLIT, IngestError, Limits, refuse, setting

ROOT = Path(__file__).resolve().parents[3]
LAST: dict = {"peak_mb": None}  # the last child's peak resident memory, refused or not (mamori.bench.ingest)


class UnexpectedReadError(IngestError):
    """The reader failed in a way it did not foresee: still a refusal with a message, but a bug to fix."""


@dataclass
class Outcome:
    text: str
    result: object  # council_documents.ParseResult
    sha256: str  # of the bytes that were read
    size: int
    maxrss_mb: float  # the child's peak resident memory
    seconds: float
    ocr: dict | None = None  # pages read by OCR and their low-confidence words (importers.ocr), None: all text was in the file


def read_and_parse(path: Path, limits: Limits | None = None, *, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """The text and the parse of ``path``, or IngestError with the reason in Japanese.

    ``progress(done, total)`` is called in this thread as the child reads scanned pages by OCR (page counts only:
    nothing of the document comes back that way)."""
    # Not at the top: the child imports this module before it limits itself, and the parser (with the readers it
    # pulls in) must be imported only after the limits are set (see _child).
    from mamori.register.importers.council_documents import ParseResult

    limits = limits or Limits.from_settings()
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    # The child stops itself at ``seconds`` (its alarm; OCR adds ``ocr_seconds``, importers.ocr); this is the backstop.
    wall = limits.seconds + (limits.ocr_seconds if Path(path).suffix.lower() == ".pdf" else 0) + 2
    started = time.monotonic()
    pages_r, pages_w = os.pipe()  # the child writes 「done total」 lines here while it reads pages by OCR
    latest: list = []
    try:
        child = subprocess.Popen([sys.executable, "-m", "mamori.register.importers.sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env, cwd=str(ROOT), pass_fds=(pages_w,))
    finally:
        os.close(pages_w)
    pump = threading.Thread(target=_pump, args=(pages_r, latest), daemon=True)
    pump.start()
    request = json.dumps({"path": str(Path(path).absolute()), "limits": limits.as_dict(), "progress_fd": pages_w}).encode()
    shown = None
    while True:
        try:
            stdout, _ = child.communicate(request, timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            request = None  # sent: a retry goes on with the same communication
            if time.monotonic() - started > wall:
                child.kill()
                child.communicate()
                raise IngestError(out_of_time(limits)) from None
            if progress and latest and latest[-1] != shown:
                shown = latest[-1]
                progress(*shown)
    pump.join(1)
    if progress and latest and latest[-1] != shown:
        progress(*latest[-1])
    seconds = time.monotonic() - started
    try:
        answer = json.loads(stdout)
    except ValueError:
        answer = {"error": "crashed"}
    LAST["peak_mb"] = answer.get("maxrss_kb", 0) / 1024 or None  # None: killed before it could tell
    if answer.get("error") in ("memory", "crashed"):
        if answer["error"] == "memory" or child.returncode < 0:
            raise IngestError(f"読み取りに使うメモリが上限 {limits.memory_mb} MB を超えたため中止しました。{SPLIT}か、{setting('memory_mb')} を見直してください。")
        raise IngestError(f"ファイル「{Path(path).name}」は読み取りの途中で処理が止まりました（終了コード {child.returncode}）。ファイルが壊れていないか確認してください。")
    if answer.get("error") == "unexpected":
        raise UnexpectedReadError(f"ファイル「{Path(path).name}」は読み取れませんでした（{answer['type']}）。ファイルが壊れていないか確認してください。")
    if "error" in answer:
        raise IngestError(answer["error"])
    return Outcome(text=answer["text"], result=ParseResult.from_dict(answer["result"]), sha256=answer["sha256"], size=answer["size"],
                   maxrss_mb=answer["maxrss_kb"] / 1024, seconds=seconds, ocr=answer.get("ocr"))


def _pump(fd: int, latest: list) -> None:
    """Keep the child's last 「done total」 (page counts, nothing else is read from it)."""
    with os.fdopen(fd, "rb") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                latest.append((int(parts[0]), int(parts[1])))
                del latest[:-1]


def peak_kb() -> int:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so
    a child would report the size of the server that started it."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def out_of_time(limits: Limits) -> str:
    return (f"読み取りの時間が上限 {limits.seconds:g} 秒を超えたため中止しました（何も書き込んでいません）。"
            f"{SPLIT}か、{setting('seconds')} を見直してください。")


class OutOfTime(BaseException):
    """The child's alarm (``seconds`` of wall time): a BaseException, so that no reader's ``except Exception`` swallows it."""


def _alarm(signum, frame):
    raise OutOfTime()


def _limit_self(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * MB, limits.memory_mb * MB))
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    cpu = math.ceil(limits.seconds + limits.ocr_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(request: dict) -> dict:
    limits = Limits.from_dict(request["limits"])
    _limit_self(limits)
    try:
        # Imported once the limits hold: the readers (pdfplumber, OCR, ZIP members) run under them.
        from mamori.register.importers.council_documents import parse, read_document

        path = Path(request["path"])
        report: dict = {}
        fd = request.get("progress_fd")
        if fd is not None:
            pages = os.fdopen(fd, "w", buffering=1)
            report["on_page"] = lambda done, total: pages.write(f"{done} {total}\n")
        text = read_document(path, limits, report=report)
        result = parse(text, path.name)
        if len(result.notifications) > limits.programs:
            raise refuse("事務事業のブロックの数", f"{limits.programs:,}", f"{len(result.notifications):,}", "programs", SPLIT)
        raw = path.read_bytes()  # its size was checked by read_document
        return {"text": text, "result": result.to_dict(), "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw), "maxrss_kb": peak_kb(),
                "ocr": report.get("ocr")}
    except IngestError as exc:
        return {"error": str(exc), "maxrss_kb": peak_kb()}
    except OutOfTime:
        return {"error": out_of_time(limits), "maxrss_kb": peak_kb()}
    except MemoryError:
        return {"error": "memory", "maxrss_kb": peak_kb()}
    except RecursionError:
        return {"error": f"ファイル「{Path(request['path']).name}」は入れ子が深すぎて読めません。", "maxrss_kb": peak_kb()}
    except Exception as exc:  # a reader's bug, not the user's: refused all the same, and told apart (UnexpectedReadError)
        return {"error": "unexpected", "type": type(exc).__name__, "maxrss_kb": peak_kb()}


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    try:
        answer = _child(request)
        signal.setitimer(signal.ITIMER_REAL, 0)  # the work is done: the answer is written whatever the clock says
    except OutOfTime:  # the alarm rang just as the work ended
        answer = {"error": out_of_time(Limits.from_dict(request["limits"]))}
    try:
        out = json.dumps(answer, ensure_ascii=True)
    except MemoryError:
        out = '{"error": "memory"}'
    sys.stdout.write(out)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
