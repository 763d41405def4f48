"""What Mamori suggests redacting, and what a box's stamp may print: pure rules over text (no PDF here, suggesting.py places them).

Each rule returns spans (start, end) of the text given; the text has one character per character of the page
(normalize() keeps the offsets), lines separated by "\\n".
"""
import re
import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def normalize(text: str) -> str:
    """Full-width digits, letters and signs to ASCII (NFKC), one character for one, so offsets stay put."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out).replace("－", "-").replace("‐", "-").replace("ー", "ー").replace("―", "-").replace("−", "-")


# ------------------------------------------------------------------ マイナンバー (個人番号)
# 番号法施行令第8条 (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令) leaves the check
# digit's formula to 総務省令: 行政手続における特定の個人を識別するための番号の利用等に関する法律の規定による通知カード
# 及び個人番号カード並びに情報提供ネットワークシステムによる特定個人情報の提供等に関する省令（平成26年総務省令第85号）
# 第5条: 検査用数字 = 11 − (Σ_{n=1..11} Pn × Qn を 11 で除した余り); 余り ≦ 1 のときは 0.
# Pn: the n-th digit counted from the lowest of the 11 digits before the check digit; Qn = n + 1 (1 ≦ n ≦ 6),
# n − 5 (7 ≦ n ≦ 11).

def mynumber_check_digit(first11: str) -> int:
    if len(first11) != 11 or not first11.isdigit():
        raise ValueError("11 digits expected")
    total = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_mynumber(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    return len(digits) == 12 and digits.isdigit() and mynumber_check_digit(digits[:11]) == int(digits[11])


MYNUMBER = re.compile(r"(?<![\d-])(\d{4}[ \-]?\d{4}[ \-]?\d{4})(?![\d-])")


def mynumbers(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in MYNUMBER.finditer(text) if is_mynumber(m.group(1))]


# ------------------------------------------------------------------ phone numbers
# 電気通信番号規則 (令和元年総務省令第4号): a domestic number starts with 0 and has 10 digits (固定, 050 IP) or 11
# (070/080/090 携帯, 0120 and 0800 are 10 and 11); written with hyphens, spaces or the area code in brackets.
PHONE = re.compile(r"(?<![\d-])(\(?0\d{1,4}\)?[ \-(]?\d{1,4}[ \-)]?\d{3,4})(?![\d-])")


def phones(text: str) -> list[tuple[int, int]]:
    out = []
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) in (10, 11) and not is_mynumber(m.group(1)):
            out.append(m.span(1))
    return out


# ------------------------------------------------------------------ e-mail addresses
EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def emails(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in EMAIL.finditer(text)]


# ------------------------------------------------------------------ dates of birth
ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)"
DATE = (rf"(?:{ERA}\s*(?:元|\d{{1,2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
        r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
        rf"|(?:{ERA}\s*)?\d{{1,4}}[./\-]\d{{1,2}}[./\-]\d{{1,2}})")
BIRTH = re.compile(rf"(?:生年月日|誕生日|生まれ)[\s:：)）]*({DATE})")


def birthdates(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in BIRTH.finditer(text)]


# ------------------------------------------------------------------ addresses
PREFECTURES = ("北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 "
               "石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 "
               "岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県").split()
_KANJI = r"[\u4e00-\u9fff々〆ヶケ\u3041-\u3096\u30a1-\u30fa]"
_KANSUJI = "〇一二三四五六七八九十"
ADDRESS = re.compile(
    rf"((?:{'|'.join(PREFECTURES)})?\s*{_KANJI}{{1,6}}?[市区町村]\s*(?:{_KANJI}{{1,6}}?[郡区町村]\s*)?{_KANJI}{{0,8}}?\s*"
    rf"(?:[\d{_KANSUJI}]+\s*丁目\s*)?\d+(?:\s*番地(?:\s*の?\s*\d+)?|\s*(?:番|-)\s*\d+(?:\s*号|(?:\s*-\s*\d+)+)?(?:\s*号)?))"
)


def addresses(text: str) -> list[tuple[int, int]]:
    out = []
    for m in ADDRESS.finditer(text):
        start, end = m.span(1)
        while start < end and text[start].isspace():
            start += 1
        out.append((start, end))
    return out


# ------------------------------------------------------------------ names
@cache
def surnames() -> frozenset[str]:
    lines = (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if line and not line.startswith("#") for w in line.split())


LABELS = r"(?:氏\s*名|名\s*前|申請者|請求者|担当者|代表者|記入者|届出者|相談者)"
# 「山田 太郎」 (surname, a space, the given name) or 「山田太郎」 (2 to 6 kanji): not a space and another word.
NAME = r"(?:[\u4e00-\u9fff々ヶ]{1,3}[ 　][\u4e00-\u9fff々ヶ\u3041-\u3096\u30a1-\u30fa]{1,4}|[\u4e00-\u9fff々ヶ]{2,6})"
# The label, then a space, a colon or a line break (「担当者名及び…」 is not a label and a name).
LABELLED = re.compile(rf"{LABELS}(?:\s*[（(]\s*(?:氏名|自署)\s*[)）])?[\s:：]+({NAME})")
# The reading of a name on a form: 「フリガナ　ヤマダ　タロウ」, 「ふりがな やまだ たろう」.
KANA = r"(?:[\u30a1-\u30faー]{1,8}(?:[ 　][\u30a1-\u30faー]{1,8})?|[\u3041-\u3096ー]{1,8}(?:[ 　][\u3041-\u3096ー]{1,8})?)"
READING = re.compile(rf"(?:フリガナ|ふりがな)[\s:：]+({KANA})")
HONORIFIC = re.compile(rf"({NAME})\s*(?:様|殿|さん|氏)(?![\u4e00-\u9fff])")
# Words that make a run of kanji a title, an office or a form's next label, not a person (「関係者各位」,
# 「市長」, 「代表者 氏名」, 「担当者 確認欄」).
NOT_NAMES = ("御中", "各位", "皆", "関係者", "担当", "本人", "申請者", "請求者", "市長", "会長", "委員", "議長", "部長", "課長",
             "係長", "職員", "事務局", "市役所", "役所", "株式会社", "有限会社", "法人", "氏名", "名前", "名称", "住所", "所在",
             "電話", "職名", "所属", "生年", "年齢", "性別", "連絡", "確認", "同意", "承諾", "以外", "通知", "記入", "署名", "押印",
             "印鑑", "欄", "及", "等", "様式", "番号", "不明", "未定", "なし")


def _is_title(name: str) -> bool:
    return any(word in name for word in NOT_NAMES)


def _starts_with_surname(name: str) -> bool:
    known = surnames()
    return any(name[:k] in known for k in (1, 2, 3, 4))


def names(text: str) -> list[tuple[int, int]]:
    out = []
    for m in LABELLED.finditer(text):
        if not _is_title(m.group(1)):
            out.append(m.span(1))
    out += [m.span(1) for m in READING.finditer(text)]
    for m in HONORIFIC.finditer(text):
        name = m.group(1)
        # The honorific alone is not enough (「市長様」「各位殿」): the name must begin with a common surname;
        # a longer run of kanji before it is cut to the surname's start.
        for start in range(len(name)):
            tail = name[start:]
            if len(tail.replace(" ", "").replace("　", "")) >= 2 and _starts_with_surname(tail) and not _is_title(tail):
                out.append((m.start(1) + start, m.end(1)))
                break
    return sorted(out)


# ------------------------------------------------------------------ the request's own terms
def _term_pattern(word: str) -> re.Pattern | None:
    chars = [c for c in normalize(word) if not c.isspace()]
    return re.compile(r"\s*".join(re.escape(c) for c in chars), re.IGNORECASE) if chars else None


def terms(text: str, words) -> list[tuple[int, int]]:
    """Every occurrence of each word, whatever the spaces or line breaks inside it (「山田 太郎」, a name broken
    over two lines) and the case of its letters."""
    out = []
    for word in words:
        pattern = _term_pattern(word)
        if pattern is not None:
            out += [m.span() for m in pattern.finditer(text)]
    return out


def which_term(found: str, words) -> str:
    """The word of ``words`` that ``found`` (a span terms() reported) is an occurrence of."""
    for word in words:
        pattern = _term_pattern(word)
        if pattern is not None and pattern.fullmatch(found):
            return word
    return ""


RULES = (("mynumber", mynumbers), ("phone", phones), ("email", emails), ("birthdate", birthdates), ("address", addresses), ("name", names))
KIND_LABELS = {"name": "氏名", "address": "住所", "phone": "電話番号", "email": "メールアドレス", "birthdate": "生年月日",
               "mynumber": "個人番号（マイナンバー）", "term": "指定した語"}


def find(text: str, words=()) -> list[tuple[str, int, int]]:
    """(kind, start, end) of everything to suggest in ``text`` (normalize() it first), a span found by two
    rules reported once (the first rule in RULES wins: a マイナンバー is not also a phone number)."""
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for kind, rule in (("term", lambda t: terms(t, words)),) + RULES:
        for s, e in rule(text):
            if any(s < te and ts < e for ts, te in taken) and kind != "term":
                continue
            found.append((kind, s, e))
            taken.append((s, e))
    return sorted(found, key=lambda f: (f[1], f[2]))


# ------------------------------------------------------------------ the stamp on a box
# Japanese bodies print the article withheld under on each box (the 部分公開 copy names the ground of every part it
# withholds: 朝霞市情報公開条例第7条 lists the 非公開情報 by 号, 個人情報保護法第78条第1項 by 号). A small box (a name
# on a form) cannot hold 「条例第7条第2号」: it is printed shorter, still naming the article — 「7条2号」, then 「7-2」.
_KANJI_DIGITS = {c: i for i, c in enumerate(_KANSUJI[:10])}
_ARTICLE_PART = re.compile(r"第\s*([0-9〇一二三四五六七八九十]+)\s*(条|項|号)(?:\s*の\s*([0-9〇一二三四五六七八九十]+))?")


def _number(text: str) -> str:
    """「7」「７」「七」「十二」「二十」 → "7", "7", "7", "12", "20"."""
    text = normalize(text)
    if text.isdigit():
        return str(int(text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str(10 * (_KANJI_DIGITS.get(tens, 1) if tens else 1) + (_KANJI_DIGITS.get(ones, 0) if ones else 0))
    return "".join(str(_KANJI_DIGITS[c]) for c in text)


def stamp_texts(article: str) -> tuple[str, ...]:
    """What may be printed on a box withheld under ``article``, longest first: the article as given, its numbers
    with their units (「78条1項2号」), its numbers alone (「78-1-2」). An article without 第…条 has only itself."""
    full = article.strip()
    parts = [(_number(n), unit, _number(branch) if branch else "") for n, unit, branch in _ARTICLE_PART.findall(normalize(full))]
    if not parts or parts[0][1] != "条":
        return (full,) if full else ()
    # after a branch number (第12条の2) the next part keeps its 第, or 「12条の21号」 would read as 21号
    units = "".join(("第" if i and parts[i - 1][2] else "") + f"{n}{unit}" + (f"の{b}" if b else "") for i, (n, unit, b) in enumerate(parts))
    numbers = "-".join(n + (f"の{b}" if b else "") for n, _, b in parts)
    return tuple(dict.fromkeys(t for t in (full, units, numbers) if t))
