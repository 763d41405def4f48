from django.core.management.base import BaseCommand, CommandError

from mamori.demo import city as demo


class Command(BaseCommand):
    help = "デモ用の市（朝霞市の審議会資料に基づく組織・管理簿・届出）を、設定されたデータベースに読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="すでにデータがあるときは何もせずに終わります。")

    def handle(self, *args, **options):
        try:
            logins = demo.load()
        except demo.AlreadyLoaded as exc:
            if options["if_empty"]:
                self.stdout.write("デモデータは読み込み済みです。")
                logins = [(username, name, role.label) for username, name, role, _ in demo.LOGINS]
            else:
                raise CommandError(str(exc)) from exc
        else:
            self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        self.stdout.write(f"ログイン（パスワードはすべて {demo.PASSWORD}）:")
        for username, name, role in logins:
            self.stdout.write(f"  {username:<8} {role}（{name}）")
