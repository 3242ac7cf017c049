# Reserved for the demo work of issue 14 (left empty when that work needs no schema change).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sampling", "0005_pages")]
    operations = []
