"""The council's documents, registered for `mamori report` and the meeting page."""

FORMATS = ("docx", "pdf")


def build_notifications(options: dict) -> bytes:
    from mamori.council.reports import notifications
    from mamori.council.selectors import meeting_by_ref

    ctx = notifications.context(meeting_by_ref(options["meeting"]), options["kind"])
    return notifications.render_pdf(ctx) if options["format"] == "pdf" else notifications.render_docx(ctx)


def build_agenda(options: dict) -> bytes:
    from mamori.council.reports import agenda
    from mamori.council.selectors import meeting_by_ref

    ctx = agenda.context(meeting_by_ref(options["meeting"]))
    return agenda.render_pdf(ctx) if options["format"] == "pdf" else agenda.render_docx(ctx)


def register_reports() -> None:
    from mamori.core.reports import ReportSpec, register

    def meeting_arg(parser):
        parser.add_argument("--meeting", required=True, help="審議会の番号、または「令和6年度第1回」のような名前")

    def notifications_args(parser):
        meeting_arg(parser)
        parser.add_argument("--kind", choices=["new", "change"], required=True, help="new: 資料1（新規分）、change: 資料2（変更分）")

    register(ReportSpec("notifications", "資料1・資料2 個人情報取扱管理簿届出書の取りまとめ", notifications_args, build_notifications, FORMATS))
    register(ReportSpec("agenda", "審議会の次第", meeting_arg, build_agenda, FORMATS))
