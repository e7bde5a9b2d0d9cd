"""The regulatory checklist (analysis II): six answers in, the steps that apply out.

The answers live in the query string, so a result has a stable address to share, print or
download; the steps and their conditions are rows the secretariat keeps (``ChecklistStep``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inquiries.models import AtmpClass, DevelopmentStage
from knowledge.models import CHECKLIST_QUESTIONS, CellOrigin, ChecklistStep, Route, SponsorType, YesNo


class ChecklistForm(forms.Form):
    """A GET form: it works without JavaScript, and its answers are the result's address."""

    is_filter = True  # every question is answered from a list; no "(optional)" marks
    atmp_class = forms.ChoiceField(label=_("ATMP class"), choices=AtmpClass.choices)
    stage = forms.ChoiceField(label=_("Development stage"), choices=DevelopmentStage.choices)
    sponsor = forms.ChoiceField(label=_("Sponsor"), choices=SponsorType.choices, widget=forms.RadioSelect)
    gmo = forms.ChoiceField(
        label=_("Does the product contain a genetically modified organism (GMO)?"),
        choices=YesNo.choices,
        widget=forms.RadioSelect,
    )
    origin = forms.ChoiceField(
        label=_("Where do the cells or tissue come from?"),
        choices=CellOrigin.choices,
        widget=forms.RadioSelect,
    )
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (("atmp_class", AtmpClass.choices), ("stage", DevelopmentStage.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "—"), *choices]


@dataclass(frozen=True)
class Answer:
    question: str
    label: str
    value: str
    value_label: str


def answers_shown(form: ChecklistForm) -> list[Answer]:
    """The answers as the result repeats them (question and chosen label), in form order."""
    shown = []
    for name, (choices, _field) in CHECKLIST_QUESTIONS.items():
        field = form.fields[name]
        value = form.cleaned_data[name]
        label = choices(value).label
        shown.append(Answer(question=name, label=str(field.label), value=value, value_label=str(label)))
    return shown


def steps_for(answers: dict[str, str]) -> list[ChecklistStep]:
    """The shown steps that apply to these answers, in the secretariat's order (one query + items)."""
    steps = (
        ChecklistStep.objects.filter(is_active=True)
        .prefetch_related("library_items")
        .order_by("position", "pk")
    )
    return [step for step in steps if step.applies_to(answers)]


def result_query(answers: dict[str, str]) -> str:
    return urlencode({name: answers[name] for name in CHECKLIST_QUESTIONS})


def ask_url(answers: dict[str, str], shown: list[Answer]) -> str:
    """The request form, with topic, class and stage filled in and the checklist as context.

    The request form takes initial values from its query string (``inquiries.views``); it knows
    nothing of the checklist, which only builds the address.
    """
    result = f"{settings.SITE_URL}{reverse('knowledge:checklist')}?{result_query(answers)}"
    context = "\n".join(f"- {a.label} {a.value_label}" for a in shown)
    question = gettext(
        "My situation, from the regulatory checklist:\n%(answers)s\n%(url)s\n\nMy question:\n"
    ) % {
        "answers": context,
        "url": result,
    }
    stage = answers["stage"]
    return f"{reverse('inquiries:new')}?" + urlencode(
        {
            "topic": "regulatory",
            "atmp_class": answers["atmp_class"],
            "development_stage": stage,
            "subject": gettext("The regulatory path for my product"),
            "question": question,
        }
    )
