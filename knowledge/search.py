"""Full-text search of the library in Danish and English.

On PostgreSQL each item keeps a ``tsvector`` (``search_document``): its Danish fields stemmed
with the ``danish`` configuration and its English fields with ``english``, titles weighted above
summaries above bodies, under a GIN index. A query is parsed in both configurations (web-search
syntax: quotes, ``or``, ``-word``) and either may match, so "genterapi" and "gene therapy" each
find their own language's text. SQLite has no such thing; there a plain ``icontains`` across the
same six fields stands in, good enough for a laptop and the fast tests.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

FIELDS = ("title", "summary", "body")
WEIGHTS = {"title": "A", "summary": "B", "body": "C"}
CONFIGS = {"da": "danish", "en": "english"}


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_document_expression() -> CombinedExpression | SearchVector:
    vector: CombinedExpression | SearchVector | None = None
    for language, config in CONFIGS.items():
        for field in FIELDS:
            part = SearchVector(
                Coalesce(F(f"{field}_{language}"), Value(""), output_field=TextField()),
                config=config,
                weight=WEIGHTS[field],
            )
            vector = part if vector is None else vector + part
    assert vector is not None
    return vector


def refresh_search_documents(queryset: QuerySet) -> None:
    """Recompute the search document of these items (one UPDATE); nothing to do on SQLite."""
    if uses_full_text():
        queryset.update(search_document=search_document_expression())


def _full_text_query(text: str) -> SearchQuery | None:
    """Web-search syntax in both languages; an excluded word (``-word``) is excluded in both.

    Left to ``websearch_to_tsquery`` alone, "genterapi -fremstilling" would be parsed once per
    language and OR-ed, and the English half (which stems the Danish word differently) would let
    the excluded items back in.
    """
    words = text.split()
    excluded = [w[1:] for w in words if w.startswith("-") and len(w) > 1 and '"' not in w]
    wanted = " ".join(w for w in words if not (w.startswith("-") and w[1:] in excluded))
    if not wanted.strip(' -"'):
        return None
    query = SearchQuery(wanted, config="danish", search_type="websearch") | SearchQuery(
        wanted, config="english", search_type="websearch"
    )
    for word in excluded:
        for config in CONFIGS.values():
            query &= ~SearchQuery(word, config=config, search_type="plain")
    return query


def search_items(queryset: QuerySet, text: str) -> QuerySet:
    """Items matching ``text``, best first on PostgreSQL (by rank, then newest)."""
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if uses_full_text():
        query = _full_text_query(text)
        if query is None:
            return queryset.none()
        return (
            queryset.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "-updated_on", "-pk")
        )
    match = Q()
    for language in CONFIGS:
        for field in FIELDS:
            match |= Q(**{f"{field}_{language}__icontains": text})
    return queryset.filter(match)
