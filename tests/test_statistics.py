"""Statistic rules: normalised values and units; years, dates, ordinals and ages are not statistics."""
from __future__ import annotations

from helpers import run_text


def _stats(ex):
    return [(s.value, s.unit, s.qualifier) for s in ex.statistics]


def test_currency_scales_are_normalised(tmp_path):
    ex = run_text(tmp_path, "The global digital economy's value hit $12.9 trillion in 2017.")
    assert _stats(ex) == [("12900000000000", "USD", None)]
    s = ex.statistics[0]
    assert s.measures == "The global digital economy's value" and s.period == "in 2017"


def test_percent_with_period(tmp_path):
    ex = run_text(tmp_path, "By the end of June 2018, the global Internet penetration rate reached 54.4 percent.")
    s = ex.statistics[0]
    assert (s.value, s.unit, s.measures, s.period) == ("54.4", "percent", "the global Internet penetration rate", "By the end of June 2018")


def test_qualifiers_and_counts(tmp_path):
    ex = run_text(tmp_path, "In the first half of 2018 alone, over 2,300 instances of data breaches were reported and approximately 2.6 billion user records were disclosed.")
    assert _stats(ex) == [("2300", "count", "over"), ("2600000000", "count", "approximately")]
    assert ex.statistics[0].bound == "LowerBound" and ex.statistics[1].bound == "Approximate"
    assert ex.statistics[0].measures == "instances of data breaches"


def test_years_dates_ordinals_ages_and_identifiers_are_not_statistics(tmp_path):
    ex = run_text(tmp_path, "The 5th World Internet Conference was held from Nov 7 to 9, 2018, building on the Wuzhen Initiative 2015. "
                            "The young (aged 15 to 24) use 5G and IPv6 to reach SDG 7 by 2030. Covid-19 hit in 2020.")
    assert ex.statistics == []


def test_count_before_a_noun_in_year_range_is_a_count(tmp_path):
    ex = run_text(tmp_path, "The event brought together more than 1500 government representatives from over 80 countries.")
    assert _stats(ex) == [("1500", "count", "more than"), ("80", "count", "over")]


def test_temperatures_have_their_unit(tmp_path):
    ex = run_text(tmp_path, "We resolve to pursue efforts to limit the temperature increase to 1.5°C.")
    assert _stats(ex) == [("1.5", "degreeCelsius", None)]


def test_versions_and_footnote_marks_are_not_statistics(tmp_path):
    ex = run_text(tmp_path, "We endorse the InfraTracker 2.0 and the Industry 4.0 agenda. "
                            "<sup>1 </sup>We support all vulnerable countries[2], 35 of which are in Africa.")
    assert _stats(ex) == [("35", "count", None)]


def test_measure_leaves_the_auxiliary_to_its_verb(tmp_path):
    ex = run_text(tmp_path, "By the end of June 2019, the number of Internet users worldwide had reached 4.4 billion.")
    [s] = ex.statistics
    assert (s.value, s.unit, s.measures) == ("4400000000", "count", "the number of Internet users worldwide")
    ex = run_text(tmp_path, "China's digital economy has already reached 31.3 trillion yuan.")
    assert ex.statistics[0].measures == "China's digital economy"


def test_a_year_in_a_name_is_no_statistic(tmp_path):
    ex = run_text(tmp_path, "The Internet Governance Forum 2019 was held in Berlin, Germany, from 25 to 29 November 2019. "
                            "2019 was a year of rapid growth. More than 2000 participants came from 100 countries.")
    assert _stats(ex) == [("2000", "count", "more than"), ("100", "count", None)]


def test_a_share_of_a_group_and_a_number_compared_with_it(tmp_path):
    ex = run_text(tmp_path, "Around 87 percent of people in developed countries use the Internet, "
                            "compared with 19 percent in the least developed countries. Some 3.7 billion people remain offline.")
    assert [(s.value, s.unit, s.qualifier, s.measures) for s in ex.statistics] == [
        ("87", "percent", "around", "people in developed countries use the Internet"),
        ("19", "percent", None, "people in developed countries use the Internet"),
        ("3700000000", "count", "some", "people")]


def test_a_rate_named_before_its_percentage(tmp_path):
    ex = run_text(tmp_path, "China had 1.05 billion Internet users as of June 2022, with an Internet penetration rate of 74.4 percent.")
    assert [(s.value, s.unit, s.measures, s.period) for s in ex.statistics] == [
        ("1050000000", "count", "Internet users", "as of June 2022"),
        ("74.4", "percent", "Internet penetration rate", "as of June 2022")]


def test_each_number_of_a_change_takes_its_own_period(tmp_path):
    ex = run_text(tmp_path, "The number of IoT devices will grow from 8.4 billion in 2017 to 20.4 billion in 2020.")
    assert [(s.value, s.measures, s.period) for s in ex.statistics] == [
        ("8400000000", "The number of IoT devices", "in 2017"), ("20400000000", "The number of IoT devices", "in 2020")]


def test_a_forecast_measures_its_subject(tmp_path):
    ex = run_text(tmp_path, "Global spending on artificial intelligence is expected to reach 110 billion US dollars by 2024.")
    [s] = ex.statistics
    assert (s.value, s.unit, s.measures, s.period) == ("110000000000", "USD", "Global spending on artificial intelligence", "by 2024")


def test_a_percentage_of_a_base_measures_the_subject(tmp_path):
    ex = run_text(tmp_path, "According to the GSMA, mobile technologies generated 4.5 percent of GDP globally in 2019. "
                            "The World Economic Forum estimates that 65 percent of children will work in new jobs.")
    assert [(s.value, s.measures, s.period) for s in ex.statistics] == [
        ("4.5", "mobile technologies", "in 2019"), ("65", "children will work in new jobs", None)]


def test_an_amount_of_a_named_thing_and_a_change_by_a_number(tmp_path):
    ex = run_text(tmp_path, "The WHO estimates there is an annual financing gap of approximately USD 10 billion. "
                            "We welcome pledges amounting to USD 81.6 billion. We aim to reduce land degradation by 50% by 2040. "
                            "The goal starts from a floor of USD 100 billion per year.")
    assert [(s.value, s.unit, s.qualifier, s.measures) for s in ex.statistics] == [
        ("10000000000", "USD", "approximately", "annual financing gap"),
        ("81600000000", "USD", None, "pledges"),
        ("50", "percent", None, "land degradation"),
        ("100000000000", "USD", None, None)]   # "a floor of" is a frame, not a measure


def test_a_table_rows_label_is_what_its_numbers_measure(tmp_path):
    ex = run_text(tmp_path, "Digital Indicators 2019\n\n| Indicator | Value |\n| --- | --- |\n"
                            "| Internet users | 4.4 billion |\n| Internet penetration | 57.3% |\n", name="indicators-2019.md")
    assert ex.segmented.document.alternative_titles == []   # the header row is no second title
    assert [(s.value, s.unit, s.measures) for s in ex.statistics] == [
        ("4400000000", "count", "Internet users"), ("57.3", "percent", "Internet penetration")]


def test_an_attached_scale_a_bare_change_verb_and_no_measure_from_a_destination(tmp_path):
    ex = run_text(tmp_path, "The UK pledged £3bn for AI research. The market grew 30 per cent in 2021. "
                            "Broadband prices fell by 15% between 2019 and 2021. "
                            "The EU will invest EUR 20 billion in digital projects. 5G networks expand.")
    assert [(s.value, s.unit, s.measures) for s in ex.statistics] == [
        ("3000000000", "GBP", None), ("30", "percent", "The market"), ("15", "percent", "Broadband prices"),
        ("20000000000", "EUR", None)]


def test_data_volumes_and_rates_have_their_unit(tmp_path):
    ex = run_text(tmp_path, "Global IP traffic reached 4.8 zettabytes in 2022. Average fixed download speeds rose to 100 Mbps, "
                            "and a household used 250GB a month on a 1 Gbit/s line with a 500 Mb cap.")
    assert _stats(ex) == [("4.8", "zettabyte", None), ("100", "megabitPerSecond", None), ("250", "gigabyte", None),
                          ("1", "gigabitPerSecond", None), ("500", "megabit", None)]
    assert [s.measures for s in ex.statistics[:2]] == ["Global IP traffic", "Average fixed download speeds"]


def test_a_count_names_a_noun_that_starts_with_a_digit(tmp_path):
    ex = run_text(tmp_path, "There are 1.2 million 5G base stations in operation.")
    assert _stats(ex) == [("1200000", "count", None)]
    assert ex.statistics[0].measures == "5G base stations"


def test_numbers_in_words_with_a_scale_are_statistics(tmp_path):
    ex = run_text(tmp_path, "Nearly three billion people remain offline. The platform has one billion users. "
                            "Half a billion people lack electricity. Two countries signed it.")
    assert _stats(ex) == [("3000000000", "count", "nearly"), ("1000000000", "count", None), ("500000000", "count", None)]
    assert [(s.text, s.measures) for s in ex.statistics] == [("three billion", "people"), ("one billion", "users"),
                                                             ("Half a billion", "people")]


def test_a_range_shares_its_unit_and_measure(tmp_path):
    ex = run_text(tmp_path, "Between 20 and 30 percent of firms use cloud services.")
    assert _stats(ex) == [("20", "percent", None), ("30", "percent", None)]
    assert [s.measures for s in ex.statistics] == ["firms use cloud services"] * 2


def test_more_change_verbs_name_the_measure(tmp_path):
    ex = run_text(tmp_path, "GDP contracted by 2.5 percent. Mobile data traffic soared 40 percent.")
    assert [s.measures for s in ex.statistics] == ["GDP", "Mobile data traffic"]


def test_a_participle_clause_and_an_apposition_measure_the_main_subject(tmp_path):
    ex = run_text(tmp_path, "The global digital economy continued to grow in 2020, reaching USD 32.6 trillion, or 43.7 percent of GDP.")
    assert _stats(ex) == [("32600000000000", "USD", None), ("43.7", "percent", None)]
    assert [s.measures for s in ex.statistics] == ["The global digital economy"] * 2
    ex = run_text(tmp_path, "China's digital economy was valued at 31.3 trillion yuan in 2018, accounting for 34.8 percent of GDP.")
    assert [s.measures for s in ex.statistics] == ["China's digital economy"] * 2
