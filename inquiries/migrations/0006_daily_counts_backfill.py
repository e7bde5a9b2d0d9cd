"""Fill the stored working days and the per-day counts from the requests already there (issue 21)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from inquiries.summaries import inquiry_summaries_rebuild

    inquiry_summaries_rebuild(
        inquiry_model=apps.get_model("inquiries", "Inquiry"),
        referral_model=apps.get_model("inquiries", "Referral"),
        count_model=apps.get_model("inquiries", "InquiryDailyCount"),
    )


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0005_daily_counts")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
