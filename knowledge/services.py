"""Every write to the library goes through here: the admin, the demo data and the tests call these.

Publishing records a version (date, change note, who) with the text as published, so the
item page can say "updated on …" and list its history; editing a published item's text is
publishing a change, and needs a one-line note. Withdrawing keeps the row: its address answers
410 and points at the successor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record, changes, snapshot
from knowledge.models import (
    CHECKLIST_QUESTIONS,
    RESERVED_SLUGS,
    TAG_CHOICES,
    ChecklistStep,
    Item,
    ItemFile,
    ItemKind,
    ItemStatus,
    ItemTag,
    ItemVersion,
    TagDimension,
)
from knowledge.search import refresh_search_documents

CONTENT_FIELDS = ("title_da", "title_en", "summary_da", "summary_en", "body_da", "body_en")
EDITABLE_FIELDS = (*CONTENT_FIELDS, "slug", "kind", "external_url", "owner", "review_by")
REVIEW_AFTER = datetime.timedelta(days=365)
ALLOWED_MOVES = {
    ItemStatus.DRAFT: (ItemStatus.PUBLISHED,),
    ItemStatus.PUBLISHED: (ItemStatus.WITHDRAWN,),
    ItemStatus.WITHDRAWN: (ItemStatus.PUBLISHED,),
}
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})

Tags = Mapping[str, Iterable[str]]


def slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    """A free address from a title: "Søg på én gang" → soeg-paa-en-gang (then -2, -3 if taken)."""
    base = slugify(title.translate(_DANISH_LETTERS))[:100].strip("-") or "item"
    if base in RESERVED_SLUGS:
        base = f"{base}-item"
    slug, n = base, 1
    taken = Item.objects.exclude(pk=exclude_pk) if exclude_pk else Item.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_tags(item: Item, tags: Tags) -> None:
    rows = []
    for dimension, values in tags.items():
        choices = TAG_CHOICES[TagDimension(dimension)]
        for value in dict.fromkeys(values):
            if value not in choices.values:
                raise ValidationError(_("“%(value)s” is not a known tag.") % {"value": value})
            rows.append(ItemTag(item=item, dimension=dimension, value=value))
    item.tags.filter(dimension__in=list(tags)).delete()
    ItemTag.objects.bulk_create(rows)


def _validate(item: Item) -> None:
    if not item.slug:
        item.slug = slug_for(item.title_da, exclude_pk=item.pk)
    item.full_clean(exclude=["search_document"])


def _record_version(item: Item, *, actor, change_note: str) -> ItemVersion:
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    today = timezone.localdate()
    version = ItemVersion.objects.create(
        item=item,
        number=last + 1,
        published_on=today,
        change_note=change_note,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{field: getattr(item, field) for field in CONTENT_FIELDS},
    )
    item.updated_on = today
    if item.first_published_at is None:
        item.first_published_at = timezone.now()
    return version


def _content_changed(item: Item) -> bool:
    latest = item.versions.order_by("-number").first()
    return latest is None or any(getattr(latest, f) != getattr(item, f) for f in CONTENT_FIELDS)


@transaction.atomic
def item_create(*, actor, tags: Tags | None = None, **fields) -> Item:
    """A new draft. ``fields`` are any of ``EDITABLE_FIELDS``; the address is made from the title."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"item_create got unknown fields: {sorted(unknown)}")
    item = Item(**fields)
    _validate(item)
    item.save()
    if tags:
        _set_tags(item, tags)
    refresh_search_documents(Item.objects.filter(pk=item.pk))
    audit_record(actor=actor, obj=item, action="knowledge.item.created", data={"title_da": item.title_da})
    return item


@transaction.atomic
def item_update(*, item: Item, actor, change_note: str = "", tags: Tags | None = None, **fields) -> Item:
    """Change an item. A published item's text changes only with a change note, as a new version."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"item_update got unknown fields: {sorted(unknown)}")
    item = Item.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    _validate(item)
    change_note = change_note.strip()
    if item.status == ItemStatus.PUBLISHED and _content_changed(item):
        if not change_note:
            raise ValidationError(
                {"change_note": _("Say in one line what changed: the earlier version is kept with it.")}
            )
        _record_version(item, actor=actor, change_note=change_note)
    item.save()
    if tags is not None:
        _set_tags(item, tags)
    refresh_search_documents(Item.objects.filter(pk=item.pk))
    data: dict = changes(before, item)
    if change_note:
        data["change_note"] = change_note
    audit_record(actor=actor, obj=item, action="knowledge.item.changed", data=data)
    return item


@transaction.atomic
def item_publish(*, item: Item, actor, change_note: str = "") -> Item:
    """Make a draft (or a withdrawn item) public, with a review date a year on if it has none."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if ItemStatus.PUBLISHED not in ALLOWED_MOVES[ItemStatus(item.status)]:
        raise ValidationError(_("This item is already published."))
    if item.kind == ItemKind.TEMPLATE and not item.files.exists():
        raise ValidationError(_("A template is published with its file: add the file first."))
    if item.review_by is None or item.review_by <= timezone.localdate():
        item.review_by = timezone.localdate() + REVIEW_AFTER
    _record_version(item, actor=actor, change_note=change_note.strip())
    item.status = ItemStatus.PUBLISHED
    item.successor = None
    _validate(item)
    item.save()
    audit_record(
        actor=actor,
        obj=item,
        action="knowledge.item.published",
        data={"review_by": item.review_by.isoformat(), "change_note": change_note.strip()},
    )
    return item


@transaction.atomic
def item_withdraw(*, item: Item, actor, successor: Item | None = None) -> Item:
    """Take an item off the library; its address answers 410 and names the successor, if any."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("Only a published item can be withdrawn."))
    if successor is not None:
        if successor.pk == item.pk:
            raise ValidationError({"successor": _("An item cannot replace itself.")})
        if successor.status != ItemStatus.PUBLISHED:
            raise ValidationError({"successor": _("The item that replaces it must be published.")})
    item.status = ItemStatus.WITHDRAWN
    item.successor = successor
    item.save()
    audit_record(
        actor=actor,
        obj=item,
        action="knowledge.item.withdrawn",
        data={"successor": successor.pk if successor else None},
    )
    return item


@transaction.atomic
def item_file_save(
    *, item: Item, actor, title: str, upload=None, file_row: ItemFile | None = None, position: int = 0
) -> ItemFile:
    """Add a file to an item, or rename, reorder or replace one (``file_row``)."""
    row = file_row or ItemFile(item=item)
    if row.item_id != item.pk:
        raise ValidationError(_("That file belongs to another item."))
    row.title, row.position = title, position
    if upload is not None:
        row.file = upload
        row.original_name = Path(getattr(upload, "name", "") or "").name[-255:]
        row.size = getattr(upload, "size", 0) or 0
    if not row.file:
        raise ValidationError({"file": _("Choose the file to upload.")})
    created = row.pk is None
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        obj=item,
        action="knowledge.item.file_added" if created else "knowledge.item.file_changed",
        data={"file": row.title, "replaced": upload is not None and not created},
    )
    return row


@transaction.atomic
def item_file_remove(*, file: ItemFile, actor) -> None:
    item = file.item
    if item.kind == ItemKind.TEMPLATE and item.status == ItemStatus.PUBLISHED and item.files.count() == 1:
        raise ValidationError(
            _("A published template keeps its file: upload the new one before removing this.")
        )
    audit_record(actor=actor, obj=item, action="knowledge.item.file_removed", data={"file": file.title})
    file.file.delete(save=False)
    file.delete()


def item_review_due(*, today: datetime.date | None = None):
    """Published items whose review-by date has passed, the most overdue first."""
    today = today or timezone.localdate()
    return Item.objects.published().filter(review_by__lt=today).order_by("review_by", "pk")


@transaction.atomic
def report_item_sync(*, deliverable) -> Item | None:
    """A published project deliverable appears in the library as a report, linked to its project.

    Called by ``projects`` when a deliverable is published (see ``knowledge.library``) and by the
    reference data for those published before the library existed. Idempotent: an item the
    secretariat has since edited or withdrawn is left as it is.
    """
    if deliverable.status != "published":
        return None
    existing = Item.objects.filter(deliverable=deliverable).first()
    if existing is not None:
        return existing
    english = deliverable.language == "en"
    item = Item(
        slug=slug_for(deliverable.title),
        kind=ItemKind.REPORT,
        title_da=deliverable.title[:200],
        title_en=deliverable.title[:200] if english else "",
        summary_da=(deliverable.summary or deliverable.title)[:1_000],
        summary_en=(deliverable.summary or deliverable.title)[:1_000] if english else "",
        deliverable=deliverable,
        review_by=timezone.localdate() + REVIEW_AFTER,
    )
    item.full_clean(exclude=["search_document", "deliverable"])
    item.save()
    _record_version(item, actor=None, change_note="")
    item.status = ItemStatus.PUBLISHED
    item.save()
    refresh_search_documents(Item.objects.filter(pk=item.pk))
    return item


# --- The regulatory checklist -------------------------------------------------------------------


def _validate_conditions(step: ChecklistStep) -> None:
    for question, (choices, field) in CHECKLIST_QUESTIONS.items():
        values = getattr(step, field) or []
        unknown = [v for v in values if v not in choices.values]
        if unknown:
            raise ValidationError(
                {
                    field: _("Unknown answers for “%(question)s”: %(values)s")
                    % {"question": question, "values": ", ".join(map(str, unknown))}
                }
            )


# The step's own columns a change is recorded for (its library links are recorded by the admin).
EDITABLE_STEP_FIELDS = [
    field.name
    for field in ChecklistStep._meta.concrete_fields
    if field.name not in ("id", "is_confirmed") and not field.many_to_many
]


@transaction.atomic
def checklist_step_save(*, step: ChecklistStep, actor) -> ChecklistStep:
    """Add or change a step; its conditions may name only answers the questions offer."""
    _validate_conditions(step)
    step.full_clean()
    created = step.pk is None
    before = {} if created else snapshot(ChecklistStep.objects.get(pk=step.pk), EDITABLE_STEP_FIELDS)
    step.save()
    audit_record(
        actor=actor,
        obj=step,
        action="knowledge.checkliststep.created" if created else "knowledge.checkliststep.changed",
        data=changes(before, step) if before else {"title_da": [None, step.title_da]},
    )
    return step


@transaction.atomic
def checklist_step_confirm(*, step: ChecklistStep, actor) -> ChecklistStep:
    """The secretariat has checked the step: it no longer says "to be confirmed"."""
    ChecklistStep.objects.filter(pk=step.pk).update(is_confirmed=True)
    step.is_confirmed = True
    audit_record(actor=actor, obj=step, action="knowledge.checkliststep.confirmed")
    return step
