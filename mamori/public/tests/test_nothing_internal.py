"""Nothing internal reaches the public site: the demo city's staff names and usernames, internal notes, 届出
numbers and reasons, requesters, person counts — the list is read from the database, not written by hand — appear
nowhere in what `mamori publish` writes (pages, scripts, data, and the text of the PDF, DOCX and XLSX files)."""
import datetime
import io
import re
import zipfile

import pdfplumber
import pytest

from mamori.core.models import User
from mamori.disclosure.models import Request
from mamori.filebook.models import PersonalFile
from mamori.public import publish, site
from mamori.register.models import Item, Notification, ProgramVersion, SubjectGroup


def text_of(path: str, data: bytes) -> str:
    if path.endswith(".pdf"):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if path.endswith((".docx", ".xlsx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # every XML part: the text, and the document properties
            return "\n".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml"))
    return data.decode("utf-8")


def internal_strings() -> dict[str, set[str]]:
    """What the office keeps to itself, from the demo database."""
    notes = {*PersonalFile.objects.values_list("note", flat=True), *PersonalFile.objects.values_list("exemption_note", flat=True),
             *PersonalFile.objects.values_list("assessment_reason", flat=True), *ProgramVersion.objects.values_list("note", flat=True),
             *SubjectGroup.objects.values_list("note", flat=True), *Item.objects.values_list("note", flat=True)}
    counts = {c for c in ProgramVersion.objects.values_list("person_count", flat=True) if c}
    return {
        "staff": {u.display_name for u in User.objects.all() if u.display_name} | {f"{u.first_name}{u.last_name}" for u in User.objects.all()} - {""},
        "usernames": set(User.objects.values_list("username", flat=True)),
        "notes": {n for n in notes if n and len(n) >= 4},
        "届出": set(Notification.objects.values_list("number", flat=True)) | {r for r in Notification.objects.values_list("reason", flat=True) if len(r) >= 8},
        "requesters": set(Request.objects.values_list("requester_name", flat=True)),
        "person counts": {f"{c:,}人" for c in counts} | {f"{c}人" for c in counts},
    }


@pytest.mark.django_db
def test_nothing_internal_is_published(demo, tmp_path):
    out = publish.publish(site.load(datetime.datetime(2025, 4, 1, tzinfo=datetime.timezone.utc)), tmp_path / "site").path
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != publish.MANIFEST}
    assert len([p for p in files if p.endswith(".pdf")]) == 40  # every listed file's form was searched too
    text = "\n".join(text_of(path, data) for path, data in files.items())
    assert "住民基本台帳ファイル" in text  # the search itself can find what is there
    internal = internal_strings()
    assert internal["staff"] and internal["usernames"] and internal["notes"] and internal["届出"] and internal["requesters"] and internal["person counts"]
    found = {kind: sorted(s for s in strings if s in text) for kind, strings in internal.items() if kind != "usernames"}
    # usernames are short Latin words (hogo, iin): searched as whole words, outside the design tokens' CSS
    words = set(re.findall(r"[A-Za-z0-9_.-]+", "\n".join(t for p, t in ((p, text_of(p, d)) for p, d in files.items()) if not p.endswith(".css"))))
    found["usernames"] = sorted(internal["usernames"] & words)
    assert found == {kind: [] for kind in internal}
