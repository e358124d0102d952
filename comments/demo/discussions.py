"""The demo discussions: who said what under which demo article, and when.

``DISCUSSIONS`` maps a demo article's slug to its threads. Each comment is written with
``say(who, after, body, *replies)``:

- ``who`` is a key of ``GUESTS`` or a demo member's username after an ``@``
  (``"@reader"``, or ``"@editor"``, who wrote the articles and answers as their author);
- ``after`` is how long after its parent it was posted (after the article, for a
  top-level comment), such as ``"40m"``, ``"5h"`` or ``"1d3h"``;
- ``body`` is the plain text, paragraphs separated by a blank line.

Threads nest at most five levels (depth 0 to 4), the default maximum thread depth.
"""

import re
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class DemoComment:
    """One demo comment and the replies under it."""

    who: str
    after: timedelta
    body: str
    replies: tuple["DemoComment", ...] = ()

    @property
    def member(self) -> str | None:
        """The demo member's username, or None for a guest."""
        return self.who.removeprefix("@") if self.who.startswith("@") else None


@dataclass(frozen=True)
class DemoDiscussion:
    """The threads under one demo article; ``closed`` turns its comments off afterwards."""

    threads: tuple[DemoComment, ...]
    closed: bool = False


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")


def duration(text: str) -> timedelta:
    """``"1d3h"`` as a timedelta; days, hours and minutes, in that order."""
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        raise ValueError(f"Not a duration like 1d3h or 40m: {text!r}")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def say(who: str, after: str, body: str, *replies: DemoComment) -> DemoComment:
    return DemoComment(who=who, after=duration(after), body=body, replies=replies)


# Guests give a name and an e-mail address, which is never shown.
GUESTS = {
    "aisha": ("Aisha Rahman", "aisha.rahman@example.com"),
    "beth": ("Beth Harrington", "beth.h@example.com"),
    "dan": ("Dan K.", "dan.k@example.com"),
    "fiona": ("Fiona MacLeod", "fiona.macleod@example.org"),
    "gareth": ("Gareth Jones", "gareth@example.org"),
    "grace": ("Grace Whitfield", "grace.whitfield@example.com"),
    "hannah": ("Hannah Price", "hannah.price@example.com"),
    "linh": ("Linh Tran", "linh.tran@example.com"),
    "marcus": ("Marcus Bell", "marcus.bell@example.org"),
    "olu": ("Olu Adeyemi", "olu.adeyemi@example.org"),
    "pete": ("Pete", "pete.w@example.com"),
    "rob": ("Rob from Eastfield", "rob.eastfield@example.com"),
    "sunita": ("Sunita Rao", "sunita.rao@example.org"),
    "tomasz": ("Tomasz Nowak", "tomasz.nowak@example.org"),
}


DISCUSSIONS = {
    # The lively one: about 25 comments, a five-level sub-thread, links and long comments.
    "route-42-bus-card-data": DemoDiscussion(
        threads=(
            say(
                "grace",
                "2h",
                "I work nights at the General and this is exactly my experience. The 22:10 from "
                "the hospital stop is the one I need, and about one week in three it just doesn’t "
                "turn up. The app keeps showing it as due until it quietly vanishes.\n\n"
                "Good to finally see numbers on it instead of all of us grumbling at the stop.",
                say(
                    "rob",
                    "40m",
                    "The vanishing bus on the app is the worst bit. If they told you it was "
                    "cancelled you could at least ring a taxi before the rank empties.",
                    say(
                        "grace",
                        "1h",
                        "Exactly. A cancelled bus I can plan around. A ghost bus I can’t.",
                    ),
                ),
                say(
                    "@editor",
                    "5h",
                    "Thank you, Grace. The vehicle location records back you up: cancelled evening "
                    "trips usually stayed on the live board until their departure time had passed. "
                    "We’ve asked the operator why, and will add its answer to the article.",
                ),
            ),
            say(
                "tomasz",
                "3h",
                "Really pleased you published the code. I ran it against the raw files and got "
                "the same 91% for the morning peak.\n\n"
                "One question on method: when a bus leaves more than a couple of minutes early, "
                "does it count as on time? On some routes that’s the bigger problem in the "
                "evening, because drivers run ahead when the roads are empty.",
                say(
                    "@editor",
                    "2h",
                    "Good question. Under the authority’s definition, which we followed, an early "
                    "departure counts as on time. In our data 2.4% of evening departures left more "
                    "than two minutes early; we’ll add a note to the method section. The notebook "
                    "that breaks it down is here: https://example.org/data/route-42/early-departures",
                    say(
                        "tomasz",
                        "4h",
                        "Thanks. 2.4% isn’t huge, but if it’s concentrated at a few stops it will "
                        "feel far worse to the people waiting at them. Might be worth a map.",
                        say(
                            "linh",
                            "1h",
                            "Seconding the map. If the stop-level numbers are in the release I’m "
                            "happy to make one; I do this sort of thing for work.",
                            say(
                                "tomasz",
                                "3h",
                                "They are, in stops.csv. I started a rough version last night: "
                                "https://example.com/maps/route-42-early\n\n"
                                "Feel free to copy it and make it less ugly.",
                            ),
                        ),
                    ),
                ),
            ),
            say(
                "marcus",
                "6h",
                "Devil’s advocate: of course the evening service is worse, fewer people ride it. "
                "Nobody can run a full timetable of half-empty buses for ever. The money has to "
                "come from somewhere.",
                say(
                    "grace",
                    "30m",
                    "They aren’t half empty though. Read the part about the hospital and the "
                    "distribution park. The late buses I catch are standing room only.",
                    say(
                        "marcus",
                        "2h",
                        "Fair, I’d missed that nearly half the late taps were hospital and ring "
                        "road trips. Still, if the operator can’t hire drivers, what’s the fix?",
                        say(
                            "olu",
                            "3h",
                            "I drove buses for eleven years. The evening shortage is mostly about "
                            "the shifts: rotas that finish after midnight, with no late bus to get "
                            "the driver home. Pay the late shift properly and give drivers a way "
                            "home and those rotas would fill.\n\n"
                            "Nobody wants to sign off at twenty to one and then walk for forty "
                            "minutes.",
                            say(
                                "marcus",
                                "1h",
                                "That’s a genuinely useful answer, thank you. Not what I expected "
                                "to learn in a comments section.",
                            ),
                            say(
                                "@reader",
                                "5h",
                                "Same here. Olu, has anyone from the operator ever asked the "
                                "drivers about this directly?",
                            ),
                        ),
                    ),
                ),
            ),
            say(
                "hannah",
                "1d",
                "I’m one of the people the article says the data can’t see. I pay cash, and I "
                "gave up on the 42 on Sundays last winter after two no-shows in a row. Now I walk "
                "to the 17 on the main road. It adds twenty minutes, but at least it comes.",
                say(
                    "@editor",
                    "3h",
                    "Thank you, Hannah; that is exactly the gap we were worried about. Would you "
                    "talk to us for a follow-up? If so, please write to us through "
                    "https://example.org/contact and mention this article.",
                ),
                say(
                    "@theo",
                    "6h",
                    "Same with the 17. Half of Eastfield seems to have moved to it at weekends.",
                ),
            ),
            say(
                "@reader",
                "1d3h",
                "A small thing that would help straight away: put the evening reliability on the "
                "timetable at the stop. “This service ran on time 64% of the time last month” "
                "would at least let people decide for themselves.",
                say(
                    "@mirela",
                    "2h",
                    "Love this. Like the hygiene ratings on restaurant doors.",
                    say(
                        "dan",
                        "5h",
                        "The operator would never agree to it, which is probably the best argument "
                        "for doing it.",
                    ),
                ),
            ),
            say(
                "dan",
                "1d8h",
                "Any chance of the same analysis for the 17 and the 9? It would be good to know "
                "whether the 42 is unusually bad or whether every route looks like this after "
                "8 pm.",
                say(
                    "@editor",
                    "4h",
                    "It’s on our list. The authority gave us data for the 42 only; we’ve asked for "
                    "the other Eastfield routes and will publish the request and the reply.",
                ),
            ),
            say(
                "sunita",
                "2d",
                "Long-time reader, first comment. Two things.\n\n"
                "First, thank you for explaining how you matched taps to buses. Most reporting "
                "gives a headline percentage and asks you to take it on trust.\n\n"
                "Second, please come back to this when the new contract is signed. “Would "
                "consider separate targets” is the kind of promise that fades away unless "
                "someone checks.",
                say(
                    "gareth",
                    "7h",
                    "Agree on the second point. The contract papers go to the transport committee "
                    "in the spring and they are public; I’ve put a reminder in my diary.",
                ),
            ),
            say(
                "@jonah",
                "3d",
                "Slightly off topic, but the stop outside the distribution park has no shelter "
                "and no light. Waiting there at ten at night in January is miserable.",
                say(
                    "rob",
                    "2h",
                    "Shelters are the council’s job, not the operator’s. You can report it at "
                    "https://example.org/council/report-a-bus-stop and it does work: I reported "
                    "the Cray Road stop and it got a shelter within the year.",
                ),
            ),
        ),
    ),
    "central-library-sunday-opening": DemoDiscussion(
        threads=(
            say(
                "beth",
                "1h",
                "As a parent of two under-fives: yes please. Saturday mornings at the library are "
                "lovely but so busy that the children’s corner feels like a rugby scrum. Sunday "
                "afternoons would spread people out.",
                say(
                    "aisha",
                    "3h",
                    "Saturday rhyme time is packed, you’re right. Even a couple of hours on a "
                    "Sunday would help.",
                ),
            ),
            say(
                "pete",
                "4h",
                "£85,000 for five hours a week is a lot of money. What else in the libraries "
                "budget gets cut to pay for it?",
                say(
                    "fiona",
                    "2h",
                    "The article says it’s 0.3% of the libraries budget. I’d rather find that "
                    "than keep a building people queue to get into shut one day in seven.",
                    say(
                        "pete",
                        "5h",
                        "0.3% of a budget that has been cut every year for a decade. I’m not "
                        "against it; I just want the consultation to be honest about the "
                        "trade-off.",
                        say(
                            "@editor",
                            "1d",
                            "That’s a fair ask. The council told us it will publish the options "
                            "and their costs with the consultation, and we’ll report on what "
                            "they contain when it opens.",
                        ),
                    ),
                ),
            ),
            say(
                "@reader",
                "8h",
                "I study there most Saturdays and gave up hoping for a desk after 11 am. Sunday "
                "afternoons would genuinely change my week. I’ve registered for the consultation.",
                say(
                    "linh",
                    "6h",
                    "Same. Exam season is brutal, and the university library is members only.",
                ),
            ),
            say(
                "@amara",
                "1d2h",
                "Good to see the staff union quoted. Longer hours shouldn’t mean volunteers doing "
                "skilled work for nothing; other cities have tried that and it didn’t end well.",
                say(
                    "gareth",
                    "4h",
                    "Agreed. Volunteers are great for extras like the homework club, not for "
                    "running the building.",
                ),
            ),
            say(
                "@theo",
                "2d",
                "Is there any data on Monday mornings? For shift workers the Monday closure is "
                "just as annoying.",
                say(
                    "@editor",
                    "5h",
                    "The survey didn’t ask about Monday mornings on their own, though 41% wanted "
                    "later weekday closing. We’ve asked the Friends of the Central Library "
                    "whether they have anything more detailed.",
                ),
            ),
            say(
                "sunita",
                "3d",
                "For your diaries: the consultation drop-in sessions are listed at "
                "https://example.org/consultations/library-hours/events and one of them is at "
                "the library itself, on a Saturday.",
            ),
        ),
    ),
    # Out two days ago, so its discussion fits in its first day.
    "northgate-energy-cooperative-first-year": DemoDiscussion(
        threads=(
            say(
                "@mirela",
                "2h",
                "Member here (the £50 kind). The community fund paid for draught-proofing my "
                "mum’s flat in Eastfield and she says the front room is finally warm. Worth every "
                "penny.",
                say(
                    "@reader",
                    "3h",
                    "Lovely to hear. Did she have to apply, or did the co-operative find her?",
                    say(
                        "@mirela",
                        "2h",
                        "The tenants’ association put names forward and a surveyor came round. "
                        "It took about six weeks from start to finish.",
                    ),
                ),
            ),
            say(
                "@jonah",
                "5h",
                "What about south of the river? The board promised a survey this year. It "
                "promised one last year too.",
                say(
                    "@editor",
                    "4h",
                    "We’ve asked the board when the survey starts and who will carry it out, and "
                    "we’ll update the article when it answers.",
                ),
                say(
                    "tomasz",
                    "6h",
                    "The two secondary schools south of the river have big flat roofs, and both "
                    "are council-owned, so “privately owned” doesn’t explain those.",
                ),
            ),
            say(
                "marcus",
                "9h",
                "Good that you spelled out the risk. People hear “co-operative” and assume it’s "
                "a savings account. It isn’t, and the 3.5% reflects that.",
            ),
            say(
                "hannah",
                "20h",
                "Does anyone know if the energy advice sessions are still running? My neighbour "
                "would find the Polish one useful.",
                say(
                    "tomasz",
                    "1h",
                    "They are: first Tuesday of the month at the community centre. I help at the "
                    "Polish one, so tell your neighbour to come and find me.",
                ),
            ),
        ),
    ),
    "friends-of-the-wend-volunteers": DemoDiscussion(
        threads=(
            say(
                "fiona",
                "5h",
                "I went along for the first time after reading this. Dev is right: nobody stays "
                "shy while hauling a mattress out of a river. Signed up for next month already.",
                say(
                    "gareth",
                    "1d",
                    "Welcome aboard! Bring a flask next time; the tea runs out by eleven.",
                ),
            ),
            say(
                "@reader",
                "2d",
                "Maggie’s litter map sounds brilliant. Is it online anywhere? It would be great "
                "to see where the rubbish gathers over a year.",
                say(
                    "@editor",
                    "6h",
                    "Maggie tells us she’ll share it once her school project has been marked. "
                    "We’ll link to it from here when it’s out.",
                ),
            ),
        ),
    ),
    # Seeded only once the scheduled article is out; fitted into the time since.
    "wend-spring-clean-up-field-report": DemoDiscussion(
        threads=(
            say(
                "gareth",
                "3h",
                "312 kilos! Great effort, everyone. The trolley with a garden growing in it "
                "deserves a photo of its own.",
                say("fiona", "2h", "It had a small tree in it. I’m not exaggerating."),
            ),
            say(
                "sunita",
                "6h",
                "Thirty-eight days of discharges in a year from one outfall. “Before the end of "
                "the decade” isn’t a date. Has anyone asked the regulator what the water company "
                "actually committed to?",
                say(
                    "@editor",
                    "5h",
                    "We have. The regulator says the work is in the company’s current investment "
                    "plan, but the plan lists overflows by region rather than one by one. We’ve "
                    "asked the company for its schedule for this outfall.",
                    say("sunita", "3h", "Thank you. Please keep asking."),
                ),
            ),
            say(
                "@reader",
                "1d",
                "Is the next clean-up all right for a complete beginner who isn’t a strong "
                "swimmer?",
                say(
                    "gareth",
                    "2h",
                    "Yes. Plenty of the jobs are on the bank (sorting, weighing, making tea) and "
                    "nobody goes in deeper than their knees.",
                ),
            ),
        ),
    ),
    # Its comments are closed; a few came in before they were.
    "how-we-correct-mistakes": DemoDiscussion(
        closed=True,
        threads=(
            say(
                "@amara",
                "3h",
                "Clear and sensible. One suggestion: could the corrections log have its own "
                "feed? I’d subscribe.",
                say(
                    "@editor",
                    "1d",
                    "Thank you, that’s a good idea and we’ve passed it on. We’re closing comments "
                    "here now; to discuss a particular correction, please comment under the "
                    "article concerned.",
                ),
            ),
            say(
                "dan",
                "5h",
                "Do headline changes count? Plenty of sites change a headline after publishing "
                "and never mention it.",
                say(
                    "@editor",
                    "20h",
                    "If the change alters the meaning, yes: it gets a correction or clarification "
                    "note like any other text. A tweak for length or style doesn’t.",
                ),
            ),
        ),
    ),
}
