# Placeholder slot: the campaign model moves here from inspections (state only, same tables).
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
