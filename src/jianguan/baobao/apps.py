from django.apps import AppConfig


class BaobaoConfig(AppConfig):
    name = "jianguan.baobao"
    label = "baobao"
    verbose_name = "包保"
