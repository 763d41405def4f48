"""PDFs built for the redaction tests (reportlab for the content, pikepdf for what a viewer does not show)."""
import io

import pikepdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from mamori.core.redaction import writing
from mamori.core.rendering import PDF_FONT_STACK, font_face_css

A4 = (595.0, 842.0)


def text_pdf(pages, size=A4) -> bytes:
    """``pages``: per page a list of (x, top, text, font size), top-down points; the text in Noto Sans JP."""
    font = writing.stamp_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for lines in pages:
        for x, top, text, pt in lines:
            c.setFont(font, pt)
            c.drawString(x, size[1] - top - pt * 0.88, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(lines, *, dpi: int = 150, colour=(20, 20, 20), size=A4) -> bytes:
    """One page that is only a picture (a scan) of ``lines`` [(x, top, text, pt)]: no text layer."""
    scale = dpi / 72
    image = Image.new("RGB", (int(size[0] * scale), int(size[1] * scale)), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    for x, top, text, pt in lines:
        font = ImageFont.truetype(str(writing.STAMP_FILE), int(pt * scale))
        draw.text((x * scale, top * scale), text, font=font, fill=colour)
    buf, jpeg = io.BytesIO(), io.BytesIO()
    image.save(jpeg, format="JPEG", quality=90)
    jpeg.seek(0)
    c = canvas.Canvas(buf, pagesize=size)
    c.drawImage(ImageReader(jpeg), 0, 0, width=size[0], height=size[1])
    c.showPage()
    c.save()
    return buf.getvalue()


def edited(pdf: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        change(doc)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def turned(pdf: bytes, page: int, *, rotate: int | None = None, cropbox=None) -> bytes:
    """Page ``page`` (1-based) with a /Rotate and/or a /CropBox (user space: left, bottom, right, top)."""
    def change(doc):
        p = doc.pages[page - 1].obj
        if rotate is not None:
            p.Rotate = rotate
        if cropbox is not None:
            p.CropBox = pikepdf.Array(cropbox)
    return edited(pdf, change)


def painted_over(pdf: bytes, page: int, rects, page_height: float = A4[1]) -> bytes:
    """The broken redaction people do in Word: black rectangles drawn over the text, the text left under them."""
    def change(doc):
        ops = "".join(f"0 0 0 rg {x0} {page_height - bottom} {x1 - x0} {bottom - top} re f\n" for x0, top, x1, bottom in rects)
        doc.pages[page - 1].contents_add(pikepdf.Stream(doc, ops.encode()), prepend=False)
    return edited(pdf, change)


def decorated(pdf: bytes) -> bytes:
    """Everything a viewer hides: Info and XMP, an annotation with its author, an attachment, JavaScript on
    opening, a filled form field, and the layer /oc1 switched off (see layered_pdf)."""
    def change(doc):
        doc.docinfo["/Author"] = "山田太郎"
        doc.docinfo["/Title"] = "非公開の題名"
        with doc.open_metadata() as meta:
            meta["dc:creator"] = ["山田太郎"]
        page = doc.pages[0]
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[100, 745, 130, 765],
                                  T=pikepdf.String("山田太郎"), Contents=pikepdf.String("ここは黒塗り"), M=pikepdf.String("D:20240401090000+09'00'"))
        field = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("name"),
                                   V=pikepdf.String("山田太郎"), Rect=[300, 100, 400, 120])
        field_ref = doc.make_indirect(field)
        page.obj.Annots = doc.make_indirect(pikepdf.Array([doc.make_indirect(note), field_ref]))
        doc.Root.AcroForm = pikepdf.Dictionary(Fields=[field_ref])
        doc.attachments["secret.txt"] = pikepdf.AttachedFileSpec(doc, "山田太郎 090-1234-5678".encode(), mime_type="text/plain")
        js = doc.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")))
        doc.Root.OpenAction = js
        layer = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("hidden")))
        doc.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(OFF=[layer], ON=[]))
        page.obj.Resources.Properties = pikepdf.Dictionary(oc1=layer)
    return edited(pdf, change)


def layered_pdf(visible, hidden, size=A4) -> bytes:
    """One page: ``visible`` lines, and ``hidden`` lines inside the marked content /OC /oc1 (decorated() makes it
    a layer switched off)."""
    font = writing.stamp_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for x, top, text, pt in visible:
        c.setFont(font, pt)
        c.drawString(x, size[1] - top - pt * 0.88, text)
    c._code.append("/OC /oc1 BDC")  # reportlab has no call for marked content
    for x, top, text, pt in hidden:
        c.setFont(font, pt)
        c.drawString(x, size[1] - top - pt * 0.88, text)
    c._code.append("EMC")
    c.showPage()
    c.save()
    return buf.getvalue()


def pieces_pdf(pieces, size=A4) -> bytes:
    """One page of text pieces [(x, top, text, pt)] drawn one by one (so a copy can leave a piece out)."""
    return text_pdf([pieces], size)


def weasyprint_pdf(html_body: str) -> bytes:
    """A PDF typeset the way Mamori's documents are (WeasyPrint, the project's Noto fonts)."""
    from weasyprint import CSS, HTML  # heavy: only the test that needs it loads it

    css = CSS(string=font_face_css() + f"body {{ font-family: {PDF_FONT_STACK}; font-size: 11pt; }} td {{ border: 1px solid #000; padding: 4pt; }}")
    return HTML(string=f"<html><body>{html_body}</body></html>").write_pdf(stylesheets=[css])


def with_field_and_note(pdf: bytes, page: int = 1) -> bytes:
    """A filled form field drawn by its appearance (a black bar at user space 300,500–400,520) and a sticky note
    drawn by its own (a red square at 100,500–120,520), both on ``page``."""
    def change(doc):
        def appearance(ops: bytes, w: float, h: float):
            return doc.make_stream(ops, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, w, h])
        field = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("answer"),
            V=pikepdf.String("記入済み"), Rect=[300, 500, 400, 520], F=4,
            AP=pikepdf.Dictionary(N=appearance(b"0 0 0 rg 0 0 100 20 re f", 100, 20))))
        note = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[100, 500, 120, 520], F=4, T=pikepdf.String("山田太郎"),
            Contents=pikepdf.String("内部メモ"), AP=pikepdf.Dictionary(N=appearance(b"1 0 0 rg 0 0 20 20 re f", 20, 20))))
        doc.pages[page - 1].obj.Annots = doc.make_indirect(pikepdf.Array([field, note]))
        doc.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
    return edited(pdf, change)


def painted_in_a_form(pdf: bytes, page: int, rects, page_height: float = A4[1]) -> bytes:
    """painted_over(), the black rectangles drawn by a Form XObject (as some converters write them)."""
    def change(doc):
        ops = "".join(f"0 0 0 rg {x0} {page_height - bottom} {x1 - x0} {bottom - top} re f\n" for x0, top, x1, bottom in rects)
        form = doc.make_stream(ops.encode(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 595, 842])
        p = doc.pages[page - 1]
        name = p.add_resource(form, pikepdf.Name.XObject, prefix="Fm")
        p.contents_add(pikepdf.Stream(doc, f"q {name} Do Q\n".encode()), prepend=False)
    return edited(pdf, change)


def pasted_over(pdf: bytes, page: int, rects, page_height: float = A4[1]) -> bytes:
    """A black picture pasted over each rectangle (another way people 'redact' in Word)."""
    def change(doc):
        black = doc.make_stream(b"\x00" * 16, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=4, Height=4,
                                ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        p = doc.pages[page - 1]
        name = p.add_resource(black, pikepdf.Name.XObject, prefix="Im")
        ops = "".join(f"q {x1 - x0} 0 0 {bottom - top} {x0} {page_height - bottom} cm {name} Do Q\n" for x0, top, x1, bottom in rects)
        p.contents_add(pikepdf.Stream(doc, ops.encode()), prepend=False)
    return edited(pdf, change)
