"""Who phishing pretends to be: often-imitated institutions and brands, and known services.

The list is what fraud imitates worldwide (banks, payment, parcels, tax and benefit offices,
mail and software accounts, shops, crypto exchanges) with the French public bodies first, since
those are what social workers and the people they help receive. Everything here is data plus
two cached lookups; no network.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Institution:
    """An often-imitated sender: its official domains, the labels and names a fake would use.

    ``kind`` says what the sender holds of yours: "public" (benefits, taxes, fines), "bank"
    (money), "account" (a login), "parcel", "shop".
    """

    name: str
    domains: tuple[str, ...]  # official registrable domains (or suffixes such as gouv.fr)
    labels: tuple[str, ...] = ()  # domain labels a lookalike would embed or misspell
    names: tuple[str, ...] = ()  # words in a display name that claim to be this sender
    kind: str = "account"


def _i(name: str, domains: tuple[str, ...], labels: tuple[str, ...] = (),
       names: tuple[str, ...] = (), kind: str = "account") -> Institution:
    return Institution(name, domains, labels, names, kind)


INSTITUTIONS: tuple[Institution, ...] = (
    # --- French public bodies ---
    _i("CAF", ("caf.fr", "cnafmail.fr", "mon-enfant.fr"), ("caf",),
       ("caf", "caisse d allocations familiales", "allocations familiales"), "public"),
    _i("Assurance Maladie (ameli.fr)",
       ("ameli.fr", "assurance-maladie.fr", "cnamts.fr", "monespacesante.fr"),
       ("ameli", "assurance-maladie", "assurancemaladie", "cpam"),
       ("ameli", "assurance maladie", "cpam", "carte vitale"), "public"),
    _i("impots.gouv.fr", ("impots.gouv.fr", "gouv.fr"), ("impots", "impot", "dgfip"),
       ("impots", "impot", "dgfip", "finances publiques", "tresor public"), "public"),
    _i("ANTS", ("ants.gouv.fr",), ("ants",), ("ants", "agence nationale des titres securises"),
       "public"),
    _i("service-public.fr", ("service-public.fr", "service-public.gouv.fr", "gouv.fr"),
       ("service-public", "servicepublic"), ("service public",), "public"),
    _i("FranceConnect", ("franceconnect.gouv.fr", "franceconnect.fr", "gouv.fr"),
       ("franceconnect", "france-connect"), ("franceconnect", "france connect"), "public"),
    _i("France Travail", ("francetravail.fr", "francetravail.org", "pole-emploi.fr"),
       ("francetravail", "france-travail", "pole-emploi", "poleemploi"),
       ("france travail", "pole emploi"), "public"),
    _i("URSSAF", ("urssaf.fr", "urssaf.org"), ("urssaf",), ("urssaf",), "public"),
    _i("ANTAI", ("antai.gouv.fr", "antai.fr"), ("antai",),
       ("antai", "agence nationale de traitement automatise"), "public"),
    _i("Crit'Air", ("certificat-air.gouv.fr", "gouv.fr"), ("critair", "crit-air"),
       ("crit air", "critair"), "public"),
    _i("the French administration (gouv.fr)", ("gouv.fr",), ("gouv",),
       ("gouvernement", "ministere", "prefecture", "police nationale", "gendarmerie",
        "tresor public", "administration fiscale"), "public"),
    # --- parcels and post ---
    _i("La Poste", ("laposte.fr", "laposte.net", "lapostegroupe.com", "colissimo.fr",
                    "chronopost.fr", "labanquepostale.fr", "laposte.com"),
       ("laposte", "la-poste", "colissimo", "chronopost", "labanquepostale"),
       ("la poste", "laposte", "colissimo", "chronopost", "banque postale"), "parcel"),
    _i("DHL", ("dhl.com", "dhl.fr", "dhl.de", "dhl-news.com"), ("dhl",), ("dhl",), "parcel"),
    _i("UPS", ("ups.com",), ("ups",), ("ups",), "parcel"),
    _i("FedEx", ("fedex.com",), ("fedex",), ("fedex",), "parcel"),
    _i("Mondial Relay", ("mondialrelay.fr", "mondialrelay.com"), ("mondialrelay",),
       ("mondial relay",), "parcel"),
    _i("USPS", ("usps.com", "usps.gov"), ("usps",), ("usps", "postal service"), "parcel"),
    _i("Royal Mail", ("royalmail.com",), ("royalmail",), ("royal mail",), "parcel"),
    _i("Deutsche Post", ("deutschepost.de", "dhl.de"), ("deutschepost",),
       ("deutsche post",), "parcel"),
    _i("PostNL", ("postnl.nl", "postnl.com"), ("postnl",), ("postnl",), "parcel"),
    _i("Correios", ("correios.com.br",), ("correios",), ("correios",), "parcel"),
    # --- French banks ---
    _i("Crédit Agricole", ("credit-agricole.fr", "credit-agricole.com", "ca-mail.com"),
       ("credit-agricole", "creditagricole"), ("credit agricole",), "bank"),
    _i("Société Générale", ("societegenerale.fr", "societegenerale.com", "sg.fr"),
       ("societegenerale", "societe-generale"), ("societe generale",), "bank"),
    _i("BNP Paribas", ("bnpparibas.com", "bnpparibas.net", "bnpparibas.fr",
                       "mabanque.bnpparibas"), ("bnpparibas", "bnp-paribas"),
       ("bnp paribas", "bnp"), "bank"),
    _i("Caisse d'Épargne", ("caisse-epargne.fr",), ("caisse-epargne", "caisseepargne"),
       ("caisse d epargne",), "bank"),
    _i("Crédit Mutuel", ("creditmutuel.fr", "creditmutuel.com"),
       ("creditmutuel", "credit-mutuel"), ("credit mutuel",), "bank"),
    _i("LCL", ("lcl.fr", "lcl.com"), ("lcl",), ("lcl", "credit lyonnais"), "bank"),
    _i("Banque Populaire", ("banquepopulaire.fr",), ("banquepopulaire", "banque-populaire"),
       ("banque populaire",), "bank"),
    _i("Boursorama", ("boursorama.com", "boursorama-banque.com", "boursobank.com"),
       ("boursorama", "boursobank"), ("boursorama", "boursobank"), "bank"),
    # --- banks elsewhere (the most imitated) ---
    _i("Bank of America", ("bankofamerica.com", "bofa.com"), ("bankofamerica",),
       ("bank of america",), "bank"),
    _i("Chase", ("chase.com", "jpmorgan.com", "jpmorganchase.com"), ("chaseonline",),
       ("chase bank", "chase online", "jpmorgan chase"), "bank"),
    _i("Citibank", ("citibank.com", "citi.com", "citigroup.com", "citicorp.com"), ("citibank",),
       ("citibank", "citi bank"), "bank"),
    _i("Wells Fargo", ("wellsfargo.com", "wf.com"), ("wellsfargo", "wells-fargo"),
       ("wells fargo",), "bank"),
    _i("Washington Mutual", ("wamu.com", "wamu.net"), ("wamu",), ("washington mutual", "wamu"),
       "bank"),
    _i("U.S. Bank", ("usbank.com",), ("usbank",), ("us bank", "u s bank"), "bank"),
    _i("HSBC", ("hsbc.com", "hsbc.co.uk", "hsbc.fr"), ("hsbc",), ("hsbc",), "bank"),
    _i("Barclays", ("barclays.co.uk", "barclays.com"), ("barclays",), ("barclays",), "bank"),
    _i("Lloyds", ("lloydsbank.com", "lloydstsb.com", "lloydsbank.co.uk"),
       ("lloydsbank", "lloydstsb"), ("lloyds bank", "lloyds tsb"), "bank"),
    _i("NatWest", ("natwest.com",), ("natwest",), ("natwest",), "bank"),
    _i("Sparkasse", ("sparkasse.de",), (), ("sparkasse",), "bank"),
    _i("Postbank", ("postbank.de",), ("postbank",), ("postbank", "deutsche postbank"), "bank"),
    _i("Deutsche Bank", ("deutsche-bank.de", "db.com"), ("deutsche-bank", "deutschebank"),
       ("deutsche bank",), "bank"),
    _i("Commerzbank", ("commerzbank.de", "commerzbank.com"), ("commerzbank",),
       ("commerzbank",), "bank"),
    _i("ING", ("ing.com", "ing.de", "ing.nl", "ing.fr"), ("ing-diba", "mijn-ing"),
       ("ing bank", "ing diba"), "bank"),
    _i("Bradesco", ("bradesco.com.br",), ("bradesco",), ("bradesco",), "bank"),
    _i("Itaú", ("itau.com.br",), ("itau",), ("itau",), "bank"),
    _i("Santander", ("santander.com", "santander.co.uk", "santander.com.br", "santander.fr"),
       ("santander",), ("santander",), "bank"),
    _i("Caixa", ("caixa.gov.br",), (), ("caixa economica",), "bank"),
    _i("American Express", ("americanexpress.com", "aexp.com", "amex.com"),
       ("americanexpress", "amex"), ("american express", "amex"), "bank"),
    _i("Visa", ("visa.com", "visa.fr"), ("verified-by-visa",), ("visa card services",),
       "bank"),
    _i("Mastercard", ("mastercard.com", "mastercard.fr"), ("mastercard",), ("mastercard",),
       "bank"),
    _i("NCUA", ("ncua.gov",), ("ncua",), ("ncua", "national credit union"), "bank"),
    # --- payment and accounts ---
    _i("PayPal", ("paypal.com", "paypal.fr", "paypal.de", "paypal-communication.com",
                  "paypal-community.com"), ("paypal",), ("paypal",), "bank"),
    _i("eBay", ("ebay.com", "ebay.fr", "ebay.de", "ebay.co.uk", "ebay.it", "ebay.ca",
                "ebaystatic.com"), ("ebay",), ("ebay",), "shop"),
    _i("Microsoft", ("microsoft.com", "office.com", "office365.com", "outlook.com",
                     "live.com", "microsoftonline.com", "sharepoint.com", "onmicrosoft.com",
                     "hotmail.com", "sharepointonline.com", "microsoft365.com", "skype.com",
                     "msn.com", "windows.com", "xbox.com"),
       ("microsoft", "office365", "microsoftonline", "sharepoint", "onedrive"),
       ("microsoft", "office 365", "microsoft 365", "onedrive", "sharepoint", "outlook team",
        "microsoft account", "windows live", "hotmail team"), "account"),
    _i("Apple", ("apple.com", "icloud.com", "itunes.com", "me.com"), ("icloud", "itunes"),
       ("apple", "icloud", "itunes", "apple id", "app store"), "account"),
    _i("Google", ("google.com", "gmail.com", "googlemail.com", "youtube.com"),
       ("gmail",), ("google", "gmail team", "google account"), "account"),
    _i("Amazon", ("amazon.fr", "amazon.com", "amazon.de", "amazon.co.uk", "amazon.it",
                  "amazon.es", "amazon.nl", "amazon.ca", "amazonses.com", "amazon.com.br"),
       ("amazon",), ("amazon", "amazon prime", "prime video"), "shop"),
    _i("Netflix", ("netflix.com",), ("netflix",), ("netflix",), "account"),
    _i("Facebook", ("facebook.com", "facebookmail.com", "meta.com", "fb.com"),
       ("facebook",), ("facebook", "meta for business"), "account"),
    _i("Instagram", ("instagram.com",), ("instagram",), ("instagram",), "account"),
    _i("WhatsApp", ("whatsapp.com",), ("whatsapp",), ("whatsapp",), "account"),
    _i("LinkedIn", ("linkedin.com",), ("linkedin",), ("linkedin",), "account"),
    _i("Dropbox", ("dropbox.com", "dropboxmail.com"), ("dropbox",), ("dropbox",), "account"),
    _i("DocuSign", ("docusign.com", "docusign.net"), ("docusign",), ("docusign",), "account"),
    _i("Adobe", ("adobe.com",), (), ("adobe sign", "adobe document cloud"), "account"),
    _i("WeTransfer", ("wetransfer.com",), ("wetransfer",), ("wetransfer",), "account"),
    _i("Orange", ("orange.fr", "orange.com", "orange-business.com"), (),
       ("orange", "service client orange"), "account"),
    _i("SFR", ("sfr.fr", "sfr.com"), ("sfr",), ("sfr",), "account"),
    _i("Free", ("free.fr", "free-mobile.fr", "freebox.fr"), ("free-mobile", "freebox"),
       ("free mobile", "freebox"), "account"),
    _i("Bouygues Telecom", ("bouyguestelecom.fr",), ("bouyguestelecom",),
       ("bouygues telecom",), "account"),
    _i("EDF", ("edf.fr", "edf.com"), ("edf",), ("edf",), "account"),
    _i("Engie", ("engie.fr", "engie.com"), ("engie",), ("engie",), "account"),
    _i("Deutsche Telekom", ("telekom.de", "t-online.de", "telekom.com"), ("telekom",),
       ("telekom",), "account"),
    _i("Vodafone", ("vodafone.com", "vodafone.de", "vodafone.co.uk"), ("vodafone",),
       ("vodafone",), "account"),
    _i("Spotify", ("spotify.com",), ("spotify",), ("spotify",), "account"),
    _i("Disney+", ("disneyplus.com", "disney.com"), ("disneyplus",), ("disney plus",),
       "account"),
    _i("Norton", ("norton.com", "nortonlifelock.com"), ("nortonlifelock",),
       ("norton 360", "norton antivirus", "norton lifelock", "norton security"),
       "account"),
    _i("McAfee", ("mcafee.com",), ("mcafee",), ("mcafee",), "account"),
    _i("Booking.com", ("booking.com",), (), ("booking com",), "shop"),
    _i("Airbnb", ("airbnb.com", "airbnb.fr"), ("airbnb",), ("airbnb",), "shop"),
    _i("Leboncoin", ("leboncoin.fr",), ("leboncoin",), ("leboncoin",), "shop"),
    _i("Vinted", ("vinted.fr", "vinted.com"), ("vinted",), ("vinted",), "shop"),
    _i("Cdiscount", ("cdiscount.com", "cdiscount.fr"), ("cdiscount",), ("cdiscount",), "shop"),
    _i("Walmart", ("walmart.com",), ("walmart",), ("walmart",), "shop"),
    _i("Costco", ("costco.com",), ("costco",), ("costco",), "shop"),
    _i("Mercado Pago", ("mercadopago.com", "mercadopago.com.br", "mercadolibre.com",
                        "mercadolivre.com.br", "mercadolivre.com"),
       ("mercadopago", "mercadolivre", "mercadolibre"),
       ("mercado pago", "mercado livre", "mercado libre"), "bank"),
    _i("Nubank", ("nubank.com.br", "nu.com.br"), ("nubank",), ("nubank",), "bank"),
    _i("Banco do Brasil", ("bb.com.br",), ("bancodobrasil",), ("banco do brasil",), "bank"),
    _i("Mon Compte Formation (CPF)", ("moncompteformation.gouv.fr", "caissedesdepots.fr",
                                      "gouv.fr"), ("moncompteformation", "compteformation"),
       ("mon compte formation", "compte personnel de formation", "conseiller cpf", "cpf"),
       "public"),
    _i("ADAC", ("adac.de",), ("adac",), ("adac",), "shop"),
    _i("Lidl", ("lidl.fr", "lidl.de", "lidl.com", "lidl.nl"), ("lidl",), ("lidl",), "shop"),
    _i("Aldi", ("aldi.fr", "aldi-nord.de", "aldi-sued.de", "aldi.com", "aldi.nl"), ("aldi",),
       ("aldi",), "shop"),
    _i("Carrefour", ("carrefour.fr", "carrefour.com"), ("carrefour",), ("carrefour",), "shop"),
    _i("E.Leclerc", ("e.leclerc", "leclerc.com", "e-leclerc.com"), (), ("e leclerc",),
       "shop"),
    _i("Decathlon", ("decathlon.fr", "decathlon.com", "decathlon.de"), ("decathlon",),
       ("decathlon",), "shop"),
    _i("IKEA", ("ikea.com", "ikea.fr"), ("ikea",), ("ikea",), "shop"),
    _i("Zalando", ("zalando.fr", "zalando.de", "zalando.com"), ("zalando",), ("zalando",),
       "shop"),
    _i("Temu", ("temu.com",), ("temu",), ("temu",), "shop"),
    _i("AliExpress", ("aliexpress.com", "alibaba.com"), ("aliexpress",), ("aliexpress",),
       "shop"),
    _i("Shein", ("shein.com", "shein.fr"), ("shein",), ("shein",), "shop"),
    _i("Steam", ("steampowered.com", "steamcommunity.com"),
       ("steampowered", "steamcommunity"), ("steam support", "steam community"), "account"),
    _i("AXA", ("axa.fr", "axa.com", "axa.de"), (), ("axa assurance", "axa assurances"),
       "bank"),
    _i("Allianz", ("allianz.fr", "allianz.de", "allianz.com"), ("allianz",), ("allianz",),
       "bank"),
    _i("IRS", ("irs.gov", "treasury.gov"), ("irs",), ("internal revenue service", "irs"),
       "public"),
    _i("HMRC", ("hmrc.gov.uk", "gov.uk"), ("hmrc",), ("hmrc", "hm revenue"), "public"),
    # --- crypto ---
    _i("Binance", ("binance.com",), ("binance",), ("binance",), "bank"),
    _i("Coinbase", ("coinbase.com",), ("coinbase",), ("coinbase",), "bank"),
    _i("Ledger", ("ledger.com",), (), ("ledger",), "bank"),
    _i("MetaMask", ("metamask.io",), ("metamask",), ("metamask",), "bank"),
    _i("Trust Wallet", ("trustwallet.com",), ("trustwallet",), ("trust wallet",), "bank"),
    _i("Kraken", ("kraken.com",), (), ("kraken",), "bank"),
    _i("Crypto.com", ("crypto.com",), (), ("crypto com",), "bank"),
    _i("OpenSea", ("opensea.io",), ("opensea",), ("opensea",), "bank"),
    _i("Blockchain.com", ("blockchain.com",), (), ("blockchain com",), "bank"),
)

# Labels that differ by one letter from an institution's label but are ordinary words or names.
LOOKALIKE_EXCEPTIONS = frozenset({
    "amelie", "amelia", "ameline", "cafe", "calf", "chaf", "café", "ant", "anti", "antal",
    "impot", "paypa", "finance", "finances", "engine", "engines", "goggle", "goggles",
    "telecom", "telecoms", "cloud", "clouds", "tunes", "email", "mail", "gmx", "discount",
    "discounts", "amazona", "amazons", "cisco", "postal", "linked", "vented", "correio",
    "qmail",
})

FREEMAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "yahoo.de",
    "yahoo.es", "yahoo.it", "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.fr",
    "hotmail.co.uk", "hotmail.de", "hotmail.it", "outlook.com", "outlook.fr", "outlook.de",
    "live.com", "live.fr", "live.co.uk", "msn.com", "aol.com", "aol.fr", "aim.com",
    "gmx.com", "gmx.fr", "gmx.de", "gmx.net", "gmx.at", "web.de", "t-online.de",
    "mail.ru", "bk.ru", "inbox.ru", "list.ru", "yandex.ru", "yandex.com", "rambler.ru",
    "protonmail.com", "proton.me", "pm.me", "tutanota.com", "orange.fr", "wanadoo.fr",
    "free.fr", "sfr.fr", "laposte.net", "icloud.com", "me.com", "mac.com", "neuf.fr",
    "bbox.fr", "mail.com", "email.com", "usa.com", "zoho.com", "qq.com", "163.com",
    "126.com", "sina.com", "naver.com", "libero.it", "virgilio.it", "tiscali.it", "rediffmail.com",
    "excite.com", "juno.com", "netzero.net", "earthlink.net", "lycos.com", "hushmail.com",
    "fastmail.com", "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "uol.com.br",
    "bol.com.br", "terra.com.br", "ig.com.br", "yahoo.com.br", "hotmail.com.br",
})
SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly",
    "cutt.ly", "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "s.id", "t.ly", "v.gd",
    "qrco.de", "bl.ink", "short.io", "tiny.one", "urlz.fr", "u.to", "shorturl.com", "clck.ru",
    "tr.im", "x.co", "db.tt", "qr.net", "1url.com", "tweez.me", "v.ht", "link.ly",
    "shrtco.de", "shorte.st", "adf.ly", "bc.vc", "soo.gd", "trib.al", "snip.ly", "urlr.me",
    "t2m.io", "zpr.io", "linktr.ee", "rotf.lol", "tinu.be", "2no.co", "surl.li", "shorturl.gg",
})
# Link rewriters and click trackers: their domain never matches the visible text, legitimately.
REDIRECTORS = frozenset({
    "outlook.com", "urldefense.com", "proofpoint.com", "mimecast.com", "cudasvc.com",
    "symantec.com", "list-manage.com", "mailchimp.com", "mcusercontent.com", "sendgrid.net",
    "mjt.lu", "mailjet.com", "sendibt2.com", "sendibt3.com", "sendibm1.com", "brevo.com",
    "sendinblue.com", "hubspotlinks.com", "hs-sites.com", "hubspot.com", "mandrillapp.com",
    "exct.net", "mkt.com", "eloqua.com", "mailgun.org", "mailgun.net", "sparkpostmail.com",
    "awstrack.me", "doubleclick.net", "emlnk.com", "mailpoet.com", "sarbacane.com",
    "dolist.net", "messagebusiness.com", "splio.com", "selligent.com", "actito.com",
    "mailinblue.com", "sib.li", "sp1-brevo.net", "rs6.net", "constantcontact.com",
    "cmail19.com", "cmail20.com", "createsend.com", "google.com",
})


def strip_accents(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


_NON_WORD = re.compile(r"[^a-z0-9@.]+")


def is_official(domain: str, inst: Institution) -> bool:
    for off in inst.domains:
        if domain == off or domain.endswith("." + off):
            return True
    return False


@lru_cache(maxsize=8192)
def official_of(domain: str) -> Institution | None:
    """The institution whose official domain this is (the most specific one), if any."""
    best: Institution | None = None
    best_len = 0
    for inst in INSTITUTIONS:
        for off in inst.domains:
            if (domain == off or domain.endswith("." + off)) and len(off) > best_len:
                best, best_len = inst, len(off)
    return best


def _normalise_name(text: str) -> str:
    norm = strip_accents(text.lower())
    return " " + " ".join(_NON_WORD.sub(" ", norm.replace("'", " ")).split()) + " "


@lru_cache(maxsize=1)
def _name_index() -> dict[str, Institution]:
    return {n: inst for inst in INSTITUTIONS for n in inst.names}


@lru_cache(maxsize=8192)
def name_claims(display_name: str) -> Institution | None:
    """The institution that a display name claims to be, if any (longest claim wins)."""
    norm = _normalise_name(display_name)
    best: Institution | None = None
    best_len = 0
    for n, inst in _name_index().items():
        if len(n) > best_len and f" {n} " in norm:
            best, best_len = inst, len(n)
    return best


@lru_cache(maxsize=1)
def _names_by_first_word() -> dict[str, list[tuple[tuple[str, ...], Institution]]]:
    index: dict[str, list[tuple[tuple[str, ...], Institution]]] = {}
    for n, inst in _name_index().items():
        if len(n) >= 4:
            words = tuple(n.split())
            index.setdefault(words[0], []).append((words, inst))
    return index


def text_claims(words: tuple[str, ...] | list[str], limit: int = 3) -> list[Institution]:
    """Institutions named in ASCII-folded lowercase ``words`` (a subject, the start of a body)."""
    index = _names_by_first_word()
    found: list[Institution] = []
    if not index.keys() & set(words):
        return found
    for i, w in enumerate(words):
        for name, inst in index.get(w, ()):
            if inst not in found and (len(name) == 1 or tuple(words[i:i + len(name)]) == name):
                found.append(inst)
                if len(found) >= limit:
                    return found
    return found


# Brand names that are also ordinary words or surnames (Chase, Orange, Norton): a display
# name claims them only next to a word that presents an organisation ("Norton Billing").
AMBIGUOUS_BRANDS = {"norton": "Norton", "chase": "Chase", "orange": "Orange", "visa": "Visa",
                    "apple": "Apple", "ledger": "Ledger", "booking": "Booking.com",
                    "adobe": "Adobe", "free": "Free", "steam": "Steam", "axa": "AXA",
                    "leclerc": "E.Leclerc", "caixa": "Caixa", "cpf": "Mon Compte Formation (CPF)",
                    "disney": "Disney+", "target": "", "microsoft": "Microsoft"}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Institution]:
    return {inst.name: inst for inst in INSTITUTIONS}


def brand_word(words: set[str]) -> Institution | None:
    """An institution named by one of ``words`` (ASCII-folded, lowercased), ambiguous ones
    included: for display names that also carry an organisation word."""
    for w in words:
        name = AMBIGUOUS_BRANDS.get(w)
        if name:
            return _by_name().get(name)
    return None
