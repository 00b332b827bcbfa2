"""Phrase patterns (threats, hate) and the scope rules that keep words from being misread.

Patterns run on ``View.joined`` (folded words, one space apart, "#" between sentences), so they
are written in plain folded words; each is a flat alternation with bounded gaps only (no
nested repetition), which keeps matching linear. Threats are built from who acts on whom:
the writer ("je", "on", "I") doing something to the reader ("vous", "te", "you"), or the reader
being told what will happen to them. The same violent words with a third person ("son père
l'a frappé", "il a menacé de la tuer") are a report, not a threat, and are not matched.

Scope rules decide whether a hostile word found in the text is the writer's own, aimed at the
reader: inside quotation marks, after a reporting verb ("il m'a traitée de", "he called me"),
next to a mention ("ces mots", "le terme") or under negation ("je ne vous traite pas de"), it
is someone else's word or a denial, and counts for nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accalmie.guard.hostility.text import Token

_G = r"(?:[a-z0-9]+ ){0,2}"  # up to two filler words ("je vais VRAIMENT vous…")


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    category: str  # "threat", "insult" (hate) or "incivility"
    weight: float
    code: str


def _p(category: str, weight: float, code: str, *alternatives: str) -> Pattern:
    return Pattern(re.compile(r"\b(?:" + "|".join(alternatives) + r")\b"), category, weight,
                   code)


_YOU = r"(?:vous|te|t)"
_VIOLENCE_FR = (r"(?:tuer|buter|crever|defoncer|frapper|egorger|planter|saigner|bruler|cramer|"
                r"massacrer|exploser|eclater|tabasser|cogner|etrangler|demolir|violer|fumer|"
                r"casser la gueule|peter la gueule|casser les dents|faire la peau|faire du mal|"
                r"faire mal|faire payer|pourrir la vie|regler (?:ton|votre) compte|"
                r"retrouver|trouver|attendre|aurai|avoir|defigurer|harceler|attraper|choper|"
                r"chopper|soulever|peter|enculer|baiser|bz|niquer|lyncher|detruire|briser|"
                r"achever|ecraser|gifler|claquer|casser|allumer|faire regretter|"
                r"mettre (?:une|un|des) (?:claque|baffe|gifle|droite|coup|raclee|branlee)|"
                r"foutre (?:une|un|des) (?:claque|baffe|gifle|droite|coup|raclee))")
_VIOLENCE_FR_NOW = (r"(?:tue|tuerai|bute|buterai|creve|creverai|defonce|defoncerai|frappe|"
                    r"frapperai|egorge|egorgerai|plante|planterai|brule|brulerai|eclate|"
                    r"eclaterai|massacre|massacrerai|retrouverai|trouverai|aurai|ferai la peau|"
                    r"casse la gueule|casserai la gueule|pete la gueule|nique|niquerai|choppe|"
                    r"chope|tabasse|tabasserai|explose|exploserai|baise|encule|bz|gifle|"
                    r"attrape|attraperai|defigure|defigurerai|ecrase|ecraserai|detruis|"
                    r"detruirai)")
_KIN = (r"(?:enfants?|gosses?|filles?|fils|mari|femme|famille|adresse|voiture|maison|domicile|"
        r"mere|pere|parents|chien|chat|bebe)")

THREATS_FR = (
    _p("threat", 1.0, "knows_where",
       r"je (?:sais|connais) (?:tres bien |bien |parfaitement )?(?:ou|a quelle heure|quand|"
       r"l endroit ou) (?:vous|tu|t) (?:habit\w*|vi\w*|dorm\w*|dor\w*|travaill\w*|gar\w*|"
       r"sort\w*|fini\w*|part\w*|quitt\w*|rentr\w*|etes|es|allez|vas|passez|passes|"
       r"emmen\w*|dépos\w*|depos\w*|cach\w*)",
       r"je (?:sais|connais) (?:tres bien |bien )?(?:ou|l ecole ou) (?:sont|vont|va|est|habit\w*|"
       r"vit|vivent|dort|dorment) (?:vos|tes|votre|ton|ta) " + _KIN,
       r"je connais (?:vos|tes|votre|ton|ta) " + _KIN,
       r"j ai (?:votre|ton|vos|tes) adresse",
       r"je sais (?:tout )?(?:sur|de) (?:vous|toi|vos|tes) " + _KIN),
    _p("threat", 1.0, "will_pay",
       r"(?:vous|tu|t) (?:allez|vas|va|aller) (?:me |le |la |les |m |l ){0,2}"
       r"(?:payer|regretter)",
       r"(?:vous|tu) (?:me |le |la ){0,2}(?:paierez|payerez|paieras|payeras|regretterez|"
       r"regretteras)",
       r"(?:vous|tu|t) (?:allez|vas|va) (?:morfler|souffrir|crever|prendre cher|le sentir|"
       r"avoir affaire a moi|avoir de(?:s)? (?:gros )?problemes|comprendre ta douleur)",
       r"(?:vous|tu) (?:ne perdez|ne perds|perds|perdez) rien pour attendre"),
    _p("threat", 0.9, "see_what_happens",
       r"(?:vous|tu|t) (?:allez|vas|va) voir ce qui (?:va|vas) (?:se passer|arriver|"
       r"vous arriver|t arriver)",
       r"(?:vous|tu) (?:allez|vas) voir(?: ce que (?:vous|tu) (?:allez|vas) voir)? #",
       r"(?:vous|tu) (?:allez|vas) voir(?: ce que (?:vous|tu) (?:allez|vas) voir)?$",
       r"(?:vous|tu) (?:allez|vas) voir quand (?:vous|tu)",
       r"(?:ca|cela|tout ca) (?:va|risque de|pourrait) (?:tres )?mal (?:finir|se passer|"
       r"tourner|se terminer)",
       r"(?:ca|cela) va (?:chauffer|barder|saigner|peter|mal aller pour vous)"),
    _p("threat", 1.0, "harm",
       r"(?:(?:je|j|on|moi je) (?:vais|va|vai|v|veux|compte|viens|viendrai)|jvais|jvai) " + _G
       + _YOU + " " + _VIOLENCE_FR,
       r"jte " + _VIOLENCE_FR_NOW,
       r"(?:je|j|on) " + _YOU + " " + _VIOLENCE_FR_NOW,
       r"(?:je|j|on) (?:vais|va) (?:tout )?(?:casser|peter|bruler|cramer|defoncer) tout\b",
       r"(?:je|j|on) (?:vais|va) (?:tout (?:casser|peter|bruler|cramer|defoncer)|"
       r"faire un (?:malheur|carnage|massacre)|foutre le feu|mettre le feu)",
       r"(?:t es|vous etes|tu es|t) (?:deja )?(?:mort|morte|morts|mortes|un homme mort|"
       r"une femme morte)",
       r"il faut (?:tous )?(?:les|vous|te) (?:tuer|exterminer|gazer|bruler|pendre|fusiller)",
       r"mort aux?"),
    _p("threat", 0.9, "at_the_exit",
       r"(?:vous|te|t) (?:voir|attendre|chercher|trouver|retrouver|guetter|choper|coincer)"
       r"(?: [a-z0-9]+){0,3} (?:a la sortie|en bas de chez|devant chez|a votre domicile|"
       r"devant l ecole|sur le parking|devant (?:votre|ton) (?:bureau|travail|maison))",
       r"(?:je|j|on) (?:vais|va|viens|viendrai) (?:vous |te |t )?(?:attendre|chercher) "
       r"(?:a la sortie|devant)",
       r"(?:je|j|on) (?:vous|te|t) (?:attendrai|attendra|attends|attend|guetterai|retrouverai|"
       r"retrouvera|trouverai|choperai|coincerai) (?:[a-z0-9]+ ){0,2}(?:a la sortie|devant|"
       r"en bas de|chez (?:vous|toi))",
       r"(?:on|je) (?:reglera|regle|va regler|vais regler) (?:ca|nos comptes|mes comptes) "
       r"entre nous",
       r"je m en (?:occupe|occuperai|charge|chargerai) moi meme",
       r"(?:je|j|on) (?:vais|va|viens|viendrai|viendra|passe|passerai|passera) (?:venir |passer |"
       r"debarquer )?devant chez (?:vous|toi)"),
    _p("threat", 0.8, "warning",
       r"(?:vous|tu|t) (?:avez|as|a) (?:tout )?interet a",
       r"(?:vous etes|t es|tu es) prevenu\w*",
       r"dernier avertissement",
       r"(?:vous|tu) (?:ne )?(?:savez|sais) pas a qui (?:vous avez|tu as|t as) affaire",
       r"(?:vous|tu) (?:ne )?(?:savez|sais|connaissez|connais) pas (?:de quoi je suis capable|"
       r"qui je suis)",
       r"gare a (?:vous|toi)",
       r"(?:surveille|surveillez) (?:tes|vos) arrieres",
       r"fais gaffe a (?:toi|ta)",
       r"(?:ce serait|serait) dommage (?:qu|que) (?:[a-z0-9]+ ){0,4}arriv\w*",
       r"il (?:pourrait|risque d|risquerait d) (?:vous|te|t) arriver (?:quelque chose|malheur|"
       r"un accident|des problemes)",
       r"je vais (?:vous|te|la|le) faire (?:virer|renvoyer|licencier|radier)",
    ),
    _p("threat", 0.4, "warning",
       r"je (?:vous|te|t) (?:previens|previens que)"),
)

THREATS_EN = (
    _p("threat", 1.0, "knows_where",
       r"i know where (?:you|u) (?:live|work|sleep|park|stay|go|hang out|are staying)",
       r"i know where (?:your|ur) (?:kids|children|daughter|son|family|wife|husband) \w+",
       r"i know (?:when|what time) (?:you|u) (?:leave|finish|get off|get out)",
       r"i know (?:your|ur) (?:kids|children|daughter|son|family|address|car|wife|husband|"
       r"house)",
       r"i (?:have|got) (?:your|ur) address"),
    _p("threat", 1.0, "will_pay",
       r"(?:you|u) (?:ll|will|re going to|are going to|re gonna|are gonna) "
       r"(?:pay|regret|be sorry|suffer|get what s coming)",
       r"(?:you|u) will pay for (?:this|that)"),
    _p("threat", 1.0, "harm",
       r"i (?:ll|will|m going to|am going to|m gonna|am gonna|want to|m coming to) "
       r"(?:[a-z]+ ){0,1}(?:kill|hurt|find|get|destroy|beat|smash|punch|shoot|stab|burn|ruin|"
       r"come for|come after|deal with|wait for|track down|end) (?:you|ya|u|your)",
       r"(?:you|u) (?:re|are) (?:dead|a dead (?:man|woman))",
       r"(?:you|u) (?:ll|will) (?:see|find out) what happens",
       r"i ll be waiting (?:for (?:you|u) )?(?:outside|after work|at your|near your)",
       r"something (?:bad )?(?:could|might|will|may) happen to (?:you|your)"),
    _p("threat", 0.8, "warning",
       r"watch your back",
       r"(?:this|that) is your (?:last|final) warning",
       r"(?:you|u) (?:ve|have) been warned",
       r"(?:you|u) (?:don t|do not) know who (?:you|u) (?:re|are) (?:dealing|messing) with",
       r"(?:you|u|you d) better (?:watch out|watch yourself|be careful)",
       r"things? (?:will|are going to|is going to|gonna) get ugly"),
)

_GROUPS_FR = (r"(?:arabes?|noire?s?|juifs?|juives?|musulmane?s?|rebeus?|renois?|blancs?|"
              r"immigres?|etrangers?|migrants?|roms?|gitans?|chinois|chinoises?|asiatiques?|"
              r"africaine?s?|algeriens?|algeriennes?|marocaine?s?|tunisiens?|turcs?|homos?|"
              r"gays?|lesbiennes?|trans|feministes?|femmes?|gauchistes?|noichs?|cathos?|"
              r"islamistes?|refugies?|bougnoules?|gros|grosses?|obeses?|handicapes?|"
              r"francais|francaises?|race|espece)")
_DEHUMAN_FR = (r"(?:terroristes|animaux|singes|porcs|parasites|chiens|cafards|rats|sous hommes|"
               r"vermine|sauvages|degeneres|malades|deches|dechets|barbares|violeurs|"
               r"cancrelats|sangsues|erreurs de la nature|contre nature|pas des humains|"
               r"une plaie|une maladie|une race inferieure|inferieurs|inferieures|voleurs|"
               r"profiteurs|delinquants|criminels|escrocs|assistes|faineants|feignasses)")
HATE_FR = (
    _p("insult", 0.95, "hate",
       r"sales? " + _GROUPS_FR,
       r"(?:retourne|retournez|retourner|rentre|rentrez|rentrer|repars|repartez|casse toi|"
       r"cassez vous) (?:dans|chez|en|au) (?:ton|ta|tes|votre|vos|leur|leurs|son|sa|ses|"
       r"afrique|algerie|maroc|tunisie|turquie|chine|pays|bled)\w*",
       r"dehors les " + _GROUPS_FR,
       r"(?:les )?" + _GROUPS_FR + r" (?:[a-z]+ )?dehors(?: #|$)"),
    _p("insult", 0.6, "hate",
       r"(?:rentre|rentrez) chez (?:toi|vous)(?: #|$)"),
    # "les X sont (tous) des Y": a group reduced to a dehumanising word.
    _p("insult", 0.9, "hate",
       r"(?:les|ces|tous les) " + _GROUPS_FR + r" (?:sont|c est|ce sont|c|s) (?:tous |toutes |"
       r"que |qu |vraiment |juste )?(?:des |de la |une )?" + _DEHUMAN_FR,
       r"(?:tous|toutes|que|rien que) des " + _DEHUMAN_FR + r" (?:ces|les) " + _GROUPS_FR),
)
HATE_EN = (
    _p("insult", 0.95, "hate",
       r"go back to (?:your|their|ur|africa|mexico|china) \w*",
       r"dirty (?:jews?|arabs?|muslims?|mexicans?|immigrants?|blacks?|gays?)"),
)

FR_PATTERNS = THREATS_FR + HATE_FR
EN_PATTERNS = THREATS_EN + HATE_EN

# --- scope ----------------------------------------------------------------------------------

_REPORT_FR = frozenset("""
traite traitee traites traitees traiter traitent traitait traitaient traitant
insulte insultee insultes insultees insulter insultent insultait insultaient insultant
appelle appellent appelait appelaient appele appelee surnomme surnomment surnommait
qualifie qualifiee qualifiait dit dire disait disaient disent disant ecrit ecrivent ecrivait
ecrivant ecrire crie criait crient criant cri hurle hurlait hurlent hurlant repete repetait
menace menacee menaces menacees menacer menacait menacent menacant lance lancait envoie
envoyait envoye envoyes recu recus recois reçu entendu raconte racontait explique
expliquait affirme pretend accuse accusee accuses accusait reproche taguee tague tagues
sms message messages texto textos commentaire commentaires
""".split())
_REPORT_FR_WITH_JE = frozenset({"recu", "recus", "recois", "entendu", "ete", "fait", "faite"})
_REPORT_EN = frozenset("""
called calls call calling said says saying told tells telling wrote writes writing texted
texts messaged yelled yells yelling shouted shouts shouting screamed screams threatened
threatens threatening insulted insults insulting accused accuses named labelled labeled
heard received posted comments comment message messages text
""".split())
_REPORT_EN_WITH_I = frozenset({"received", "heard", "was", "been", "got"})
_MENTION = frozenset("""
mot mots terme termes propos insulte insultes injure injures expression expressions
qualificatif qualificatifs surnom surnoms word words term terms slur slurs insult insults
names phrase phrases
""".split())
_NEG_FR = frozenset({"ne", "n", "pas", "jamais", "aucun", "aucune", "sans", "ni", "non"})
_NEG_FULL = frozenset({"pas", "jamais", "rien", "plus", "aucun", "aucune", "point"})
_NEG_EN = frozenset({"not", "never", "no", "nobody", "without", "cannot", "nor"})
_EN_CONTRACT = frozenset({"don", "doesn", "didn", "isn", "aren", "wasn", "weren", "won",
                          "wouldn", "can", "couldn", "shouldn", "haven", "hasn", "ain"})
_SUBJECT_3 = frozenset({"il", "elle", "ils", "elles", "c", "ce", "he", "she", "they", "it",
                        "celui", "celle", "mon", "ma", "mes", "son", "sa", "ses", "leur",
                        "his", "her", "my", "their", "je", "j", "suis", "moi", "i", "me"})
_FRAMES_FR = frozenset({"vous", "tu", "toi", "te", "t", "espece", "sale", "sales", "bande",
                        "pauvre", "pauvres"})
_FRAMES_EN = frozenset({"you", "your", "ya", "u", "ur", "youre", "yourself", "bunch"})
_AFTER_FR = (("que", "vous"), ("que", "tu"), ("qu", "vous"), ("va",), ("toi",), ("vous",))
_AFTER_EN = (("you",), ("like", "you"))
WINDOW = 5


def _same_clause(tokens: tuple[Token, ...], i: int, j: int) -> bool:
    return tokens[i].clause == tokens[j].clause


_SUBJECTS = frozenset({"je", "j", "tu", "t", "vous", "il", "elle", "ils", "elles", "on",
                       "i", "you", "he", "she", "they", "we"})


def negated(tokens: tuple[Token, ...], first: int, lang: str) -> bool:
    """A negation of the words' own verb, in their clause; "ne … que" ("only") is not one.

    Walking back from the words, a new subject ("…pas sibérienne, t'es con") ends the search
    unless it opens a clause that the negated verb governs ("je ne dis pas que vous…").
    """
    lo = max(0, first - 8)
    cue = -1
    for j in range(first - 1, lo - 1, -1):
        if not _same_clause(tokens, j, first):
            break
        w = tokens[j].text
        if lang == "en":
            if w in _NEG_EN or (w == "t" and j > 0 and tokens[j - 1].text in _EN_CONTRACT):
                cue = j
                break
            if w in _SUBJECTS and not (j > 0 and tokens[j - 1].text == "that"):
                break
        else:
            if w in _NEG_FR:
                if w == "pas" and j + 2 < first and tokens[j + 1].text in ("de", "d") \
                        and tokens[j + 2].text in ("quoi", "souci", "probleme"):
                    continue
                cue = j
                break
            if w in _SUBJECTS and w not in ("t", "j") and not (
                    j > 0 and tokens[j - 1].text in ("que", "qu")):
                break
            if w in ("t", "j") and j + 1 < first and tokens[j + 1].text in ("es", "est", "as",
                                                                           "etais", "ai"):
                if not (j > 0 and tokens[j - 1].text in ("que", "qu")):
                    break
    if cue < 0:
        return False
    if lang == "fr":
        between = [t.text for t in tokens[cue:first]]
        if ("que" in between or "qu" in between) and not any(w in _NEG_FULL for w in between):
            return False  # "vous n'êtes qu'une menteuse": restriction, not negation
    return True


def reported(tokens: tuple[Token, ...], first: int, lang: str) -> bool:
    """A reporting or mentioning word earlier in the sentence: someone else's words."""
    sentence = tokens[first].sentence
    verbs = _REPORT_EN if lang == "en" else _REPORT_FR
    for j in range(first - 1, -1, -1):
        tok = tokens[j]
        if tok.sentence != sentence:
            break
        w = tok.text
        if w in _MENTION and (tok.clause == tokens[first].clause or first - j <= 4):
            return True
        if w not in verbs:
            continue
        prev = [tokens[k].text for k in range(max(0, j - 3), j)
                if tokens[k].sentence == sentence]
        if lang == "en":
            if prev and prev[-1] == "i" and not (set(prev) & _REPORT_EN_WITH_I):
                continue  # "I told you": the writer speaking
        elif (("je" in prev or "j" in prev) and not (set(prev) & _REPORT_FR_WITH_JE)
              and w not in _REPORT_FR_WITH_JE):
            continue  # "je vous dis que…": the writer speaking
        return True
    return False


def targeted(tokens: tuple[Token, ...], first: int, last: int, lang: str,
             clause_size: int) -> bool:
    """Aimed at the reader: a second-person frame next to the words, or a bare vocative."""
    frames = _FRAMES_EN if lang == "en" else _FRAMES_FR
    clause = tokens[first].clause
    third_person = False
    for j in range(first - 1, max(-1, first - 1 - WINDOW), -1):
        if tokens[j].clause != clause:
            break
        w = tokens[j].text
        if w in _SUBJECT_3:
            third_person = True
            break
        if w in frames:
            return True
    after = _AFTER_EN if lang == "en" else _AFTER_FR
    for seq in after:
        k = last + 1
        if k + len(seq) <= len(tokens) and all(
                tokens[k + m].text == s and tokens[k + m].clause == clause
                for m, s in enumerate(seq)):
            return True
    # A bare vocative: "Connard !", "Merci, bande de nuls.", "michel le bouffon".
    return not third_person and clause_size - (last - first + 1) <= 2
