"""Phishing and scam wording, in French and English first, and the commonest phrases of the
other languages fraud arrives in (German, Portuguese, Dutch, Spanish, Italian).

Two kinds of evidence: precise patterns (a pattern runs only in a window around one of its
literal anchors, found with ``str.find``, which keeps this check in microseconds and rules out
runaway backtracking), and lexicons of words and word pairs looked up in the message's
vocabulary (:class:`~accalmie.guard.phishing.text.TextView`). Wording alone is never proof;
the score weighs it with the other signs.
"""

from __future__ import annotations

import re

from accalmie.guard.phishing.reasons import N_, reason
from accalmie.guard.phishing.text import TextView
from accalmie.triage.decision import Reason

LURE_CHARS = 1500  # the precise patterns read the top of the message, where lures sit

# Credential, payment and urgency lures (lowercased text, accents optional). Each pattern comes
# with literal anchors that any match contains.
_W = r"[\w ,'’]"
LURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("suspendu", "bloqu", "sactiv", "ferm", "restreint", "limit", "supprim", "expir"),
     r"votre (?:compte|acc[eè]s|espace|dossier|carte|abonnement|bo[iî]te)" + _W + r"{0,30}"
     r"(?:a [ée]t[ée]|sera|va [êe]tre|est) (?:suspendu|bloqu[ée]|d[ée]sactiv[ée]|ferm[ée]|"
     r"restreint|limit[ée]|supprim[ée]|expir[ée])"),
    (("rifie", "confirme", " jour", "actualise", "valide", "activ", "bloque", "curise"),
     r"(?:v[ée]rifie[rz]?|confirme[rz]?|mettre [àa] jour|mettez [àa] jour|actualise[rz]?|"
     r"valide[rz]?|r[ée]activer|r[ée]activez|d[ée]bloque[rz]?|s[ée]curise[rz]?) (?:vos|votre|"
     r"les|la) (?:informations|donn[ée]es|identit[ée]|coordonn[ée]es|compte|moyen de paiement|"
     r"carte|acc[eè]s|identifiants?|situation|dossier|adresse)"),
    (("droit", "ligible", "neficier", "néficier"),
     r"(?:vous avez droit|vous [êe]tes [ée]ligible|b[ée]n[ée]ficier) [àa] (?:un|une|le) "
     r"(?:remboursement|aide|versement|prime|indemnit)"),
    (("remboursement",),
     r"remboursement (?:de|d'un montant de|en attente|disponible|exceptionnel)\s*(?:de\s*)?\d|"
     r"(?:un |le |votre )?remboursement (?:est |vous )?(?:en attente|disponible|bloqu)"),
    (("24", "48", "72"), r"(?:dans|sous) (?:les )?(?:24|48|72) ?(?:h|heures)\b|"
     r"within (?:24|48|72) hours"),
    (("dernier", "derni", "ultime"), r"dernier (?:avis|rappel|d[ée]lai)|"
     r"(?:derni[eè]re|ultime) relance"),
    (("action",), r"action (?:requise|imm[ée]diate)|immediate(?:ly)? action"),
    (("diatement",), r"imm[ée]diatement"),
    (("sans ",), r"sans (?:quoi|d[ée]lai)|sans (?:r[èe]glement|paiement|r[ée]ponse|"
     r"r[ée]gularisation) (?:de votre part )?(?:sous|dans|d'ici|avant)"),
    (("nalit",), r"p[ée]nalit[ée]s? (?:de retard|financi[eè]res?)|majoration"),
    # Macro-laden documents ask to switch their protection off.
    (("activ", "enable"), r"(?:activer|activez|autoriser|autorisez) (?:le contenu|les macros|"
     r"la modification)|enable (?:editing|content|macros)"),
    (("frais",), r"frais (?:de (?:livraison|r[ée]exp[ée]dition|douane|port|dossier)|"
     r"d'exp[ée]dition)"),
    (("colis",), r"colis (?:est )?(?:en attente|bloqu[ée]|retenu|en instance|non livr)"),
    (("vitale",), r"carte vitale (?:expir|arriv|doit|[àa] renouveler|est)"),
    (("amende", "contravention"),
     r"(?:amende|contravention|avis de contravention)s? (?:impay|major|en attente)"),
    (("mot de passe", "password"), r"mot de passe (?:expir|va expirer|arrive)|"
     r"password (?:expires|will expire|has expired)"),
    (("identifiez", "connectez"), r"(?:identifiez|connectez)[- ]vous (?:pour|afin|d[eè]s|"
     r"imm[ée]diatement|sur)"),
    (("cliquez", "click"),
     r"cliquez (?:sur le lien|ici|sur le bouton)" + _W + r"{0,20}(?:pour|afin de?) "
     r"(?:v[ée]rifier|confirmer|recevoir|d[ée]bloquer|r[ée]gulariser|mettre [àa] jour|"
     r"[ée]viter|r[ée]activer|obtenir|valider|acc[ée]der)|click (?:here|below|the link|the "
     r"button)" + _W + r"{0,20}to (?:verify|confirm|unlock|restore|claim|avoid|reactivate|"
     r"validate|update)"),
    (("gularise",), r"r[ée]gularise[rz]? (?:votre|la) situation"),
    (("boîte", "boite", "mailbox"),
     r"bo[iî]te (?:mail|aux lettres|de r[ée]ception) (?:est )?(?:pleine|satur)|"
     r"mailbox (?:is full|quota|storage)"),
    (("bancaire", "bank", "card details"),
     r"(?:coordonn[ée]es|informations) bancaires|(?:bank|banking|card) details"),
    (("cvv", "code ", "num"), r"(?:num[ée]ro|code) (?:de (?:carte|s[ée]curit[ée])|cvv|"
     r"confidentiel)"),
    (("poursuite",), r"poursuites? (?:judiciaires?|p[ée]nales)"),
    # Business e-mail compromise ("fraude au président"): secrecy, unreachable boss, payment.
    (("union",), r"je suis en r[ée]union|i(?:'m| am) in a meeting"),
    (("phoner", "appeler", "call"), r"(?:ne (?:peux|pourrai|peut) pas|impossible de) "
     r"(?:t[ée]l[ée]phoner|t'appeler|vous appeler|appeler|r[ée]pondre au t[ée]l[ée]phone)|"
     r"(?:can't|cannot|can not) (?:take|make) (?:a |any )?calls?"),
    (("discr", "confidenti"), r"(?:de fa[çc]on |en toute )?discr[eè]t(?:e|ement)?\b|"
     r"strictement confidentiel|(?:keep|kept) (?:this )?confidential"),
    (("cadeau", "gift card"), r"cartes? cadeaux?|gift cards?"),
    (("virement", "transfer", "iban", "rib"), r"virement (?:urgent|bancaire|imm[ée]diat|"
     r"rapide)|(?:nouveau|changement de) (?:rib|iban|coordonn[ée]es bancaires)|"
     r"(?:urgent|wire) transfer"),
    (("cette adresse", "this address", "this email"), r"(?:r[ée]ponds|r[ée]pondez|[ée]cris|"
     r"[ée]crivez)[- ]moi[\w ]{0,20} (?:sur|[àa]) cette adresse|reply (?:to me |only )(?:only )?"
     r"(?:at|to|on) this (?:address|email)"),
    (("achat",), r"achat urgent|achats? (?:de cartes|discret)"),
    (("jointe", "joint", "attach"), r"(?:ouvr(?:ez|ir)|t[ée]l[ée]charg(?:ez|er)|consult(?:ez|er)"
     r"|d[ée]compress(?:ez|er)) (?:la|le) (?:pi[eè]ce jointe|fichier joint|document joint)|"
     r"open the attach"),
    (("verify your",), r"verify your (?:account|identity|information|details|email|payment)"),
    (("suspended", "locked", "limited", "closed", "disabled", "restricted", "deactivated",
      "on hold"),
     r"your (?:account|access|mailbox|card|subscription)[\w ,']{0,30}(?:has been|will be|is) "
     r"(?:suspended|locked|limited|closed|disabled|restricted|deactivated|on hold)"),
    (("confirm your",),
     r"confirm your (?:identity|account|details|password|information|billing)"),
    (("update your",),
     r"update your (?:payment|billing|account|card|banking) (?:information|details|method)"),
    (("unusual",), r"unusual (?:sign[- ]in|activity|login)"),
    (("you have",), r"you have (?:received|a pending) (?:a )?(?:refund|payment|transfer)"),
    (("tax refund",), r"tax refund"),
    (("final", "last"), r"(?:final|last) (?:notice|warning)"),
    (("wire transfer",), r"wire transfer"),
    (("gift card",), r"gift cards?"),
    (("security alert",), r"security alert"),
    (("failed",), r"failed (?:delivery|payment)"),
    # English, more
    (("log in", "sign in", "login"), r"(?:log ?in|sign ?in)(?: now)? (?:to|and) (?:verify|"
     r"confirm|restore|unlock|update|reactivate|secure|avoid|review)"),
    (("restore", "reactivate", "unlock"), r"(?:restore|reactivate|unlock|re-activate) "
     r"(?:your )?(?:account|access|card|mailbox)"),
    (("tried to", "attempt"), r"(?:someone|somebody|an unknown device)[\w ]{0,20}(?:tried|"
     r"attempted) to (?:log|sign|access)|(?:failed|multiple|several|unsuccessful) (?:login|"
     r"log-in|log in|sign-in|sign in) attempts?"),
    (("unable to", "could not", "couldn't"), r"(?:we (?:were|are) unable to|we could not|we "
     r"couldn't) (?:verify|process|deliver|validate|confirm|charge|complete)"),
    (("validate", "verify"), r"(?:validate|verify) (?:your )?(?:e-?mail|mailbox|webmail|"
     r"account|wallet)"),
    (("storage", "quota"), r"(?:storage|quota)[\w ]{0,20}(?:is full|exceeded|almost full|"
     r"limit)"),
    (("outstanding", "unpaid", "overdue", "pending"), r"(?:outstanding|unpaid|overdue|pending) "
     r"(?:invoice|payment|balance|bill|charges?|delivery|package|parcel)"),
    (("payment",), r"payment (?:failed|declined|was declined|could not be|has failed|"
     r"method (?:expired|declined))"),
    (("package", "parcel", "shipment"), r"(?:package|parcel|shipment|delivery)[\w ]{0,20}"
     r"(?:on hold|could not be delivered|was returned|is waiting|awaiting|pending|suspended)"),
    (("fee",), r"(?:shipping|customs|delivery|redelivery|small|processing) fees?"),
    (("noticed", "detected"), r"(?:we(?: have)?|we've) (?:noticed|detected) (?:some |an? )?"
     r"(?:unusual|suspicious|irregular|strange)"),
)
_LURE_TABLE = tuple((anchors, re.compile(p)) for anchors, p in LURES)

# Lexicons: ASCII-folded words and word pairs, by what they try to get from the reader.
LEXICONS: dict[str, frozenset[str]] = {
    "credential": frozenset({
        "verify your", "confirm your", "your password", "password", "passwords", "username",
        "credentials", "login details", "sign in", "log in", "security question",
        "account number", "card number", "cvv", "cvv2", "expiration date", "billing address",
        "maiden name", "social security", "pin number", "update your", "unauthorized",
        "unusual activity", "verification", "validate", "verify", "reactivate", "unlock",
        "mot de", "de passe", "identifiant", "identifiants", "vos identifiants",
        "coordonnees bancaires", "numero de", "cryptogramme", "code confidentiel",
        "verifier vos", "confirmer vos", "a jour", "espace client", "vos informations",
        "passwort", "kennwort", "zugangsdaten", "bestatigen", "verifizieren", "ihr konto",
        "anmelden", "daten", "sua conta", "senha", "atualize", "atualizar", "cadastro",
        "seus dados", "acesse", "uw account", "wachtwoord", "bevestig", "verifieer",
        "inloggen", "uw gegevens", "su cuenta", "contrasena", "verifique", "il tuo",
        "account suspended", "confirm identity", "identity",
    }),
    "threat": frozenset({
        "urgent", "urgently", "immediately", "immediate", "24 hours", "48 hours", "72 hours",
        "suspended", "suspend", "suspension", "terminated", "termination", "permanently",
        "locked", "restricted", "final notice", "last warning", "action required",
        "expire", "expires", "expired", "deactivated", "deactivation", "closure", "blocked",
        "limited", "avoid", "failure", "urgente", "immediatement", "sous 24", "sous 48",
        "suspendu", "suspendue", "bloque", "bloquee", "desactive", "dernier rappel",
        "derniere relance", "action requise", "penalites", "poursuites", "expiration",
        "dringend", "sofort", "gesperrt", "letzte", "eingeschrankt", "mahnung",
        "imediatamente", "suspensao", "bloqueio", "restricoes", "evite", "bloqueada",
        "bloqueado", "suspensa", "expira", "onmiddellijk", "geblokkeerd", "inmediatamente",
        "suspendida", "sospeso",
    }),
    "money": frozenset({
        "refund", "invoice", "payment", "billing", "credit card", "debit card",
        "bank account", "wire transfer", "fee", "fees", "unpaid", "outstanding", "tax refund",
        "remboursement", "facture", "paiement", "virement", "frais", "impaye", "impayee",
        "carte bancaire", "rib", "iban", "zahlung", "rechnung", "erstattung", "gebuhr",
        "gebuhren", "uberweisung", "pagamento", "boleto", "fatura", "reembolso", "pix",
        "cartao", "betaling", "factuur", "terugbetaling", "pago", "factura",
    }),
    "prize": frozenset({
        "congratulations", "congrats", "winner", "winners", "you won", "have won",
        "you've won", "prize", "prizes", "reward", "rewards", "gift card", "free gift",
        "claim your", "claim now", "been selected", "exclusive offer", "lucky",
        "sweepstakes", "giveaway", "survey", "free spins", "bonus", "jackpot", "casino",
        "voucher", "coupon", "felicitations", "gagne", "gagnant", "vous avez", "cadeau",
        "recompense", "carte cadeau", "tirage", "concours", "questionnaire", "offert",
        "gratuit", "gratuitement", "bon d'achat", "gewonnen", "gewinner", "gewinnspiel",
        "gutschein", "gluckwunsch", "ihre chance", "kostenlos", "gratis", "freispiele",
        "geschenk", "teilnehmen", "umfrage", "belohnung", "parabens", "voce ganhou",
        "ganhou", "premio", "resgate", "resgatar", "brinde", "sorteio", "pontos",
        "recompensa", "cupom", "gefeliciteerd", "prijs", "cadeaubon", "winnaar", "beloning",
        "enquete", "felicidades", "felicitaciones", "ganado", "ganador", "regalo", "sorteo",
        "congratulazioni", "vinto", "omaggio", "free", "win", "won", "claim",
        "exklusiv", "nur heute", "letzte chance", "jetzt sichern", "gewinnen", "preis",
        "laatste kans", "winnen", "ganhe", "ganhar", "ultima chance", "ultimo dia", "ganar",
        "vincere", "derniere chance", "welcome bonus", "willkommensbonus",
    }),
    "scam": frozenset({
        "next of", "of kin", "beneficiary", "inheritance", "barrister", "consignment",
        "diplomat", "deceased", "late husband", "widow", "million", "millions", "us dollars",
        "usd", "western union", "moneygram", "atm card", "bank draft", "foreign partner",
        "compensation", "fund", "funds", "investment", "investor", "investors", "profit",
        "profits", "bitcoin", "btc", "crypto", "cryptocurrency", "wallet", "airdrop", "tokens",
        "usdt", "blockchain", "trading", "forex", "business proposal", "strictly confidential",
        "god bless", "dear friend", "dear beloved", "kindly", "heritage", "succession",
        "beneficiaire", "defunt", "notaire", "dollars", "investissement", "placement",
        "rendement", "proposition", "fonds", "veuve", "erbschaft", "nachlass", "investition",
        "rendite", "krypto", "heranca", "investimento", "lucro", "next-of-kin", "transaction",
        "my late", "foreign", "nft", "seed phrase", "recovery phrase", "eth", "ethereum",
    }),
    "spam": frozenset({
        "viagra", "cialis", "pharmacy", "pills", "weight loss", "lose weight", "singles",
        "dating", "sexy", "hot girls", "lonely", "enlargement", "erection", "prescription",
        "meds", "supplement", "hair loss", "miracle", "clinically", "order now", "buy now",
        "limited time", "act now", "risk free", "money back", "100 free", "no cost",
        "earn money", "make money", "work from", "from home", "extra income", "opt out",
        "remove me", "not spam", "be removed", "maigrir", "poids", "rencontres",
        "celibataires", "coquine", "gagner de", "revenus", "a domicile", "abnehmen",
        "frauen", "potenz", "geld verdienen", "emagrecer", "renda extra", "ganhar dinheiro",
        "mortgage", "loan", "loans", "debt", "credit score", "low rates", "lowest price",
        "cheap", "discount", "save up", "special offer", "guaranteed", "100 guaranteed",
        "no obligation", "satisfaction", "amazing", "incredible", "rabatt", "angebot",
        "diat", "korting", "aanbieding", "afvallen", "desconto", "oferta",
        "promocao", "emagrecimento", "descuento", "sconto", "offerta", "promotion", "soldes",
        "remise", "off today", "70 off", "50 off", "80 off", "rabais", "hair growth",
        "joint pain", "blood sugar", "erectile", "libido", "keto", "gummies",
    }),
}
# Phrases too long for word pairs, looked up in the text itself.
PHRASES: dict[str, tuple[str, ...]] = {
    "credential": ("mot de passe", "mettre à jour vos", "mettez à jour vos",
                   "confirm your identity", "verify your identity", "update your account",
                   "bestätigen sie ihre", "confirme seus dados", "atualize seus dados"),
    "prize": ("vous avez gagné", "you have been selected", "you have won",
              "herzlichen glückwunsch", "você ganhou", "u heeft gewonnen", "ha ganado"),
    "scam": ("next of kin", "million united states dollars", "million us dollars",
             "strictly confidential", "transfer of the fund", "compensation fund"),
}


def find_lures(text: str, limit: int = 3) -> list[str]:
    """Phishing wording in lowercased ``text``: the matched passages, at most ``limit``."""
    found: list[str] = []
    for anchors, rx in _LURE_TABLE:
        hit = None
        for anchor in anchors:
            i = text.find(anchor)
            tries = 0
            while i >= 0 and tries < 3:
                hit = rx.search(text, max(0, i - 90), i + 110)
                if hit:
                    break
                i = text.find(anchor, i + 1)
                tries += 1
            if hit:
                break
        if hit:
            found.append(hit.group(0))
            if len(found) >= limit:
                break
    return found


def lexicon_hits(view: TextView) -> dict[str, list[str]]:
    """The lexicon entries present, per category."""
    hits: dict[str, list[str]] = {}
    for cat, lex in LEXICONS.items():
        found = sorted(view.vocab & lex)
        for phrase in PHRASES.get(cat, ()):
            if phrase in view.low:
                found.append(phrase)
        if found:
            hits[cat] = found
    return hits


_CATEGORY_TEMPLATES = {
    "prize": N_("Wording of prize draws and gifts: \u201c{words}\u201d"),
    "scam": N_("Wording of money and investment scams: \u201c{words}\u201d"),
    "spam": N_("Wording of unsolicited advertising: \u201c{words}\u201d"),
}


def lure_signals(view: TextView, out: dict[str, Reason]) -> dict[str, list[str]]:
    """Add the wording reasons to ``out``; return the lexicon hits for the other signals."""
    found = find_lures(view.low[:LURE_CHARS])
    if found:
        w = 0.3 if len(found) == 1 else (0.45 if len(found) == 2 else 0.55)
        out["lure"] = reason(N_("Wording typical of phishing: \u201c{passage}\u201d"), "lure", w,
                             passage=" ".join(found[0].split())[:80])
    hits = lexicon_hits(view)
    for cat, template in _CATEGORY_TEMPLATES.items():
        words = hits.get(cat, ())
        n = len(words)
        if n >= 2:
            w = {2: 0.1, 3: 0.2, 4: 0.3}.get(n, 0.4)
            out[f"lex_{cat}"] = reason(template, f"{cat}_wording", w,
                                       words=", ".join(words[:4]))
    return hits
