"""The annual reports' covering index in business order (business, year, filed_on) instead of year order: the
年报率 and the risk scoring then read the register in order (see AnnualReport.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credit", "0006_pages")]
    operations = [
        migrations.RemoveIndex(model_name="annualreport", name="annual_report_year"),
        migrations.AddIndex(model_name="annualreport",
                            index=models.Index(fields=["business", "year", "filed_on"], name="annual_report_business_year")),
    ]
