# Placeholder slot: the campaign model leaves inspections for the campaigns app (state only).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_documents"), ("campaigns", "0001_initial")]
    operations = []
