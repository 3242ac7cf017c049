"""主体类型 其他组织: 机关、事业单位、社会组织 (a USCC whose authority, position 1, is not 9) are on the register — they
run canteens, use special equipment, are inspected — typed from their code, and kept out of every 市场主体 figure
(实有/新增/注销/吊销市场主体, the home counts, 年报 due, 经营异常名录 proposals, 信用风险分类)."""

import datetime as dt

import pytest

from jianguan.businesses.models import Business
from jianguan.businesses.resources import BUSINESS_LEDGER
from jianguan.businesses.rules import (
    entity_type_for_uscc,
    entity_type_problem,
    normalize_uscc,
    with_check_digit,
)
from jianguan.businesses.selectors import business_counts
from jianguan.businesses.services import business_create
from jianguan.core.errors import DomainError
from jianguan.core.importing import run_import
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.credit.rules import is_due
from jianguan.credit.services.proposals import abnormal_propose, find_proposals
from jianguan.equipment.resources import EQUIPMENT_LEDGER

from ..credit.test_propose import _not_found
from ..equipment.test_import import row as equipment_row
from ..equipment.test_import import write_csv as equipment_csv
from ..factories import BusinessFactory
from .test_business_import import row, write_xlsx

pytestmark = pytest.mark.django_db

SCHOOL = with_check_digit("12370102MB0000018")  # 机构编制 (事业单位)
ASSOCIATION = with_check_digit("51370102MJ0000017")  # 民政 (社会组织)
OTHER = with_check_digit("Y1370102MA3C4B5D6")  # 其他


@pytest.mark.parametrize("code", [SCHOOL, ASSOCIATION, OTHER, with_check_digit("52370102MJ0000012")])
def test_codes_of_other_authorities_are_valid_and_typed_other_org(code):
    assert normalize_uscc(code.lower()) == code
    assert entity_type_for_uscc(code) == "other_org"
    assert entity_type_problem(code, "other_org") is None
    assert "其他组织" in entity_type_problem(code, "enterprise")


def test_market_codes_keep_their_types():
    assert [entity_type_for_uscc(with_check_digit(f"9{d}370102MA3C4B5D6")) for d in "123"] == [
        "enterprise", "individual", "cooperative"]
    assert "不能为其他组织" in entity_type_problem(with_check_digit("91370102MA3C4B5D6"), "other_org")


def test_a_school_imported_is_on_the_register_typed_other_org(org, tmp_path, client):
    path = write_xlsx(tmp_path / "b.xlsx", [
        row(uscc=SCHOOL, name="历下区实验小学", kind="其他组织"),
        row(uscc=ASSOCIATION, name="历下区餐饮行业协会", kind="企业"),  # a 民政 code typed 企业
    ])
    result = run_import(BUSINESS_LEDGER, path, actor=org.users.admin)
    assert [(e.row, e.column) for e in result.errors] == [(3, "主体类型")]
    assert "应为其他组织" in result.errors[0].reason
    path = write_xlsx(tmp_path / "c.xlsx", [row(uscc=SCHOOL, name="历下区实验小学", kind="其他组织")])
    assert run_import(BUSINESS_LEDGER, path, actor=org.users.admin).created == 1
    school = Business.objects.get(uscc=SCHOOL)
    assert school.entity_type == "other_org" and school.get_entity_type_display() == "其他组织"
    client.force_login(org.users.admin)
    page = client.get("/businesses/", {"entity_type": "other_org"}).content.decode()
    assert "历下区实验小学" in page
    assert "历下区实验小学" in client.get(f"/businesses/{school.pk}/").content.decode()


def test_a_school_created_by_hand_must_be_typed_other_org(org):
    fields = {"name": "历下区第一幼儿园", "subdistrict": org.subs["dongguan"], "established_on": dt.date(2001, 9, 1),
              "legal_rep": "", "address": "幼儿园路1号"}
    with pytest.raises(DomainError, match="应为其他组织") as exc:
        business_create(actor=org.users.admin, uscc=SCHOOL, entity_type="enterprise", **fields)
    assert exc.value.extra == {"field": "entity_type"}
    assert business_create(actor=org.users.admin, uscc=SCHOOL, entity_type="other_org", **fields).entity_type == "other_org"


def test_an_operator_created_from_the_equipment_file_is_typed_from_its_code(org, tmp_path):
    path = equipment_csv(tmp_path / "e.csv", [equipment_row(uscc=SCHOOL, name="历下区实验小学")])
    result = run_import(EQUIPMENT_LEDGER.for_run(create_operators=True), path)
    assert result.accepted, result.errors
    assert Business.objects.get(uscc=SCHOOL).entity_type == "other_org"


@pytest.fixture
def mixed(org):
    east = org.subs["dongguan"]
    company = BusinessFactory(subdistrict=east, name="甲公司", established_on=dt.date(2020, 1, 1))
    shop = BusinessFactory(subdistrict=east, entity_type="individual", established_on=dt.date(2026, 3, 1))
    school = BusinessFactory(subdistrict=east, uscc=SCHOOL, name="历下区实验小学", entity_type="other_org",
                             established_on=dt.date(2026, 3, 1))
    hospital = BusinessFactory(subdistrict=east, uscc=OTHER, name="历下区人民医院", entity_type="other_org",
                               established_on=dt.date(2000, 1, 1), reg_status="deregistered", status_date=dt.date(2026, 4, 1))
    return company, shop, school, hospital


def test_other_orgs_are_not_in_the_market_entity_figures(org, mixed):
    company, shop, school, hospital = mixed
    params = Params.build(as_of="2026-06-30", period="2026")
    keys = ["businesses.active", "businesses.new", "businesses.deregistered", "credit.annual_reports_due"]
    values = compute(keys, params)
    assert values["businesses.active"] == 2 and values["businesses.new"] == 1 and values["businesses.deregistered"] == 0
    assert "businesses.active[其他组织]" not in values
    for key in keys:
        assert school not in drilldown(key, params) and hospital not in drilldown(key, params)
    assert values["credit.annual_reports_due"] == 1  # 2025's report: the company; the shop opened in 2026
    assert compute(["credit.annual_reports_due"], Params.build(as_of="2027-07-10"))["credit.annual_reports_due"] == 2
    counts = business_counts(actor=org.users.admin)
    assert (counts["total"], counts["other_orgs"]) == (2, 1)
    assert sum(row["n"] for row in counts["by_station"]) == 2
    assert not is_due(established_on=dt.date(2000, 1, 1), reg_status="active", status_date=None, year=2025,
                      as_of=dt.date(2026, 7, 10), deadline_months=6, entity_type="other_org")


def test_other_orgs_are_never_proposed_for_the_abnormal_list(org, mixed):
    company, shop, school, _ = mixed
    old_school = BusinessFactory(subdistrict=org.subs["dongguan"], uscc=ASSOCIATION, entity_type="other_org",
                                 established_on=dt.date(2010, 1, 1))
    _not_found(org, old_school, dt.date(2026, 5, 2))
    _not_found(org, company, dt.date(2026, 5, 3))
    run = find_proposals(year=2025, on=dt.date(2026, 7, 10))
    proposed = {p.business for p in run.proposals}
    assert company in proposed and old_school not in proposed and school not in proposed
    with pytest.raises(DomainError, match="其他组织"):
        abnormal_propose(actor=org.users.dept, business=old_school, reason="unreachable", on=dt.date(2026, 7, 10))


def test_the_import_instructions_name_the_type():
    assert any("其他组织" in line for line in BUSINESS_LEDGER.import_instructions(None))

