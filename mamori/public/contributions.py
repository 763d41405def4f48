"""What the public site adds to core's registries: its background job, and its links on the ファイル簿's list
page (the filebook app is below this one and may not name it)."""
from django.urls import reverse

from mamori.core import actions
from mamori.core import permissions as perm
from mamori.public import jobs


def filebook_links(user):
    if perm.can_read_files(user):
        yield actions.Action("公開サイトをプレビュー", reverse("public:preview"), "公表済みの記載から作る公開サイトを、庁内で確かめられます。")
    if perm.can_keep_files(user):
        yield actions.Action("公開サイトを作成する", reverse("public:publish"), "インターネットに載せる静的なサイトを作り、ZIPでダウンロードします。")


def register() -> None:
    jobs.register()
    actions.register_page_action("filebook:list", filebook_links)
