"""`mamori redact`: apply and check from the command line; a box over untouched text exits non-zero naming the
page and the box; bad input gets a Japanese message, no traceback."""
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.core.redaction import page_words, verify
from mamori.core.tests import redaction_pdfs as make

LINES = [(72, 80, "氏名 山田太郎 電話 03-1234-5678", 12), (72, 110, "Secret ASCII text here", 12)]


@pytest.fixture
def files(tmp_path):
    src = make.text_pdf([LINES, [(72, 80, "二ページ目", 12)]])
    w = next(w for w in page_words(src, 1) if w.text == "山田太郎")
    boxes = {"boxes": [{"page": 1, "x0": w.x0 - 1, "top": w.top - 1, "x1": w.x1 + 1, "bottom": w.bottom + 1, "article": "条例第7条第2号",
                        "note": "申請者の氏名"}]}
    (tmp_path / "in.pdf").write_bytes(src)
    (tmp_path / "boxes.json").write_text(json.dumps(boxes, ensure_ascii=False), encoding="utf-8")
    broken = make.painted_over(src, 1, [(w.x0 - 1, w.top - 1, w.x1 + 1, w.bottom + 1)])
    (tmp_path / "broken.pdf").write_bytes(broken)
    return tmp_path


def run(*args):
    return call_command("redact", *[str(a) for a in args])


def test_apply_then_verify(files, capsys):
    run(files / "in.pdf", "--boxes", files / "boxes.json", "--output", files / "out.pdf", "--report", files / "report.json")
    assert "1 枠を墨塗りし、確認しました" in capsys.readouterr().out
    out = (files / "out.pdf").read_bytes()
    assert verify(out, (files / "in.pdf").read_bytes(), []) == []
    assert json.loads((files / "report.json").read_text(encoding="utf-8")) == {"ok": True, "failures": []}
    run("--verify", files / "out.pdf", "--source", files / "in.pdf", "--boxes", files / "boxes.json")
    assert "元の内容は残っていません" in capsys.readouterr().out


def test_box_over_text_fails_naming_page_and_box(files, capsys):
    with pytest.raises(CommandError) as exc:
        run("--verify", files / "broken.pdf", "--source", files / "in.pdf", "--boxes", files / "boxes.json", "--report", files / "r.json")
    assert exc.value.returncode == 2
    err = capsys.readouterr().err
    assert "1ページ目の枠1: 枠の中に文字が 4 字残っています" in err and "このまま公開・交付しないでください" in err
    assert "山田" not in err
    found = json.loads((files / "r.json").read_text(encoding="utf-8"))
    assert found["ok"] is False and {(f["page"], f["box"], f["kind"]) for f in found["failures"]} >= {(1, 1, "text"), (1, 1, "covered")}


def test_exit_status_of_the_real_command(files):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    mamori = [sys.executable, "-m", "mamori.cli", "redact"]
    bad = subprocess.run(mamori + ["--verify", str(files / "broken.pdf"), "--source", str(files / "in.pdf"), "--boxes", str(files / "boxes.json")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "1ページ目の枠1" in bad.stderr and "Traceback" not in bad.stderr
    ok = subprocess.run(mamori + [str(files / "in.pdf"), "--boxes", str(files / "boxes.json"), "--output", str(files / "o.pdf")],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("content,message", [
    ('{"boxes": [{"page": 1, "x0": 1, "top": 1, "x1": 5', "途中で切れています"),
    ('{"boxes": {"page": 1}}', '"boxes" の配列が必要です'),
    ('{"boxes": [{"page": 1, "x0": 1, "top": 1, "x1": 5}]}', "boxes[0]（枠1） に bottom, article がありません"),
    ('{"boxes": [{"page": 0, "x0": 1, "top": 1, "x1": 5, "bottom": 9, "article": "条例第7条"}]}', "page は 1 以上の整数"),
    ('{"boxes": [{"page": 1, "x0": "1", "top": 1, "x1": 5, "bottom": 9, "article": "条例第7条"}]}', "x0 は数（ポイント）"),
    ('{"boxes": [{"page": 1, "x0": 1, "top": 1, "x1": 5, "bottom": 9, "article": ""}]}', "article に不開示の条項"),
    ('{"boxes": [{"page": 1, "x0": 1, "top": 1, "x1": 5, "bottom": 9, "article": "条例", "colour": "red"}]}', "知らない項目 colour"),
    ('{"boxes": [{"page": 3, "x0": 1, "top": 1, "x1": 5, "bottom": 9, "article": "条例第7条"}]}', "3ページ目はありません"),
])
def test_bad_boxes(files, content, message):
    (files / "bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")) as exc:
        run(files / "in.pdf", "--boxes", files / "bad.json", "--output", files / "out.pdf")
    assert exc.value.returncode == 1
    assert not (files / "out.pdf").exists()


def test_bad_pdf_and_arguments(files, settings):
    (files / "not.pdf").write_text("hello", encoding="utf-8")
    with pytest.raises(CommandError, match="PDF ではありません"):
        run(files / "not.pdf", "--boxes", files / "boxes.json", "--output", files / "out.pdf")
    (files / "cut.pdf").write_bytes((files / "in.pdf").read_bytes()[:300])
    with pytest.raises(CommandError, match="PDF として読めません"):
        run(files / "cut.pdf", "--boxes", files / "boxes.json", "--output", files / "out.pdf")
    with pytest.raises(CommandError, match="--source IN.pdf"):
        run("--verify", files / "broken.pdf", "--boxes", files / "boxes.json")
    with pytest.raises(CommandError, match="元の PDF と同じです"):
        run(files / "in.pdf", "--boxes", files / "boxes.json", "--output", files / "in.pdf")
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"pdf_pages": 1}
    with pytest.raises(CommandError, match="上限 1 ページ"):
        run(files / "in.pdf", "--boxes", files / "boxes.json", "--output", files / "out.pdf")
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"pdf_bytes": 100}
    with pytest.raises(CommandError, match="MAMORI_PDF_MAX_BYTES"):
        run(files / "in.pdf", "--boxes", files / "boxes.json", "--output", files / "out.pdf")
