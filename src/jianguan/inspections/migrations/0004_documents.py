# Reserved for: printable documents of findings. Fill in the operations; the numbering chain is fixed so that parallel work
# does not produce two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_system_actor")]

    operations = []
