"""The spam filter's parts that need no database: what it reads in a comment (tokens) and
the sums (model)."""

from datetime import timedelta

import pytest

from comments.spamfilter.model import (
    Clue,
    MemoryModel,
    Score,
    feature_probability,
    spam_score,
)
from comments.spamfilter.tokens import (
    MAX_FEATURES,
    Sender,
    comment_features,
    link_domain,
    uses_lookalikes,
    words,
)

GUEST = Sender(is_member=False)
CYRILLIC_A = "\u0430"
CYRILLIC_O = "\u043e"


# --- Tokens -------------------------------------------------------------------------------


def test_words_are_folded_the_way_the_hold_words_are():
    assert words(f"C{CYRILLIC_A.upper()}SINO Café\u200b x 12345 2024") == ["casino", "cafe", "2024"]


def test_pairs_of_neighbouring_words_are_features_too():
    features = comment_features("Cheap pills here", GUEST)

    assert {"cheap", "pills", "here", "cheap pills", "pills here"} <= set(features)
    assert features["cheap pills"] == "'cheap pills'"


@pytest.mark.parametrize(
    ("text", "lookalike"),
    [
        (f"Best c{CYRILLIC_A}sin{CYRILLIC_O} bonus", True),
        ("\uff22\uff55\uff59 now", True),  # full-width letters
        ("A café in Zürich, São Paulo", False),  # accents are Latin letters
        ("Привет, как дела?", False),  # Russian, though как looks Latin
        ("ΑΒΓ and οκ", False),  # Greek
        ("Plain English", False),
    ],
)
def test_words_spelt_with_stand_in_letters_are_a_feature(text, lookalike):
    assert uses_lookalikes(text) is lookalike
    assert ("style:lookalikes" in comment_features(text, GUEST)) is lookalike


@pytest.mark.parametrize(
    ("link", "domain"),
    [
        ("https://shop.example.com/buy", "example.com"),
        ("http://news.bbc.co.uk/story", "bbc.co.uk"),
        ("www.lucky-casino.xyz", "lucky-casino.xyz"),
        ("https://user@host.example.org:8080/x", "example.org"),
    ],
)
def test_a_link_s_domain_is_the_name_one_registers(link, domain):
    assert link_domain(link) == domain


def test_links_give_their_domain_ending_and_words_and_are_left_out_of_the_prose():
    features = comment_features("Win at https://www.lucky-casino.xyz/free-spins now", GUEST)

    assert features["domain:lucky-casino.xyz"] == "link to lucky-casino.xyz"
    assert features["ending:xyz"] == "a .xyz link"
    assert features["site:casino"] == "'casino' in a link"
    assert features["site:spins"] == "'spins' in a link"
    assert features["links:1"] == "1 link"
    assert "https" not in features
    assert "www" not in features
    assert "at now" in features  # the words either side of the link meet


def test_obfuscated_links_are_found_as_the_link_rule_finds_them():
    features = comment_features("visit cheap-pills[.]com today or www dot pills dot com", GUEST)

    assert "domain:cheap-pills.com" in features
    assert features["links:2"] == "2 links"


def test_three_or_more_links_share_a_feature_but_say_how_many():
    body = " ".join(f"https://site{n}.example.com" for n in range(5))

    assert comment_features(body, GUEST)["links:3+"] == "5 links"


def test_ways_to_reach_the_sender_and_prices_are_features():
    features = comment_features(
        "Mail me at offers@promo.example or WhatsApp +44 7700 900123, only $99", GUEST
    )

    assert features["contact:email"] == "an e-mail address"
    assert features["contact:phone"] == "a phone number"
    assert features["currency:$"] == "'$'"
    plain = comment_features("The meeting is at 7 on 12 March, tickets £5.", GUEST)
    assert "contact:phone" not in plain
    assert "currency:£" in plain


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        (Sender(is_member=False, guest_name="Cheap Pills"), {"sender:guest", "name:cheap"}),
        (Sender(is_member=True, account_age=timedelta(hours=2)), {"account:day"}),
        (Sender(is_member=True, account_age=timedelta(days=3)), {"account:month"}),
        (Sender(is_member=True, account_age=timedelta(days=400)), {"account:older"}),
        (Sender(is_member=True, is_first_comment=True), {"sender:member", "first:yes"}),
        (Sender(is_member=False, is_first_comment=False), {"first:no"}),
    ],
)
def test_what_is_known_of_the_sender_is_a_feature(sender, expected):
    assert expected <= set(comment_features("Hello", sender))


def test_a_member_s_name_is_not_read():
    features = comment_features("Hello", Sender(is_member=True, guest_name="Casino King"))

    assert not any(token.startswith("name:") for token in features)


def test_a_long_comment_gives_at_most_the_maximum_of_features_facts_first():
    body = " ".join(f"word{n}" for n in range(5000)) + " https://example.com"

    features = comment_features(body, GUEST)

    assert len(features) == MAX_FEATURES
    assert "links:1" in features
    assert "sender:guest" in features
    assert all(len(token) <= 100 for token in features)


# --- The sums ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spam", "ham", "spam_total", "ham_total", "expected"),
    [
        (0, 0, 10, 10, 0.5),  # never seen: no opinion
        (5, 5, 10, 10, 0.5),  # as common in both
        (1, 10, 1, 10, 0.5),  # as common in both, in shares: a site learns more ham
    ],
)
def test_a_feature_s_probability_follows_the_shares_not_the_counts(
    spam, ham, spam_total, ham_total, expected
):
    assert feature_probability(
        spam=spam, ham=ham, spam_total=spam_total, ham_total=ham_total
    ) == pytest.approx(expected)


def test_a_feature_seen_more_often_is_trusted_more():
    once = feature_probability(spam=1, ham=0, spam_total=10, ham_total=10)
    often = feature_probability(spam=9, ham=0, spam_total=10, ham_total=10)

    assert 0.5 < once < often < 1
    assert feature_probability(spam=0, ham=9, spam_total=10, ham_total=10) == pytest.approx(
        1 - often
    )


def test_the_score_goes_where_the_clues_point_and_stays_near_the_middle_when_they_disagree():
    features = {"a": "'a'", "b": "'b'", "c": "'c'", "d": "'d'"}
    spammy = {"a": (9, 0), "b": (9, 0)}
    hammy = {"c": (0, 9), "d": (0, 9)}

    def score(counts):
        return spam_score(features, counts, spam_total=10, ham_total=10).value

    assert score(spammy) > 0.95
    assert score(hammy) < 0.05
    assert score(spammy | hammy) == pytest.approx(0.5, abs=0.05)
    assert score({}) == 0.5


def test_the_explanation_names_the_clues_on_the_side_the_score_came_down_on():
    score = Score(
        0.996,
        (
            Clue("casino", "'casino'", 0.99),
            Clue("thanks", "'thanks'", 0.02),
            Clue("links:3+", "3 links", 0.97),
            Clue("account:day", "new account", 0.9),
            Clue("cheap", "'cheap'", 0.8),
        ),
    )

    assert score.explain("held") == "held: 0.99 — 'casino', 3 links, new account"
    assert Score(0.12, (Clue("thanks", "'thanks'", 0.02),)).explain("published") == (
        "published: 0.12 — 'thanks'"
    )
    assert Score(0.5).explain("published") == "published: 0.50"


def test_a_model_in_memory_learns_and_scores():
    model = MemoryModel()
    for n in range(5):
        model.learn(comment_features(f"cheap pills offer {n}", GUEST), is_spam=True)
        model.learn(comment_features(f"the council vote {n}", GUEST), is_spam=False)

    assert (model.spam_total, model.ham_total) == (5, 5)
    assert model.tokens["cheap"] == [5, 0]
    assert model.score(comment_features("cheap pills", GUEST)).value > 0.9
    assert model.score(comment_features("the council", GUEST)).value < 0.1
