"""The project's own template-generated French training sentences for the hostility model.

Why templates: the licensed French data (MLMA tweets) covers hate tweets, not the insults,
threats, harassment and contempt of chats, SMS and angry mail, nor the hard negatives a social
worker reads every day. Every sentence here is built from frames and word lists written for
this project from general knowledge of French (no corpus sentence is copied): hostile acts
(insults, slurs, contempt, threats, intimidation, exclusion, hate against groups) and, with the
SAME vocabulary, the uses that are not hostile (quoted or reported insults, counter-speech,
negation, reports about children at risk, neutral mentions of groups, friendly slang,
self-deprecation, firm complaints, despair). Both sides then go through the same chat
spelling noise (``chatify``: no accents, lower case, "t'es"→"t", "que"→"ke", stretched letters,
"mdr"...) so that spelling carries no label. Deterministic for a given seed.

    .venv/bin/python scripts/hostility_synth.py --show 40   # print a sample
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata

# --- vocabulary (general French, own lists) -----------------------------------------------
INSULT_M = ("connard", "abruti", "crétin", "débile", "bouffon", "tocard", "boloss", "cassos",
            "con", "imbécile", "idiot", "enfoiré", "bâtard", "salaud", "minable", "nul",
            "raté", "guignol", "clown", "gros porc", "déchet", "parasite", "cafard", "chien",
            "gogol", "mongol", "attardé", "taré", "malade mental", "clochard", "fils de pute",
            "enculé", "trou du cul", "sac à merde", "merdeux", "bouffon de service", "plouc",
            "baltringue", "charlot", "mytho", "menteur", "lâche", "toutou", "suceur", "zgeg",
            "naze", "loser", "pauvre type", "moins que rien", "gros lard", "sous-merde",
            "teubé", "ouf", "fou furieux", "psychopathe", "pédale", "tapette", "pd", "crevard",
            "rat", "porc", "lèche-cul", "fayot", "traître", "bon à rien", "incapable",
            "incompétent", "escroc", "voleur", "pourri", "pignouf", "glandeur", "feignant")
INSULT_F = ("connasse", "salope", "pute", "pétasse", "grognasse", "pouffiasse", "garce",
            "conne", "abrutie", "débile", "idiote", "bouffonne", "cassos", "grosse vache",
            "grosse truie", "baleine", "thon", "cageot", "boudin", "chienne", "traînée",
            "menteuse", "mytho", "folle", "tarée", "malade", "nulle", "ratée", "moins que rien",
            "incapable", "incompétente", "sorcière", "vipère", "peste", "mégère", "grosse",
            "moche", "gouine", "feignasse", "bonne à rien", "imbécile", "crétine", "enfoirée",
            "bâtarde", "pourriture", "ordure", "raclure", "garce", "cruche", "dinde")
INSULT_PL = ("connards", "abrutis", "crétins", "débiles", "bouffons", "tocards", "cassos",
             "cons", "incapables", "incompétents", "enfoirés", "bâtards", "nuls", "ratés",
             "guignols", "clowns", "ordures", "pourris", "parasites", "fainéants",
             "feignasses", "branleurs", "tarés", "charlots", "escrocs", "voleurs", "rapaces",
             "sangsues", "vautours", "nazis", "bons à rien", "fumiers", "chiens", "rats",
             "sous-merdes", "porcs", "moins que rien", "lâches", "hypocrites", "menteurs")
ADJ_BAD = ("moche", "laid", "laide", "gros", "grosse", "con", "conne", "débile", "bête",
           "stupide", "nul", "nulle", "dégueulasse", "crade", "dégoûtant", "dégoûtante",
           "ridicule", "pathétique", "pitoyable", "minable", "bizarre", "chelou", "immonde",
           "repoussant", "répugnant", "inutile", "insupportable", "lourd", "lourde", "teubé",
           "mongol", "attardé", "taré", "tarée", "obèse", "difforme", "puant", "puante",
           "hideux", "hideuse", "grosse et moche", "con comme un balai", "bête à manger du foin")
ADJ_GOOD = ("beau", "belle", "fort", "forte", "drôle", "gentil", "gentille", "sympa",
            "intelligent", "intelligente", "marrant", "marrante", "doué", "douée", "stylé",
            "ouf", "chaud", "grave bien", "trop fort", "canon", "adorable", "courageux",
            "courageuse", "fatigué", "fatiguée", "en retard", "malade", "occupé", "occupée")
GROUPS = ("arabes", "noirs", "juifs", "musulmans", "homos", "gays", "lesbiennes", "pédés",
          "gros", "obèses", "roms", "gitans", "chinois", "asiatiques", "africains",
          "immigrés", "migrants", "étrangers", "réfugiés", "blancs", "femmes", "renois",
          "rebeus", "catholiques", "chrétiens", "trans", "handicapés", "cathos", "feujs",
          "bougnoules", "manouches", "algériens", "marocains", "turcs", "portugais",
          "racailles de banlieue", "cassos du quartier")
GROUPS_NEUTRAL = ("arabes", "noirs", "juifs", "musulmans", "homosexuels", "gays",
                  "lesbiennes", "roms", "gitans", "chinois", "asiatiques", "africains",
                  "immigrés", "migrants", "étrangers", "réfugiés", "blancs", "femmes",
                  "catholiques", "chrétiens", "personnes trans", "personnes handicapées",
                  "personnes en surpoids", "algériens", "marocains", "turcs", "portugais",
                  "gens du voyage", "jeunes du quartier", "mineurs non accompagnés")
GROUP_ADJ = ("arabe", "noir", "noire", "juif", "juive", "musulman", "musulmane", "homo",
             "gay", "lesbienne", "rom", "chinoise", "asiatique", "africain", "algérienne",
             "marocain", "turc", "catholique", "trans", "handicapé", "en surpoids", "ronde")
NEUTRAL_PRED = ("sont des parents qui veulent protéger leurs enfants", "travaillent dur",
                "ont organisé une collecte pour l'école", "sont arrivés le mois dernier",
                "cherchent un logement", "ont besoin d'un interprète", "sont inscrits au CCAS",
                "vivent ici depuis vingt ans", "sont des voisins discrets",
                "sont les plus touchés par la précarité", "viennent à la permanence du mardi",
                "ont droit à l'aide sociale", "ont fêté la fin du ramadan",
                "vont à l'école du quartier",
                "sont des élèves sérieux", "attendent une réponse de la préfecture",
                "sont souvent mal logés", "ont des enfants scolarisés", "parlent plusieurs langues",
                "font du bénévolat aux Restos du cœur", "sont des gens accueillants")
HATE_PRED = ("des terroristes", "des voleurs", "des sous-hommes", "des animaux", "des singes",
             "des porcs", "des parasites", "des chiens", "des malades", "des dégénérés",
             "des violeurs", "des cafards", "des rats", "de la vermine", "une plaie",
             "une maladie", "une honte", "des déchets", "des fainéants", "des profiteurs",
             "dégueulasses", "inférieurs", "tous pareils", "des sauvages", "des moins que rien",
             "des erreurs de la nature", "contre nature", "pas des humains", "des pervers")
HATE_FATE = ("dégager", "rentrer chez eux", "crever", "disparaître", "être enfermés",
             "être expulsés", "brûler", "être gazés", "pas exister", "se cacher",
             "pas avoir le droit de vivre ici", "retourner dans leur pays", "être castrés")
VIOLENCE = ("tuer", "buter", "défoncer", "frapper", "éclater", "tabasser", "égorger",
            "planter", "casser la gueule", "péter la gueule", "casser les dents",
            "faire la peau", "démonter", "fracasser", "massacrer", "étrangler", "cramer",
            "faire du mal", "faire regretter", "pourrir la vie", "retrouver", "niquer",
            "défoncer la tête", "exploser la tête", "briser les jambes", "faire manger tes dents",
            "mettre une balle", "brûler", "faire payer", "faire souffrir", "détruire")
VIOLENCE_PP = ("tabasser", "défoncer", "frapper", "éclater", "buter", "planter", "égorger",
               "démonter", "lyncher", "massacrer", "niquer", "casser la gueule")
ANIMALS = ("un singe", "un porc", "une vache", "une baleine", "un rat", "un cafard",
           "un chien", "un thon", "un hippopotame", "une truie", "un âne", "un boudin")
NAMES = ("Kevin", "Sarah", "Lucas", "Inès", "Mehdi", "Léa", "Yanis", "Chloé", "Enzo",
         "Jade", "Rayan", "Manon", "Bilal", "Clara", "Hugo", "Emma", "Nassim", "Lina", "Théo",
         "Camille", "madame", "monsieur", "mademoiselle", "frère", "wesh", "toi", "la grosse",
         "le gros", "Mme Durand", "M. Petit")
PLACES = ("ton pays", "ton bled", "ta cité", "ton village", "ta caravane", "ta mosquée",
          "ton désert", "ton trou", "ta forêt", "ta brousse", "ta jungle", "ton ghetto",
          "ton Afrique", "ton Maghreb", "ta Chine", "ta campagne")
CHILD = ("Léo", "Inaya", "l'enfant", "la petite", "le garçon", "la jeune", "le mineur",
         "l'adolescente", "Nolan", "Aya", "le bébé", "Timéo")
ADULT3 = ("le père", "la mère", "le beau-père", "le compagnon", "l'oncle", "le voisin",
          "son frère", "son ex", "le mari", "la grand-mère", "un camarade", "des élèves")
SERVICE = ("votre service", "la CAF", "la MDS", "votre administration", "le département",
           "votre bureau", "l'ASE", "la mairie", "le bailleur", "votre collègue")


def _c(rng: random.Random, items: tuple[str, ...]) -> str:
    return rng.choice(items)


def _art(noun: str, fem: bool) -> str:
    if noun[0] in "aeiouyéèâêîôûh":
        return "l'" + noun
    return ("la " if fem else "le ") + noun


def _un(noun: str, fem: bool) -> str:
    return ("une " if fem else "un ") + noun


def _insult(rng: random.Random) -> tuple[str, bool]:
    fem = rng.random() < 0.45
    return (_c(rng, INSULT_F) if fem else _c(rng, INSULT_M)), fem


# --- hostile frames (label 1) -------------------------------------------------------------
def insult(rng: random.Random) -> str:
    w, fem = _insult(rng)
    n = _c(rng, NAMES)
    frames = (
        f"t'es {_un(w, fem)}", f"tu es vraiment {_un(w, fem)}", f"espèce de {w}",
        f"sale {w}", f"{w} va", f"ta gueule {w}", f"{n} t'es qu'{_un(w, fem)[1:]}",
        f"tu n'es qu'{_un(w, fem)[1:]}", f"quel{'le' if fem else ''} {w} celui-là",
        f"{n} c'est {_un(w, fem)}", f"pauvre {w}", f"gros{'se' if fem else ''} {w}",
        f"t'es {_un(w, fem)} et tout le monde le sait", f"ferme-la {w}",
        f"vous êtes {_un(w, fem)}", f"mais quel{'le' if fem else ''} {w}",
        f"t'es {_un(w, fem)} de première", f"{w} !", f"dégage {w}",
        f"regardez-moi {_art(w, fem)}", f"tu fais pitié, {w}", f"oh {_art(w, fem)} tais-toi",
        f"vas-y {w} parle pas", f"{n} {_art(w, fem)} du groupe",
        f"t'es vraiment {_un(w, fem)} toi", f"je parle pas aux {w}s",
        f"encore {_art(w, fem)} qui ramène sa fraise", f"va pleurer {w}",
        f"elle est trop {_c(rng, ('conne', 'bête', 'débile', 'moche', 'grosse'))} celle-là",
        f"il est trop {_c(rng, ('con', 'bête', 'débile', 'moche', 'gros', 'nul'))} lui",
        f"cette {_c(rng, INSULT_F)} d'assistante sociale",
        f"ce {_c(rng, INSULT_M)} de {_c(rng, ('prof', 'voisin', 'chef', 'éducateur'))}",
    )
    return _c(rng, frames)


def insult_group_of_you(rng: random.Random) -> str:
    w = _c(rng, INSULT_PL)
    return _c(rng, (
        f"bande de {w}", f"vous êtes tous des {w}", f"vous êtes que des {w}",
        f"bande de {w}, vous servez à rien", f"tous des {w} dans {_c(rng, SERVICE)}",
        f"{_c(rng, SERVICE)} c'est une bande de {w}", f"allez vous faire voir bande de {w}",
        f"vous êtes des {w} et des {_c(rng, INSULT_PL)}", f"on est gouvernés par des {w}",
        f"que des {w} ici", f"sérieux vous êtes des {w}"))


def denigration(rng: random.Random) -> str:
    a = _c(rng, ADJ_BAD)
    return _c(rng, (
        f"t'es trop {a}", f"t'es {a} et tu pues", f"t'es vraiment {a}", f"t'es grave {a}",
        f"mais t'es {a} ou quoi", f"t'as vu ta tête, t'es {a}", f"tu ressembles à "
        f"{_c(rng, ANIMALS)}", f"on dirait {_c(rng, ANIMALS)}", "mange moins gros lard",
        "arrête de bouffer tu vas exploser", "t'as vu ton poids", "personne veut de toi",
        "personne t'aime", "tout le monde te déteste", "t'as aucun ami et c'est normal",
        "tu fais pitié", "t'es une honte", "t'es la honte de ta famille", "ta vie est nulle",
        "tu sers à rien", "tu sers strictement à rien", "t'es une erreur",
        "t'aurais jamais dû naître", "ta mère aurait dû avorter", "tu devrais même pas exister",
        "tu pues la merde", "tu pues de la gueule", "tu me dégoûtes", "tu me fais gerber",
        "va te cacher", "t'es moche comme un pou", f"t'es {a} comme ta mère",
        f"ta mère est {a}", f"ta sœur est {a}", "ta race", "t'es qu'une merde",
        "t'es un déchet", "retourne jouer aux billes", "t'as un cerveau de moineau",
        "t'as pas de cerveau", "réfléchis avant de parler, abruti", "t'es bête ou quoi",
        f"{_c(rng, NAMES)} t'es {a}", "on t'a pas sonné", "personne te demande ton avis",
        "ferme-la on t'a rien demandé", "tu crois que quelqu'un t'écoute ? pauvre tache",
        "regarde-toi dans une glace avant de parler", "t'es trop gros pour passer la porte",
        "vous me dégoûtez", "t'as aucune dignité", "t'as aucun respect, espèce de rien du tout",
        "on a pas de temps à perdre avec toi", "t'es qu'un gamin débile",
        "retourne à la maternelle",
        "t'as quel âge, quatre ans ?", "va te plaindre à ta mère", "t'es ridicule ma pauvre",
        "tu nous saoules avec tes histoires", "tu gaves tout le monde", "t'es lourd, dégage",
        "tu nous casses les pieds, ferme-la", "t'es jaloux parce que t'es moche",
        "personne t'a sonné le gros", "t'es qu'une grosse jalouse", "tu pues le seum",
        "t'as pas d'amis, c'est pour ça", "même ta mère veut pas de toi",
        "t'es la risée de tout le collège", "on se fout de ta gueule", "t'es un boulet",
        "t'es une traînée", "t'es qu'une traînée", "tout le monde sait que t'es une salope"))


def exclusion(rng: random.Random) -> str:
    return _c(rng, (
        "dégage du groupe", "on veut pas de toi ici", "casse-toi", "barre-toi d'ici",
        "dégage de là", "t'as rien à faire ici", "on veut plus te voir", "sors du groupe",
        "va voir ailleurs si on y est", "personne veut de toi ici, dégage",
        "casse-toi, personne t'a invité", "on va tous te bloquer", "vire-le du groupe",
        "éjectez-le, il pue", "on t'aime pas, va-t'en", "t'es pas le bienvenu",
        "reste dans ton coin", "va jouer ailleurs", "qu'il dégage celui-là",
        "tout le monde va te lâcher", "on va dire à tout le collège ce que t'es",
        "on va afficher tes photos partout", "on va balancer ta vidéo",
        "on va te pourrir sur les réseaux", "tu vas voir demain au collège"))


def hate(rng: random.Random) -> str:
    g, p, f = _c(rng, GROUPS), _c(rng, HATE_PRED), _c(rng, HATE_FATE)
    ga = _c(rng, GROUP_ADJ)
    return _c(rng, (
        f"les {g} sont tous {p}", f"les {g} c'est {p}", f"tous {p} ces {g}",
        f"les {g} devraient {f}", f"il faudrait que les {g} puissent {f}",
        f"sale {ga}", f"sales {g}", f"{g} de merde", f"je déteste les {g}",
        f"j'ai horreur des {g}", f"les {g} dehors", f"dehors les {g}",
        f"retourne dans {_c(rng, PLACES)}", f"rentre dans {_c(rng, PLACES)}",
        f"retourne dans {_c(rng, PLACES)} sale {ga}", f"la France aux Français, les {g} dehors",
        f"on veut pas de {g} ici", f"les {g} ça pue", f"les {g} me dégoûtent",
        f"les {g} sont {p}, c'est comme ça",
        f"t'es {ga} donc t'es {p[4:] if p.startswith('des ') else p}",
        f"un {ga} ça reste {p}", f"encore un {ga} qui vient profiter",
        f"les {g} ont pas leur place ici", f"vivement qu'on vire tous les {g}",
        f"les {g} nous envahissent", f"les {g} c'est pas des humains",
        "l'homosexualité c'est une maladie", "être homo c'est contre nature",
        "les gros ils ont qu'à arrêter de bouffer", "les gros c'est dégueulasse",
        "ta religion c'est de la merde", "ton dieu c'est de la merde",
        f"t'es {ga}, t'as rien à dire", f"casse-toi sale {ga}", f"les {g} je les supporte pas",
        f"à mort les {g}", f"mort aux {g}", f"les {g} faut tous les {_c(rng, VIOLENCE)}"))


def threat(rng: random.Random) -> str:
    v, pp = _c(rng, VIOLENCE), _c(rng, VIOLENCE_PP)
    return _c(rng, (
        f"je vais te {v}", f"on va te {v}", f"je vais vous {v}", f"jvais te {v}",
        f"je vais te {v} à la sortie", f"tu vas te faire {pp}", f"tu vas te faire {pp} ce soir",
        f"si je te croise je vais te {v}", f"demain je te {v}" if " " not in v else
        f"demain je vais te {v}", "je sais où tu habites", "je sais où vous habitez",
        "je connais ton adresse", "je sais où est l'école de tes enfants",
        "fais gaffe à toi", "fais gaffe à tes fesses", "surveille tes arrières",
        "tu vas prendre cher", "tu vas le regretter", "vous allez le payer",
        "tu vas voir ce qui va t'arriver", "ça va mal finir pour toi", "t'es mort",
        "t'es un homme mort", "t'es morte", "crève", "va crever", "va mourir",
        "suicide-toi", "pends-toi", "jette-toi d'un pont", "je vais te faire la peau",
        "on t'attend à la sortie", "on va venir chez toi", "on sait où tu dors",
        "je vais mettre le feu chez toi", "je vais brûler ta voiture",
        "on va s'occuper de toi", "tu vas finir à l'hôpital", "tu vas finir six pieds sous terre",
        "je vais te retrouver et tu vas comprendre", "la prochaine fois je te rate pas",
        "je vais vous faire virer", "vous allez avoir de gros problèmes",
        "vous ne savez pas de quoi je suis capable", "je vais descendre à la MDS et tout casser",
        f"si vous placez mes enfants je vais vous {v}",
        f"je vais venir {_c(rng, ('à ton bureau', 'chez toi', 'à ta porte'))} et je vais te {v}",
        "attends-toi au pire", "tu perds rien pour attendre", "un jour je te chope",
        "je te lâcherai pas", "je vais te harceler jusqu'à ce que tu craques"))


def profane(rng: random.Random) -> str:
    return _c(rng, (
        "ntm", "fdp", "tg", "ftg", "nique ta mère", "nique ta race", "ta gueule",
        "ferme ta gueule toi", "ferme-la", "la ferme", "tais-toi", "va te faire foutre",
        "allez vous faire foutre", "va te faire enculer", "je t'emmerde", "je vous emmerde",
        "ta mère la pute", "fils de pute", "ta gueule sale con", "tg fdp", "ntm fdp",
        "nique ta mère la pute", "va niquer ta mère", "je te baise", "je m'en bats les couilles "
        "de ta gueule", "occupe-toi de ton cul", "tu me casses les couilles",
        "vous me faites chier", "va te faire voir", "ta gueule tu pues",
        "mange tes morts", "ta mère", "enculé va", "ferme ta bouche", "va chier",
        "je t'encule", "je te nique", "casse-toi pauvre con", "sale fils de chien",
        "t'es qu'une petite merde", "connard de merde", "putain de connasse"))


def mail_incivility(rng: random.Random) -> str:
    s = _c(rng, SERVICE)
    return _c(rng, (
        f"{s} de merde", f"{s} c'est une bande d'incapables",
        "vous êtes payés à rien foutre", "vous vous foutez de ma gueule",
        "vous vous foutez du monde, bande de fainéants", "honte à vous, minables",
        "vous êtes des incompétents notoires", "vous êtes nuls, tous autant que vous êtes",
        "fonctionnaires de merde", "votre boulot c'est de la merde",
        "vous êtes des voleurs d'enfants", "bande de nazis", "vous êtes des pourris",
        "répondez bordel de merde", "putain vous foutez quoi", "mais vous êtes cons ou quoi",
        "vous comprenez rien à rien, bande d'abrutis", "espèce d'incompétente",
        "je vous emmerde vous et votre dossier", "allez vous faire voir avec vos papiers",
        "c'est quoi ce foutage de gueule", "vous me prenez pour un con ?",
        "vous êtes vraiment des bons à rien", "je vais vous pourrir la vie"))


# --- not hostile, same vocabulary (label 0) -----------------------------------------------
def reported(rng: random.Random) -> str:
    w, fem = _insult(rng)
    a, g = _c(rng, ADJ_BAD), _c(rng, GROUP_ADJ)
    who = _c(rng, ("il", "elle", "mon ex", "le voisin", "ma belle-mère", "des élèves",
                   "un collègue", "mon chef", "son père", "les jeunes du quartier"))
    return _c(rng, (
        f"{who} m'a traité de {w}", f"{who} m'a traitée de {w} devant tout le monde",
        f"on me traite de {w} au collège", f"ma fille se fait traiter de {w}",
        f"mon fils se fait appeler « {w} » tous les jours", f"il m'a dit que j'étais {a}",
        f"elle m'a écrit « t'es {_un(w, fem)} », je suis choquée",
        f"ils l'appellent « sale {g} » dans la cour", f"des élèves lui crient « {w} »",
        f"j'ai reçu un message disant « je vais te {_c(rng, VIOLENCE)} »",
        f"il m'a menacée de me {_c(rng, VIOLENCE)}",
        f"il a dit qu'il allait me {_c(rng, VIOLENCE)}",
        f"mon voisin m'insulte, il me traite de {w}", f"on a tagué « {w} » sur ma porte",
        f"elle raconte qu'on la traite de {w} sur les réseaux",
        f"il répète que je suis {_un(w, fem)}, ça me fait mal",
        f"le mot « {w} » revient sans arrêt dans ses messages",
        f"on m'a dit « retourne dans {_c(rng, PLACES)} » à la boulangerie",
        f"des jeunes ont crié « les {_c(rng, GROUPS)} dehors » devant l'école",
        f"quand il boit il me traite de {w} et il dit qu'il va me {_c(rng, VIOLENCE)}"))


def counter_speech(rng: random.Random) -> str:
    w, _ = _insult(rng)
    g, gn = _c(rng, GROUPS), _c(rng, GROUPS_NEUTRAL)
    return _c(rng, (
        f"arrête de le traiter de {w}", f"on dit pas {w}, c'est méchant",
        f"traiter quelqu'un de {w} c'est inacceptable", f"c'est pas bien de dire « {w} »",
        f"dire que les {g} sont {_c(rng, HATE_PRED)}, c'est raciste et c'est faux",
        "laisse-la tranquille", "arrêtez de vous moquer de lui", "ça suffit les insultes",
        "arrêtez de l'insulter", "on se calme, on est là pour discuter",
        "c'est pas drôle de se moquer de son poids", "le racisme c'est nul",
        "l'homophobie c'est puni par la loi", f"les {gn} ont les mêmes droits que tout le monde",
        f"respectez les {gn}", "personne mérite d'être harcelé", "je le défendrai toujours",
        "on doit respecter toutes les religions", f"moi je trouve ça grave de parler des {gn} "
        "comme ça", "vous allez trop loin, arrêtez", "stop au harcèlement",
        "si quelqu'un t'embête dis-le à un adulte", f"le mot {w} blesse, ne l'utilise pas",
        "je signale ces messages au modérateur", "t'inquiète on est avec toi",
        "ne réponds pas à leurs insultes", "les insultes racistes doivent cesser"))


def negated(rng: random.Random) -> str:
    w, fem = _insult(rng)
    a = _c(rng, ADJ_BAD)
    return _c(rng, (
        f"je ne dis pas que tu es {_un(w, fem)}", f"t'es pas {a} t'inquiète",
        f"je ne vous traite pas de {w}", f"personne pense que t'es {a}",
        f"je n'ai jamais dit que vous étiez {_un(w, fem)}", f"tu n'es pas {a} du tout",
        f"je ne pense pas que tu sois {a}", f"t'es tout sauf {a}",
        f"ne crois pas ceux qui disent que t'es {a}", "je ne vous menace pas",
        "je ne vous insulte pas, je demande juste une réponse", "je ne vous veux aucun mal",
        f"non t'es pas {_un(w, fem)}, arrête de dire ça",
        f"tu n'es pas {a}, tu es {_c(rng, ADJ_GOOD)}"))


def neutral_groups(rng: random.Random) -> str:
    g, ga = _c(rng, GROUPS_NEUTRAL), _c(rng, GROUP_ADJ)
    return _c(rng, (
        f"les {g} du quartier organisent une fête samedi", f"mon meilleur ami est {ga}",
        f"je suis {ga} et fier de l'être", f"il y a beaucoup de {g} dans ma classe",
        f"les {g} ont le droit de se marier", f"ma voisine est {ga}, elle est très gentille",
        f"une famille de {g} vient d'arriver dans l'immeuble",
        f"l'association aide les {g} à trouver un logement",
        f"nous accompagnons des {g} pour leurs démarches",
        f"c'est quoi ta religion ? moi je suis {ga}",
        "ma mère fait le ramadan", "on fête Noël et l'Aïd à la maison",
        "je vais à la mosquée le vendredi", "je vais à la messe le dimanche",
        f"le cours d'histoire parlait des {g}", f"les {g} ont souvent subi des discriminations",
        f"il est {ga} et il a 16 ans", f"elle est {ga}, elle cherche un stage",
        f"les {g} sont nombreux dans cette commune", f"mon copain est {ga}",
        "je suis un peu ronde mais je m'aime comme je suis", "il est gros mais il court vite",
        f"les {g} que j'ai rencontrés étaient super accueillants",
        f"les {g} sont des gens comme les autres", f"les {g} sont des personnes comme nous",
        f"les {g} sont des êtres humains avant tout", f"les {g} sont des citoyens comme vous",
        f"les {g} sont souvent victimes de racisme", f"les {g} sont nombreux à demander de l'aide",
        f"les {g} sont des voisins comme les autres", f"les {g} c'est des gens bien",
        f"les {g} sont tous différents, on peut pas généraliser",
        f"non, les {g} ne sont pas {_c(rng, HATE_PRED)}",
        f"les {g} ne sont pas {_c(rng, HATE_PRED)}, arrête avec tes clichés",
        f"les {g} sont des familles qui cherchent juste un logement",
        f"les {g} {_c(rng, NEUTRAL_PRED)}", f"beaucoup de {g} {_c(rng, NEUTRAL_PRED)}",
        f"des {g} {_c(rng, NEUTRAL_PRED)}", f"la plupart des {g} {_c(rng, NEUTRAL_PRED)}"))


def report_at_risk(rng: random.Random) -> str:
    c, a = _c(rng, CHILD), _c(rng, ADULT3)
    return _c(rng, (
        f"{c} dit que {a} le frappe", f"{a} a menacé de tuer {c}",
        f"signalement : {c} présente des ecchymoses, {a} serait violent",
        f"{a} a frappé {c} avec une ceinture", f"{c} a peur que {a} le tue",
        f"information préoccupante : menaces de mort de {a} envers la mère",
        f"{a} l'insulte et le traite de bon à rien", f"{c} a été giflé par {a}",
        f"{a} aurait dit qu'il allait mettre le feu à l'appartement",
        f"{c} raconte des coups et des insultes répétés", f"{a} a été violent devant {c}",
        f"{c} est victime de harcèlement au collège, on le traite de gros",
        f"violences conjugales : {a} frappe et menace, {c} était présent",
        f"{c} dit qu'on l'a menacé avec un couteau", f"{a} l'a enfermé et privé de repas"))


def complaint(rng: random.Random) -> str:
    s = _c(rng, SERVICE)
    return _c(rng, (
        f"je suis très déçu par {s}, j'attends une réponse depuis deux mois",
        "je conteste cette décision et je ferai un recours",
        "je vais saisir le médiateur et mon avocat", "c'est inadmissible d'attendre autant",
        f"je trouve scandaleux le traitement de mon dossier par {s}",
        "je vous préviens que je porterai plainte contre le bailleur",
        "je vais écrire au directeur si rien ne bouge", "vous m'avez encore oublié, c'est injuste",
        "je suis en colère mais je veux une solution",
        "c'est honteux de laisser une famille sans chauffage",
        "je ne suis pas satisfaite de l'accueil d'hier",
        "je demande pour la dernière fois mon dossier",
        "franchement ça commence à bien faire, rappelez-moi",
        "je n'ai toujours rien reçu, c'est pénible",
        "vous allez recevoir mon courrier recommandé", "je viendrai vous voir à la permanence",
        "je sais où se trouve votre bureau, je passerai mardi",
        "je vous attends à la sortie de l'école pour la visite",
        "on se retrouve devant chez vous à 14h pour le déménagement"))


def despair(rng: random.Random) -> str:
    return _c(rng, (
        "je n'en peux plus", "je suis à bout", "j'ai envie de mourir", "je veux en finir",
        "je me sens nulle", "je suis trop nul en maths", "je me trouve grosse et moche",
        "je suis une idiote, j'ai oublié le rendez-vous", "je me déteste",
        "je suis un raté, je n'arrive à rien", "tout le monde me déteste au collège",
        "personne ne m'aime", "je pleure tous les soirs", "je ne dors plus", "je vais craquer",
        "ma vie est nulle en ce moment", "j'ai honte de moi", "je suis fatiguée de me battre"))


def friendly(rng: random.Random) -> str:
    g, n = _c(rng, ADJ_GOOD), _c(rng, NAMES)
    return _c(rng, (
        f"t'es trop {g}", f"t'es grave {g}", f"{n} t'es {g}", "mdr t'es ouf", "ptdr trop drôle",
        "je suis mort de rire", "t'es un malade, bien joué", "ça tue ce son", "c'est une tuerie",
        "wesh bien ou quoi", "frère t'es où", "on se capte au parc ?", "vas-y on y va",
        "t'as fini le devoir ?", "trop stylé ton sac", "t'es le meilleur", "je t'adore",
        "on va les écraser au match samedi", "ce contrôle va me tuer", "j'ai trop la flemme",
        "grave, je suis d'accord", "bon on change de sujet", "c'était une blague t'inquiète",
        "arrête tu me fais trop rire", "putain c'est trop bien", "oh merde j'ai oublié mes clés",
        "mdrr la prof elle a pété un câble", "t'es chaud ce soir ?", "t'es une star",
        "il est fou ce but", "ma mère veut pas que je sorte", "on mange où ?",
        "merci beaucoup pour votre aide", "bonne journée à vous", "à demain au collège",
        f"{n} tu viens ?", "pk tu réponds pas ?", "jsp, je te dis plus tard",
        "ok ça marche", "bisous", "gros bisous à ta mère", "t'es con mdr, t'as raison",
        "vous pouvez me rappeler ?", "je vous envoie les papiers demain"))


def debate(rng: random.Random) -> str:
    g, ga = _c(rng, GROUPS_NEUTRAL), _c(rng, GROUP_ADJ)
    return _c(rng, (
        "chacun fait ce qu'il veut de sa vie", "la religion c'est personnel",
        f"je vois pas le problème d'être {ga}", "moi je pense qu'on peut aimer qui on veut",
        "le poids ça regarde que la personne", "on est tous différents et c'est bien",
        f"pourquoi tu parles des {g} ? ça a rien à voir", "t'as le droit de pas être d'accord",
        "je suis pas d'accord avec toi mais je respecte", "on peut en parler calmement ?",
        f"c'est quoi le rapport avec le fait qu'il soit {ga} ?", "chacun sa religion",
        "franchement je m'en fiche de sa couleur de peau", "moi j'ai des amis de toutes origines",
        "elle a le droit de porter le voile", "il a le droit d'être avec un garçon",
        "le sport ça aide si tu veux perdre du poids", "tu devrais en parler à l'infirmière",
        "je comprends pas pourquoi vous vous disputez", "explique-moi ton point de vue",
        "c'est son choix, pas le nôtre", "je crois que tu te trompes sur lui",
        "on devrait l'inviter à la soirée", "ça va toi ? t'as l'air triste",
        f"en cours on a parlé des discriminations contre les {g}",
        "je suis pas sûr que ce soit une bonne idée", "ok mais faut pas généraliser",
        "tous les gens ne sont pas pareils", "faut arrêter les clichés"))


def you_chat(rng: random.Random) -> str:
    """Second-person chat that is not hostile: "tu"/"t'" alone must not carry the label."""
    return _c(rng, (
        "tu te rends compte de ce que tu dis ?", "t'as quoi toi ?", "il t'a rien fait",
        "t'es sérieux là ?", "tu fais quoi ce soir ?", "t'as vu le match ?",
        "tu peux m'aider pour le devoir ?", "tu viens ou pas ?", "vous êtes où ?",
        "vous faites quoi ?", "t'es d'accord avec moi ?", "pourquoi tu dis ça ?",
        "tu exagères un peu là", "t'es vexé ?", "t'inquiète pas", "tu me manques",
        "vous êtes trop gentils", "vous avez raison", "je te crois", "tu veux venir ?",
        "t'as raison", "arrête de stresser", "calme-toi c'est rien", "tu es en retard",
        "vous avez reçu mon dossier ?", "t'as oublié ton cahier", "tu m'envoies la photo ?",
        "t'es pas obligé de répondre", "tu lui as parlé ?", "vous en pensez quoi ?",
        "t'as pas compris ce que je voulais dire", "elle t'a rien demandé, laisse-la",
        "tu as le droit de penser ça", "t'es rentré chez toi ?", "vous êtes chez vous ?",
        "tu l'as dit toi-même", "c'est toi qui as commencé la discussion", "t'es où là",
        "réponds-moi quand tu peux", "tu sais quoi, on en reparle demain",
        "vous pouvez me dire ce qui se passe ?", "tu as bien dormi ?"))


HOSTILE = (insult, insult, insult_group_of_you, denigration, denigration, exclusion, hate,
           hate, threat, threat, profane, mail_incivility)
BENIGN = (reported, reported, counter_speech, counter_speech, negated, neutral_groups,
          neutral_groups, debate, debate, you_chat, you_chat,
          report_at_risk, complaint, despair, friendly, friendly, friendly)

# --- chat spelling noise ------------------------------------------------------------------
_SMS = ((r"\bt'es\b", ("t", "tes", "t'es", "t ")), (r"\btu es\b", ("t'es", "t", "tu es")),
        (r"\bque\b", ("ke", "que", "k")), (r"\bqu'", ("k", "qu'")),
        (r"\bc'est\b", ("c", "cé", "c'est", "sé")), (r"\bquoi\b", ("koi", "quoi")),
        (r"\bpourquoi\b", ("pk", "pq", "pourquoi")), (r"\bje suis\b", ("chui", "jsuis", "je suis")),
        (r"\bje te\b", ("jte", "je te")), (r"\bje vais\b", ("jvais", "je vais", "jvé")),
        (r"\bil y a\b", ("ya", "y a")), (r"\bbeaucoup\b", ("bcp",)),
        (r"\bvraiment\b", ("vrmt", "vraiment")),
        (r"\btoi\b", ("toi", "twa")), (r"\bmoi\b", ("moi", "mwa")), (r"\bne\s", ("", "ne ")),
        (r"\bn'", ("", "n'")), (r"\bquelqu'un\b", ("qqn", "quelqu'un")),
        (r"\btout le monde\b", ("tlm", "tout le monde")), (r"\bgueule\b", ("gueule", "geule",
        "gueul")),
        (r"\bconnard\b", ("connard", "conard", "connar")), (r"\bfrère\b", ("frr", "frère",
        "frérot")))


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def chatify(text: str, rng: random.Random) -> str:
    """One of many ways people type the same sentence: SMS, chat or mail."""
    style = rng.random()
    if style < 0.3:  # mail-like: capital, full stop
        return text[0].upper() + text[1:] + rng.choice((".", ".", " !", "", "..."))
    for pat, subs in _SMS:
        if rng.random() < 0.5:
            text = re.sub(pat, lambda _m, s=subs: rng.choice(s), text)
    if rng.random() < 0.6:
        text = _strip_accents(text)
    if rng.random() < 0.25:
        words = text.split()
        k = rng.randrange(len(words))
        w = words[k]
        vowels = [i for i, ch in enumerate(w) if ch in "aeiouy"]
        if vowels:
            i = rng.choice(vowels)
            words[k] = w[:i] + w[i] * rng.randint(3, 6) + w[i + 1:]
        text = " ".join(words)
    if rng.random() < 0.1:
        text = text.upper()
    if rng.random() < 0.3:
        text += rng.choice((" mdr", " ptdr", " lol", " wsh", " frr", " !!!", " ?!", " xD",
                            " 😂", " 😡", " ...", " sérieux", " hein"))
    return " ".join(text.split())


def examples(n: int = 3000, seed: int = 11) -> list[tuple[str, int]]:
    """About ``n`` hostile and ``n`` benign sentences, deduplicated, deterministic."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, int]] = []
    for label, makers in ((1, HOSTILE), (0, BENIGN)):
        tries = 0
        count = 0
        while count < n and tries < n * 6:
            tries += 1
            text = chatify(rng.choice(makers)(rng), rng)
            key = text.lower()
            if key in seen:
                continue
            seen.add(key)
            out.append((text, label))
            count += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", type=int, default=30)
    args = ap.parse_args()
    data = examples()
    print(f"{len(data)} sentences, {sum(y for _, y in data)} hostile")
    for text, label in random.Random(1).sample(data, args.show):
        print(label, text)


if __name__ == "__main__":
    main()
