"""`mamori redact`: apply boxes to a PDF and check the result, or check a PDF redacted elsewhere.

    mamori redact IN.pdf --boxes BOXES.json --output OUT.pdf [--report REPORT.json]
    mamori redact --verify OUT.pdf --source IN.pdf --boxes BOXES.json [--report REPORT.json]

Exit status: 0 safe; 1 the input cannot be used (the message says what to fix); 2 the check found something of
the source inside a box or in the file (each finding names the page and the box). BOXES.json and the report are
described in docs/data-format.md.
"""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.core import redaction
from mamori.core.inputfiles import InputError, limit, read_json

FAILED = 2  # the check found something: distinct from bad input (1)
FIELDS = ("page", "x0", "top", "x1", "bottom", "article")


def read_pdf(path: Path, what: str) -> bytes:
    if not path.exists():
        raise CommandError(f"{what} {path} がありません。")
    if not path.is_file():
        raise CommandError(f"{what} {path} は通常のファイルではありません。")
    size, most = path.stat().st_size, limit("pdf_bytes")
    if size > most:
        raise CommandError(f"{what} {path} は {size:,} バイトで、上限 {most:,} バイト（設定 MAMORI_PDF_MAX_BYTES）を超えています。")
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise CommandError(f"{what} {path} は PDF ではありません（先頭が %PDF- ではありません）。")
    try:
        pages = len(redaction.page_sizes(data))
    except redaction.UnreadablePdf as exc:
        raise CommandError(f"{what} {path}: {exc}") from None
    if pages > limit("pdf_pages"):
        raise CommandError(f"{what} {path} は {pages:,} ページで、上限 {limit('pdf_pages'):,} ページ（設定 MAMORI_PDF_MAX_PAGES）を超えています。分けて処理してください。")
    return data


def parse_boxes(value, name: str) -> list[redaction.Box]:
    """BOXES.json: {"boxes": [{"page", "x0", "top", "x1", "bottom", "article"}, ...]} (or the list alone)."""
    items = value.get("boxes") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise InputError(f"{name} には \"boxes\" の配列が必要です（docs/data-format.md の「墨塗りの枠」）。")
    if len(items) > limit("redaction_boxes"):
        raise InputError(f"{name} の枠は {len(items):,} 個で、上限 {limit('redaction_boxes'):,} 個（設定 MAMORI_REDACTION_MAX_BOXES）を超えています。")
    boxes = []
    for i, item in enumerate(items):
        where = f"{name} の boxes[{i}]（枠{i + 1}）"
        if not isinstance(item, dict):
            raise InputError(f"{where} はオブジェクト {{\"page\": …}} にしてください。")
        missing = [f for f in FIELDS if f not in item]
        if missing:
            raise InputError(f"{where} に {', '.join(missing)} がありません。")
        unknown = sorted(set(item) - set(FIELDS) - {"note"})
        if unknown:
            raise InputError(f"{where} に知らない項目 {', '.join(unknown)} があります。")
        if not isinstance(item["page"], int) or isinstance(item["page"], bool) or item["page"] < 1:
            raise InputError(f"{where} の page は 1 以上の整数にしてください（1 が最初のページ）。")
        for f in ("x0", "top", "x1", "bottom"):
            if not isinstance(item[f], (int, float)) or isinstance(item[f], bool):
                raise InputError(f"{where} の {f} は数（ポイント）にしてください。")
        if not isinstance(item["article"], str) or not item["article"].strip():
            raise InputError(f"{where} の article に不開示の条項（例: 条例第7条第2号）を書いてください。")
        if len(item["article"]) > 100:
            raise InputError(f"{where} の article が長すぎます（100 字まで）。")
        boxes.append(redaction.Box(item["page"], float(item["x0"]), float(item["top"]), float(item["x1"]), float(item["bottom"]),
                                   item["article"].strip()))
    return boxes


def write_report(failures, path: Path | None) -> None:
    if path is None:
        return
    path.write_text(json.dumps({"ok": not failures, "failures": [
        {"page": f.page, "box": None if f.box is None else f.box + 1, "kind": f.kind, "message": f.message} for f in failures
    ]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class Command(BaseCommand):
    help = ("PDF に墨塗りの枠（BOXES.json）を適用して確認します。--verify では、どこで墨塗りした PDF でも、枠の中に元の文字・画素・"
            "注釈が残っていないか、メタデータ・添付ファイル・JavaScript が消えているかを確認します。問題があれば終了コード 2 で、ページと枠を示します。")

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", type=Path, help="墨塗りする PDF")
        parser.add_argument("--boxes", type=Path, required=True, help="枠の JSON（docs/data-format.md）")
        parser.add_argument("--output", type=Path, help="墨塗りした PDF の書き出し先")
        parser.add_argument("--verify", type=Path, metavar="OUT.pdf", help="確認だけを行う墨塗り済みの PDF")
        parser.add_argument("--source", type=Path, help="--verify のときの元の PDF")
        parser.add_argument("--report", type=Path, help="確認結果を JSON で書き出す先")

    def handle(self, *args, input, boxes, output, verify, source, report, **options):
        if verify is not None:
            if input is not None or output is not None:
                raise CommandError("--verify のときは IN.pdf と --output を指定しません: mamori redact --verify OUT.pdf --source IN.pdf --boxes BOXES.json")
            if source is None:
                raise CommandError("--verify には元の PDF（--source IN.pdf）が必要です。")
        elif input is None or output is None:
            raise CommandError("墨塗りする PDF と書き出し先を指定してください: mamori redact IN.pdf --boxes BOXES.json --output OUT.pdf")
        try:
            box_list = parse_boxes(read_json(boxes, boxes.name), boxes.name)
        except InputError as exc:
            raise CommandError(str(exc)) from None
        if verify is not None:
            self.verify_file(read_pdf(verify, "確認する PDF"), read_pdf(source, "元の PDF"), box_list, verify, report)
            return
        if output.resolve() == input.resolve():
            raise CommandError("書き出し先が元の PDF と同じです。元の PDF は残してください（別のファイル名を指定してください）。")
        data = read_pdf(input, "墨塗りする PDF")
        try:
            out = redaction.redact(data, box_list)
        except redaction.RedactionError as exc:
            raise CommandError(f"{boxes.name}: {exc}") from None
        except redaction.RedactionFailed as exc:
            write_report(exc.failures, report)
            self.stderr.write("墨塗りの確認で問題が見つかったため、PDF を書き出しませんでした:")
            for f in exc.failures:
                self.stderr.write(f"  - {f.message}")
            raise CommandError(f"{len(exc.failures)} 件の問題があります。", returncode=FAILED) from None
        output.write_bytes(out)
        write_report([], report)
        pages = len({b.page for b in box_list})
        self.stdout.write(self.style.SUCCESS(f"{output} に書き出しました（{pages} ページの {len(box_list)} 枠を墨塗りし、確認しました。問題はありません）。"))

    def verify_file(self, output: bytes, source: bytes, boxes, name: Path, report_path: Path | None) -> None:
        failures = redaction.verify(output, source, boxes)
        write_report(failures, report_path)
        if failures:
            self.stderr.write(f"{name} には、元の PDF の内容が残っています（{len(failures)} 件）。このまま公開・交付しないでください:")
            for f in failures:
                self.stderr.write(f"  - {f.message}")
            raise CommandError(f"{len(failures)} 件の問題があります。", returncode=FAILED)
        self.stdout.write(self.style.SUCCESS(f"{name}: {len(boxes)} 枠を確認しました。枠の中にも、ファイルにも、元の内容は残っていません。"))
