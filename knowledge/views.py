from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from knowledge import selectors
from knowledge.filters import ItemFilter
from knowledge.models import ItemStatus
from knowledge.rendering import render_markdown
from knowledge.templatetags.knowledge import localized

PAGE_SIZE = 20


@require_GET
def library(request):
    item_filter = ItemFilter(request.GET, queryset=selectors.library_items())
    items = item_filter.qs if item_filter.is_valid() else selectors.library_items().none()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge/library.html",
        {
            "filter": item_filter,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


@require_GET
def item_detail(request, slug: str):
    item = selectors.item_for_public(slug)
    if item.status == ItemStatus.WITHDRAWN:
        return render(request, "knowledge/item_withdrawn.html", {"item": item}, status=410)
    body = localized(item, "body")
    return render(
        request,
        "knowledge/item_detail.html",
        {
            "item": item,
            "body": body,
            "body_html": render_markdown(body.text),
            "versions": list(item.versions.all()),
        },
    )


@require_GET
def item_file(request, slug: str, pk: int):
    row = selectors.file_for_public(slug, pk)
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.original_name or row.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser open it anyway, nothing in it may run.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
