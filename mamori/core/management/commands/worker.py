"""mamori worker: run background jobs (core.jobs) from the database queue until stopped.

A thin wrapper of django-tasks-db's db_worker with the project's defaults: every queue, no code
reloading, a worker id naming the host and process. Start as many as wanted, on any machine that
reaches the database (deploy/mamori-worker.service).
"""
import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "バックグラウンド処理（大きな取込・出力など）を実行し続けます（Ctrl+C で停止）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="待機中の処理をすべて実行したら終了する")
        parser.add_argument("--interval", type=float, default=1.0, help="処理がないときに確かめる間隔（秒）")

    def handle(self, *args, batch=False, interval=1.0, verbosity=1, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        call_command("db_worker", queue_name="*", batch=batch, interval=interval, reload=False,
                     startup_delay=not batch, worker_id=worker_id, verbosity=verbosity)
