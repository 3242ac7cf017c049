# Reserved slot (filled by the step of issue 13 that needs it).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_publication")]
    operations = []
