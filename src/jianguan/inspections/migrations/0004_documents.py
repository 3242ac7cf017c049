# Printable documents of findings: each 责令整改通知书 / 安全监察指令书 keeps its Word file (core's engine).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_system_actor"), ("core", "0006_documents")]

    operations = [
        migrations.AddField(
            model_name='document',
            name='rendered',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.issueddocument', verbose_name='文书文件'),
        ),
    ]
