"""A subject's licences indexed with every column the validity test reads (licence_held_on): the figures by 主体业态
and 许可种类 look up each inspection's licences from the index alone (bench/food.py). It begins with the business,
so it serves every lookup of a subject's licences the old (business, kind) index served, and replaces it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("licences", "0003_fold_business_licences")]

    operations = [
        migrations.RemoveIndex(model_name="licence", name="licence_business_kind"),
        migrations.AddIndex(
            model_name="licence",
            index=models.Index(
                fields=["business", "sector", "kind", "issued_on", "valid_until", "status", "status_date"],
                name="licence_held_on",
            ),
        ),
    ]
