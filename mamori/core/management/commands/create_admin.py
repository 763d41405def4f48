import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mamori.core import services
from mamori.core.models import Role, User


class Command(BaseCommand):
    help = "最初のシステム管理者を作ります（新しい設置の最初の一人。以降の利用者は画面の「利用者」から登録します）。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--display-name", default="システム管理者")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, display_name: str, email: str, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"利用者「{username}」はすでにいます。別の名前を --username で指定してください。")
        password = getpass.getpass("パスワード: ")
        if password != getpass.getpass("パスワード（確認）: "):
            raise CommandError("2回のパスワードが一致しません。何も作っていません。")
        try:
            password_validation.validate_password(password, User(username=username, display_name=display_name, email=email))
        except ValidationError as exc:
            raise CommandError("パスワードを直してください：" + " ".join(exc.messages)) from exc
        user = services.user_create(actor=None, password=password, username=username, display_name=display_name, email=email,
                                    role=Role.SYSADMIN, unit=None, is_active=True)
        self.stdout.write(self.style.SUCCESS(f"システム管理者「{user.username}」を作りました。ブラウザからログインしてください。"))
