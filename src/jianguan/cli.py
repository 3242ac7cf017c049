"""The `jianguan` console script: Django's management commands with the project's settings.

`jianguan`, `jianguan --help` and `jianguan help` print jianguan's own commands in Chinese, grouped
by app: staff should not meet Django's English list of maintenance commands (flush, dbshell …) first.
`jianguan help <command>` is Django's per-command help; `jianguan help --all` is Django's full list.
"""

import os
import sys

# Apps in the order staff meet them; a command of an app not listed here still appears, under 其他.
GROUPS = {
    "jianguan.core": "系统与台账",
    "jianguan.demo": "演示数据",
    "jianguan.org": "机构与用户",
    "jianguan.businesses": "市场主体",
    "jianguan.equipment": "特种设备",
    "jianguan.inspections": "监督检查",
    "jianguan.spotchecks": "双随机抽查",
    "jianguan.complaints": "投诉举报",
    "jianguan.reports": "报表与指标",
}
# Django's commands that an administrator of jianguan does need, with what they do in Chinese.
DJANGO_COMMANDS = {
    "migrate": "建立或升级数据库结构（安装、升级后运行）",
    "createsuperuser": "创建系统管理员账号",
    "changepassword": "修改用户密码",
    "check": "检查配置（生产环境加 --deploy）",
}
HELP_FLAGS = ({"--help"}, {"-h"}, {"help"}, set())


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if set(args) in HELP_FLAGS and len(args) <= 1:
        sys.stdout.write(help_text())
        return
    if args[:2] == ["help", "--all"]:
        args = ["help", *args[2:]]
    execute_from_command_line(["jianguan", *args])


def summary(text: str) -> str:
    """A command's first sentence: its help up to the first 。 or ；."""
    text = " ".join(str(text or "").split())
    for stop in ("。", "；"):
        head, found, _ = text.partition(stop)
        if found:
            text = head
    return text


def jianguan_commands() -> dict[str, list[tuple[str, str]]]:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    grouped: dict[str, list[tuple[str, str]]] = {}
    commands = get_commands()
    for name, app in sorted(commands.items()):
        if not app.startswith("jianguan."):
            continue
        # A module classify_eval.py aliased as classify-eval.py: list the hyphenated name once.
        if "_" in name and name.replace("_", "-") in commands:
            continue
        try:
            text = summary(load_command_class(app, name).help)
        except Exception:  # noqa: BLE001 - a broken command must not hide the others from the list
            text = "（无法载入此命令）"
        grouped.setdefault(GROUPS.get(app, "其他"), []).append((name, text))
    order = list(GROUPS.values()) + ["其他"]
    return {group: grouped[group] for group in order if group in grouped}


def help_text() -> str:
    groups = jianguan_commands()
    groups["数据库与账号（Django 自带）"] = list(DJANGO_COMMANDS.items())
    width = max(len(name) for rows in groups.values() for name, _ in rows) + 2
    lines = ["监管平台命令行 jianguan：jianguan <命令> [参数]", ""]
    for group, rows in groups.items():
        lines.append(f"{group}：")
        lines.extend(f"  {name.ljust(width)} {text}" for name, text in rows)
        lines.append("")
    lines += [
        "jianguan help <命令>     查看某个命令的全部参数（也可用 jianguan <命令> --help）",
        "jianguan help --all      列出全部命令，包括 Django 自带的维护命令（英文）",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
