"""Write the public site into a folder, atomically, and pack it as a ZIP to carry to the internet segment.

The site is built in a temporary folder beside the output, then swapped in with one rename
(Linux's renameat2 RENAME_EXCHANGE where available): the web server, or the copy to it, never sees
half a site, and a deleted entry's request page and forms disappear with the old folder — only its
消除 notice page (files/F….html) stays, because the entry stays in the data with its 消除年月日.

The output folder holds a manifest (``.mamori-site.json``): the key of every request form, so the
next publication reuses a form whose file, office and fees have not changed instead of typesetting
it again (a PDF takes tens of milliseconds; a city has thousands of files). A folder without the
manifest that is not empty is refused: ``--output`` pointed at the wrong folder never deletes it.
"""
import ctypes
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mamori.public.site import Site, SiteData

MANIFEST = ".mamori-site.json"
FORMAT = "mamori-public-site"


class PublishError(Exception):
    """A publication that cannot be done as asked; the message says what to do, in Japanese."""


@dataclass(frozen=True)
class Result:
    path: Path
    files: int
    entries: int
    deleted: int
    reused: int


def _previous(output: Path) -> Callable[[str, str], bytes | None]:
    """A form from the previous publication in ``output``, if it was made of the same things (its key)."""
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        keys = manifest.get("forms", {}) if manifest.get("format") == FORMAT else {}
    except (OSError, ValueError):
        keys = {}

    def reuse(path: str, key: str) -> bytes | None:
        if keys.get(path) != key:
            return None
        try:
            return (output / path).read_bytes()
        except OSError:
            return None

    return reuse


def check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise PublishError(f"出力先 {output} はフォルダではありません。新しいフォルダか、前に公開サイトを出力したフォルダを指定してください。")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST).is_file():
        raise PublishError(f"出力先 {output} には公開サイト以外のファイルがあります（{MANIFEST} がありません）。"
                           "中身を消さないよう、処理を中止しました。空のフォルダか、前に公開サイトを出力したフォルダを指定してください。")


def build(data: SiteData, *, reuse=None, progress: Callable[[int, str], None] | None = None) -> tuple[dict[str, bytes], Site]:
    """Every file of the site, in memory, by path; and the Site (its form keys, for the manifest).

    The request forms that the previous publication cannot lend are handed to the processors first (a first
    publication of a large register is mostly forms); the pages are made while they are drawn."""
    site = Site(data, reuse=reuse or (lambda path, key: None))
    paths = site.paths()
    files: dict[str, bytes] = {}
    to_make: list[tuple[str, tuple]] = []
    pages: list[str] = []
    for path in paths:
        form = site.form_of(path)
        if form is None:
            pages.append(path)
        elif (previous := site.previous_form(*form)) is not None:
            files[path] = previous
        else:
            to_make.append((path, form))

    def forms_done(count: int) -> None:
        if progress:
            progress(40 + int(50 * count / len(to_make)), f"開示請求書を作成しています（{count:,} / {len(to_make):,}）")

    forms = site.make_forms([form for _, form in to_make], progress=forms_done)
    step = max(1, len(pages) // 20)
    for n, path in enumerate(pages):
        files[path] = site.render(path)
        if progress and n % step == 0:
            progress(int(40 * n / len(pages)), f"ページを作成しています（{n:,} / {len(pages):,}）")
    files.update((path, form) for (path, _), form in zip(to_make, forms))
    return dict(sorted(files.items())), site


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def write(files: dict[str, bytes], output: Path, manifest: dict) -> None:
    """The files into ``output``, all at once: built beside it, then swapped in."""
    output = output.resolve()
    check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for path, data in files.items():
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the web server reads it
        if not output.exists():
            os.rename(tmp, output)
            return
        if _exchange(tmp, output):
            shutil.rmtree(tmp)  # now the previous site
            return
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rename(output, old / "site")
        os.rename(tmp, output)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish(data: SiteData, output: Path, *, progress=None) -> Result:
    """Build the site from ``data`` and put it in ``output`` (reusing the forms of the previous publication there)."""
    output = Path(output)
    check_output(output.resolve())
    reused = 0
    previous = _previous(output)

    def reuse(path, key):
        nonlocal reused
        found = previous(path, key)
        reused += found is not None
        return found

    files, site = build(data, reuse=reuse, progress=progress)
    if progress:
        progress(92, "出力先に書き込んでいます")
    write(files, output, {"format": FORMAT, "version": 1, "forms": site.keys})
    return Result(output.resolve(), len(files), len(site.listed), len(site.deleted), reused)


def zip_folder(folder: Path) -> bytes:
    """The published folder as a ZIP (sorted, fixed dates: the same site gives the same bytes), to carry one way
    to the internet segment. The manifest stays out: it serves the next build here, not the web server."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    return out.getvalue()
