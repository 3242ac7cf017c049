# Reserved for: backups (rules, records). Fill in the operations; the numbering chain is fixed so that parallel work
# does not produce two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0006_documents")]

    operations = []
