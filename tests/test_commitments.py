"""Commitment rules on small inline texts, positive and negative, and on the bundled reports."""
from __future__ import annotations

import pytest
from helpers import REAL_REPORTS, assert_every_match_holds_a_cue, run_text

from kg.vocab import ACTOR


def _one(ex):
    assert len(ex.commitments) == 1, [c.text for c in ex.commitments]
    return ex.commitments[0]


def test_should_with_an_actor_subject(tmp_path):
    c = _one(run_text(tmp_path, "Facing rapid change, the international community should adopt more proactive policies to narrow the digital divide."))
    assert c.agents == [str(ACTOR["international-community"])]
    assert (c.modality, c.deontic) == ("should", "Recommendation")
    assert c.text == "the international community should adopt more proactive policies to narrow the digital divide"
    assert c.aims == ["adopt more proactive policies to narrow the digital divide"]
    assert (c.object, c.purpose) == ("more proactive policies", "narrow the digital divide")


def test_coordinated_actions_are_one_commitment_with_several_aims(tmp_path):
    c = _one(run_text(tmp_path, "The international community should vigorously adapt to the digital revolution, promote international cooperation, foster an open digital market, and strengthen policy coordination."))
    assert c.aims == ["vigorously adapt to the digital revolution", "promote international cooperation",
                      "foster an open digital market", "strengthen policy coordination"]


def test_condition_is_kept(tmp_path):
    c = _one(run_text(tmp_path, "Governments should crack down on cybercrime in accordance with the national and international law."))
    assert c.condition == "in accordance with the national and international law"


def test_they_takes_the_antecedent_of_the_previous_sentence(tmp_path):
    ex = run_text(tmp_path, "Due to their mandate, governments are poised to play a leading role. They should develop respective law and regulations.")
    c = _one(ex)
    assert c.agents == [str(ACTOR["governments"])]
    assert c.agent_text == "They"


def test_must_is_an_obligation(tmp_path):
    c = _one(run_text(tmp_path, "Internet companies must protect the personal data of their users."))
    assert c.deontic == "Obligation" and c.modality == "must"


def test_agentless_imperative(tmp_path):
    c = _one(run_text(tmp_path, "Therefore, it is imperative to be proactive in addressing the challenges."))
    assert c.agents == [] and c.modality == "it is imperative to" and c.deontic == "Obligation"


def test_hope_and_look_forward_take_the_actor_they_name(tmp_path):
    ex = run_text(tmp_path, "We hope that the United Nations will keep promoting cooperation. "
                            "We look forward to the whole international community's efforts to build trust.")
    hope, look = ex.commitments
    assert hope.agents == [str(ACTOR["united-nations"])] and hope.deontic == "Aspiration"
    assert look.agents == [str(ACTOR["international-community"])] and look.modality == "look forward to"


def test_we_will_is_a_pledge_of_the_author(tmp_path):
    ex = run_text(tmp_path, "1\\. We, the Leaders of the G20, met in Bali.\n\n2\\. We will strengthen food security. We commit to protect the vulnerable.\n")
    assert ex.author == str(ACTOR["g20"])
    pledges = [(c.modality, c.agents) for c in ex.commitments]
    assert pledges == [("will", [str(ACTOR["g20"])]), ("commit to", [str(ACTOR["g20"])])]


def test_declaration_list_items_are_commitments(tmp_path):
    ex = run_text(tmp_path, "The G20 Leaders met in Bali.\n\nWith the above in mind, we will:\n\n- Stay agile in our policy responses.\n- Protect financial stability.\n")
    assert [c.text for c in ex.commitments] == ["Stay agile in our policy responses", "Protect financial stability"]
    assert all(c.modality == "will" and c.agents == [str(ACTOR["g20"])] for c in ex.commitments)


def test_forecasts_and_epistemic_should_are_not_commitments(tmp_path):
    ex = run_text(tmp_path, "Internet culture in its digital format will expand rapidly. "
                            "The cyberspace governance framework will continue to evolve. "
                            "That should propel greater inclusiveness. "
                            "The booming digital economy should further promote fundamental changes. "
                            "New technology is poised to give rise to new incidents. "
                            "Many countries have formulated their national strategies.")
    assert ex.commitments == []


def test_bundled_2018_commitment_on_the_digital_divide(extractions):
    ex = extractions["wic-2018-wuzhen-outlook.txt"]
    doc = ex.segmented.document
    c = next(c for c in ex.commitments if "narrow the digital divide" in c.text)
    assert c.agents == [str(ACTOR["international-community"])]
    assert c.text.startswith("the international community should adopt more proactive policies")
    assert doc.text[c.begin:c.end] == c.text
    sentence = ex.segmented.sentences[c.sentence - 1]
    assert sentence.text.startswith("Facing the rapid expansion of the information revolution")
    assert (sentence.begin, sentence.end) == (doc.text.index("Facing the rapid"), doc.text.index("and strata.") + len("and strata."))
    assert "https://w3id.org/policykg/topic/digital-divide" in c.topics


def test_bundled_we_resolves_to_the_authoring_body(extractions):
    ex17 = extractions["wic-2017-internet-development-trends.txt"]
    ex18 = extractions["wic-2018-wuzhen-outlook.txt"]
    assert ex17.actors[ex17.author].label == "World Internet Conference Organizing Committee"
    assert ex18.actors[ex18.author].label == "High-level Advisory Council"
    duty = next(c for c in ex17.commitments if c.modality == "it is our duty to")
    assert duty.agents == [ex17.author]


_G20_OPENING = "The G20 Leaders met in Bali.\n\n"


def _labels(ex, c):
    return [ex.actors[a].label for a in c.agents]


def test_second_verb_of_our_clause_is_our_pledge(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We welcome the results of the initiative and will continue to work with partners.")
    c = _one(ex)
    assert (c.modality, c.deontic, c.agent_text) == ("will", "Pledge", "We")
    assert c.agents == [str(ACTOR["g20"])]
    assert c.text == "will continue to work with partners"


def test_verb_after_a_that_clause_is_not_ours(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We note that energy prices have risen sharply and will continue to rise.")
    assert ex.commitments == []


def test_addressee_outside_the_gazetteer_becomes_a_group(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We recall our commitments and call on all nations to criminalise bribery.")
    c = _one(ex)
    assert _labels(ex, c) == ["nations"] and ex.actors[c.agents[0]].kind == "StakeholderGroup"
    assert (c.modality, c.deontic) == ("call on", "Recommendation")
    assert c.text == "call on all nations to criminalise bribery"


def test_coordinated_addressees_are_each_an_agent(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We encourage central banks, other public authorities and the payments "
                                           "industry to continue to work collaboratively.")
    c = _one(ex)
    assert _labels(ex, c) == ["central banks", "public authorities", "payments industry"]
    assert c.aims == ["continue to work collaboratively"]


def test_ask_addresses_a_named_body(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We ask the Financial Stability Board (FSB) to continue its monitoring efforts.")
    c = _one(ex)
    assert _labels(ex, c) == ["Financial Stability Board"] and c.modality == "ask"


def test_it_is_essential_that_names_its_agent(tmp_path):
    c = _one(run_text(tmp_path, "It is essential that governments take swift and coordinated actions."))
    assert c.agents == [str(ACTOR["governments"])]
    assert (c.modality, c.deontic) == ("it is essential that", "Obligation")
    assert c.aims == ["take swift and coordinated actions"]


def test_pledge_and_call_in_one_sentence_are_two_commitments(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We commit to halt biodiversity loss by 2030 and call on CBD Parties "
                                           "to adopt an ambitious framework.")
    pledge, call = ex.commitments
    assert pledge.text == "We commit to halt biodiversity loss by 2030" and pledge.agents == [str(ACTOR["g20"])]
    assert call.text == "call on CBD Parties to adopt an ambitious framework" and _labels(ex, call) == ["CBD Parties"]


def test_wishes_about_things_address_no_one(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We ask that principles to guide the process be finalized. "
                                           "We encourage innovative approaches to financing.")
    assert ex.commitments == []
    assert not any(a.kind == "StakeholderGroup" for a in ex.actors.values())


def test_group_named_by_a_plural_subject_is_the_agent(tmp_path):
    ex = run_text(tmp_path, "All countries should respect each other's cyber sovereignty. Enterprises must protect user data.")
    # "enterprises" is a label of the private sector (ontology/actors.ttl): one actor, however named
    assert [(_labels(ex, c), c.agent_text, c.modality) for c in ex.commitments] == [
        (["countries"], "All countries", "should"), (["private sector"], "Enterprises", "must")]


def test_post_modified_subject_keeps_its_agent(tmp_path):
    c = _one(run_text(tmp_path, "Governments at all levels should strengthen data protection."))
    assert c.agents == [str(ACTOR["governments"])]


def test_actor_inside_a_modifier_is_not_the_subject(tmp_path):
    ex = run_text(tmp_path, "The role of governments should be strengthened. Cooperation among Internet companies should deepen. "
                            "The voice of developing countries must be heard.")
    assert ex.commitments == []


def test_readiness_is_a_pledge_of_the_author(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We stand ready to deepen exchanges with all countries. "
                                           "We are resolved to promote sustainable development.")
    assert [(c.modality, c.deontic, c.agents) for c in ex.commitments] == [
        ("stand ready to", "Pledge", [str(ACTOR["g20"])]), ("are resolved to", "Pledge", [str(ACTOR["g20"])])]


def test_proposal_names_the_group_that_is_to_act(tmp_path):
    ex = run_text(tmp_path, "We propose that all countries work together to combat cybercrime.")
    c = _one(ex)
    assert (c.modality, c.deontic, _labels(ex, c)) == ("propose that", "Recommendation", ["countries"])
    assert c.aims == ["work together to combat cybercrime"]


def test_reported_proposal_of_others_is_not_ours(tmp_path):
    assert run_text(tmp_path, "Some experts suggest that all countries adopt the same rules.").commitments == []


def test_adjective_before_a_coordinated_actor_keeps_it_in_the_list(tmp_path):
    ex = run_text(tmp_path, "World Internet Conference\n\nThe Conference calls upon governments, Internet companies "
                            "and individual netizens to jointly build a community with a shared future in cyberspace.\n")
    assert _labels(ex, _one(ex)) == ["governments", "Internet companies", "Internet users"]


def test_object_of_a_second_verb_is_not_a_coordinated_agent(tmp_path):
    ex = run_text(tmp_path, "Governments should strengthen regulation, and work with Internet companies on standards.")
    assert _labels(ex, _one(ex)) == ["governments"]


def test_signatories_of_a_joint_statement_pledge_in_the_third_person(tmp_path):
    ex = run_text(tmp_path, "Both sides agreed to strengthen cooperation in the digital economy. "
                            "The two sides will deepen cooperation on 5G. Both sides believe that the digital economy will grow.")
    agreed, will = ex.commitments
    assert (agreed.modality, agreed.deontic, _labels(ex, agreed)) == ("agreed to", "Pledge", ["both sides"])
    assert (will.modality, will.text) == ("will", "The two sides will deepen cooperation on 5G")
    assert ex.actors[will.agents[0]].kind == "Signatories"


def test_past_decision_of_others_is_not_a_pledge(tmp_path):
    assert run_text(tmp_path, "Many countries decided to ban the export of chips.").commitments == []


def test_members_addressed_by_the_authors_are_the_authors_body(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "We encourage members to contribute on a voluntary basis.")
    c = _one(ex)
    assert (c.agents, c.agent_text, c.modality) == ([str(ACTOR["g20"])], "members", "encourage")


def test_markdown_emphasis_neither_hides_the_agent_nor_stays_in_the_aims(tmp_path):
    ex = run_text(tmp_path, "The *United Nations* should **expand** broadband access and promote *open* standards.")
    c = _one(ex)
    assert c.agents == [str(ACTOR["united-nations"])]
    assert c.text == "The *United Nations* should **expand** broadband access and promote *open* standards"
    assert c.aims == ["expand broadband access", "promote open standards"]


def _markers_read_slowly(text):
    from kg.extract import commitments as c
    found = []
    for pattern, deontic, mode in c._PATTERNS:
        for m in pattern.finditer(text):
            if not any(f.begin <= m.start() < f.end or m.start() <= f.begin < m.end() for f in found):
                found.append(c._Marker(m.start(), m.end(), m.group(0).strip(), deontic, mode))
    return sorted(found, key=lambda f: f.begin)


@pytest.mark.parametrize("text", [
    "It Is Imperative For All Parties To act. We Call On the G20 to Act, and WILL Continue; "
    "the UN Should help. We Hope That it works and Look Forward To progress; it is our duty to try.",
    # not ASCII, but lower() keeps every letter in place: lowered too
    "It’s Essential – for Éire’s Ministers – To act; États SHOULD help, and we Will try.",
    # İ lowers to two characters, long s and dotless i match s and i only case-insensitively:
    # read with the case-insensitive patterns themselves
    "İstanbul SHOULD act. The ſtates ſhould help. We wıll try. Members muſt act.",
])
def test_markers_are_those_the_case_insensitive_patterns_find(text):
    # _markers lowers text where lower() keeps the letters aligned and uses case-sensitive copies
    # of the patterns (faster); this must find the same markers, with the text as written, as the
    # case-insensitive patterns on the text
    from kg.extract import commitments as c
    assert c._markers(text) == _markers_read_slowly(text)


def test_markers_keep_the_text_as_written():
    from kg.extract import commitments as c
    text = ("It Is Imperative For All Parties To act. We Call On the G20 to Act, and WILL Continue; "
            "the UN Should help.")
    assert [f.text for f in c._markers(text)][:3] == ["It Is Imperative For All Parties To", "Call On", "WILL"]
    assert [f.text for f in c._markers("The ſtates ſhould help.")] == ["ſhould"]


def test_markers_of_every_sentence_of_the_real_texts_are_those_the_case_insensitive_patterns_find():
    from kg.extract import commitments as c
    from kg.ingest import ingest
    from kg.segment import segment
    sentences = [s.text for d in ingest(REAL_REPORTS).documents for s in segment(d).sentences]
    assert sum(not t.isascii() for t in sentences) > 20
    for text in sentences:
        assert c._markers(text) == _markers_read_slowly(text), text


def test_every_marker_match_holds_one_of_its_cues():
    # _markers skips a pattern on lowered text holding none of its cue words
    from kg.extract import commitments as c
    assert_every_match_holds_a_cue(
        [(pattern, cues) for (pattern, _, _), cues in zip(c._PATTERNS, c._CUES)],
        "It's their shared responsibility to act. It is now incumbent on us to act. It is thus vital that "
        "we act. We suggest that they act. He hoped that. She looks forward to it. We urge all members to "
        "act. They have an obligation to act. You ought to act. We remain firmly committed to act. We "
        "reiterate our strong commitment to act. We undertook to act. We affirm our willingness to act. "
        "We stand ready to act. We are determined to act. We call for action. We pledged to act. "
        "Members are hereby called upon to act. States are invited to act. Let us act.")


def test_a_sentence_without_cues_of_a_marker_is_not_searched_with_it():
    from kg.extract import commitments as c
    assert [m.text for m in c._markers("Members shall act and will report.")] == ["shall", "will"]
    assert c._markers("The digital economy grew fast in 2018.") == []


def test_a_bracketed_acronym_after_the_subject_keeps_the_subject(tmp_path):
    c = _one(run_text(tmp_path, "The Global Forum on Cyber Expertise (GFCE) should help developing countries build capacity."))
    assert c.agents == [str(ACTOR["global-forum-on-cyber-expertise"])]
    assert c.agent_text == "The Global Forum on Cyber Expertise"
    assert c.text == "The Global Forum on Cyber Expertise (GFCE) should help developing countries build capacity"
    assert c.aims == ["help developing countries build capacity"]


def test_a_call_reported_in_the_past_tense_addresses_its_agent(tmp_path):
    ex = run_text(tmp_path, "The 6th World Internet Conference was held in Wuzhen from October 20 to 22, 2019. "
                            "The conference called on all parties to jointly build a community with a shared future in cyberspace.")
    c = _one(ex)
    assert c.agents == [str(ACTOR["all-parties"])] and c.modality == "called on"
    # the span is the caller's statement: "the conference" is the numbered conference named before
    assert c.text == "The conference called on all parties to jointly build a community with a shared future in cyberspace"
    assert (c.aims, c.object) == (["jointly build a community with a shared future in cyberspace"],
                                  "a community with a shared future in cyberspace")
    conference = [m for m in ex.mentions if m.kind == "actor" and m.text == "conference"]
    assert [m.target for m in conference] == [str(ACTOR["world-internet-conference"])]


def test_passive_call_names_no_addressee(tmp_path):
    assert run_text(tmp_path, "Countries were called on to adopt measures to protect data.").commitments == []


def test_gerunds_repeated_after_to_are_several_aims(tmp_path):
    c = _one(run_text(tmp_path, "We commit to accelerating the digital transformation of developing countries and to bridging the digital divide."))
    assert c.aims == ["accelerating the digital transformation of developing countries", "bridging the digital divide"]
    assert c.object == "the digital transformation of developing countries"


def test_infinitives_repeated_after_to_are_several_aims(tmp_path):
    c = _one(run_text(tmp_path, "We call on all countries to adopt national broadband plans and to reduce the cost of connectivity."))
    assert c.aims == ["adopt national broadband plans", "reduce the cost of connectivity"]
    assert (c.object, c.purpose) == ("national broadband plans", None)
    # the second "to" repeats a preposition inside the aim, not the infinitive: one aim
    c = _one(run_text(tmp_path, "Governments should ensure access to information and to support services."))
    assert c.aims == ["ensure access to information and to support services"]
    c = _one(run_text(tmp_path, "Governments should strengthen cooperation to adopt common rules and to share data."))
    assert c.aims == ["strengthen cooperation to adopt common rules and to share data"]
    # a series of infinitives that "and to" closes, but not a lone purpose after a comma
    c = _one(run_text(tmp_path, "It is critical to build public awareness of risks, to strengthen oversight and to support fair competition."))
    assert c.aims == ["build public awareness of risks", "strengthen oversight", "support fair competition"]
    c = _one(run_text(tmp_path, "Governments should take swift actions, using all available tools, to address common challenges."))
    assert c.aims == ["take swift actions, using all available tools, to address common challenges"]


def test_gerunds_that_are_nouns_or_prepositions_do_not_cut_an_aim(tmp_path):
    c = _one(run_text(tmp_path, "Governments should improve networking and sharing of data."))
    assert c.aims == ["improve networking and sharing of data"]
    c = _one(run_text(tmp_path, "We commit to sustaining financial stability, including through coordination of policy measures."))
    assert c.aims == ["sustaining financial stability, including through coordination of policy measures"]
    c = _one(run_text(tmp_path, "We commit to promoting a recovery which builds towards achieving and sustaining health coverage."))
    assert c.aims == ["promoting a recovery which builds towards achieving and sustaining health coverage"]


def test_object_skips_an_adverb_and_a_particle_before_it(tmp_path):
    c = _one(run_text(tmp_path, "We will further promote circular economy and step up efforts to combat land degradation."))
    assert c.aims == ["further promote circular economy", "step up efforts to combat land degradation"]
    assert c.object == "circular economy"
    c = _one(run_text(tmp_path, "Governments should rapidly scale up the deployment of renewable energy."))
    assert c.object == "the deployment of renewable energy"


def test_object_of_a_noun_phrase_aim_keeps_its_adjective(tmp_path):
    # after "look forward to", "further" is an adjective of the noun that follows, not an adverb
    c = _one(run_text(tmp_path, "We look forward to further progress by the IMF in operationalizing the framework."))
    assert c.object == "progress by the IMF in operationalizing the framework"


def test_object_follows_the_verbs_preposition(tmp_path):
    c = _one(run_text(tmp_path, "The international community should vigorously adapt to the digital revolution."))
    assert c.object == "the digital revolution"
    c = _one(run_text(tmp_path, "Governments should work to narrow the digital divide."))
    assert (c.object, c.purpose) == (None, "narrow the digital divide")


def test_a_list_of_adjectives_is_no_second_aim(tmp_path):
    c = _one(run_text(tmp_path, "Member states must ensure that the Internet remains open, secure and reliable."))
    assert c.aims == ["ensure that the Internet remains open, secure and reliable"]


def test_an_adverb_after_the_verb_is_not_its_object(tmp_path):
    c = _one(run_text(tmp_path, "All countries should work together to combat cybercrime."))
    assert (c.object, c.purpose) == (None, "combat cybercrime")
    c = _one(run_text(tmp_path, "We encourage the private sector to invest in digital skills."))
    assert c.object == "digital skills"
    c = _one(run_text(tmp_path, "Governments should act in accordance with international law."))
    assert c.condition == "in accordance with international law" and c.object == "in accordance with international law"


def test_we_with_an_appositive_is_the_authors_pledge(tmp_path):
    ex = run_text(tmp_path, "BRICS Leaders' Declaration 2023\n\nWe, the Heads of State and Government of the BRICS countries, "
                            "reaffirm our commitment to an open, secure and peaceful ICT environment.")
    c = _one(ex)
    assert (c.agents, c.agent_text, c.modality) == ([str(ACTOR["brics"])], "We", "reaffirm our commitment to")
    # a noun phrase is one aim: "secure" there is an adjective
    assert c.aims == ["an open, secure and peaceful ICT environment"]


def test_members_of_an_addressed_body_are_part_of_the_addressee(tmp_path):
    c = _one(run_text(tmp_path, "We encourage G20 members to share best practices on digital public infrastructure."))
    assert (c.agents, c.agent_text) == ([str(ACTOR["g20"])], "G20 members")
    assert c.aims == ["share best practices on digital public infrastructure"]


def test_verbs_sharing_an_object_and_a_negation(tmp_path):
    c = _one(run_text(tmp_path, "States should not conduct or knowingly support ICT activity that damages critical infrastructure."))
    assert c.object == "ICT activity that damages critical infrastructure"
    c = _one(run_text(tmp_path, "Governments must protect and promote human rights online."))
    assert c.object == "human rights online"


def test_verbs_alone_before_a_separator_share_the_next_object(tmp_path):
    c = _one(run_text(tmp_path, "We will respect, protect and preserve the cultural heritage of our peoples."))
    assert c.aims == ["respect, protect and preserve the cultural heritage of our peoples"]
    c = _one(run_text(tmp_path, "We encourage G20 members to strengthen collaboration to adopt and effectively implement the FATF standards."))
    assert c.aims == ["strengthen collaboration to adopt and effectively implement the FATF standards"]
    assert (c.object, c.purpose) == ("collaboration", "adopt and effectively implement the FATF standards")


def test_an_adverb_before_a_coordinated_verb_stays_in_its_aim(tmp_path):
    c = _one(run_text(tmp_path, "We call on all countries to criminalise bribery, including bribery of foreign officials, "
                                "and effectively prevent, combat and sanction bribery."))
    assert c.aims == ["criminalise bribery, including bribery of foreign officials",
                      "effectively prevent, combat and sanction bribery"]


def test_a_subject_asked_in_the_passive_is_the_agent(tmp_path):
    ex = run_text(tmp_path, "Member States are encouraged to share best practices. "
                            "All stakeholders are called upon to respect the Charter of the United Nations. "
                            "We are encouraged by the progress made. Countries were urged to act.")
    assert [(c.agent_text, c.modality, c.deontic, c.aims) for c in ex.commitments] == [
        ("Member States", "are encouraged to", "Recommendation", ["share best practices"]),
        ("All stakeholders", "are called upon to", "Recommendation", ["respect the Charter of the United Nations"])]
    assert ex.commitments[0].agents == [str(ACTOR["member-states"])]


def test_the_two_countries_pledge_like_both_sides(tmp_path):
    c = _one(run_text(tmp_path, "The two countries will jointly promote the Digital Silk Road."))
    assert (c.agents, c.agent_text, c.deontic) == ([str(ACTOR["both-sides"])], "The two countries", "Pledge")


def test_should_before_an_expectation_is_epistemic(tmp_path):
    assert run_text(tmp_path, "Countries should see faster growth as broadband spreads.").commitments == []
    assert run_text(tmp_path, "Governments should then experience lower costs.").commitments == []
    c = _one(run_text(tmp_path, "Governments should seek faster growth."))   # "seek" is an action
    assert c.aims == ["seek faster growth"]


def test_verbs_with_no_object_have_none(tmp_path):
    c = _one(run_text(tmp_path, "Companies must adapt or perish."))
    assert (c.aims, c.object) == (["adapt or perish"], None)


def test_it_takes_the_organisation_that_is_the_previous_subject(tmp_path):
    c = _one(run_text(tmp_path, "The ITU plays a key role in standards. It should lead the work on 6G."))
    assert (c.agents, c.agent_text, c.text) == ([str(ACTOR["international-telecommunication-union"])], "It",
                                                "It should lead the work on 6G")
    for text in ("It should be noted that the data are preliminary.",          # expletive
                 "The ITU met in 2020. It should not be forgotten.",            # passive
                 "The report was published in May. It should guide policy."):   # no actor before
        assert run_text(tmp_path, text).commitments == [], text


def test_an_adverb_alone_after_the_verb_is_no_object(tmp_path):
    ex = run_text(tmp_path, "The United Nations and its agencies are central. They should coordinate closely.")
    c = _one(ex)
    assert (c.aims, c.object) == (["coordinate closely"], None)


def test_a_purpose_after_work_together_with_a_verb_of_the_new_list(tmp_path):
    c = _one(run_text(tmp_path, "All parties should work together to fight against cyber terrorism."))
    assert (c.agents, c.object, c.purpose) == ([str(ACTOR["all-parties"])], None, "fight against cyber terrorism")


def test_an_addressee_with_its_acronym_in_brackets_and_another_body(tmp_path):
    c = _one(run_text(tmp_path, "We ask the Financial Stability Board (FSB) and IMF to continue their monitoring efforts."))
    assert c.agents == [str(ACTOR["financial-stability-board"]), str(ACTOR["international-monetary-fund"])]
    assert (c.agent_text, c.aims) == ("Financial Stability Board (FSB) and IMF", ["continue their monitoring efforts"])
    c = _one(run_text(tmp_path, "We ask the Financial Stability Board (FSB) to monitor risks."))
    assert (c.agents, c.aims) == ([str(ACTOR["financial-stability-board"])], ["monitor risks"])


def test_a_countrys_own_paper_pledges_in_its_name(tmp_path):
    ex = run_text(tmp_path, "China's International Strategy of Cooperation on Cyberspace\n\n"
                            "China will continue to deepen cooperation with other countries on cybersecurity. "
                            "The United States will hold elections.", name="china-cyberspace-strategy-2017.txt")
    assert ex.author == str(ACTOR["china"])
    c = _one(ex)   # the other country's "will" stays a forecast
    assert (c.agents, c.deontic) == ([str(ACTOR["china"])], "Pledge")
    assert (c.aims, c.object) == (["continue to deepen cooperation with other countries on cybersecurity"],
                                  "cooperation with other countries on cybersecurity")


def test_an_adverb_in_ly_after_the_verb_is_not_the_object(tmp_path):
    c = _one(run_text(tmp_path, "We encourage central banks to work collaboratively on these important initiatives."))
    assert c.object == "these important initiatives"


def test_a_list_numbered_from_one_after_a_modal_and_colon_is_its_items(tmp_path):
    ex = run_text(tmp_path, "Recommendations 2022\n\nThe private sector must:\n\n1. respect human rights online;\n"
                            "2. report cyber incidents promptly.\n\n5. Digital trade grows.\n\nIt changes markets.\n")
    assert [(c.agent_text, c.modality, c.aims, c.object) for c in ex.commitments] == [
        ("The private sector", "must", ["respect human rights online"], "human rights online"),
        ("The private sector", "must", ["report cyber incidents promptly"], "cyber incidents")]


def test_a_body_that_calls_for_something_and_a_passive_call(tmp_path):
    ex = run_text(tmp_path, "World Internet Conference Outlook 2019\n\nThe World Internet Conference presents this outlook. "
                            "The World Internet Conference calls for greater cooperation in cyberspace. "
                            "Cyberspace calls for further exploration. "
                            "We call on all parties to reach an agreement, as called for in Resolution 69/292.")
    assert [(c.modality, c.agent_text, c.aims) for c in ex.commitments] == [
        ("calls for", "The World Internet Conference", ["greater cooperation in cyberspace"]),
        ("call on", "all parties", ["reach an agreement, as called for in Resolution 69/292"])]


def test_it_will_is_a_pledge_only_when_it_is_the_authors(tmp_path):
    ex = run_text(tmp_path, "Outlook 2020\n\nThe World Internet Conference presents this outlook. "
                            "It will continue to promote exchanges. The ITU plays a key role. It will grow.")
    c = _one(ex)
    assert (c.agents, c.agent_text, c.deontic) == ([str(ACTOR["world-internet-conference"])], "It", "Pledge")


# A resolution in the form of the United Nations and its agencies: the body that speaks opens it
# ("The General Assembly,") and each operative paragraph starts with its verb, the subject elided.
_RESOLUTION = ("Resolution on broadband for development\n\n"
               "The General Assembly,\n\n"
               "Noting the growth of mobile networks in rural areas,\n\n")


def test_the_body_opening_a_resolution_is_its_author(tmp_path):
    ex = run_text(tmp_path, _RESOLUTION + "1. Decides to convene a high-level meeting on digital inclusion.")
    assert ex.author == str(ACTOR["united-nations-general-assembly"])


def test_operative_paragraphs_with_the_subject_elided_are_commitments(tmp_path):
    ex = run_text(tmp_path, _RESOLUTION
                  + "1. Urges all governments to expand affordable broadband access;\n\n"
                  + "2. Further encourages the International Telecommunication Union to support national broadband plans;\n\n"
                  + "3. Decides to convene a high-level meeting on digital inclusion.")
    urge, encourage, decide = ex.commitments
    assert (urge.agents, urge.modality, urge.deontic) == ([str(ACTOR["governments"])], "urges", "Recommendation")
    assert urge.text == "Urges all governments to expand affordable broadband access"
    assert urge.aims == ["expand affordable broadband access"]
    assert encourage.agents == [str(ACTOR["international-telecommunication-union"])]
    assert encourage.aims == ["support national broadband plans"]
    assert (decide.agents, decide.modality, decide.deontic) == ([str(ACTOR["united-nations-general-assembly"])],
                                                                "decides to", "Pledge")
    assert decide.aims == ["convene a high-level meeting on digital inclusion"]


def test_a_verb_opening_a_sentence_without_a_speaker_or_in_the_base_form_is_no_operative_clause(tmp_path):
    # no body opens the text: an elided subject cannot be recovered
    assert run_text(tmp_path, "Decides to convene a high-level meeting on digital inclusion.").commitments == []
    # "Encourage X to …" alone is an imperative heading, not the body's clause
    assert run_text(tmp_path, _RESOLUTION + "Encourage governments to expand broadband access.").commitments == []
    # a third party that decides is reported, not pledging
    assert run_text(tmp_path, _RESOLUTION + "The company decides to expand its network.").commitments == []


def test_a_body_named_by_its_head_noun_calls_on_an_actor(tmp_path):
    # "The Council" is a body the text has named before, not a known actor: its call still asks the
    # addressee to act
    c = _one(run_text(tmp_path, "The Council calls on the European Commission to present a proposal on cyber resilience."))
    assert (c.agents, c.modality) == ([str(ACTOR["european-commission"])], "calls on")
    assert c.text == "The Council calls on the European Commission to present a proposal on cyber resilience"
    # a subject that is no body does not address anyone
    assert run_text(tmp_path, "Subsidies that encourage governments to spend more are harmful.").commitments == []


def test_groups_digital_policy_asks_to_act_are_actors(tmp_path):
    ex = run_text(tmp_path, "Policymakers must ensure that small businesses can access data. "
                            "Regulatory authorities need to cooperate across borders. "
                            "Internet platforms should protect children online. "
                            "We urge telecom operators to lower roaming charges.")
    assert [[ex.actors[a].label for a in c.agents] for c in ex.commitments] == [
        ["policymakers"], ["regulators"], ["online platforms"], ["telecommunication operators"]]


def test_we_with_an_appositive_and_an_adverb_opens_a_declaration_list(tmp_path):
    ex = run_text(tmp_path, "Digital Ministers Declaration 2025\n\n"
                            "We, the Ministers responsible for the digital economy, hereby commit to:\n\n"
                            "- Expand affordable connectivity to all schools;\n- Strengthen cooperation on cybersecurity.\n")
    assert [(c.text, c.agent_text, c.modality) for c in ex.commitments] == [
        ("Expand affordable connectivity to all schools", "We", "commit to"),
        ("Strengthen cooperation on cybersecurity", "We", "commit to")]


def test_a_need_for_an_actor_to_act_is_a_recommendation_to_it(tmp_path):
    c = _one(run_text(tmp_path, "There is an urgent need for governments to invest in digital skills."))
    assert (c.agents, c.modality, c.deontic) == ([str(ACTOR["governments"])], "need for", "Recommendation")
    assert c.aims == ["invest in digital skills"]
    c = _one(run_text(tmp_path, "We recognize the need for the international community to step up its support."))
    assert c.agents == [str(ACTOR["international-community"])] and c.aims == ["step up its support"]
    # a need for something, or for no one named, asks no one
    assert run_text(tmp_path, "There is a need for better data to guide policy.").commitments == []
    assert run_text(tmp_path, "The need for governments' support is clear.").commitments == []


def test_it_is_recommended_that_names_its_agent(tmp_path):
    c = _one(run_text(tmp_path, "It is strongly recommended that governments adopt open standards."))
    assert (c.agents, c.modality, c.deontic) == ([str(ACTOR["governments"])], "it is strongly recommended that", "Recommendation")
    assert c.aims == ["adopt open standards"]


def test_each_party_to_a_convention_is_its_signatories(tmp_path):
    ex = run_text(tmp_path, "Each Party shall adopt such legislative measures as may be necessary to establish criminal offences. "
                            "States Parties will cooperate to the widest extent possible.")
    shall, will = ex.commitments
    assert ex.actors[shall.agents[0]].kind == "Signatories" and shall.deontic == "Obligation"
    assert will.agents == shall.agents and will.deontic == "Pledge"


def test_a_commitment_cut_short_by_the_next_one_keeps_only_its_own_aims(tmp_path):
    ex = run_text(tmp_path, "We commit to expanding broadband access and call on all donors to support the effort. "
                            "Governments ought to invest in digital skills, while the private sector is invited to support open standards.")
    texts_aims = [(c.text, c.aims) for c in ex.commitments]
    assert texts_aims == [
        ("We commit to expanding broadband access", ["expanding broadband access"]),
        ("call on all donors to support the effort", ["support the effort"]),
        ("Governments ought to invest in digital skills", ["invest in digital skills"]),
        ("the private sector is invited to support open standards", ["support open standards"])]


def test_a_past_counterfactual_or_a_condition_is_no_commitment(tmp_path):
    assert run_text(tmp_path, "Governments should have acted earlier to close the digital divide.").commitments == []
    assert run_text(tmp_path, "If governments must choose between growth and privacy, costs rise.").commitments == []
    # "have" with an object is a duty to have it
    c = _one(run_text(tmp_path, "Governments should have national strategies for artificial intelligence."))
    assert c.aims == ["have national strategies for artificial intelligence"]


def test_the_subject_of_a_passive_is_not_who_is_to_act(tmp_path):
    c = _one(run_text(tmp_path, "Internet users must be protected from online fraud."))
    assert (c.agents, c.modality, c.text) == ([], "must", "Internet users must be protected from online fraud")
    # "be" with an adjective or a participle of readiness keeps the subject as the one to act
    c = _one(run_text(tmp_path, "Governments should be engaged in the dialogue on data governance."))
    assert c.agents == [str(ACTOR["governments"])]


def test_will_of_the_body_the_authors_belong_to_is_their_pledge(tmp_path):
    ex = run_text(tmp_path, "The World Internet Conference Organizing Committee presents this report. "
                            "The World Internet Conference will continue to provide a platform for dialogue. "
                            "The United Nations will hold a summit.")
    c = _one(ex)
    assert (c.agents, c.modality, c.deontic) == ([str(ACTOR["world-internet-conference"])], "will", "Pledge")


def test_the_will_of_a_hope_is_the_hopes_own(tmp_path):
    ex = run_text(tmp_path, "The World Internet Conference Organizing Committee presents this report. "
                            "We hope that the World Internet Conference will keep promoting innovation.")
    c = _one(ex)
    assert (c.modality, c.aims) == ("hope that", ["keep promoting innovation"])


def test_dotted_abbreviations_are_subjects(tmp_path):
    c = _one(run_text(tmp_path, "The U.S. and the E.U. should cooperate on standards."))
    assert c.agents == [str(ACTOR["united-states"]), str(ACTOR["european-union"])]
    assert c.agent_text == "The U.S. and the E.U."
    ex = run_text(tmp_path, "The U.S. and the E.U. should cooperate on standards.")
    assert [m.text for m in ex.mentions if m.kind == "actor"] == ["U.S.", "E.U."]


def test_the_adherents_of_a_recommendation_are_its_signatories(tmp_path):
    ex = run_text(tmp_path, "Adherents should promote responsible stewardship of trustworthy AI. The idea has adherents everywhere.")
    c = _one(ex)
    assert ex.actors[c.agents[0]].kind == "Signatories" and c.agent_text == "Adherents"
    assert [m.text for m in ex.mentions if m.target == c.agents[0]] == ["Adherents"]


def test_the_government_in_a_countrys_own_paper_is_that_country(tmp_path):
    ex = run_text(tmp_path, "Kenya's National Artificial Intelligence Strategy 2025\n\n"
                            "The Government will invest in AI research and skills. Governments should cooperate on AI safety.")
    will, should = ex.commitments
    assert (will.agents, will.deontic) == ([str(ACTOR["kenya"])], "Pledge")
    assert should.agents == [str(ACTOR["governments"])]
    # in anyone else's report "The Government will …" is a forecast
    assert run_text(tmp_path, "Digital Outlook 2025\n\nThe Government will invest in AI research.").commitments == []


def test_let_us_opening_a_sentence_is_the_authors_recommendation(tmp_path):
    ex = run_text(tmp_path, _G20_OPENING + "Let us work together to build a community with a shared future in cyberspace. "
                                           "This data will let us measure progress.")
    c = _one(ex)
    assert (c.agents, c.agent_text, c.modality, c.deontic) == ([str(ACTOR["g20"])], "us", "let us", "Recommendation")
    assert c.aims == ["work together to build a community with a shared future in cyberspace"]
