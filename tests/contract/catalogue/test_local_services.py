"""各地精选: the schema of a local service (official channels only, Guangdong cities), the
shipped services, which are offered when a conversation touches them, and the columns
she browses them by."""
from datetime import date

import pytest

from assistant_contract.catalogue.local_services import (
    GUANGDONG_CITIES, LOCAL_POLICY_NOTE, city_of, column_named, in_column, local_service, offers_for, read_columns,
    read_local_services,
)
from assistant_contract.catalogue.sources import CatalogueError
from assistant_contract.catalogue.taxonomy import Taxonomy


def item(**changes):
    base = {
        "id": "local.x", "name": "妈妈岗", "cities": ["全省"],
        "offers": "为需要照顾孩子的妈妈提供的灵活就业岗位，上下班时间可以和接送孩子、照顾家庭衔接起来。",
        "reach": ["当地人社部门的公共就业服务机构", "当地妇联"], "areas": ["entrepreneurship"],
        "intents": ["job_seeking"], "keywords": ["妈妈岗"], "checked": date(2026, 11, 30),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems_of(**changes):
    return local_service(item(**changes), "local_services.yml#1")[1]


def test_a_well_formed_item_has_no_problem():
    built, problems = local_service(item(), "local_services.yml#1")
    assert problems == [] and built.province_wide


def test_an_invented_phone_number_is_refused_and_a_public_hotline_is_not():
    assert any("phone number" in p for p in problems_of(reach=["拨打0760-88888888"]))
    assert any("phone number" in p for p in problems_of(reach=["联系人手机13800138000"]))
    assert problems_of(reach=["全国妇联维权热线12338", "当地妇联"]) == []


def test_a_web_address_is_refused():
    assert any("web address" in p for p in problems_of(reach=["https://example.org/mama"]))


@pytest.mark.parametrize("cities", [["长沙市"], ["佛山"], []])
def test_a_city_outside_guangdong_or_not_by_its_full_name_is_refused(cities):
    assert problems_of(cities=cities) != []


def test_an_unknown_area_or_a_thin_description_is_refused():
    assert any("unknown" in p for p in problems_of(areas=["sports"]))
    assert any("40 characters" in p for p in problems_of(offers="找工作。"))


def test_the_shipped_services_pass_and_name_only_known_intents():
    services = read_local_services()
    assert len(services) >= 15
    assert {i for s in services for i in s.intents} <= set(Taxonomy.from_file().intent_names)
    assert {c for s in services for c in s.cities} <= set(GUANGDONG_CITIES) | {"全省"}


def test_every_card_ends_with_the_local_policy_note():
    assert all(s.card("佛山市").endswith(f"（{LOCAL_POLICY_NOTE}）") for s in read_local_services())


@pytest.mark.parametrize("region, city", [("广东省佛山市顺德区", "佛山市"), ("广东省东莞市", "东莞市"),
                                          ("湖南省长沙市", None), (None, None)])
def test_her_city_from_her_region(region, city):
    assert city_of(region) == city


def test_looking_for_flexible_work_offers_mama_jobs_in_her_city():
    services = read_local_services()
    assert offers_for(services, intent="job_seeking", region="广东省佛山市顺德区")[0].id == "local.guangdong.mama_jobs"
    in_zhongshan = [s.id for s in offers_for(services, intent="job_seeking", region="广东省中山市")]
    assert in_zhongshan[0] == "local.zhongshan.mama_jobs"  # her city's own before the province's
    assert offers_for(services, text="想找个能接送孩子的工作")[0].id == "local.guangdong.mama_jobs"


def test_a_city_service_is_offered_only_in_its_city():
    services = read_local_services()
    assert "local.guangzhou.yangcheng_housekeeping" in [s.id for s in offers_for(services, text="想学做月嫂",
                                                                                region="广东省广州市天河区")]
    assert "local.guangzhou.yangcheng_housekeeping" not in [s.id for s in offers_for(services, text="想学做月嫂",
                                                                                    region="广东省湛江市")]


def test_a_conversation_that_touches_no_service_is_offered_none():
    assert offers_for(read_local_services(), intent="legal_divorce", text="离婚后孩子归谁") == []


def test_a_bad_file_is_refused_with_every_problem(tmp_path):
    path = tmp_path / "local_services.yml"
    path.write_text("services:\n  - {id: local.a, name: 某服务, cities: [长沙市], offers: 短, reach: [拨打13800138000],"
                    " areas: [care], checked: 2026-11-30}\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        read_local_services(path)
    assert "长沙市" in str(error.value) and "13800138000" in str(error.value)


def test_the_shipped_columns_hold_every_service_and_include_the_services_own_headings():
    services = read_local_services()
    columns = read_columns(services)
    assert {"家政服务", "妈妈岗", "创业帮帮", "少儿培训", "老人大学"} <= {c.title for c in columns}
    assert {s.id for s in services} == {sid for c in columns for sid in c.services}


@pytest.mark.parametrize("text, title", [("创业帮帮", "创业帮帮"), ("有没有少儿培训", "少儿培训"),
                                         ("我妈想上老年大学", "老人大学"), ("各地精选 妈妈岗", "妈妈岗")])
def test_her_words_name_a_column(text, title):
    columns = read_columns(read_local_services())
    assert column_named(columns, text, browsing="各地精选" in text).title == title


def test_a_title_that_is_a_topic_of_its_own_opens_its_column_only_when_she_is_browsing():
    columns = read_columns(read_local_services())
    assert column_named(columns, "妈妈岗在哪里报名") is None  # the FAQ answers that
    assert column_named(columns, "离婚后孩子归谁", browsing=True) is None


def test_a_column_for_her_city_lists_her_citys_services_first_and_the_others_apart():
    services = read_local_services()
    seniors = next(c for c in read_columns(services) if c.title == "老人大学")
    here, elsewhere = in_column(seniors, services, "广东省深圳市南山区")
    assert [s.id for s in here][:1] == ["local.shenzhen.senior_university"]
    assert "local.national.senior_university" in [s.id for s in here]
    assert {s.id for s in elsewhere} == {"local.guangdong.senior_university", "local.guangzhou.elder_canteen"}
    everywhere, none = in_column(seniors, services, None)
    assert len(everywhere) == len(seniors.services) and none == []


def write_columns(tmp_path, columns):
    path = tmp_path / "local_services.yml"
    path.write_text(columns + "services:\n  - {id: local.a, name: 某服务, cities: [全省], reach: [当地妇联], areas: [care],"
                    " offers: 为困难妇女提供帮扶和陪伴，需要时可以向当地妇联提出申请，工作人员会上门了解情况。,"
                    " checked: 2026-11-30}\n  - {id: local.b, name: 另一服务, cities: [全省], reach: [当地妇联],"
                    " areas: [care], offers: 为困难妇女提供帮扶和陪伴，需要时可以向当地妇联提出申请，工作人员会上门了解情况。,"
                    " checked: 2026-11-30}\n", encoding="utf-8")
    return path


def test_a_column_naming_an_unknown_service_or_leaving_one_out_is_refused(tmp_path):
    path = write_columns(tmp_path, "columns:\n  - {id: one, title: 关爱, services: [local.a, local.z]}\n")
    with pytest.raises(CatalogueError) as error:
        read_columns(read_local_services(path), path)
    assert "local.z" in str(error.value) and "'local.b' is under no column" in str(error.value)


def test_a_word_that_opens_two_columns_is_refused(tmp_path):
    path = write_columns(tmp_path, "columns:\n  - {id: one, title: 关爱, words: [帮扶], services: [local.a]}\n"
                                   "  - {id: two, title: 帮扶, services: [local.b]}\n")
    with pytest.raises(CatalogueError, match="'帮扶' opens both"):
        read_columns(read_local_services(path), path)
