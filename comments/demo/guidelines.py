"""A starting set of Community Guidelines, for the demo site and as a draft for a real one.

``seed_guidelines`` adds the numbers that are missing and leaves every existing guideline
as it is, so a moderator's edits survive running it again.
"""

from dataclasses import dataclass

from django.db import transaction

from comments.models import Guideline


@dataclass(frozen=True)
class DemoGuideline:
    number: int
    title: str
    text: str
    # Hiding a comment for breaking it teaches the spam filter (Guideline.about_spam).
    about_spam: bool = False


GUIDELINES = (
    DemoGuideline(
        1,
        "Be respectful",
        "Disagree as much as you like, but argue with the point, not the person. Assume the "
        "people you are talking to mean well, and write as you would speak to them face to "
        "face.",
    ),
    DemoGuideline(
        2,
        "No personal attacks",
        "Insults, name-calling, mockery of someone’s looks, background or intelligence, and "
        "comments whose aim is to belittle or harass another reader, a writer or anyone in "
        "the news are removed.\n\n"
        "Criticising what a public figure has said or done is fine; abusing them is not.",
    ),
    DemoGuideline(
        3,
        "No hate speech",
        "We remove comments that attack or demean people for their race, ethnicity, "
        "nationality, religion, sex, gender identity, sexual orientation, disability, age or "
        "any similar characteristic, including slurs and stereotypes offered as jokes.",
    ),
    DemoGuideline(
        4,
        "No threats or incitement",
        "Never threaten anyone, wish harm on them, or encourage others to hurt, harass or "
        "intimidate anyone, online or offline. We may pass serious threats to the police.",
    ),
    DemoGuideline(
        5,
        "No spam or advertising",
        "Don’t promote products, services, fundraisers or your own sites, and don’t post the "
        "same comment again and again. A link that adds to the discussion is welcome; a link "
        "posted to get clicks is not.",
        about_spam=True,
    ),
    DemoGuideline(
        6,
        "Stay on topic",
        "Keep comments about the article and the discussion under it. Long detours, "
        "off-topic campaigning and attempts to derail a thread are removed, however "
        "well-meant.",
    ),
    DemoGuideline(
        7,
        "No personal information about others",
        "Don’t post anyone’s home address, phone number, e-mail address, workplace, private "
        "photos or other private details, and don’t encourage others to find them. This "
        "applies even if the information can be found elsewhere.",
    ),
    DemoGuideline(
        8,
        "No impersonation",
        "Comment as yourself. Don’t pretend to be another person, a member of our staff or "
        "an organisation, and don’t use several names to make it look as if more people "
        "agree with you.",
    ),
)


@transaction.atomic
def seed_guidelines() -> int:
    """Add the guidelines whose numbers are not taken yet; return how many were added."""
    taken = set(Guideline.objects.values_list("number", flat=True))
    missing = [
        Guideline(number=g.number, title=g.title, text=g.text, about_spam=g.about_spam)
        for g in GUIDELINES
        if g.number not in taken
    ]
    Guideline.objects.bulk_create(missing)
    return len(missing)
