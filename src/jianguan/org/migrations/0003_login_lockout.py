# Reserved for: login lockout rules. Fill in the operations; the numbering chain is fixed so that parallel work
# does not produce two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("org", "0002_user_cert_no_user_cert_valid_until")]

    operations = []
