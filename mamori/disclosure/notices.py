"""Notices to requesters and third parties: default wording, the office's edited templates,
and filling them from a request.

Templates use {差込み項目} in Japanese; unknown names are refused when the office saves a
template (template_problems), so a typo never reaches a requester.
"""
import string

from mamori.core.calendar import fullwidth, wareki
from mamori.core.models import MunicipalSettings
from mamori.core.redaction.rules import KIND_LABELS
from mamori.disclosure import rules
from mamori.disclosure.models import BoxStatus, Decision, NoticeKind, NoticeTemplate

# 行政不服審査法第82条（教示）and 行政事件訴訟法第46条（取消訴訟の教示）.
TEACHING = (
    "１　この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して３か月以内に、{審査庁}に対して審査請求をすることができます"
    "（なお、この決定があったことを知った日の翌日から起算して３か月以内であっても、この決定の日の翌日から起算して１年を経過すると審査請求をすることができなくなります。）。\n"
    "２　この決定の取消しを求める訴訟を提起する場合は、この決定があったことを知った日の翌日から起算して６か月以内に、{市名}を被告として"
    "（訴訟において{市名}を代表する者は{差出人}となります。）、提起することができます"
    "（なお、この決定があったことを知った日の翌日から起算して６か月以内であっても、この決定の日の翌日から起算して１年を経過すると提起することができなくなります。）。"
    "ただし、上記１の審査請求をした場合には、当該審査請求に対する裁決があったことを知った日の翌日から起算して６か月以内に提起することができます。"
)

DEFAULTS = {
    NoticeKind.DISCLOSE: ("{手続}{開示}決定通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、次のとおり{開示}することに決定したので通知します。\n\n{文書一覧}\n\n{開示}の日時・場所は、担当課から連絡します。", TEACHING),
    NoticeKind.PARTIAL: ("{手続}部分{開示}決定通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、次のとおり一部を{開示}することに決定したので通知します。\n\n{文書一覧}\n\n{開示}しない部分とその理由\n{理由}", TEACHING),
    NoticeKind.NONE: ("{手続}{不開示}決定通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、次のとおり{開示}しないことに決定したので通知します。\n\n{文書一覧}\n\n{開示}しない理由\n{理由}", TEACHING),
    NoticeKind.EXTENSION: ("{手続}{開示}決定等期間延長通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、{根拠}の規定により、決定の期間を次のとおり延長しますので通知します。\n\n１　延長後の期間　{延長後の期限}まで（{延長日数}日延長）\n２　延長の理由　{延長の理由}", ""),
    NoticeKind.SPECIAL: ("{手続}{開示}決定等期限特例延長通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、{根拠}の規定により、次のとおり決定の期限を延長しますので通知します。\n\n１　相当の部分について決定する期限　{決定期限}\n２　残りの部分について決定する期限　{特例の期限}\n３　この規定を適用する理由　{特例の理由}", ""),
    NoticeKind.TRANSFER: ("{手続}{開示}{請求}事案移送通知書", "{受付日}付けで{請求}のあった{手続}の{開示}について、次のとおり事案を移送したので通知します。\n\n{文書一覧}\n\n移送先と理由\n{理由}", ""),
    NoticeKind.THIRD_PARTY: ("{手続}の{開示}に係る意見照会書", "{手続}の{開示}{請求}があり、次の文書にあなたに関する情報が記録されています。{開示}するかどうかを決定するにあたり、あなたの意見をお聞きします"
                             "（{照会の根拠}）。{開示}に反対する場合は、意見書を{意見の期限}までに提出してください。\n\n{文書一覧}", ""),
}
PLACEHOLDERS = {
    "手続": "「公文書」または「保有個人情報」", "開示": "「公開」（公文書・情報公開条例）または「開示」（保有個人情報・個人情報保護法）",
    "不開示": "「非公開」または「不開示」", "請求": "「請求」（公文書公開請求・保有個人情報の請求）または「申出」（公文書公開申出）", "照会の根拠": "意見照会の根拠（個人情報保護法第86条、または情報公開条例）", "受付日": "受付日（和暦）", "受付番号": "受付番号", "請求者": "請求者の氏名・名称",
    "請求の内容": "請求の内容", "実施機関": "実施機関", "差出人": "差出人（実施機関の長）", "市名": "自治体名", "審査庁": "審査請求先",
    "文書一覧": "対象の文書（と決定）", "理由": "開示しない理由", "決定期限": "決定期限", "延長後の期限": "延長後の期限", "延長日数": "延長日数",
    "延長の理由": "延長の理由", "特例の期限": "特例：残りの期限", "特例の理由": "特例の理由", "根拠": "根拠条文", "意見の期限": "意見書の提出期限",
}


# The longest text a template may hold (本文・教示) and its 表題 (the model's max_length).
TEXT_LIMIT = 10_000


def template_problems(*texts: str) -> list[str]:
    """What is wrong with a template's texts, as messages that say what to fix; empty when it is fine.

    A 差込み項目 is a plain {名前} from PLACEHOLDERS. Python's format mini-language is refused whole
    ({請求者:>100000000} would make a notice of 100 MB; {請求者.__class__} reaches into objects; {請求者!r}
    changes the text), as is a stray brace and a text over TEXT_LIMIT characters.
    """
    problems, unknown = [], []
    for text in texts:
        text = text or ""
        if len(text) > TEXT_LIMIT:
            problems.append(f"ひな形の文章は{TEXT_LIMIT:,}字までです（{len(text):,}字あります）。短くしてください。")
            continue
        try:
            fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
        except ValueError:
            problems.append("「{」と「}」の対応が取れていません。差込み項目は {受付日} のように書き、文字としての波括弧は {{ }} と重ねてください。")
            continue
        for name, spec, conv in fields:
            if spec or conv:
                problems.append(f"差込み項目 {{{name}}} に書式指定（「:」「!」以降）は使えません。{{{name.split('.')[0].split('[')[0]}}} のように名前だけを書いてください。")
            elif name not in PLACEHOLDERS and name not in unknown:
                unknown.append(name)
    if unknown:
        problems.append("知らない差込み項目があります：" + "、".join(f"{{{u}}}" for u in unknown) + "。一覧にある項目名を使ってください。")
    return problems


def template_for(kind: str) -> NoticeTemplate:
    template = NoticeTemplate.objects.filter(kind=kind).first()
    if template is None:
        title, body, teaching = DEFAULTS[kind]
        template = NoticeTemplate(kind=kind, title=title, body=body, teaching=teaching)
    return template


def kind_choices(request) -> list[tuple[str, str]]:
    """The notices a request can have, each named by the title it will carry (「公文書部分公開決定通知書」)."""
    stored = {t.kind: t for t in NoticeTemplate.objects.all()}
    words = rules.procedure_words(request.procedure)
    out = []
    for kind in NoticeKind.values:
        template = stored.get(kind) or template_for(kind)
        out.append((kind, fill(template.title, words) or NoticeKind(kind).label))
    return out


# What a suggested box covers (core.redaction.suggest's kinds), as the notice names the part withheld; a term of the
# request's list is most often a third party's name.
KIND_WORDS = {**KIND_LABELS, "mynumber": "個人番号", "term": "氏名等"}


def withheld(document) -> list[tuple[str, str, str]]:
    """The parts of a document withheld by its boxes, grouped by article: (article, its label, the parts)
    e.g. ("法第78条第1項第2号", "開示請求者以外の個人に関する情報", "面談記録.pdf 1頁（氏名 2か所）、3頁（1か所）")."""
    reasons = rules.box_reasons(document.request.procedure)
    groups: dict[str, dict[tuple[str, int], list[str]]] = {}
    for f in document.files.all():
        for b in f.boxes.all():
            if b.status != BoxStatus.ACCEPTED:
                continue
            groups.setdefault(b.reason_code, {}).setdefault((f.name, b.page), []).append(KIND_WORDS.get(b.kind, ""))
    order = list(reasons)
    out = []
    for code in sorted(groups, key=lambda c: (order.index(c) if c in order else len(order), c)):
        parts, files = [], {name for name, _ in groups[code]}
        for (name, page), kinds in sorted(groups[code].items(), key=lambda kv: (kv[0][0], kv[0][1])):
            named = "・".join(dict.fromkeys(k for k in kinds if k))
            where = f"{name} {page}頁" if len(files) > 1 else f"{page}頁"
            parts.append(f"{where}（{named + ' ' if named else ''}{len(kinds)}か所）")
        out.append((code, reasons.get(code, ""), "、".join(parts)))
    return out


def reason_lines(document, words: dict) -> list[str]:
    """The notice's 「公開しない部分とその理由」 of one document: from its boxes, grouped by article, when it has any;
    otherwise the articles and the explanation typed on the decision."""
    parts = withheld(document)
    if not parts:
        if document.reasons or document.reason_text:
            return [f"・{document.title}：{'、'.join(document.reasons)} {document.reason_text}".rstrip()]
        return []
    lines = [f"・{document.title}"]
    for i, (code, label, where) in enumerate(parts, start=1):
        lines.append(f"　（{fullwidth(str(i))}）{words['開示']}しない部分　{where}")
        lines.append(f"　　　{words['開示']}しない理由　{code}（{label}）に該当するため。" if label else f"　　　{words['開示']}しない理由　{code}に該当するため。")
    if document.reason_text:
        lines.append(f"　　　{document.reason_text}")
    return lines


def values(request, documents, due=None, extension=None, special=None) -> dict:
    settings = MunicipalSettings.current()
    words = rules.procedure_words(request.procedure)
    doc_lines = [f"・{d.title}" + (f"（{d.decision_label}）" if d.decision else "") for d in documents]
    reasons = [line for d in documents for line in reason_lines(d, words)]
    base = "個人情報保護法" if not request.is_public else settings.public_ordinance
    rule = rules.rule_for(request.procedure)  # the articles only: the periods do not enter a notice's wording
    return {
        **words,
        "受付日": wareki(request.received_on, full=True), "受付番号": request.number, "請求者": request.requester_name,
        "請求の内容": request.subject, "実施機関": request.organ.name, "差出人": request.organ.formal_name, "市名": settings.name,
        "審査庁": request.organ.formal_name, "文書一覧": "\n".join(doc_lines) or "（なし）", "理由": "\n".join(reasons) or "（記載なし）",
        "決定期限": wareki(due.due, full=True) if due and due.due else "",
        "延長後の期限": wareki(due.due, full=True) if due and due.due else "", "延長日数": fullwidth(str(extension.days)) if extension else "",
        "延長の理由": extension.reason if extension else "", "特例の期限": wareki(special.rest_due, full=True) if special else "",
        "特例の理由": special.reason if special else "",
        "根拠": (rule.extension_article if extension else rule.special_article or "") if not request.is_public else f"{base}の規定",
        "意見の期限": "", "照会の根拠": "個人情報保護法第86条" if not request.is_public else f"{base}の規定",
    }


def fill(text: str, data: dict) -> str:
    """The template with its {差込み項目} filled. Only plain names are filled: a template stored before
    template_problems existed, or brought in another way, cannot make a format specification run."""
    out = []
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError:
        return text or ""
    for literal, name, spec, conv in parsed:
        out.append(literal)
        if name is not None:
            out.append(str(data.get(name, "")) if name in PLACEHOLDERS and not spec and not conv else "{" + name + "}")
    return "".join(out)


DECISION_KINDS = {
    NoticeKind.DISCLOSE: {Decision.DISCLOSE},
    NoticeKind.PARTIAL: {Decision.PARTIAL},
    NoticeKind.NONE: {Decision.NONDISCLOSE, Decision.NONEXISTENT, Decision.NEITHER},
    NoticeKind.TRANSFER: {Decision.TRANSFERRED},
}
