"""`jianguan classify-eval`: the spelling the issue asks for; the command lives in classify_eval.py
(Django names a command after its module, and a module with a hyphen cannot be imported by name)."""

from .classify_eval import Command  # noqa: F401
