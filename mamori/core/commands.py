"""A base for management commands whose argument errors must read as Japanese, not argparse's English."""
from django.core.management.base import BaseCommand


class JapaneseArgumentsCommand(BaseCommand):
    """Argument errors (a missing option, an unknown choice, a value of the wrong type) say in Japanese what to fix."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parsers = [parser]
        for action in parser._actions:
            parsers.extend(getattr(action, "choices", None).values() if isinstance(getattr(action, "choices", None), dict) else [])
        for p in parsers:
            self._translate_errors(p, f"{prog_name} {subcommand}")
        return parser

    @staticmethod
    def _translate_errors(parser, usage: str) -> None:
        original = parser.error

        def error(message):
            original(f"引数が正しくありません（{message}）。{usage} --help で指定のしかたを確かめてください。")

        parser.error = error
