"""The report-pass indexes of inspections gain the business as their last column: the figures by 主体业态 and
许可种类 join the period's (or a campaign's) inspections to their subjects' licences and read them from the index
alone (bench/food.py). Each new index begins with the old one's columns, so what used the old one uses it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_leads_moved_to_cases")]

    operations = [
        migrations.RemoveIndex(model_name="inspection", name="inspection_report_pass"),
        migrations.RemoveIndex(model_name="inspection", name="inspection_campaign"),
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(fields=["date", "status", "kind", "subdistrict", "business"], name="inspection_period_pass"),
        ),
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(fields=["campaign", "status", "date", "kind", "subdistrict", "business"],
                               name="inspection_campaign_pass"),
        ),
    ]
