"""The one error family of the domain: English code for machines, Chinese message for people."""


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, extra: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra or {}

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "记录不存在或不在您的辖区范围内", extra: dict | None = None):
        super().__init__("not_found", message, extra)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限", extra: dict | None = None):
        super().__init__("permission_denied", message, extra)


class ConcurrentEdit(DomainError):
    status = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重试", extra: dict | None = None):
        super().__init__("concurrent_edit", message, extra)
