"""`mamori serve`: the production server (gunicorn), configured from config/env.py."""
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from config.wsgi import application

# The access log names the path, never the query string: searches may carry a person's name.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


class Command(BaseCommand):
    help = "本番用のサーバー（gunicorn）でまもりを動かします。待ち受けるアドレスとワーカー数は環境変数（MAMORI_BIND・MAMORI_WORKERS）で決まります。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", help=f"待ち受けるアドレス（既定 {settings.MAMORI_SERVER['bind']}、環境変数 MAMORI_BIND）")
        parser.add_argument("--workers", type=int, help=f"ワーカー数（既定 {settings.MAMORI_SERVER['workers']}、MAMORI_WORKERS）")
        parser.add_argument("--no-collectstatic", action="store_true", help="起動前の collectstatic を省きます")

    def handle(self, *args, bind=None, workers=None, no_collectstatic=False, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        config = dict(settings.MAMORI_SERVER)
        config.update({k: v for k, v in {"bind": bind, "workers": workers}.items() if v})
        self.stdout.write(f"まもり: {config['bind']} で待ち受けます（ワーカー {config['workers']}・スレッド {config['threads']}、停止は Ctrl+C）")
        Server({
            "bind": config["bind"], "workers": config["workers"], "threads": config["threads"], "worker_class": "gthread",
            "timeout": config["timeout"], "graceful_timeout": 30, "keepalive": 5,
            "max_requests": 2000, "max_requests_jitter": 200,
            "accesslog": "-", "errorlog": "-", "access_log_format": ACCESS_LOG_FORMAT,
            "forwarded_allow_ips": config["forwarded_allow_ips"], "proc_name": "mamori",
            "raw_env": [f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'config.settings')}"],
        }).run()
