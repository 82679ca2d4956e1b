"""Event rules: conference editions and foundings."""
from __future__ import annotations

from helpers import assert_every_match_holds_a_cue, run_text

from kg.extract.events import parse_dates
from kg.vocab import ACTOR


def test_date_ranges_carry_the_year():
    assert parse_dates("from Nov 7 to 9, 2018", None) == ("2018-11-07", "2018-11-09")
    assert parse_dates("from December 3 to 5", 2017) == ("2017-12-03", "2017-12-05")
    assert parse_dates("on 15-16 November 2022", None) == ("2022-11-15", "2022-11-16")
    assert parse_dates("on July 12, 2022", None) == ("2022-07-12", "2022-07-12")


def test_conference_edition_with_place_dates_counts_and_theme(tmp_path):
    ex = run_text(tmp_path, 'The 5th World Internet Conference(WIC) was held in Wuzhen, Zhejiang province, China, from Nov 7 to 9, 2018. '
                            'The number of WIC participants was about 1,500, including government delegates from 76 countries and regions. '
                            'The conference\'s overarching theme was "Creating a Digital World for Mutual Trust".')
    [ev] = ex.events
    assert (ev.label, ev.edition, ev.start, ev.end_date) == ("5th World Internet Conference", 5, "2018-11-07", "2018-11-09")
    assert ev.place == ["Wuzhen", "Zhejiang Province", "China"]
    assert (ev.participants, ev.countries, ev.theme) == (1500, 76, "Creating a Digital World for Mutual Trust")
    assert ev.organiser == str(ACTOR["world-internet-conference"])


def test_founding_with_initiators(tmp_path):
    ex = run_text(tmp_path, "The World Internet Conference (WIC) was established as an international organization on July 12, 2022, headquartered in Beijing, China. "
                            "It was jointly initiated by Alibaba Group, Tencent, and the United Nations.")
    [ev] = ex.events
    assert ev.kind == "Founding" and ev.start == "2022-07-12" and ev.place == ["Beijing", "China"]
    assert ev.founded == str(ACTOR["world-internet-conference"])
    assert ev.initiators == [str(ACTOR["alibaba-group"]), str(ACTOR["tencent"]), str(ACTOR["united-nations"])]


def test_took_place_is_an_edition_with_its_dates(tmp_path):
    ex = run_text(tmp_path, "The 2nd World Internet Conference took place in Wuzhen from 16 to 18 December 2015.")
    [e] = ex.events
    assert (e.label, e.place, e.start, e.end_date, e.edition) == (
        "2nd World Internet Conference", ["Wuzhen"], "2015-12-16", "2015-12-18", 2)


def test_leaders_meeting_with_an_appositive(tmp_path):
    ex = run_text(tmp_path, "We, the Leaders of the G7, met in Hiroshima on May 19-21, 2023.")
    [e] = ex.events
    assert (e.place, e.start, e.end_date, e.organiser) == (["Hiroshima"], "2023-05-19", "2023-05-21", str(ACTOR["g7"]))


def test_an_edition_described_twice_is_one_event_with_both_sentences(tmp_path):
    ex = run_text(tmp_path, "The 5th World Internet Conference was held in Wuzhen, China from 7 to 9 November 2018.\n\n"
                            "The 5th World Internet Conference was held in Wuzhen from 7 to 9 November 2018, "
                            "bringing together about 1,500 participants.\n")
    [e] = ex.events
    assert (e.start, e.end_date, e.place, e.participants, e.extra_sentences) == (
        "2018-11-07", "2018-11-09", ["Wuzhen", "China"], 1500, [2])


def test_the_same_edition_with_other_dates_is_another_event(tmp_path):
    ex = run_text(tmp_path, "The 5th World Internet Conference was held in Wuzhen, China on 15-16 November 2022.\n\n"
                            "The 5th World Internet Conference was held in Wuzhen, China from 7 to 9 November 2018.\n")
    assert [(e.key.rsplit("/", 1)[1], e.start) for e in ex.events] == [
        ("world-internet-conference-5", "2022-11-15"), ("world-internet-conference-5-2018-11-07", "2018-11-07")]


def test_a_month_and_year_is_no_day():
    # "December 2015" names no day: not December 20 of the report's year
    assert parse_dates("in Wuzhen in December 2015", 2020) == (None, None)
    assert parse_dates("in December 2015, from 16 to 18 December 2015", None) == ("2015-12-16", "2015-12-18")


def test_an_edition_in_words_and_lower_case_before_the_forum(tmp_path):
    ex = run_text(tmp_path, "The second World Internet Conference took place in Wuzhen from 16 to 18 December 2015.")
    [e] = ex.events
    assert (e.label, e.edition, e.start) == ("2nd World Internet Conference", 2, "2015-12-16")
    # a month and year is no day: the edition starts in that month (not on December 20)
    [e] = run_text(tmp_path, "The second World Internet Conference took place in Wuzhen in December 2015.").events
    assert (e.edition, e.start, e.end_date) == (2, "2015-12", None)


def test_held_as_a_participle_and_held_at_a_venue(tmp_path):
    ex = run_text(tmp_path, "The 17th G20 Summit, held in Bali, Indonesia, on 15-16 November 2022, adopted the declaration.")
    [e] = ex.events
    assert (e.edition, e.place, e.start, e.end_date) == (17, ["Bali", "Indonesia"], "2022-11-15", "2022-11-16")
    assert e.organiser == str(ACTOR["g20"])
    ex = run_text(tmp_path, "The 14th Internet Governance Forum was held at the Estrel Congress Center in Berlin from 25 to 29 November 2019.")
    [e] = ex.events
    assert (e.label, e.place, e.start) == ("14th Internet Governance Forum", ["Berlin"], "2019-11-25")


def test_an_edition_or_founding_dated_by_month_or_year_only(tmp_path):
    from rdflib.namespace import XSD

    from kg.gazetteer import load_vocabulary
    from kg.to_rdf import to_graph, to_nquads
    from kg.validate import shape_validator, violations
    ex = run_text(tmp_path, "The first World Internet Conference was held in Wuzhen in November 2014. "
                            "The Internet Society was founded in 1992. "
                            "The 5th World Internet Conference was held in Wuzhen, which has hosted it since 2014.")
    assert [(e.kind, e.label, e.start, e.end_date) for e in ex.events] == [
        ("ConferenceEdition", "1st World Internet Conference", "2014-11", None),
        ("Founding", "Internet Society established", "1992", "1992")]
    nquads = to_nquads(ex, load_vocabulary())
    assert f'"2014-11"^^<{XSD.gYearMonth}>' in nquads and f'"1992"^^<{XSD.gYear}>' in nquads
    assert shape_validator().violations(nquads) == []
    assert violations(to_graph(ex, load_vocabulary())) == []   # pySHACL agrees
    # and a month that is no month still breaks the shape
    broken = nquads.replace('"2014-11"^^', '"2014-13"^^')
    assert [v.component for v in shape_validator().violations(broken)] == ["OrConstraintComponent"]


def test_every_event_match_holds_one_of_the_event_cues():
    # extract_events skips a sentence holding none of _EVENT_CUES (the patterns are case-sensitive)
    from kg.extract import events as ev
    assert_every_match_holds_a_cue(
        [(pattern, ev._EVENT_CUES) for pattern in (ev._HELD, ev._MET, ev._LEADERS_MET, ev._FOUNDED)],
        "The Forum was convened in Geneva. The summit, hosted in Rome, ended. It will be organised in "
        "Paris. It was organized at the old venue in Lyon. The talks took place in Oslo. They will take "
        "place in Bonn. We gathered in Bali. We, the Leaders, convened in Osaka. The Lab was set up in "
        "2019. The Fund had been inaugurated in May. The Bank was created, and the Office has been "
        "officially launched as a hub in Rome. APEC Leaders met in Lima. The ministers gathered in Turin.", case_sensitive=True)


def test_counts_after_two_meetings_go_to_the_meeting_they_name(tmp_path):
    ex = run_text(tmp_path, "The 18th Internet Governance Forum took place in Kyoto, Japan, from 8 to 12 October 2023. "
                            "The G20 Summit was held in New Delhi on 9-10 September 2023. "
                            "More than 6,000 participants from 170 countries attended the Forum.")
    igf, g20 = sorted(ex.events, key=lambda e: e.label)
    assert (igf.label, igf.participants, igf.countries) == ("18th Internet Governance Forum", 6000, 170)
    assert (g20.label, g20.participants, g20.countries) == ("G20 2023, New Delhi", None, None)


def test_a_date_range_across_two_months(tmp_path):
    assert parse_dates("from 26 September to 14 October 2022", None) == ("2022-09-26", "2022-10-14")
    assert parse_dates("from 28 November to 2 December 2022", 2020) == ("2022-11-28", "2022-12-02")
    assert parse_dates("from 15 to 19 December 2024", None) == ("2024-12-15", "2024-12-19")
    ex = run_text(tmp_path, "The 17th IGF was held in Addis Ababa, Ethiopia, from 28 November to 2 December 2022.")
    [ev] = ex.events
    assert (ev.start, ev.end_date) == ("2022-11-28", "2022-12-02")


def test_a_named_bodys_leaders_meeting(tmp_path):
    ex = run_text(tmp_path, "APEC Leaders met in San Francisco on 16-17 November 2023.")
    [ev] = ex.events
    assert (ev.organiser, ev.place, ev.start) == (str(ACTOR["asia-pacific-economic-cooperation"]), ["San Francisco"], "2023-11-16")


def test_hosted_by_a_country_in_a_place(tmp_path):
    ex = run_text(tmp_path, "The 19th Internet Governance Forum, hosted by Saudi Arabia in Riyadh from 15 to 19 December 2024, "
                            "drew 10,000 participants.")
    [ev] = ex.events
    assert (ev.label, ev.place, ev.start, ev.end_date, ev.participants) == (
        "19th Internet Governance Forum", ["Riyadh"], "2024-12-15", "2024-12-19", 10000)
