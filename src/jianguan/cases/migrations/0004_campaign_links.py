# Cases and leads link to campaigns (专项行动): a lead from an inspection of a campaign carries it, a case
# may count in several campaigns (e.g. 铁拳 and a food-safety campaign).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_categories_formats"), ("campaigns", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="campaigns",
            field=models.ManyToManyField(blank=True, related_name="cases", to="campaigns.campaign", verbose_name="专项行动"),
        ),
        migrations.AddField(
            model_name="lead",
            name="campaign",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="leads",
                to="campaigns.campaign", verbose_name="专项行动",
            ),
        ),
    ]
