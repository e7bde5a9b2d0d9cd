from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from knowledge import selectors
from knowledge.checklist import ChecklistForm, answers_shown, ask_url, result_query, steps_for
from knowledge.filters import ItemFilter
from knowledge.models import CHECKLIST_QUESTIONS, ItemStatus
from knowledge.pdf import render_checklist_pdf
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


# --- The regulatory checklist -------------------------------------------------------------------


def _step_view(step, language: str) -> dict:
    title, title_lang = step.text("title", language)
    what, what_lang = step.text("what", language)
    authority, _lang = step.text("authority", language)
    typical_time, _lang = step.text("typical_time", language)
    items = [item for item in step.library_items.all() if item.status == ItemStatus.PUBLISHED]
    return {
        "step": step,
        "title": title,
        "title_lang": title_lang if title_lang != language else "",
        "what": what,
        "what_lang": what_lang if what_lang != language else "",
        "authority": authority,
        "legal_basis": step.legal_basis,
        "typical_time": typical_time,
        "items": items,
    }


def _checklist_result(request):
    form = ChecklistForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, None
    answers = {name: form.cleaned_data[name] for name in CHECKLIST_QUESTIONS}
    language = (get_language() or "da")[:2]
    shown = answers_shown(form)
    return form, {
        "answers": answers,
        "shown": shown,
        "steps": [_step_view(step, language) for step in steps_for(answers)],
        "query": result_query(answers),
        "ask_url": ask_url(answers, shown),
    }


@require_GET
def checklist(request):
    form, result = _checklist_result(request)
    status = 400 if form.is_bound and result is None else 200
    return render(request, "knowledge/checklist.html", {"form": form, "result": result}, status=status)


@require_GET
def checklist_pdf(request):
    form, result = _checklist_result(request)
    if result is None:
        return redirect(f"{reverse('knowledge:checklist')}?{request.GET.urlencode()}")
    steps = []
    for view in result["steps"]:
        facts = []
        if view["authority"]:
            facts.append(f"{_('Authority')}: {view['authority']}")
        if view["legal_basis"]:
            facts.append(f"{_('Legal basis')}: {view['legal_basis']}")
        if view["typical_time"]:
            facts.append(f"{_('Typical time')}: {view['typical_time']}")
        if view["step"].authority_url:
            facts.append(view["step"].authority_url)
        for item in view["items"]:
            title, _lang = item.text("title", (get_language() or "da")[:2])
            facts.append(f"{title}: {settings.SITE_URL}{reverse('knowledge:item', args=[item.slug])}")
        steps.append(
            {
                "title": view["title"],
                "what": view["what"],
                "facts": facts,
                "to_be_confirmed": "" if view["step"].is_confirmed else _("to be confirmed"),
            }
        )
    url = f"{settings.SITE_URL}{reverse('knowledge:checklist')}?{result['query']}"
    content = render_checklist_pdf(
        title=_("Your regulatory checklist"),
        intro=_(
            "The steps that usually apply to your answers, in order. Steps marked “to be confirmed” have "
            "not yet been checked by the secretariat. This is guidance, not a decision by an authority."
        ),
        answers=[(a.label, a.value_label) for a in result["shown"]],
        steps=steps,
        url=url,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="atmp-checklist.pdf"'
    return response
