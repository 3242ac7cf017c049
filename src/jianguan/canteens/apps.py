from django.apps import AppConfig


class CanteensConfig(AppConfig):
    name = "jianguan.canteens"
    label = "canteens"
    verbose_name = "学校食堂与明厨亮灶"
