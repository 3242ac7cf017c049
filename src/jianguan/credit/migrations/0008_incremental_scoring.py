"""The monthly scoring re-checks only what changed since its last run: when a run began, when a filing was last
changed; the filings' index year first (年报率 reads one year's filings in the register's order)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('businesses', '0008_business_updated_index'),
        ('credit', '0007_annual_report_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='annualreport',
            name='annual_report_business_year',
        ),
        migrations.AddField(
            model_name='annualreport',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='更新时间'),
        ),
        # A filing already entered was last changed, as far as anyone knows, when it was entered.
        migrations.RunSQL("UPDATE credit_annualreport SET updated_at = created_at", migrations.RunSQL.noop),
        migrations.AddField(
            model_name='riskrun',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='开始时间'),
        ),
        migrations.AlterField(
            model_name='annualreport',
            name='business',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='annual_reports', to='businesses.business', verbose_name='市场主体'),
        ),
        migrations.AddIndex(
            model_name='annualreport',
            index=models.Index(fields=['year', 'business', 'filed_on'], name='annual_report_year_business'),
        ),
        migrations.AddIndex(
            model_name='annualreport',
            index=models.Index(fields=['updated_at'], name='annual_report_updated'),
        ),
    ]
