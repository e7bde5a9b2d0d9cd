"""The Secretariat group holds exactly what the apps declare, after every migrate."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.permissions import declared_permissions, sync_secretariat_group
from accounts.roles import SECRETARIAT_GROUP

pytestmark = pytest.mark.django_db


def _held() -> set[str]:
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def _declared() -> set[str]:
    return {
        f"{config.label}.{codename}"
        for config in apps.get_app_configs()
        for codename in declared_permissions(config)
    }


def test_after_migrate_the_group_holds_exactly_the_declared_permissions():
    assert _declared() >= {
        "inquiries.change_inquiry",
        "budget.add_ledgerentry",
        "governance.view_meetingnotice",
    }
    assert _held() == _declared()


def test_a_permission_granted_by_hand_is_taken_back_and_a_missing_one_restored():
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    group.permissions.add(Permission.objects.get(codename="delete_ledgerentry"))
    group.permissions.remove(Permission.objects.get(codename="change_meeting"))
    for config in apps.get_app_configs():
        sync_secretariat_group(config)
    assert _held() == _declared()


def test_a_declared_permission_that_does_not_exist_stops_the_sync(monkeypatch):
    config = apps.get_app_config("projects")
    monkeypatch.setattr(config, "secretariat_permissions", {"project": ["view", "publish"]}, raising=False)
    with pytest.raises(RuntimeError, match="publish_project"):
        sync_secretariat_group(config)
