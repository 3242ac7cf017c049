from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jianguan.cases"
    label = "cases"
    verbose_name = "执法办案"
