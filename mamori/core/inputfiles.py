"""Reading a JSON file someone hands to a command (`mamori import`, `mamori incident assess`) without a traceback.

Every way a file can be wrong ends in :class:`InputError`, whose message says in Japanese what is
wrong, where (byte offset, or line and column), and what to do: not a file, too large (setting
``MAMORI_INPUT_LIMITS["json_bytes"]``), another encoding (Shift_JIS, UTF-16) or binary, NUL
bytes, UTF-8 or JSON cut off before its end ("truncated"), nesting deeper than :data:`MAX_DEPTH`,
NaN / Infinity / numbers out of range, and NUL characters inside strings (PostgreSQL cannot store
them in text).
"""
import json
import math
from pathlib import Path

from django.conf import settings

MAX_DEPTH = 64  # the export nests at most ~8 levels; a deeper file is not ours
MAX_INT_DIGITS = 19  # 2**63 has 19 digits: anything longer fits no database column


class InputError(Exception):
    """A file that cannot be read; the message says what to fix."""


def limit(key: str) -> int:
    return settings.MAMORI_INPUT_LIMITS[key]


def _position(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}行{column}文字目"


def _decode(raw: bytes, name: str) -> str:
    printable = set(b"{[\"0123456789-tfn \r\n\t")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and {raw[0], raw[1]} & {0} and {raw[0], raw[1]} & printable):
        raise InputError(f"{name} は UTF-16 で保存されているようです。UTF-8 で保存し直してください。")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name} の {nul:,} バイト目に NUL 文字（0x00）があります。バイナリファイルか壊れたファイルです。UTF-8 の JSON を指定してください。")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end >= len(raw):
            raise InputError(
                f"{name} は途中で切れています（truncated）: 末尾の {exc.start:,} バイト目で UTF-8 の文字が欠けています"
                f"（全 {len(raw):,} バイト）。書き出しや転送が最後まで済んだファイルを指定してください。"
            ) from None
        try:
            raw.decode("shift_jis")
        except UnicodeDecodeError:
            raise InputError(
                f"{name} は UTF-8 として読めません（{exc.start:,} バイト目）。バイナリファイルか別の文字コードです。UTF-8 の JSON を指定してください。"
            ) from None
        raise InputError(f"{name} は Shift_JIS で保存されているようです（{exc.start:,} バイト目で UTF-8 として読めません）。UTF-8 で保存し直してください。") from None


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"数 {text[:30]} は大きすぎます")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"整数 {text[:30]}… は桁が多すぎます")
    return int(text)


def _parse_constant(text: str):
    raise ValueError(f"{text} は JSON の値ではありません")


def _walk(value, name: str) -> None:
    """Depth and NUL characters, without recursion (the structure may be of any depth)."""
    stack = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"{name} の入れ子が深すぎます（{path or '先頭'} で {MAX_DEPTH} 段を超えています）。mamori export の形式に合わせてください。")
        if isinstance(node, dict):
            for key, child in node.items():
                if "\x00" in key:
                    raise InputError(f"{name} の {path or '先頭'} に NUL 文字（\\u0000）を含む項目名があります。取り除いてください。")
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            raise InputError(f"{name} の {path or '先頭'} の文字列に NUL 文字（\\u0000）があります。データベースに保存できないので取り除いてください。")


def parse_json(raw: bytes, name: str):
    """The JSON value of ``raw``; InputError (in Japanese, with the place) for anything else."""
    text = _decode(raw, name)
    try:
        value = json.loads(text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        end = len(text.rstrip())
        if exc.pos >= end or exc.msg.startswith("Unterminated string"):
            raise InputError(
                f"{name} は途中で切れています（truncated）: {_position(text, end)}（{end:,}文字目）で終わっていて、JSON が閉じていません。"
                "書き出しや転送が最後まで済んだファイルを指定してください。"
            ) from None
        raise InputError(f"{name} は JSON として読めません（{_position(text, exc.pos)}: {exc.msg}）。") from None
    except RecursionError:
        raise InputError(f"{name} の入れ子が深すぎます（{MAX_DEPTH} 段まで）。mamori export の形式に合わせてください。") from None
    except ValueError as exc:
        raise InputError(f"{name} に使えない値があります（{exc}）。") from None
    _walk(value, name)
    return value


def read_json(path: Path, name: str | None = None):
    """Read and parse the JSON file at ``path`` (checked: a regular file, within the size limit)."""
    path = Path(path)
    name = name or path.name
    if path.is_dir():
        raise InputError(f"{name}（{path}）はフォルダーです。JSON ファイルを指定してください。")
    if not path.exists():
        raise InputError(f"{name} がありません（{path}）。")
    if not path.is_file():
        raise InputError(f"{name}（{path}）は通常のファイルではありません。")
    size, most = path.stat().st_size, limit("json_bytes")
    if size > most:
        raise InputError(f"{name} は {size:,} バイトで、上限 {most:,} バイト（設定 MAMORI_IMPORT_MAX_BYTES）を超えています。ファイルを確かめるか、上限を上げてください。")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name} を読めません（{exc.strerror}）。") from None
    return parse_json(raw, name)
