import random
import re
import threading

import pytest
from django.db import connection, transaction

from jianguan.core.errors import DomainError
from jianguan.core.models import DocumentNumberFormat, DocumentSequence
from jianguan.core.numbering import format_document_number, next_document_number

KIND = "special_equipment_order"
PATTERN = "X市监特指〔{year}〕{n}号"


@pytest.fixture
def fmt(db):
    return DocumentNumberFormat.objects.create(kind=KIND, label="特种设备安全监察指令书", pattern=PATTERN)


def n_of(number: str) -> int:
    return int(re.search(r"〕(\d+)号", number).group(1))


def test_sequence_one_two_three(fmt):
    assert [next_document_number(KIND, 2026) for _ in range(3)] == [
        "X市监特指〔2026〕1号",
        "X市监特指〔2026〕2号",
        "X市监特指〔2026〕3号",
    ]
    assert DocumentSequence.objects.get(kind=KIND, year=2026).last == 3


def test_each_year_and_kind_restarts(fmt):
    DocumentNumberFormat.objects.create(kind="case_filing", label="立案审批表", pattern="X市监立〔{year}〕{n:03d}号")
    assert next_document_number(KIND, 2026) == "X市监特指〔2026〕1号"
    assert next_document_number(KIND, 2026) == "X市监特指〔2026〕2号"
    assert next_document_number(KIND, 2027) == "X市监特指〔2027〕1号"
    assert next_document_number("case_filing", 2026) == "X市监立〔2026〕001号"
    assert next_document_number(KIND, 2026) == "X市监特指〔2026〕3号"


def test_rollback_gives_the_number_back(fmt):
    assert next_document_number(KIND, 2026).endswith("〕1号")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert next_document_number(KIND, 2026).endswith("〕2号")
            raise RuntimeError("文书保存失败")
    assert next_document_number(KIND, 2026).endswith("〕2号")  # no gap


def test_missing_or_bad_format_is_a_domain_error(fmt):
    with pytest.raises(DomainError) as exc:
        next_document_number("no_such_kind", 2026)
    assert exc.value.code == "document_number_format_missing"
    for bad in ["X〔{year}〕号", "X〔{year}〕{m}号", "X〔{year}〕{n号"]:
        with pytest.raises(DomainError) as exc:
            format_document_number(bad, year=2026, n=1)
        assert exc.value.code == "document_number_format_invalid"
    DocumentNumberFormat.objects.filter(kind=KIND).update(pattern="X〔{year}〕{num}号")
    with pytest.raises(DomainError):
        next_document_number(KIND, 2026)
    assert not DocumentSequence.objects.filter(kind=KIND).exists()  # nothing consumed


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused():
    DocumentNumberFormat.objects.create(kind=KIND, label="指令书", pattern=PATTERN)
    with pytest.raises(DomainError) as exc:
        next_document_number(KIND, 2026)
    assert exc.value.code == "document_number_outside_transaction"
    with transaction.atomic():
        assert next_document_number(KIND, 2026).endswith("〕1号")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="并发取号测试需要 PostgreSQL 的行锁（SQLite 串行化所有写入，测不出并发问题）；CI 的 PostgreSQL 轮次会运行",
)
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_callers_get_no_duplicates_and_no_gaps():
    DocumentNumberFormat.objects.create(kind=KIND, label="指令书", pattern=PATTERN)
    threads_n, per_thread = 8, 10
    committed: list[str] = []
    rolled_back: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads_n)

    class Abort(Exception):
        pass

    def worker(index: int):
        rng = random.Random(index)
        try:
            barrier.wait()  # all start together, so the first callers race to create the sequence row
            for _ in range(per_thread):
                abort = rng.random() < 0.2
                try:
                    with transaction.atomic():
                        number = next_document_number(KIND, 2026)
                        if abort:
                            raise Abort
                    with lock:
                        committed.append(number)
                except Abort:
                    with lock:
                        rolled_back.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(committed) + len(rolled_back) == threads_n * per_thread
    numbers = sorted(n_of(number) for number in committed)
    assert len(numbers) == len(set(numbers)), "duplicate numbers"
    assert numbers == list(range(1, len(committed) + 1)), "gap in committed numbers"
    assert rolled_back, "the test should exercise rollbacks"
    assert DocumentSequence.objects.get(kind=KIND, year=2026).last == len(committed)
