from django.apps import AppConfig


class FoodConfig(AppConfig):
    name = "jianguan.food"
    label = "food"
    verbose_name = "食品安全风险分级"
