"""Every browser test starts from the migrated database, whatever ran before it.

This file sorts first among the browser tests, right after the first transactional test outside
them (whose flush empties the database): it fails if the serialized contents are not restored once
Playwright runs (see ``_keep_serialized_contents`` in conftest.py).
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from accounts.roles import SECRETARIAT_GROUP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_browser_test_sees_the_secretariat_group_and_the_content_types_that_migrate_made(browser):
    assert Group.objects.filter(name=SECRETARIAT_GROUP).exists()
    assert ContentType.objects.filter(app_label="inquiries", model="inquiry").exists()
