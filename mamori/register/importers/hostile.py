"""A corpus of hostile and awkward council packets, for the fuzz tests and `python -m mamori.bench.ingest`.

    scripts/make-hostile-corpus.py DIR [--scale full|small]

``full`` is the size of the findings (a DOCX that inflates to 300 MB, a PDF stream of 200 MB, a
5 MB line, 20 MB files); ``small`` keeps every kind of attack but at a size a test can afford,
to be read with ``SMALL_LIMITS``. Each builder writes one file (or a directory) and returns its
path; ``EXPECTED`` says which limit or message must refuse it, or ``None`` for a file that is read.
"""
from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

from mamori.core.rendering import PDF_GOTHIC_STACK, font_face_css
from mamori.register.importers.limits import MB, Limits

SMALL_LIMITS = Limits(file_mb=2, expanded_mb=4, stream_mb=2, pages=50, text_chars=200_000, line_chars=5_000, blocks=5_000, programs=50,
                      seconds=20, memory_mb=500)

BLOCK = """\
事務事業名 {name}
理由及び経緯 {name}を新たに始めるため。
内容 申請者の「氏名」・「住所」・「電話番号」を本人から収集し、有限会社みどり見守りサービスに外部委託する。
担当 総務部 総務課 庶務係
"""
HEADER = "令和７年度第２回　みどり市個人情報保護審議会次第\n令和７年１１月５日（水）\n午後２時３０分から\nみどり市役所　第３会議室\n資料１\n"
KANJI = "情報保護審議会届出事務事業理由経緯内容担当総務課係市民住所氏名電話番号収集提供委託"


def packet_text(blocks: int = 2, seed: int = 0) -> str:
    return HEADER + "".join(BLOCK.format(name=f"見守り{seed}の{i}号事業") for i in range(blocks))


# ---------------------------------------------------------------- DOCX

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraphs_xml(lines) -> str:
    return "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>" for line in lines)


def write_docx(path: Path, body_chunks, prolog: str = "") -> Path:
    """A DOCX whose word/document.xml is ``prolog`` + <w:document><w:body> + the chunks + the end, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document {W}><w:body>'.encode())
            for chunk in body_chunks:
                f.write(chunk.encode() if isinstance(chunk, str) else chunk)
            f.write(b"</w:body></w:document>")
    return path


def docx_packet(path: Path, blocks: int = 2) -> Path:
    return write_docx(path, [_paragraphs_xml(packet_text(blocks).splitlines())])


def zip_bomb_docx(path: Path, expanded_mb: int) -> Path:
    """Half a megabyte that inflates to ``expanded_mb``: white space inside a comment."""
    spaces = b" " * MB
    return write_docx(path, [_paragraphs_xml(packet_text(1).splitlines()), b"<!--", *(spaces for _ in range(expanded_mb)), b"-->"])


def deep_docx(path: Path, depth: int = 100_000) -> Path:
    return write_docx(path, ["<w:p>" * depth, "</w:p>" * depth])


def laughs_docx(path: Path) -> Path:
    """The billion-laughs entity: python-docx's parser has resolve_entities=False, so it stays one reference."""
    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return write_docx(path, ["<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", _paragraphs_xml(packet_text(1).splitlines())],
                      prolog=f"<!DOCTYPE w:document [{entities}]>")


def many_paragraphs_docx(path: Path, count: int) -> Path:
    return write_docx(path, ("".join(f"<w:p><w:r><w:t>{i + j}</w:t></w:r></w:p>" for j in range(1000)) for i in range(0, count, 1000)))


def large_docx(path: Path, target_mb: int) -> Path:
    """Incompressible Japanese paragraphs (a random text), about ``target_mb`` on disk."""
    rng = random.Random(1)

    def chunks():
        written = 0
        while written < target_mb * MB * 2.9:  # random kanji from a small set deflate to about 30 %
            line = "".join(rng.choice(KANJI) for _ in range(2000))
            written += len(line.encode())
            yield _paragraphs_xml([line])
    return write_docx(path, chunks())


# ---------------------------------------------------------------- PDF


def write_pdf(path: Path, objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> Path:
    """A PDF from its numbered objects (1 …), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref))
    path.write_bytes(out.getvalue())
    return path


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 10 Tf 40 800 Td 12 TL"] + [b"(" + line.encode("latin-1", "replace").replace(b"(", b"").replace(b")", b"") + b") '" for line in lines]
    return b"\n".join(ops + [b"ET"])


def pdf_pages(path: Path, pages: list[list[str]], declared_count: int | None = None, compress: bool = True) -> Path:
    """Pages of ASCII text in Helvetica (objects: catalog, pages, font, then a page and its content each)."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared_count or len(pages)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        content = _text_content(lines)
        objects.append(_stream(zlib.compress(content), b"/Filter /FlateDecode ") if compress else _stream(content))
    return write_pdf(path, objects)


def pdf_stream_bomb(path: Path, inflated_mb: int) -> Path:
    """One page whose content stream is a few hundred KB deflated and ``inflated_mb`` inflated."""
    inflater = zlib.compressobj(9)
    data = b"".join(inflater.compress(b" " * MB) for _ in range(inflated_mb)) + inflater.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
               _stream(data, b"/Filter /FlateDecode ")]
    return write_pdf(path, objects)


def encrypted_pdf(path: Path) -> Path:
    """A user password that is not empty: /U does not match the empty password."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32)]
    return write_pdf(path, objects, trailer_extra=b"/Encrypt 3 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16))


def japanese_pdf(path: Path, blocks: int = 2) -> Path:
    from weasyprint import HTML  # the project's own PDF renderer, with the Noto fonts it embeds

    body = "".join(f"<p>{line}</p>" for line in packet_text(blocks).splitlines())
    HTML(string=f"<html><style>{font_face_css()} body {{ font-family: {PDF_GOTHIC_STACK} }}</style><body>{body}</body></html>").write_pdf(path)
    return path


# ---------------------------------------------------------------- text and the rest


def truncate(source: Path, path: Path, fraction: float = 0.5) -> Path:
    raw = source.read_bytes()
    path.write_bytes(raw[: int(len(raw) * fraction)])
    return path


def corrupt(source: Path, path: Path) -> Path:
    """The same size, with a run of bytes in the middle of the compressed data overwritten."""
    raw = bytearray(source.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(raw))
    return path


def build(directory: Path, scale: str = "full") -> dict[str, Path]:
    """Every corpus file under ``directory``; name → path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    full = scale == "full"
    d = directory
    files: dict[str, Path] = {}

    def add(name: str, make) -> None:
        files[name] = make(d / name)

    add("valid_packet.txt", lambda p: (p.write_text(packet_text(3), encoding="utf-8"), p)[1])
    add("valid_packet_sjis.txt", lambda p: (p.write_bytes(packet_text(3).encode("cp932")), p)[1])
    add("valid_packet.docx", lambda p: docx_packet(p, 3))
    add("valid_packet.pdf", lambda p: japanese_pdf(p, 3))
    add("valid_ascii.pdf", lambda p: pdf_pages(p, [[f"page {i} line {j}" for j in range(40)] for i in range(5)]))
    add("zip_bomb.docx", lambda p: zip_bomb_docx(p, 300 if full else 8))
    add("deep_nesting.docx", lambda p: deep_docx(p, 50_000 if full else 3_000))
    add("billion_laughs.docx", laughs_docx)
    add("many_paragraphs.docx", lambda p: many_paragraphs_docx(p, 1_000_000 if full else 20_000))
    add("truncated.docx", lambda p: truncate(files["valid_packet.docx"], p))
    add("corrupt.docx", lambda p: corrupt(files["valid_packet.docx"], p))
    add("pdf_as.docx", lambda p: (p.write_bytes(files["valid_ascii.pdf"].read_bytes()), p)[1])
    add("pdf_stream_bomb.pdf", lambda p: pdf_stream_bomb(p, 200 if full else 6))
    add("huge_page_count.pdf", lambda p: pdf_pages(p, [["x"]] * (5_000 if full else 200), declared_count=10_000_000 if full else None,
                                                    compress=False))
    add("encrypted.pdf", encrypted_pdf)
    add("truncated.pdf", lambda p: truncate(files["valid_packet.pdf"], p))
    add("docx_as.pdf", lambda p: (p.write_bytes(files["valid_packet.docx"].read_bytes()), p)[1])
    add("one_line_5mb.txt", lambda p: (p.write_text("事務事業名 " + "あ" * ((5 * MB if full else 300_000) // 3), encoding="utf-8"), p)[1])
    add("nul_bytes.txt", lambda p: (p.write_bytes(packet_text(60).encode() + b"\x00" + packet_text(1, seed=1).encode()), p)[1])
    add("truncated_utf8.txt", lambda p: (p.write_bytes(packet_text(2).encode()[:-2]), p)[1])
    add("truncated_sjis.txt", lambda p: (p.write_bytes(packet_text(2).encode("cp932") + "あ".encode("cp932")[:1]), p)[1])
    add("docx_as.txt", lambda p: (p.write_bytes(files["valid_packet.docx"].read_bytes()), p)[1])
    (d / "directory.txt").mkdir(exist_ok=True)
    files["directory.txt"] = d / "directory.txt"
    add("large_packet.txt", lambda p: (p.write_text(packet_text(60_000 if full else 200), encoding="utf-8"), p)[1])
    add("large.docx", lambda p: large_docx(p, 20 if full else 1))
    add("large.pdf", lambda p: pdf_pages(p, [[f"{i:06d} " + "lorem ipsum dolor sit amet " * 3 for i in range(200)]] * (900 if full else 100),
                                         compress=False))
    return files


# Which limit (its key in MAMORI_INGEST_LIMITS) or which words refuse each file; None: read.
EXPECTED = {
    "valid_packet.txt": None, "valid_packet_sjis.txt": None, "valid_packet.docx": None, "valid_packet.pdf": None,
    "valid_ascii.pdf": "事務事業のブロック", "zip_bomb.docx": "expanded_mb", "deep_nesting.docx": "入れ子", "billion_laughs.docx": "ENTITY",
    "many_paragraphs.docx": "blocks", "truncated.docx": "途中で切れて", "corrupt.docx": "壊れて", "pdf_as.docx": "中身はPDF",
    "pdf_stream_bomb.pdf": "stream_mb", "huge_page_count.pdf": "pages", "encrypted.pdf": "パスワード", "truncated.pdf": "途中で切れて",
    "docx_as.pdf": "中身はZIP", "one_line_5mb.txt": "line_chars", "nul_bytes.txt": "NUL", "truncated_utf8.txt": "途中で切れて",
    "truncated_sjis.txt": "途中で切れて", "docx_as.txt": "中身はZIP", "directory.txt": "フォルダー",
    "large_packet.txt": {"full": "text_chars", "small": "programs"}, "large.docx": {"full": "text_chars", "small": "text_chars"},
    "large.pdf": {"full": ("text_chars", "seconds"), "small": "pages"},
}
