"""Password validators with messages in Chinese where Django's own catalogue has none."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    # Django 5.2 changed this message's msgid (%d) and its zh_Hans catalogue still holds the old one,
    # so the stock validator refuses in English.
    def get_error_message(self):
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码必须包含至少 {self.min_length} 个字符。"
