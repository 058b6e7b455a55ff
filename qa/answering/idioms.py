"""A question's idioms and phrasal verbs said in the plain words articles use.

People ask "When do the new prices kick in?", "Which sailings got held up?", "When's it
supposed to cool down?"; a news story writes "will take effect", "were delayed",
"expected to ease". The reader was trained on questions written in their paragraph's words
and refuses the first forms while it answers the second. `plain_words_reading` gives that
second reading, which the pipeline reads beside the question as asked
(`QA._most_answerable`): the articles choose. The list holds common English idioms and
phrasal verbs of news, each with its forms and, where it has other senses, the only use
it is put plainly in ("held up" only as a passive: "Who held up the bank?" is a robbery);
a word none of them says is left as it is (WordNet's synonyms were tried and bridged too
widely: see `train/STAGES.md`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answering.answer_types import ASKS_WHO
from qa.answering.references import COMPANY_LAST_WORDS

# the forms of a verb: base, third person, past, past participle, gerund
Forms = tuple[str, str, str, str, str]
BASE, THIRD, PAST, PARTICIPLE, GERUND = range(5)


@dataclass(frozen=True)
class Idiom:
    said: Forms  # "kick in", "kicks in", "kicked in", "kicked in", "kicking in"
    plain: Forms  # "take effect", ...
    # the only questions it is put plainly in, and the words it must not be followed by
    only_in: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    # the forms it is put plainly in (a phrasal verb of other senses: "held up" as a passive)
    forms: tuple[int, ...] = (BASE, THIRD, PAST, PARTICIPLE, GERUND)
    # a verb and its particle may take the object between them ("handed the fine down")
    separable: bool = False
    # what must follow it: an object ("took over Twitter", never "took over after ...")
    only_before: re.Pattern[str] | None = None
    # the questions it is not put plainly in
    not_in: re.Pattern[str] | None = None
    # a question that asks for its object has one ("Which town did they take over?")
    object_asked: bool = False


def _verb(base: str, third: str, past: str, participle: str, gerund: str) -> Forms:
    return (base, third, past, participle, gerund)


def _noun(words: str) -> Forms:
    return (words,) * 5


_HOW_MANY = re.compile(r"^\s*(?:and\s+)?how\s+many\b", re.I)
_HOW_MUCH = re.compile(r"^\s*(?:and\s+)?how\s+much\b", re.I)
# how much is paid for it, not how much of something ("How much water did they fetch?")
_HOW_MUCH_IS_PAID = re.compile(
    r"^\s*(?:and\s+)?how\s+much\s+(?:did|does|do|will|would|could|can|might|may|has|had|is|was)\b", re.I
)
# a question about people ("Were any of them in a bad way?"), not the economy
_ABOUT_PEOPLE = re.compile(
    r"\b(?:he|she|they|them|anyone|anybody|people|passengers|victims|patients|residents|workers|"
    r"children|players|man|woman|any of)\b",
    re.I,
)
# a phrasal verb with an object after it is another verb ("take over the city")
_OBJECT = re.compile(r"\s+(?!(?:then|now|again|from|as|at|in|on|yet|soon|today|later)\b)[\w'’-]")
# what is scrapped for its metal, not called off
_SCRAPPED_FOR_METAL = re.compile(
    r"\b(?:cars?|vehicles?|ships?|vessels?|fleets?|aircraft|planes?|warships?|trucks?|lorries|buses|trains?)\b",
    re.I,
)
_END = re.compile(r"\s*(?:[?.!,]|$)")
# an object: a determiner, a pronoun or a name ("took over the city", "took over Twitter")
_AN_OBJECT = re.compile(r"\s+(?:(?:the|a|an|his|her|its|their|this|that|it|them)\b|[A-Z])")
# a question that asks for the object of its verb ("Which town did they take over?", "What
# did they take over?"): its subject, a few words, then the verb at the end; not its
# subject ("Which company is taking over?"), a time ("What year did he take over?") nor a
# clause's ("What was it like when he took over?")
_ASKS_ITS_OBJECT = re.compile(
    r"^\s*(?:and\s+)?(?:which|what)\b(?!\s+(?:year|time|day|date|month|week|age)\b)(?:\s+[\w'’-]+){0,3}?\s+"
    r"(?:did|does|do|will|would|has|have|had|could|can|is|are|was|were)\s+"
    r"(?!(?:take|takes|took|taken|taking|it|when|since|after|before|until|who|that)\b)"
    r"(?:(?!(?:when|since|after|before|until|who|that)\b)[\w'’-]+\s+){1,4}?(?:take|takes|took|taken|taking)\s+over\s*\?*\s*$",
    re.I,
)
# who is behind an attack, which its makers claim: "Who is behind the ransomware attack?",
# "Who was behind the bombing in Kabul?"; not "the plan to attack Iran", "the robbery"
_AN_ATTACK = re.compile(
    r"^\s*(?:and\s+)?(?:who|which\s+group)\s+(?:is|was|are|were)\s+behind\s+(?:the|this|that|an?|last|[A-Z])"
    r"(?:\s+[\w'’-]+){0,3}?\s*\b(?:attacks?|cyberattacks?|hacks?|hacking|breach|bombings?|blasts?|explosions?|"
    r"assassination|ambush)\b(?:\s+(?:on|against|in|at)\s+[^?]+)?\s*\?*\s*$",
    re.I,
)
# a side of a dispute, whose wants are demands ("What do the hackers want?", never "What
# kind of car did she want?" nor "What do investors want?")
_A_SIDE = (
    r"(?:strikers|hackers|attackers|kidnappers|hijackers|rebels|militants|protesters|protestors|demonstrators|"
    r"campaigners|activists|unions?|workers|teachers|nurses|doctors|pilots|drivers|staff|employees|miners|"
    r"farmers|fishermen|residents|tenants|landlords|government|council|opposition)"
)
_WHAT_A_SIDE_WANTS = re.compile(
    rf"^\s*(?:and\s+)?(?:what|how\s+much)\s+(?:do|does|did|is|are|was|were)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?{_A_SIDE}\s+"
    r"(?:want|wants|wanted|asking\s+for|ask\s+for)\b",
    re.I,
)

# who runs, heads or leads a body is its head, whatever its title ("Who runs the company?"
# of "Kestrel's chief executive, Martin Olsen"); never who ran a race or led a charge
_WHO_HEADS = re.compile(
    r"^\s*(?:and\s+|so\s+)*who(?:\s+(?:now|currently|still|will|would|has|had))?\s+(?:runs?|ran|heads?|headed|leads?|led)\b",
    re.I,
)
# a body: its noun after a determiner and at most three other words, none a preposition
# ("the Maison Fallot mustard boutique"), or a company's name ("Kestrel Mining")
_A_BODY = re.compile(
    r"\s+(?:(?:the|this|that|its|their|his|her|[A-Z][\w'’-]*['’]s)\s+)?"
    r"(?:(?!(?:for|in|at|on|of|to|with|after|before|during|from|by)\b)[\w'’-]+\s+){0,3}?"
    r"(?:company|firm|business|club|team|union|trust|bank|party|charity|school|university|hospital|"
    r"airline|agency|council|board|committee|department|ministry|government|mine|factory|plant|shop|"
    r"store|boutique|restaurant|bakery|newspaper|zoo|museum|organi[sz]ation|association|federation|"
    r"network|operator|carrier|label|studio|brand|chain|insurer|lender|regulator|authority|"
    r"institute|foundation|orchestra|prison|police|army|navy|embassy)s?\b(?![’']s)"
    rf"|\s+(?:[A-Z][\w&'’.-]*\s+){{1,3}}?(?:{COMPANY_LAST_WORDS}|Mining|Pharmaceuticals|Aerospace|Industries|"
    r"Technologies|Inc|Ltd|PLC|plc|GmbH)\b"
)
# a lead in a table, a race or a count is no headship ("Who leads the league?", "Who led
# Denver in tackles?"), nor leading prayers or a service
_NO_HEADSHIP = re.compile(
    r"\b(?:league|table|standings|polls?|race|tour|marathon|rankings?|tackles|scoring|prayers?|service|"
    r"funeral|charge|attack|singing|vote|count)\b",
    re.I,
)
# led somewhere is no headship ("Who led the team to victory?", "... into the stadium?")
_LED_SOMEWHERE = re.compile(
    r"\b(?:lead|leads|led)\b[^?]*\b(?:to|into|against|through|out|back|past)\b|" + _NO_HEADSHIP.pattern, re.I
)
_HEAD_FORMS = (BASE, THIRD, PAST, PARTICIPLE)  # "Who is running it?" is left: "being the head"
_HEAD = _verb("be the head of", "is the head of", "was the head of", "been the head of", "being the head of")


_WHO_IS_IN_CHARGE = re.compile(r"^\s*(?:and\s+)?who(?:['’]s|\s+is|\s+was|\s+will\s+be)\s+in\s+charge\b", re.I)


def _heading(said: Forms, not_in: re.Pattern[str] = _NO_HEADSHIP) -> Idiom:
    """Who runs, heads or leads a body (`said`) as who is its head."""
    return Idiom(said, _HEAD, only_in=_WHO_HEADS, only_before=_A_BODY, forms=_HEAD_FORMS, not_in=not_in)


_IDIOMS: tuple[Idiom, ...] = (
    _heading(_verb("run", "runs", "ran", "run", "running")),
    _heading(_verb("head", "heads", "headed", "headed", "heading")),
    _heading(_verb("lead", "leads", "led", "led", "leading"), _LED_SOMEWHERE),
    Idiom(_noun("the boss of"), _noun("the head of"), only_in=ASKS_WHO),
    # "Who's in charge of fighting it?": "..., said Marta Kessler, chief of the Fire Department"
    Idiom(_noun("in charge of"), _noun("the chief of"), only_in=_WHO_IS_IN_CHARGE),
    Idiom(
        _verb("say sorry", "says sorry", "said sorry", "said sorry", "saying sorry"),
        _verb("apologise", "apologises", "apologised", "apologised", "apologising"),
    ),
    Idiom(
        _verb("fetch", "fetches", "fetched", "fetched", "fetching"),
        _verb("sell for", "sells for", "sold for", "sold for", "selling for"),
        only_in=_HOW_MUCH_IS_PAID,
        not_before=_OBJECT,
    ),
    Idiom(
        _verb("kick in", "kicks in", "kicked in", "kicked in", "kicking in"),
        _verb("take effect", "takes effect", "took effect", "taken effect", "taking effect"),
    ),
    Idiom(
        _verb("hold up", "holds up", "held up", "held up", "holding up"),
        _verb("delay", "delays", "delayed", "delayed", "delaying"),
        forms=(PARTICIPLE,),  # "were held up"; "How did the economy hold up?" held
    ),
    Idiom(
        _verb("cool down", "cools down", "cooled down", "cooled down", "cooling down"),
        _verb("ease", "eases", "eased", "eased", "easing"),
    ),
    Idiom(
        _verb("go bust", "goes bust", "went bust", "gone bust", "going bust"),
        _verb("collapse", "collapses", "collapsed", "collapsed", "collapsing"),
    ),
    Idiom(
        _verb("go under", "goes under", "went under", "gone under", "going under"),
        _verb("collapse", "collapses", "collapsed", "collapsed", "collapsing"),
        not_before=_OBJECT,  # "go under the bridge"
    ),
    Idiom(
        _verb("step down", "steps down", "stepped down", "stepped down", "stepping down"),
        _verb("resign", "resigns", "resigned", "resigned", "resigning"),
    ),
    Idiom(
        _verb("shut down", "shuts down", "shut down", "shut down", "shutting down"),
        _verb("close", "closes", "closed", "closed", "closing"),
        separable=True,
    ),
    Idiom(
        _verb("call off", "calls off", "called off", "called off", "calling off"),
        _verb("cancel", "cancels", "cancelled", "cancelled", "cancelling"),
        separable=True,
    ),
    Idiom(
        _verb("pull out of", "pulls out of", "pulled out of", "pulled out of", "pulling out of"),
        _verb("withdraw from", "withdraws from", "withdrew from", "withdrawn from", "withdrawing from"),
    ),
    Idiom(
        _verb("back out of", "backs out of", "backed out of", "backed out of", "backing out of"),
        _verb("withdraw from", "withdraws from", "withdrew from", "withdrawn from", "withdrawing from"),
    ),
    Idiom(
        _verb("drop out of", "drops out of", "dropped out of", "dropped out of", "dropping out of"),
        _verb("withdraw from", "withdraws from", "withdrew from", "withdrawn from", "withdrawing from"),
    ),
    Idiom(
        _verb("lay off", "lays off", "laid off", "laid off", "laying off"),
        _verb("cut", "cuts", "cut", "cut", "cutting"),
        separable=True,
    ),
    Idiom(
        _verb("come up with", "comes up with", "came up with", "come up with", "coming up with"),
        _verb("propose", "proposes", "proposed", "proposed", "proposing"),
    ),
    Idiom(
        _verb("find out", "finds out", "found out", "found out", "finding out"),
        _verb("discover", "discovers", "discovered", "discovered", "discovering"),
        not_before=re.compile(r"\s+about\b"),
    ),
    Idiom(
        _verb("look into", "looks into", "looked into", "looked into", "looking into"),
        _verb("investigate", "investigates", "investigated", "investigated", "investigating"),
    ),
    Idiom(
        _verb("carry out", "carries out", "carried out", "carried out", "carrying out"),
        _verb("conduct", "conducts", "conducted", "conducted", "conducting"),
        separable=True,
    ),
    # "How many showed up?"; "Did the suspect show up in court?" is no crowd
    Idiom(
        _verb("show up", "shows up", "showed up", "shown up", "showing up"),
        _verb("gather", "gathers", "gathered", "gathered", "gathering"),
        only_in=_HOW_MANY,
    ),
    Idiom(
        _verb("turn up", "turns up", "turned up", "turned up", "turning up"),
        _verb("gather", "gathers", "gathered", "gathered", "gathering"),
        only_in=_HOW_MANY,
    ),
    Idiom(
        _verb("get out of", "gets out of", "got out of", "got out of", "getting out of"),
        _verb("escape from", "escapes from", "escaped from", "escaped from", "escaping from"),
    ),
    Idiom(
        _verb("break out of", "breaks out of", "broke out of", "broken out of", "breaking out of"),
        _verb("escape from", "escapes from", "escaped from", "escaped from", "escaping from"),
    ),
    Idiom(
        _verb("bail out", "bails out", "bailed out", "bailed out", "bailing out"),
        _verb("rescue", "rescues", "rescued", "rescued", "rescuing"),
        only_before=_AN_OBJECT,  # "Did the pilot bail out?" jumped
        separable=True,
    ),
    Idiom(
        _verb("splash out on", "splashes out on", "splashed out on", "splashed out on", "splashing out on"),
        _verb("spend on", "spends on", "spent on", "spent on", "spending on"),
    ),
    Idiom(
        _verb("splash on", "splashes on", "splashed on", "splashed on", "splashing on"),
        _verb("spend on", "spends on", "spent on", "spent on", "spending on"),
    ),
    Idiom(
        _verb("fork out", "forks out", "forked out", "forked out", "forking out"),
        _verb("spend", "spends", "spent", "spent", "spending"),
    ),
    Idiom(
        _verb("set up", "sets up", "set up", "set up", "setting up"),
        _verb("establish", "establishes", "established", "established", "establishing"),
        separable=True,
    ),
    # "Who is taking over?" takes charge; "Who took over Twitter?" took control of it
    Idiom(
        _verb("take over", "takes over", "took over", "taken over", "taking over"),
        _verb("take charge", "takes charge", "took charge", "taken charge", "taking charge"),
        not_before=_OBJECT,
        forms=(BASE, THIRD, PAST, GERUND),  # "When was the company taken over?" is left
        not_in=_ASKS_ITS_OBJECT,
    ),
    Idiom(
        _verb("take over", "takes over", "took over", "taken over", "taking over"),
        _verb(
            "take control of", "takes control of", "took control of", "taken control of", "taking control of"
        ),
        only_before=_AN_OBJECT,
        forms=(BASE, THIRD, PAST, GERUND),
        object_asked=True,
    ),
    Idiom(
        _verb("wind down", "winds down", "wound down", "wound down", "winding down"),
        _verb("end", "ends", "ended", "ended", "ending"),
    ),
    Idiom(
        _verb("go ahead", "goes ahead", "went ahead", "gone ahead", "going ahead"),
        _verb("proceed", "proceeds", "proceeded", "proceeded", "proceeding"),
    ),
    Idiom(
        _verb("get the boot", "gets the boot", "got the boot", "got the boot", "getting the boot"),
        _verb("get sacked", "gets sacked", "got sacked", "got sacked", "getting sacked"),
    ),
    Idiom(
        _verb("get the sack", "gets the sack", "got the sack", "got the sack", "getting the sack"),
        _verb("get sacked", "gets sacked", "got sacked", "got sacked", "getting sacked"),
    ),
    # "How much did it go for?" is a price; "What did they go for?" a choice
    Idiom(
        _verb("go for", "goes for", "went for", "gone for", "going for"),
        _verb("sell for", "sells for", "sold for", "sold for", "selling for"),
        only_in=_HOW_MUCH,
    ),
    Idiom(
        _verb("hand down", "hands down", "handed down", "handed down", "handing down"),
        _verb("impose", "imposes", "imposed", "imposed", "imposing"),
        separable=True,
    ),
    Idiom(
        _verb("rule out", "rules out", "ruled out", "ruled out", "ruling out"),
        _verb("exclude", "excludes", "excluded", "excluded", "excluding"),
        not_before=re.compile(r"\s+of\b"),  # "ruled out of the match" is injured
        separable=True,
    ),
    Idiom(
        _verb("pass away", "passes away", "passed away", "passed away", "passing away"),
        _verb("die", "dies", "died", "died", "dying"),
    ),
    Idiom(
        _verb("foot the bill", "foots the bill", "footed the bill", "footed the bill", "footing the bill"),
        _verb("pay", "pays", "paid", "paid", "paying"),
    ),
    Idiom(
        _verb(
            "pick up the tab",
            "picks up the tab",
            "picked up the tab",
            "picked up the tab",
            "picking up the tab",
        ),
        _verb("pay", "pays", "paid", "paid", "paying"),
    ),
    Idiom(
        _verb("ramp up", "ramps up", "ramped up", "ramped up", "ramping up"),
        _verb("increase", "increases", "increased", "increased", "increasing"),
        separable=True,
    ),
    Idiom(
        _verb("scale back", "scales back", "scaled back", "scaled back", "scaling back"),
        _verb("reduce", "reduces", "reduced", "reduced", "reducing"),
        separable=True,
    ),
    Idiom(
        _verb("cut back on", "cuts back on", "cut back on", "cut back on", "cutting back on"),
        _verb("reduce", "reduces", "reduced", "reduced", "reducing"),
    ),
    Idiom(
        _verb("push back", "pushes back", "pushed back", "pushed back", "pushing back"),
        _verb("postpone", "postpones", "postponed", "postponed", "postponing"),
        separable=True,
        only_before=_AN_OBJECT,  # "pushed back the vote"; never "pushed back against the plan"
    ),
    Idiom(
        _verb("wrap up", "wraps up", "wrapped up", "wrapped up", "wrapping up"),
        _verb("finish", "finishes", "finished", "finished", "finishing"),
        separable=True,
    ),
    Idiom(
        _verb(
            "pull the plug on",
            "pulls the plug on",
            "pulled the plug on",
            "pulled the plug on",
            "pulling the plug on",
        ),
        _verb("cancel", "cancels", "cancelled", "cancelled", "cancelling"),
    ),
    Idiom(
        _verb("fall through", "falls through", "fell through", "fallen through", "falling through"),
        _verb("collapse", "collapses", "collapsed", "collapsed", "collapsing"),
    ),
    Idiom(
        _verb("wipe out", "wipes out", "wiped out", "wiped out", "wiping out"),
        _verb("destroy", "destroys", "destroyed", "destroyed", "destroying"),
        separable=True,
    ),
    Idiom(
        _verb(
            "put on the table",
            "puts on the table",
            "put on the table",
            "put on the table",
            "putting on the table",
        ),
        _verb("offer", "offers", "offered", "offered", "offering"),
    ),
    # what a side in a dispute wants is what it demands ("What do the hackers want?"); never
    # what it wants to do
    Idiom(
        _verb("want", "wants", "wanted", "wanted", "wanting"),
        _verb("demand", "demands", "demanded", "demanded", "demanding"),
        only_in=_WHAT_A_SIDE_WANTS,
        not_before=_OBJECT,
    ),
    Idiom(
        _verb("ask for", "asks for", "asked for", "asked for", "asking for"),
        _verb("demand", "demands", "demanded", "demanded", "demanding"),
        only_in=_WHAT_A_SIDE_WANTS,
        not_before=_OBJECT,
    ),
    # who is behind an attack claimed it ("Who is behind the ransomware attack?"); who is
    # behind a plan or a campaign is left
    Idiom(
        _verb("is behind", "is behind", "was behind", "was behind", "is behind"),
        _noun("claimed responsibility for"),
        only_in=_AN_ATTACK,
    ),
    Idiom(
        _verb("are behind", "are behind", "were behind", "were behind", "are behind"),
        _noun("claimed responsibility for"),
        only_in=_AN_ATTACK,
    ),
    # homes and streets are cleared out, flights scrapped, money chipped in
    # with an object, "clear out" is to empty ("Who cleared out the office?")
    Idiom(
        _verb("clear out", "clears out", "cleared out", "cleared out", "clearing out"),
        _verb("evacuate", "evacuates", "evacuated", "evacuated", "evacuating"),
        not_before=_OBJECT,
    ),
    # "scrap" and "scraps" are nouns too ("scrap metal"); cars and ships are scrapped for
    # their metal, boxers scrap for a title
    Idiom(
        _verb("scrap", "scraps", "scrapped", "scrapped", "scrapping"),
        _verb("cancel", "cancels", "cancelled", "cancelled", "cancelling"),
        forms=(PAST, PARTICIPLE, GERUND),
        not_in=_SCRAPPED_FOR_METAL,
        not_before=re.compile(r"\s+(?:for\s+(?:parts|the)|with|over|outside|cars?)\b", re.I),
    ),
    # a player chips in with a goal, a ball chips in off the post
    Idiom(
        _verb("chip in", "chips in", "chipped in", "chipped in", "chipping in"),
        _verb("contribute", "contributes", "contributed", "contributed", "contributing"),
        not_before=re.compile(r"\s+(?:with|off)\b", re.I),
    ),
    Idiom(_noun("on the hook for"), _noun("responsible for")),
    Idiom(_noun("price tag"), _noun("cost")),
    Idiom(_noun("death toll"), _noun("number of dead")),
    Idiom(_noun("in a bad way"), _noun("seriously injured"), only_in=_ABOUT_PEOPLE),
)

# the auxiliary before a verb form that says which form it is, where forms are spelt alike
# ("set up" is base, past and participle): the nearest within a few words ("When will they
# set up the fund?", "When was the charity set up?")
_AUXILIARY = re.compile(
    r"\b(?P<base>do|does|did|will|would|can|could|should|may|might|must|to|help|helps|helped|let|lets|make|makes|made)\b"
    r"|\b(?P<participle>is|are|was|were|be|been|being|has|have|had|get|gets|got)\b",
    re.I,
)
_NEAR = 4  # words back an auxiliary is looked for


def _form(idiom: Idiom, said: str, before: str) -> int | None:
    """Which form of `idiom` the words `said` are, after the question's `before`."""
    forms = [n for n, words in enumerate(idiom.said) if words == said.lower()]
    if len(forms) <= 1:
        return forms[0] if forms else None
    # within its own clause ("Did they say who set up the fund?": "who" opens it)
    clause = re.split(r"\b(?:who|what|which|that|when|where|why|how)\b", before, flags=re.I)[-1]
    near = " ".join(clause.split()[-_NEAR:])
    auxiliaries = list(_AUXILIARY.finditer(near))
    if auxiliaries and auxiliaries[-1]["base"] and BASE in forms:
        return BASE
    if auxiliaries and auxiliaries[-1]["participle"] and PARTICIPLE in forms:
        return PARTICIPLE
    return PAST if PAST in forms else forms[0]


def _put(question: str, idiom: Idiom) -> str:
    """`question` with each form of `idiom` it says put plainly, where the idiom's
    conditions hold; a capitalised word is a name's ("Go Ahead Eagles")."""
    if (idiom.only_in is not None and not idiom.only_in.search(question)) or (
        idiom.not_in is not None and idiom.not_in.search(question)
    ):
        return question
    asked = idiom.object_asked and _ASKS_ITS_OBJECT.search(question) is not None
    said = "|".join(
        sorted({re.escape(words).replace(r"\ ", r"\s+") for words in idiom.said}, key=len, reverse=True)
    )
    out, last = [], 0
    for match in re.finditer(rf"\b(?:{said})\b", question, re.I):
        words = " ".join(match.group(0).split())
        form = _form(idiom, words, question[: match.start()])
        after = question[match.end() :]
        named = any(w[:1].isupper() for w in match.group(0).split()) and match.start() > 0
        # a noun said so is no verb ("the shut down of the plant", "a set up")
        noun = re.search(r"\b(?:the|a|an)\s+$", question[: match.start()], re.I) is not None
        if (
            form is None
            or form not in idiom.forms
            or named
            or noun
            or (idiom.not_before is not None and idiom.not_before.match(after) and not _END.match(after))
            # a passive has its object before it ("Why was the vote pushed back?")
            or (
                idiom.only_before is not None
                and form != PARTICIPLE
                and not idiom.only_before.match(after)
                and not (asked and _END.match(after))
            )
        ):
            continue
        out.append(question[last : match.start()])
        out.append(idiom.plain[form])
        last = match.end()
    question = "".join(out) + question[last:] if out else question
    return _put_apart(question, idiom) if idiom.separable else question


# what may stand between a verb and its particle: a pronoun, or a short phrase with "the"
# or a number ("handed it down", "called the match off", "laid 300 workers off")
_BETWEEN = r"(?:it|them|him|her|this|that|(?:the|a|an|its|his|her|their|\d[\d,.]*)(?:\s+[\w'’-]+){1,2})"


def _put_apart(question: str, idiom: Idiom) -> str:
    """`question` with `idiom`'s verb and particle said apart put plainly: "Who handed the
    fine down?" → "Who imposed the fine?"."""
    verbs = {words.split()[0]: n for n, words in reversed(list(enumerate(idiom.said)))}
    particle = idiom.said[BASE].split()[-1]
    pattern = (
        rf"\b(?P<verb>{'|'.join(map(re.escape, verbs))})\s+(?P<object>{_BETWEEN})\s+{re.escape(particle)}\b"
    )
    match = re.search(pattern, question, re.I)
    if match is None:
        return question
    form = _form(idiom, f"{match['verb']} {particle}", question[: match.start()])
    if form is None or form not in idiom.forms:
        return question
    return f"{question[: match.start()]}{idiom.plain[form]} {match['object']}{question[match.end() :]}"


# whole questions said another way: "What makes MalaVax different from the others?" →
# "What is different about MalaVax?"; "How well did the vaccine work in the trial?" → "How
# effective was the vaccine in the trial?" (a story says "the first that needs only one
# dose", "prevented 71 percent of severe cases")
_WHAT_MAKES = re.compile(
    r"^(?P<lead>\s*(?:and\s+|so\s+)?)what\s+makes\s+(?P<x>.+?)\s+(?P<how>different|special|unique)"
    r"(?:\s+from\s+[^?]+)?\s*\?\s*$",
    re.I,
)
_HOW_WELL = re.compile(
    r"^(?P<lead>\s*(?:and\s+|so\s+)?)how\s+well\s+(?P<aux>did|does|do|will|would)\s+(?P<x>.+?)\s+work\b(?P<rest>[^?]*)\?\s*$",
    re.I,
)
_BE_OF = {"did": "was", "does": "is", "do": "are", "will": "will be", "would": "would be"}


def _whole_question(question: str) -> str:
    """`question` said another way where its whole shape is an idiom (`_WHAT_MAKES`,
    `_HOW_WELL`), else as it is."""
    if (found := _WHAT_MAKES.match(question)) is not None:
        said = f"What is {found['how'].lower()} about {found['x']}?"
    elif (found := _HOW_WELL.match(question)) is not None:
        said = f"How effective {_BE_OF[found['aux'].lower()]} {found['x']}{found['rest']}?"
    else:
        return question
    lead = found["lead"]  # "And how effective ...?"
    return lead + (said[:1].lower() if lead.strip() else said[:1]) + said[1:]


def plain_words_reading(question: str) -> str | None:
    """`question` with each idiom or phrasal verb it says put in the plain words articles
    use ("When do the new prices kick in?" → "When do the new prices take effect?"), a
    question whose whole shape is one said another way ("How well did it work?" → "How
    effective was it?"); None where it says none."""
    reading = _whole_question(question)
    for idiom in sorted(_IDIOMS, key=lambda i: -len(i.said[BASE])):  # "splash out on" first
        reading = _put(reading, idiom)
    return reading if reading != question else None


def chat_words_reading(question: str) -> str | None:
    """`question` with a chat's words in a story's ("Which jab hadn't the kids had?" →
    "Which vaccine hadn't the children had?"), lower-case words only ("Kid Creole" is a
    name); None where it says none. A reading beside the words as asked: the articles
    choose."""
    reading = _CHAT_WORD.sub(lambda m: _CHAT_WORDS[m.group(0)], question)
    return reading if reading != question else None


# words of a chat and the words news stories write for them, none with another common
# sense in news ("stuck to the plan", "quid pro quo", "kept mum", "bucks" of deer are left)
# (plurals: "guy ritchie", "kid cudi" typed in lower case are names; "a jab at the minister"
# is no vaccine)
_CHAT_WORDS = {
    "kids": "children",
    "cops": "police",
    "jab": "vaccine",
    "jabs": "vaccines",
    "ppl": "people",
    "folks": "people",
    "guys": "men",
    "stuck": "stranded",
}
_CHAT_WORD = re.compile(
    rf"\b(?:{'|'.join(w for w in _CHAT_WORDS if w != 'stuck')})\b(?!['’-])(?!\s+at\b)"
    # "stuck" as people are where they cannot leave ("How many people stuck?"), never
    # "stuck to the plan", "stuck with it", "stuck the poster up"
    r"|\bstuck\b(?!\s+(?:to|with|by|together|up|out|into|on|around|the|a|an|it|them)\b)"
)
