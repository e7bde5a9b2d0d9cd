"""Guidance that may answer a request, from whichever app provides it (the library, in knowledge).

``inquiries`` sits below ``knowledge`` in the dependency order, so it imports nothing from it:
knowledge registers a provider in its ``AppConfig.ready()``::

    register_guidance_provider(knowledge.guidance.related_items)

The request page lists what the providers return under "related guidance"; the request form
suggests it as the applicant chooses a topic and an ATMP class ("perhaps this answers your
question"). With no provider registered, both simply show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GuidanceLink:
    """One piece of guidance: its title and summary in the reader's language where it has one."""

    title: str
    summary: str
    url: str
    kind: str  # "Guidance article", "Template" …, already translated
    lang: str  # the language the title and summary are in, for the page's lang attribute


GuidanceProvider = Callable[..., list[GuidanceLink]]
_providers: list[GuidanceProvider] = []


def register_guidance_provider(provider: GuidanceProvider) -> None:
    """Called from an app's ``ready()``; registering the same provider twice keeps one."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_guidance_provider(provider: GuidanceProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def related_guidance(
    *, topic: str = "", atmp_class: str = "", stage: str = "", language: str = "da", limit: int = 5
) -> list[GuidanceLink]:
    """Up to ``limit`` links for a request's topic, ATMP class and stage, best match first.

    Each provider is called as ``provider(topic=, atmp_class=, stage=, language=, limit=)``.
    Nothing is asked for when neither the topic nor the class is known.
    """
    if not (topic or atmp_class):
        return []
    links: list[GuidanceLink] = []
    for provider in _providers:
        links.extend(
            provider(topic=topic, atmp_class=atmp_class, stage=stage, language=language, limit=limit)
        )
    return links[:limit]
