"""The seed's 資料1・2 laid out as other cities and other tools print them, for the parser's layout tests.

`python -m mamori.register.tests.layouts <seed>` writes ``data/layouts/<name>.txt``; the tests read those files
(committed, so they run without the seed) and score them against ``data/seed_truth.json`` (same 届出, same truth):

- ``narrow``: every line wrapped at 20 characters, labels and values alike (a team's name broken at the line end);
- ``wide``: each paragraph on one line;
- ``bullets``: paragraphs marked 「●」, and the long quoted item list written as a 「・」 list without 「」;
- ``numbering``: paragraphs numbered 「(1)」「1.」「ア.」「①」 in turn, and the item list numbered 「1.」 …;
- ``forms``: form and document names in 「」 (「過誤納金還付請求書」) added to the text: they are no 記録項目;
- ``recipients``: a recipient named in the 理由 (with 「以下「広域連合」という。」) and again, by the short name, in the 内容;
- ``mixed``: numbering, form names and the recipients' wording together, wrapped at 16 characters.
"""
from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

from mamori.register.importers.council_documents import parse

DATA = Path(__file__).parent / "data" / "layouts"
NAMES = ("narrow", "wide", "bullets", "numbering", "forms", "recipients", "mixed")
_MARK = re.compile(r"^(・|●|[①-⑳]|[ⅰ-ⅹ]+[）)])")
_LIST = re.compile(r"^(.*?)((?:「[^「」]+」、?){6,})$")
NUMBERS = ("({n})", "{n}.", "{kana}.", "{circled}")
KANA = "アイウエオカキクケコサシスセソ"
FORMS = ("申請は「過誤納金還付請求書」により受け付ける。", "本人確認のため「住民異動届」の写しを確認する。", "結果は「給付決定通知書」で通知する。")


def _blocks(seed: str):
    start, end = seed.index("資料１"), seed.index("資料３")
    return parse(seed[start:end]).notifications


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _marked(paragraphs: list[str], mark) -> list[str]:
    out = []
    for i, p in enumerate(paragraphs):
        body = _MARK.sub("", p).lstrip("）) ")
        out.append(mark(i) + body if _MARK.match(p) else p)
    return out


def _item_list(paragraphs: list[str], bullet) -> list[str]:
    """A paragraph that ends in a run of six or more 「item」、… : its lead, then the items as a list, one unquoted item a line."""
    out = []
    for p in paragraphs:
        m = _LIST.match(p.strip())
        if m:
            out += ([m.group(1)] if m.group(1) else []) + [bullet(i) + n for i, n in enumerate(re.findall(r"「([^「」]+)」", m.group(2)))]
        else:
            out.append(p)
    return out


def _numbered(i: int) -> str:
    style = NUMBERS[i % len(NUMBERS)]
    return style.format(n=i + 1, kana=KANA[i % len(KANA)], circled=chr(0x2460 + i % 20))


def render(seed: str, name: str) -> str:
    out = ["令和６年度第１回", "朝霞市情報公開・個人情報保護審議会会議次第", "令和６年７月２９日（月）", ""]
    material = None
    for k, n in enumerate(_blocks(seed)):
        if material != n.kind:
            material = n.kind
            out += ["資料１" if n.kind == "new" else "資料２",
                    f"個人情報取扱管理簿届出書（{'新規' if n.kind == 'new' else '変更'}分の取りまとめ）", ""]
        reason, content = _paragraphs(n.reason_paragraphs), _paragraphs(n.content_paragraphs)
        if name in ("numbering", "mixed"):
            content = _item_list(_marked(content, _numbered), lambda i: f"{i + 1}.")
        if name in ("forms", "mixed"):
            content = content + [FORMS[k % len(FORMS)]]
        if name == "bullets":
            content = _item_list(_marked(content, lambda i: "●"), lambda i: "・")
        elif name in ("recipients", "mixed") and n.program == "後期高齢者医療健康診査等事業":
            reason = ["後期高齢者歯科健康診査補助金の対象者について、「埼玉県後期高齢者医療広域連合」（以下「広域連合」という。）"
                      "へ報告するため、健康づくり課の「歯科保健事業」から目的外利用を行い、「氏名」、「生年月日」、「健診の受診日」を収集する。"]
            content = ["目的外利用の収集先に健康づくり課の「歯科保健事業」を追加して「氏名」、「生年月日」、「健診の受診日」を収集し、広域連合へ提供する。"]
        dept = n.department_text
        lines = [f"事務事業名 {n.program}", "理由及び経緯", *reason, "内容", *content, f"担当 {dept}", ""]
        if name in ("narrow", "mixed"):
            lines = [w for line in lines for w in (textwrap.wrap(line, 20 if name == "narrow" else 16) or [""])]
        out += lines
    return "\n".join(out) + "\n"


TRUTH = json.loads((Path(__file__).parent / "data" / "seed_truth.json").read_text(encoding="utf-8"))
FLOWS = ("reuse_sources", "provided_to", "contractors")


def f1(found: list[set], truth: list[set]) -> float:
    tp = sum(len(g & w) for g, w in zip(found, truth))
    fp = sum(len(g - w) for g, w in zip(found, truth))
    fn = sum(len(w - g) for g, w in zip(found, truth))
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 1.0


def score(text: str) -> dict:
    """記録項目 F1, flow F1 ((kind, name) pairs), and the accuracy of the department and the program's name, against the truth."""
    found = [n.as_json() for n in parse(text).notifications]
    if len(found) != len(TRUTH):
        raise AssertionError(f"{len(found)} blocks found, {len(TRUTH)} expected")
    return {
        "items_f1": f1([set(n["items"]) for n in found], [set(t["items"]) for t in TRUTH]),
        "flows_f1": f1([{(k, v) for k in FLOWS for v in n[k]} for n in found], [{(k, v) for k in FLOWS for v in t[k]} for t in TRUTH]),
        "department": round(sum(n["department"] == t["department"] for n, t in zip(found, TRUTH)) / len(TRUTH), 4),
        "program": round(sum(n["program"] == t["program"] for n, t in zip(found, TRUTH)) / len(TRUTH), 4),
    }


def main(seed: Path) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    for name in NAMES:
        (DATA / f"{name}.txt").write_text(render(text, name), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
