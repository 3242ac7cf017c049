"""Reserved slot (kept empty so that parallel work can take it without renumbering)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_lists")]
    operations = []
