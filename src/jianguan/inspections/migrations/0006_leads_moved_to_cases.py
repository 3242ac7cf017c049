# The case leads now live in the cases app (copied there, with their ids, by complaints 0004).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_move_campaigns"), ("complaints", "0004_leads_move_to_cases")]
    operations = [migrations.DeleteModel(name="CaseLead")]
