"""The rules beyond the bundled reports: the G20 Bali Leaders' Declaration (2022), checked by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import build, extract_paths
from kg.vocab import ACTOR

G20 = Path(__file__).resolve().parent / "data" / "g20-2022-bali-leaders-declaration.txt"


@pytest.fixture(scope="module")
def g20():
    [ex], _ = extract_paths([G20])
    return ex


def _find(ex, start):
    return next(c for c in ex.commitments if c.text.startswith(start))


def test_we_is_the_g20(g20):
    assert g20.author == str(ACTOR["g20"])


@pytest.mark.parametrize("start,modality", [
    ("we will take coordinated actions to advance an agenda", "will"),
    ("We commit to protect the\nmost vulnerable from hunger", "commit to"),
    ("We will make public investments and structural reforms", "will"),
    ("We will\navoid adversely impacting food security deliberately", "will"),
    ("Stay agile and flexible in our macro-economic policy responses", "will"),
    ("Protect macroeconomic and financial stability", "will"),
])
def test_hand_checked_pledges_have_agent_g20(g20, start, modality):
    c = _find(g20, start)
    assert c.agents == [str(ACTOR["g20"])]
    assert c.modality == modality and c.deontic == "Pledge"


def test_forecast_will_of_others_is_not_a_pledge(g20):
    assert not any(c.text.startswith("Today’s era") for c in g20.commitments)


def test_build_succeeds_and_validates(tmp_path):
    summary = build([G20], tmp_path)
    assert summary.reports == 1 and summary.commitments > 50
