"""Every write of the cases app: leads, filing, the case's steps. Each service is one transaction with its audit."""

from .decision import case_decide, case_decide_no_penalty, case_simple, case_simple_record  # noqa: F401
from .execution import (  # noqa: F401
    case_close,
    case_court_apply,
    case_execution_done,
    case_payment,
    case_remind,
    case_serve,
)
from .filing import case_file  # noqa: F401
from .leads import lead_decide, lead_extend, lead_open, lead_pause  # noqa: F401
from .steps import (  # noqa: F401
    case_hearing_hold,
    case_hearing_request,
    case_hearing_schedule,
    case_notify,
    case_review,
    case_statement,
    evidence_add,
    evidence_measure_end,
    evidence_measure_extend,
)
from .workflow import (  # noqa: F401
    case_collective_extend,
    case_extend,
    case_transfer,
    case_transition,
    suspension_end,
    suspension_start,
)
