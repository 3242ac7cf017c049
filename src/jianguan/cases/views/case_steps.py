"""The steps of a case's page (调查取证, 中止与恢复, 延期, 审核, 告知, 听证, 决定, 送达, 缴款, 结案…), one form
each, calling the workflow services; offered in the states that allow them."""

from .steps import Step

CASE_STEPS: tuple[Step, ...] = ()
