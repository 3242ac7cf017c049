# The scheduler's state (last run of each periodic job) and the background processes' heartbeat.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0007_backups")]

    operations = [
        migrations.CreateModel(
            name="PeriodicJobState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=100, unique=True, verbose_name="任务键")),
                ("last_started_at", models.DateTimeField(blank=True, null=True, verbose_name="最近开始")),
                ("last_finished_at", models.DateTimeField(blank=True, null=True, verbose_name="最近结束")),
                ("last_ok", models.BooleanField(null=True, verbose_name="最近是否成功")),
                ("last_error", models.TextField(blank=True, verbose_name="最近错误")),
            ],
            options={
                "verbose_name": "定时任务状态",
                "verbose_name_plural": "定时任务状态",
                "ordering": ["key"],
            },
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="主机名:角色，如 app1:worker", max_length=200, unique=True, verbose_name="进程")),
                ("pid", models.IntegerField(verbose_name="进程号")),
                ("beat_at", models.DateTimeField(verbose_name="最近心跳")),
            ],
            options={
                "verbose_name": "后台进程心跳",
                "verbose_name_plural": "后台进程心跳",
                "ordering": ["name"],
            },
        ),
    ]
