"""The counts read over all days (status, running_due) move onto one day (inquiries.summaries.NOW_DAY).

Each (dimension, value) is summed over its days into the row of 0001-01-01, then the per-day rows
are deleted: the totals the dashboard reads are the same before and after. Plain SQL that both
PostgreSQL and SQLite run; the reverse is not possible (the days are not kept), so it is refused.
"""

from django.db import migrations

DIMENSIONS = "('status', 'running_due')"

FORWARD = [
    # One statement per step: SQLite runs a single statement per execute().
    "INSERT INTO inquiries_inquirydailycount (day, dimension, value, count) "
    "SELECT '0001-01-01', dimension, value, SUM(count) FROM inquiries_inquirydailycount "
    f"WHERE dimension IN {DIMENSIONS} AND day <> '0001-01-01' GROUP BY dimension, value "
    "ON CONFLICT (day, dimension, value) DO UPDATE SET count = inquiries_inquirydailycount.count + excluded.count",
    f"DELETE FROM inquiries_inquirydailycount WHERE dimension IN {DIMENSIONS} AND day <> '0001-01-01'",
    f"DELETE FROM inquiries_inquirydailycount WHERE dimension IN {DIMENSIONS} AND count = 0",
]


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0011_anonymised_at"),
    ]

    operations = [migrations.RunSQL(sql, reverse_sql=None) for sql in FORWARD]
