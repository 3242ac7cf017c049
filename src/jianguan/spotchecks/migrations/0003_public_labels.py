# Reserved for: public draw record labels. Fill in the operations; the numbering chain is fixed so that parallel work
# does not produce two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0002_seed_rules")]

    operations = []
