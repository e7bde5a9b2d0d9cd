"""Demo news, a newsletter subscriber and a draft issue for `make run`. Idempotent.

Called from ``knowledge.demo_data.load``; the texts are for trying the portal, not real news.
"""

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from knowledge import news_services
from knowledge.models import NewsItem, NewsletterIssue, Subscriber

NEWS: list[dict[str, Any]] = [
    {
        "slug": "atmp-danmark-aabner-portalen",
        "title_da": "ATMP Danmark åbner portalen",
        "title_en": "ATMP Danmark opens its portal",
        "summary_da": "Klinikere, forskere og virksomheder kan nu stille spørgsmål om ATMP'er ét sted "
        "og følge svaret online. (Demonyhed.)",
        "summary_en": "Clinicians, researchers and companies can now ask about ATMPs in one place and follow "
        "the answer online. (Demo news.)",
        "body_da": "Portalen samler vejledning, samarbejde om kliniske forsøg og videndeling.\n\n"
        "* Stil et spørgsmål under **Spørg ATMP Danmark**.\n* Find vejledning i vidensbanken.\n",
        "body_en": "The portal brings guidance, collaboration on clinical trials and knowledge sharing "
        "together.\n\n* Ask a question under **Ask ATMP Danmark**.\n* Find guidance in the library.\n",
        "days_ago": 20,
    },
    {
        "slug": "regulatorisk-tjekliste-klar",
        "title_da": "Ny regulatorisk tjekliste bygget ud fra dine svar",
        "title_en": "A new regulatory checklist built from your answers",
        "summary_da": "Svar på seks spørgsmål om dit produkt og dit forsøg, og få de myndighedstrin, der "
        "typisk gælder, i rækkefølge. (Demonyhed.)",
        "summary_en": "Answer six questions about your product and trial, and get the regulatory steps that "
        "usually apply, in order. (Demo news.)",
        "body_da": "Tjeklisten er en del af analyse II om de regulatoriske rammer.",
        "body_en": "The checklist is part of analysis II on the regulatory framework.",
        "days_ago": 8,
    },
    {
        "slug": "referencegruppen-moedes",
        "title_da": "Referencegruppen holder sit første møde",
        "summary_da": "Referencegruppen mødes for første gang og drøfter erfaringer fra de nordiske lande. "
        "(Demonyhed, kun på dansk.)",
        "body_da": "Dagsorden og referat kommer under Styring.",
        "days_ago": 2,
    },
]


def load() -> list[str]:
    actor = User.objects.filter(email="sekretariat@atmp-demo.example").first()
    made = 0
    for spec in NEWS:
        if NewsItem.objects.filter(slug=spec["slug"]).exists():
            continue
        spec = dict(spec)
        days_ago = spec.pop("days_ago")
        item = news_services.news_create(actor=actor, **spec)
        news_services.news_publish(
            item=item, actor=actor, at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        made += 1
    applicant = User.objects.filter(email="ansoeger@atmp-demo.example").first()
    if applicant and not Subscriber.objects.filter(email__iexact=applicant.email).exists():
        subscriber = news_services.subscriber_subscribe(email=applicant.email, language="da")
        news_services.subscriber_confirm(subscriber=subscriber)
    if not NewsletterIssue.objects.exists():
        news_services.issue_create(
            actor=actor,
            subject_da="Nyt fra ATMP Danmark, december",
            subject_en="News from ATMP Danmark, December",
            intro_da="Kære læser\n\nHer er det seneste fra ATMP Danmark. (Demonyhedsbrev.)",
            intro_en="Dear reader\n\nHere is the latest from ATMP Danmark. (Demo newsletter.)",
        )
    return [f"News demo: {made} news items added; a draft newsletter issue to send from the admin."]
