import datetime as dt

import chinese_calendar
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.calendar import (
    DaySource,
    Deadline,
    WorkingCalendar,
    add_calendar_days,
    add_working_days,
    day_info,
    is_workday,
    package_years,
    working_days_between,
    year_is_known,
)
from jianguan.core.deadlines import (
    calendar_refresh,
    on_deadline_recomputed,
    provisional_deadlines,
    register_provisional,
    tracked_deadline,
)
from jianguan.core.errors import DomainError
from jianguan.core.models import CalendarDay, CalendarYear, ProvisionalDeadline

D = dt.date

# The 2027 schedule as an administrator would enter it (illustrative, not the published one).
SCHEDULE_2027 = [
    (D(2027, 1, 1), False, "元旦"),
    (D(2027, 2, 6), True, "春节调休上班"),
    *[(D(2027, 2, day), False, "春节") for day in range(8, 13)],  # Mon 8 – Fri 12
]


def enter_2027(with_year: bool = True):
    for day, workday, name in SCHEDULE_2027:
        CalendarDay.objects.create(date=day, is_workday=workday, name=name, source_document="国办发明电〔2026〕X号")
    if with_year:
        CalendarYear.objects.create(year=2027, source_document="国办发明电〔2026〕X号")


@pytest.fixture(autouse=True)
def _no_callbacks(monkeypatch):
    """Each test sees an empty callback registry, so tests do not leak hooks into each other."""
    from jianguan.core import deadlines

    monkeypatch.setattr(deadlines, "_callbacks", type(deadlines._callbacks)(list))


# -- the package data this module relies on -------------------------------------------------------


def test_chinesecalendar_2026_data_as_expected():
    assert package_years() == (2004, 2026)
    assert chinese_calendar.is_workday(D(2026, 10, 10))  # Saturday, 国庆节调休上班
    assert not chinese_calendar.is_workday(D(2026, 10, 7))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_package_days_match_chinesecalendar_everywhere(db):
    cal = WorkingCalendar()
    first, last = package_years()
    day = D(first, 1, 1)
    while day.year <= last:
        assert cal.is_workday(day) == (chinese_calendar.is_workday(day), False), day
        day += dt.timedelta(days=1)


# -- counting working days ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_seven_working_days_over_mid_autumn_and_national_day():
    # 9-25..27 中秋, 10-1..7 国庆, 10-10 (Sat) 调休上班: 9-28, 9-29, 9-30, 10-8, 10-9, 10-10, 10-12
    assert add_working_days(D(2026, 9, 24), 7) == add_working_days(D(2026, 9, 24), 7, calendar=WorkingCalendar())
    deadline = add_working_days(D(2026, 9, 24), 7)
    assert deadline.date == D(2026, 10, 12)
    assert not deadline.provisional


@pytest.mark.django_db
def test_make_up_saturday_is_a_working_day():
    assert is_workday(D(2026, 10, 10))
    assert not is_workday(D(2026, 10, 11))
    info = day_info(D(2026, 10, 10))
    assert info.is_workday and info.source == DaySource.PACKAGE and "调休" in info.name
    # the 6th working day after 9-24 is that Saturday
    assert add_working_days(D(2026, 9, 24), 6).date == D(2026, 10, 10)


@pytest.mark.django_db
def test_start_day_not_counted_and_zero_days():
    assert add_working_days(D(2026, 6, 1), 1).date == D(2026, 6, 2)
    assert add_working_days(D(2026, 6, 5), 1).date == D(2026, 6, 8)  # Fri → Mon
    assert add_working_days(D(2026, 6, 1), 0).date == D(2026, 6, 1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 6, 1), -1)


@pytest.mark.django_db
def test_working_days_between_across_national_day():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2  # 10-8, 10-9
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3  # + 调休 Saturday
    assert working_days_between(D(2026, 9, 24), D(2026, 10, 12)) == 7
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 24)) == -7
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0


@pytest.mark.django_db
def test_working_days_between_inverts_add_working_days():
    start = D(2025, 12, 15)
    for n in range(0, 60):
        assert working_days_between(start, add_working_days(start, n).date) == n


# -- calendar days ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_day_deadline_ending_on_holiday_rolls_forward():
    # 2026-09-16 + 15 days = 10-01 (国庆) → first working day after the holiday is 10-08
    deadline = add_calendar_days(D(2026, 9, 16), 15)
    assert deadline.date == D(2026, 10, 8)
    assert not deadline.provisional
    # ending on a working day stays put; ending on the 调休 Saturday stays put too
    assert add_calendar_days(D(2026, 9, 1), 15).date == D(2026, 9, 16)
    assert add_calendar_days(D(2026, 9, 25), 15).date == D(2026, 10, 10)
    # ending on an ordinary Sunday → Monday
    assert add_calendar_days(D(2026, 6, 1), 6).date == D(2026, 6, 8)


@pytest.mark.django_db
def test_calendar_day_deadline_in_unknown_year_is_provisional():
    assert add_calendar_days(D(2026, 12, 1), 90) == Deadline(D(2027, 3, 1), True)
    assert not add_calendar_days(D(2026, 11, 1), 15).provisional


# -- unknown years ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deadline_crossing_into_unknown_year_is_provisional():
    assert not year_is_known(2027)
    deadline = add_working_days(D(2026, 12, 20), 15)
    assert deadline.provisional
    # weekdays only: 12-21..25 (5), 12-28..31 (9), 2027-01-01 (10, a guess), 01-04..08 (15)
    assert deadline.date == D(2027, 1, 8)
    assert "暂定" in str(deadline)
    info = day_info(D(2027, 1, 1))
    assert info.is_workday and info.provisional and info.source == DaySource.GUESS


@pytest.mark.django_db
def test_deadline_inside_known_year_is_final_even_near_new_year():
    assert not add_working_days(D(2026, 12, 20), 5).provisional  # 12-25
    # stepping over a guessed weekend already makes it provisional
    assert add_working_days(D(2026, 12, 30), 2).provisional


@pytest.mark.django_db
def test_calendar_day_override_wins_over_chinesecalendar():
    assert is_workday(D(2026, 6, 1))
    CalendarDay.objects.create(date=D(2026, 6, 1), is_workday=False, name="临时休息", source_document="测试文件")
    CalendarDay.objects.create(date=D(2026, 10, 10), is_workday=False, name="取消调休", source_document="测试文件")
    assert not is_workday(D(2026, 6, 1))
    assert not is_workday(D(2026, 10, 10))
    info = day_info(D(2026, 6, 1))
    assert info.source == DaySource.ADMIN and "测试文件" in str(info)
    assert add_working_days(D(2026, 9, 24), 7).date == D(2026, 10, 13)


@pytest.mark.django_db
def test_entered_year_is_final():
    enter_2027()
    cal = WorkingCalendar()
    assert cal.year_is_known(2027)
    assert cal.is_workday(D(2027, 1, 1)) == (False, False)
    assert cal.is_workday(D(2027, 2, 6)) == (True, False)  # a Saturday worked in lieu
    assert cal.is_workday(D(2027, 2, 9)) == (False, False)
    assert cal.is_workday(D(2027, 3, 1)) == (True, False)
    deadline = add_working_days(D(2026, 12, 20), 15)
    assert deadline == Deadline(D(2027, 1, 11), False)


@pytest.mark.django_db
def test_overrides_without_year_still_provisional():
    enter_2027(with_year=False)
    deadline = add_working_days(D(2026, 12, 20), 15)
    assert deadline.provisional
    assert deadline.date == D(2027, 1, 11)  # 2027-01-01 is known to be a holiday already


@pytest.mark.django_db
def test_long_spans_cost_two_queries(django_assert_max_num_queries):
    enter_2027()
    with django_assert_max_num_queries(2):
        deadline = add_working_days(D(2004, 1, 1), 6200)
    assert deadline.provisional  # runs into 2028
    cal = WorkingCalendar()
    with CaptureQueriesContext(connection) as ctx:
        total = cal.working_days_between(D(2004, 1, 1), D(2026, 12, 31))
        cal.add_calendar_days(D(2010, 1, 1), 3000)
    assert len(ctx.captured_queries) == 0
    assert 5000 < total < 23 * 261


# -- provisional register and refresh -------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_recomputes_registered_deadline_once_year_entered():
    seen = []
    on_deadline_recomputed("complaints")(seen.append)

    deadline = tracked_deadline(
        app_label="complaints", object_ref="complaint:42", field_name="accept_due", start=D(2026, 12, 20), working_days=15
    )
    assert deadline.provisional and deadline.date == D(2027, 1, 8)
    row = ProvisionalDeadline.objects.get()
    assert (row.due, row.resolved_at) == (D(2027, 1, 8), None)
    assert list(provisional_deadlines()) == [row]

    assert calendar_refresh() == []  # 2027 still unknown: nothing to say

    enter_2027()
    preview = calendar_refresh(dry_run=True)
    assert [(c.old_due, c.new_due, c.resolved) for c in preview] == [(D(2027, 1, 8), D(2027, 1, 11), True)]
    assert ProvisionalDeadline.objects.get().resolved_at is None and seen == []

    changes = calendar_refresh()
    assert [(c.object_ref, c.old_due, c.new_due, c.resolved) for c in changes] == [
        ("complaint:42", D(2027, 1, 8), D(2027, 1, 11), True)
    ]
    assert "2027-01-08 → 2027-01-11" in str(changes[0]) and "已确定" in str(changes[0])
    row.refresh_from_db()
    assert row.due == D(2027, 1, 11) and row.resolved_at is not None
    assert seen == [changes]
    assert list(provisional_deadlines()) == []
    assert calendar_refresh() == []


@pytest.mark.django_db
def test_refresh_resolves_unchanged_date_and_keeps_still_unknown_ones():
    register_provisional(
        app_label="cases", object_ref="case:1", field_name="decision_due", start=D(2026, 12, 1),
        calendar_days=90, due=D(2027, 3, 1),
    )
    register_provisional(
        app_label="cases", object_ref="case:2", field_name="publish_due", start=D(2027, 12, 20),
        working_days=20, due=D(2028, 1, 17),
    )
    enter_2027()
    changes = calendar_refresh()
    assert [(c.object_ref, c.new_due, c.resolved) for c in changes] == [("case:1", D(2027, 3, 1), True)]
    assert "日期不变" in str(changes[0])
    assert [r.object_ref for r in provisional_deadlines()] == ["case:2"]


@pytest.mark.django_db
def test_failing_callback_rolls_back_only_its_module():
    def broken(changes):
        raise RuntimeError("模块出错")

    on_deadline_recomputed("sampling")(broken)
    for app in ("sampling", "complaints"):
        register_provisional(
            app_label=app, object_ref="x:1", field_name="due", start=D(2026, 12, 20), working_days=15, due=D(2027, 1, 8)
        )
    enter_2027()
    changes = {c.app_label: c for c in calendar_refresh()}
    assert changes["sampling"].error and "模块出错" in str(changes["sampling"])
    assert not changes["complaints"].error
    assert [r.app_label for r in provisional_deadlines()] == ["sampling"]
    assert ProvisionalDeadline.objects.get(app_label="sampling").due == D(2027, 1, 8)


@pytest.mark.django_db
def test_tracked_deadline_drops_stale_registration():
    kwargs = dict(app_label="cases", object_ref="case:9", field_name="due", working_days=5)
    tracked_deadline(start=D(2026, 12, 28), **kwargs)
    assert provisional_deadlines().count() == 1
    tracked_deadline(start=D(2026, 12, 1), **kwargs)  # start corrected: now inside 2026
    assert provisional_deadlines().count() == 0


@pytest.mark.django_db
def test_register_requires_exactly_one_period():
    with pytest.raises(DomainError):
        register_provisional(app_label="a", object_ref="b", field_name="c", start=D(2026, 12, 1), due=D(2027, 1, 1))
    with pytest.raises(DomainError):
        register_provisional(
            app_label="a", object_ref="b", field_name="c", start=D(2026, 12, 1),
            working_days=1, calendar_days=1, due=D(2027, 1, 1),
        )


# -- commands -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_commands(capsys):
    call_command("calendar", "check", "2026-10-10")
    out = capsys.readouterr().out
    assert "2026-10-10 星期六：工作日" in out and "调休" in out

    call_command("calendar", "add-working-days", "2026-09-24", "7")
    assert "2026-10-12" in capsys.readouterr().out

    call_command("calendar", "add-working-days", "2026-12-20", "15")
    out = capsys.readouterr().out
    assert "2027-01-08" in out and "暂定" in out

    call_command("calendar", "add-calendar-days", "2026-09-16", "15")
    assert "2026-10-08" in capsys.readouterr().out

    call_command("calendar", "between", "2026-09-30", "2026-10-10")
    assert "3 个工作日" in capsys.readouterr().out

    tracked_deadline(
        app_label="complaints", object_ref="complaint:7", field_name="due", start=D(2026, 12, 20), working_days=15
    )
    call_command("calendar", "provisional")
    assert "complaint:7" in capsys.readouterr().out

    enter_2027()
    call_command("calendar", "refresh", "--dry-run")
    out = capsys.readouterr().out
    assert "2027-01-08 → 2027-01-11" in out and "试运行" in out
    assert provisional_deadlines().count() == 1

    call_command("calendar", "refresh")
    assert "2027-01-08 → 2027-01-11" in capsys.readouterr().out
    assert provisional_deadlines().count() == 0

    call_command("calendar", "refresh")
    assert "没有需要更新" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_rejects_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="日期"):
        call_command("calendar", "check", "2026-13-01")


@pytest.mark.django_db
def test_import_year_from_csv(tmp_path, capsys):
    from django.core.management import CommandError

    good = tmp_path / "2027.csv"
    lines = ["日期,安排,说明"] + [f"{d.isoformat()},{'上班' if w else '休息'},{n}" for d, w, n in SCHEDULE_2027]
    good.write_bytes("\n".join(lines).encode("gbk"))

    call_command("calendar", "import-year", "2027", str(good), "--source", "国办发明电〔2026〕X号", "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()

    call_command("calendar", "import-year", "2027", str(good), "--source", "国办发明电〔2026〕X号")
    assert CalendarYear.objects.get().year == 2027
    assert CalendarDay.objects.count() == len(SCHEDULE_2027)
    assert add_working_days(D(2026, 12, 20), 15) == Deadline(D(2027, 1, 11), False)

    with pytest.raises(CommandError, match="已录入"):
        call_command("calendar", "import-year", "2027", str(good), "--source", "x")

    bad = tmp_path / "bad.csv"
    bad.write_text("日期,安排,说明\n2028-01-01,放假,元旦\n2027-02-30,休息,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "import-year", "2028", str(bad), "--source", "x")
    assert "第 2 行 安排" in str(exc.value) and "第 3 行 日期" in str(exc.value)
    assert not CalendarYear.objects.filter(year=2028).exists()


@pytest.mark.django_db
def test_refresh_task_runs():
    from jianguan.core.tasks import calendar_refresh_task

    register_provisional(
        app_label="cases", object_ref="case:3", field_name="due", start=D(2026, 12, 20), working_days=15,
        due=D(2027, 1, 8),
    )
    enter_2027()
    result = calendar_refresh_task.call()
    assert len(result) == 1 and "case:3" in result[0] and "已确定" in result[0]
    assert provisional_deadlines().count() == 0
