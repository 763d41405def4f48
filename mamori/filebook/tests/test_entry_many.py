"""for_files reads CHUNK files at a time (the 5,000-file benchmark hit SQLite's "Expression tree is too large"
reading them at once): the entries are the same whichever way they are read."""
from django.utils import timezone

from mamori.filebook import entry
from mamori.filebook.models import FileProgram, PersonalFile


def test_entries_read_in_chunks_are_the_entries_read_at_once(city, monkeypatch):
    now = timezone.now()
    n = entry.CHUNK * 2 + 7
    files = PersonalFile.objects.bulk_create([PersonalFile(code=f"F{i:05d}", created_at=now) for i in range(1, n + 1)])
    FileProgram.objects.bulk_create([FileProgram(file=f, program=city.programs.teate if i % 2 else city.programs.juki)
                                     for i, f in enumerate(files)])
    chunked = entry.for_files(PersonalFile.objects.all())
    monkeypatch.setattr(entry, "CHUNK", n + 1)
    at_once = entry.for_files(PersonalFile.objects.all())
    assert len(chunked) == n and {pk: c.content for pk, c in chunked.items()} == {pk: c.content for pk, c in at_once.items()}
    assert {c.content["name"] for c in chunked.values()} == {"児童手当給付事業ファイル", "住民基本台帳管理事業ファイル"}
