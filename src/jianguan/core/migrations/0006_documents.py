# The document engine: the issued documents' files and what they were rendered from.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import jianguan.core.documents.models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_upload_limits"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name='IssuedDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=50, verbose_name='文书种类')),
                ('number', models.CharField(blank=True, max_length=60, verbose_name='文号')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('owner_ref', models.CharField(db_index=True, max_length=100, verbose_name='签发记录')),
                ('file', models.FileField(max_length=255, upload_to=jianguan.core.documents.models._upload_to, verbose_name='文件')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('size', models.PositiveIntegerField(verbose_name='大小（字节）')),
                ('context', models.JSONField(default=dict, verbose_name='生成数据')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
            ],
            options={
                'verbose_name': '已生成文书',
                'verbose_name_plural': '已生成文书',
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]
