"""The public site inside the app: the office's preview of every page (built from what was published, page by
page, with the same templates as `mamori publish`), and the page that publishes it as a background job."""
import mimetypes

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from mamori.core import jobs as core_jobs
from mamori.core import permissions as perm
from mamori.core.models import Job
from mamori.public import jobs, site

TYPES = {".xml": "application/atom+xml; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8"}


def preview(request, path):
    """One file of the public site, as it would be published now (relative links keep the visitor inside the preview)."""
    perm.require(perm.can_read_files(request.user))
    content = site.Site(site.load(), preview=True).render(path)
    if content is None:
        raise Http404("公開サイトにそのページはありません。")
    suffix = "." + path.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream")
    if suffix in (".pdf", ".docx", ".xlsx", ".csv", ".json"):
        response["Content-Disposition"] = f'attachment; filename="{path.rsplit("/", 1)[-1]}"'
    return response


def publish_page(request):
    perm.require(perm.can_keep_files(request.user))
    if request.method == "POST":
        job = core_jobs.start(jobs.KIND, actor=request.user, params={})
        return redirect("job", pk=job.pk)
    recent = Job.objects.filter(kind=jobs.KIND).select_related("created_by").order_by("-created_at")[:5]
    data = site.load()
    return render(request, "public/publish.html", {"recent": recent, "listed": sum(not e.deleted for e in data.entries),
                                                   "deleted": sum(e.deleted for e in data.entries)})
