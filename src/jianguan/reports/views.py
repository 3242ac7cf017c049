from django.http import Http404
from django.shortcuts import render

from jianguan.core.errors import DomainError
from jianguan.core.indicators import column_value, drilldown, get_indicator
from jianguan.core.periods import Params

DRILL_PAGE = 200


def drill(request, key: str):
    """The records behind one figure; the page states their count, which equals the figure."""
    try:
        indicator = get_indicator(key)
        params = Params.build(
            as_of=request.GET.get("as_of") or None, period=request.GET.get("period") or None, scope=request.GET.get("scope")
        )
        part = request.GET.get("part") or None
        qs = drilldown(key, params, actor=request.user, part=part)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    total = qs.count()
    rows = [[column_value(r, c.path) for c in indicator.columns] for r in qs[:DRILL_PAGE]]
    return render(
        request,
        "reports/drill.html",
        {"indicator": indicator, "params": params, "part": part, "total": total, "rows": rows, "shown": len(rows)},
    )
