"""The public site inside the app: the preview of every page, and publishing as a background job (a ZIP)."""
import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from mamori.core import jobs
from mamori.core.models import Job, JobStatus
from mamori.public import jobs as public_jobs
from mamori.public.tests.helpers import publish_entries


@pytest.fixture
def files(city, settings, tmp_path):
    settings.MAMORI_PUBLIC_SITE_DIR = tmp_path / "public-site"
    settings.MEDIA_ROOT = tmp_path / "media"
    return publish_entries(city)


def test_the_office_previews_the_whole_site(client, city, files):
    client.force_login(city.users.office)
    index = client.get("/files/site/")
    assert index.status_code == 200 and "庁内のプレビュー" in index.content.decode()
    code = files["changed"].code
    page = client.get(f"/files/site/files/{code}.html").content.decode()
    assert "放課後児童クラブ運営事業ファイル" in page and "埼玉県" in page
    assert client.get("/files/site/assets/search.js")["Content-Type"].startswith("text/javascript")
    pdf = client.get(f"/files/site/request/{code}.pdf")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    assert client.get(f"/files/site/request/{files['deleted'].code}.html").status_code == 404  # deleted: its notice page only
    assert client.get("/files/site/../../etc/passwd").status_code == 404
    assert client.get("/files/site/nothing.html").status_code == 404


def test_the_filebook_list_offers_the_site(client, city, files):
    client.force_login(city.users.office)
    page = client.get("/files/").content.decode()
    assert "公開サイトをプレビュー" in page and "公開サイトを作成する" in page
    client.force_login(city.users.auditor)
    page = client.get("/files/").content.decode()
    assert "公開サイトをプレビュー" in page and "公開サイトを作成する" not in page


def test_publishing_runs_as_a_job_and_gives_the_site_as_a_zip(client, city, files, django_capture_on_commit_callbacks):
    client.force_login(city.users.office)
    assert "公開サイトを作成する" in client.get("/files/site/publish/").content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/files/site/publish/")
    job = Job.objects.get(kind=public_jobs.KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs.execute(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "掲載中2件、消除1件" in job.result_label
    with default_storage.open(job.result_file.name) as f, zipfile.ZipFile(io.BytesIO(f.read())) as z:
        names = z.namelist()
    assert "index.html" in names and f"request/{files['changed'].code}.pdf" in names
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert "公開サイトを作成しました" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_only_the_office_publishes(client, city, files):
    client.force_login(city.users.auditor)
    assert client.post("/files/site/publish/").status_code == 403
    assert not Job.objects.filter(kind=public_jobs.KIND).exists()
