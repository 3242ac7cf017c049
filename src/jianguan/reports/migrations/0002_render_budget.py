# Reserved for: template render budget rules. Fill in the operations; the numbering chain is fixed so that parallel work
# does not produce two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = []
