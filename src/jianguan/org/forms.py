from django import forms

from .models import User


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="写明哪个系统、做什么用，如“网格化平台同步市场主体”",
        widget=forms.TextInput(attrs={"placeholder": "如：网格化平台同步市场主体"}),
    )
    user = forms.ModelChoiceField(
        label="所属用户",
        queryset=User.objects.none(),
        required=False,
        help_text="令牌以该用户的身份与辖区访问接口",
    )

    def __init__(self, *args, actor: User, may_choose_user: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if may_choose_user:
            self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
            self.fields["user"].initial = actor.pk
            self.fields["user"].label_from_instance = lambda u: f"{u}（{u.username}）"
        else:
            del self.fields["user"]

    def owner(self) -> User:
        return self.cleaned_data.get("user") or self.actor
