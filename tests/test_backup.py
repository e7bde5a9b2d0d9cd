"""Backup and restore, as the README tells an operator to run them, on PostgreSQL."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from budget.models import LedgerEntry
from inquiries.models import Attachment
from tests.celery_worker import test_database_url as database_url
from tests.factories import pdf, post, submit

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        counts = {}
        for table in tables:
            row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            assert row is not None
            counts[table] = row[0]
        return counts


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(script: str, *args, **env):
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_its_files_and_the_ledgers_triggers(
    owner, secretariat, grant, categories, settings, tmp_path, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    category = next(iter(categories.values()))
    inquiry = submit(owner, files=[pdf(), pdf("second.pdf")])
    entry = post(grant, category, secretariat, amount="1234.56").entry
    assert Attachment.objects.filter(inquiry=inquiry).count() == 2

    backup = run("backup.sh", str(tmp_path / "backup"), DATABASE_URL=database_url(),
                 MEDIA_ROOT=str(settings.MEDIA_ROOT))  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    restored_media = tmp_path / "restored-media"
    restore = run(
        "restore.sh", str(tmp_path / "backup"), DATABASE_URL=fresh_database, MEDIA_ROOT=str(restored_media)
    )
    assert restore.returncode == 0, restore.stderr

    before = row_counts(database_url())
    assert before["inquiries_inquiry"] == 1 and before["budget_ledgerentry"] == 1
    assert row_counts(fresh_database) == before
    assert files(restored_media) == files(settings.MEDIA_ROOT)
    assert len(files(restored_media)) == 2
    with psycopg.connect(fresh_database) as conn:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
            conn.execute("UPDATE budget_ledgerentry SET amount = 0 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, owner):
    backup = run("backup.sh", str(tmp_path / "backup"), DATABASE_URL=database_url(),
                 MEDIA_ROOT=str(tmp_path / "media"))  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    again = run("restore.sh", str(tmp_path / "backup"), DATABASE_URL=database_url(),
                MEDIA_ROOT=str(tmp_path / "elsewhere"))  # fmt: skip
    assert again.returncode == 2 and "restore into an empty one" in again.stderr


def test_restore_refuses_a_backup_whose_checksum_does_not_match(tmp_path, fresh_database):
    backup = run("backup.sh", str(tmp_path / "backup"), DATABASE_URL=database_url(),
                 MEDIA_ROOT=str(tmp_path / "media"))  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    with open(tmp_path / "backup" / "media.tar.gz", "ab") as archive:
        archive.write(b"tampered")
    restore = run("restore.sh", str(tmp_path / "backup"), DATABASE_URL=fresh_database,
                  MEDIA_ROOT=str(tmp_path / "restored"))  # fmt: skip
    assert restore.returncode != 0
    assert row_counts(fresh_database) == {}
