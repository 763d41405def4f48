"""What the ファイル簿 contributes to core's registries: its listener on the register's acceptances, the home
worklist, the export/import section and the checks over data written in bulk."""
from django.utils import timezone

from mamori.core import hooks, integrity, reports, transfer, worklist
from mamori.core.models import MunicipalSettings
from mamori.filebook import integrity as checks
from mamori.filebook import opendata, selectors, services
from mamori.filebook.transfer_sections import FilesSection


def _current_only(parser) -> None:
    parser.add_argument("--current-only", action="store_true", help="消除した記載を含めない（いま掲載している記載だけ）")


def _open_data(options: dict) -> bytes:
    """`mamori report file-register --format csv|json|xlsx --output FILE`: the published register as open data."""
    entries = selectors.public_entries(include_deleted=not options.get("current_only"))
    return opendata.render(options["format"], entries, MunicipalSettings.current().name, timezone.localdate())


def register() -> None:
    reports.register(reports.ReportSpec("file-register", "個人情報ファイル簿（公表済みの記載）をオープンデータとして出力します（docs/file-register-schema.md）。",
                                        _current_only, _open_data, ("csv", "json", "xlsx")))
    hooks.on_version_accepted(services.program_version_accepted)
    worklist.register_worklist(selectors.worklist)
    transfer.register_sections(FilesSection)
    integrity.register_checks(checks.files, checks.revisions)
