"""Hand-written phishing, scam and ordinary mail in seven languages: the project's own data.

Why: the only openly licensed mail corpus (SpamAssassin's, 2002) is English and holds spam of
its era, not the credential phishing, parcel-fee, casino, crypto and benefit-office fraud that
reaches people now, nor any French, German, Dutch, Portuguese, Spanish or Italian. These phrase
banks, written for this project from the common knowledge of how such fraud is worded (public
awareness campaigns describe the same few scenarios), fill that gap. Ordinary mail is written
in the same languages and in the same registers (orders, deliveries, account notices, meetings,
newsletters), so the model learns the fraud, not the language or the topic.

``examples(seed, per_cell)`` returns ``(subject, body, label)`` triples, label 1 = fraud.
"""

from __future__ import annotations

import random

Bank = dict[str, list[str]]

# Brands the fraud borrows; the ordinary mail borrows the same ones, truthfully.
BRANDS = ["PayPal", "Amazon", "Microsoft", "Apple", "Netflix", "DHL", "La Poste", "Colissimo",
          "UPS", "FedEx", "Chronopost", "ameli", "CAF", "impots.gouv", "ANTAI", "Orange",
          "Free", "SFR", "EDF", "Crédit Agricole", "BNP Paribas", "Société Générale",
          "Banque Populaire", "ING", "Sparkasse", "Deutsche Bank", "PostNL", "Correios",
          "Bradesco", "Santander", "BBVA", "Poste Italiane", "Binance", "Coinbase", "Ledger",
          "MetaMask", "Office 365", "OneDrive", "DocuSign", "WeTransfer", "Facebook",
          "Instagram", "WhatsApp", "Google", "Norton", "McAfee", "Booking.com", "Vinted",
          "Leboncoin", "ADAC", "Lidl", "Aldi", "Carrefour", "Walmart", "Costco", "Shein"]
AMOUNTS = ["1,99 €", "2,99 €", "€ 3,50", "$4.99", "£2.99", "R$ 12,90", "149,90 €", "$500",
           "1 000 €", "€ 2.000", "$5,000", "250 €", "$1,250.00", "87,40 €", "312,55 €",
           "4.500.000 USD", "US$ 10.5 million", "7,2 millions d'euros", "€ 850.000"]
NAMES = ["Anna", "Mark", "Julie", "Thomas", "Sarah", "Pierre", "Claire", "Jan", "Sophie",
         "Miguel", "Ana", "Luca", "Giulia", "Stefan", "Marie", "David", "Laura", "Paulo"]


def _url(rng: random.Random) -> str:
    return (rng.choice(["https://", "http://", "www."])
            + rng.choice(["secure-", "my", "login-", "verify-", "account-", "", "service-",
                          "app."])
            + rng.choice(["pay", "portal", "client", "update", "check", "track", "center",
                          "bonus", "gift", "claim", "wallet", "sso", "auth"])
            + rng.choice([".com", ".net", ".info", ".xyz", ".top", ".online", ".site", ".live",
                          ".shop", ".fr", ".de", ".app"])
            + "/" + rng.choice(["login", "verify", "index.php", "track", "claim", "",
                                f"id={rng.randint(100, 99999)}"]))


def _value(rng: random.Random, key: str) -> str:
    if key == "brand":
        return rng.choice(BRANDS)
    if key == "amount":
        return rng.choice(AMOUNTS)
    if key == "name":
        return rng.choice(NAMES)
    if key == "n":
        return str(rng.randint(2, 98))
    if key == "ref":
        return f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(10000, 99999999)}"
    if key == "hours":
        return rng.choice(["24", "48", "72", "12"])
    if key == "day":
        return rng.choice(["Monday", "lundi", "Montag", "maandag", "segunda", "lunes",
                           "lunedì", "Friday", "vendredi", "Freitag"])
    if key == "url":
        return _url(rng)
    return key


def _fill(rng: random.Random, text: str) -> str:
    out = []
    rest = text
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        out.append(rest[:start])
        out.append(_value(rng, rest[start + 1:end]))
        rest = rest[end + 1:]
    out.append(rest)
    return "".join(out)


def _compose(rng: random.Random, bank: Bank, parts: tuple[str, ...]) -> str:
    return "\n\n".join(_fill(rng, rng.choice(bank[p])) for p in parts if bank.get(p))


# --- fraud -----------------------------------------------------------------------------------
# Each scenario: subjects and body parts (greeting, hook, action, threat, closing) per language.

FRAUD: dict[str, dict[str, Bank]] = {
    "en": {
        "account": {
            "subject": ["Your {brand} account has been suspended", "Action required: verify "
                        "your account", "Unusual sign-in activity", "Security alert: your "
                        "account is limited", "Your password expires today", "Final notice: "
                        "confirm your identity", "We couldn't verify your billing information",
                        "Your mailbox storage is full", "[{brand}] Account locked #{ref}",
                        "Re: your account access", "Important: update required"],
            "greeting": ["Dear Customer,", "Dear {brand} user,", "Hello,", "Dear valued member,",
                         "Dear Client,", "Dear account holder,"],
            "hook": ["We detected an unusual sign-in attempt on your account from an unknown "
                     "device.", "Your account has been temporarily limited because we could not "
                     "verify your information.", "Your password will expire in {hours} hours.",
                     "We were unable to process your last payment.", "Your mailbox has "
                     "exceeded its storage limit and new messages will be rejected.",
                     "As part of our security measures, we regularly review account activity.",
                     "Someone tried to log in to your account. For your protection we have "
                     "locked it."],
            "action": ["Please click the link below to verify your account: {url}", "Sign in "
                       "now to restore full access: {url}", "To keep using our services, "
                       "confirm your identity here: {url}", "Click here to update your billing "
                       "information.", "Log in and validate your email address within "
                       "{hours} hours.", "Verify your account now"],
            "threat": ["If you do not verify within {hours} hours, your account will be "
                       "permanently closed.", "Failure to do so will result in suspension of "
                       "your account.", "Accounts not verified will be deleted.", "This is "
                       "your final notice.", ""],
            "closing": ["Thank you, The {brand} Security Team", "Sincerely, {brand} Account "
                        "Services", "Regards, Customer Support", "© {brand} Inc. All rights "
                        "reserved."],
        },
        "parcel": {
            "subject": ["Your package is on hold", "Delivery failed: action needed", "{brand}: "
                        "your parcel could not be delivered", "Pending shipment #{ref}",
                        "Customs fee required for your delivery", "Your order is waiting"],
            "greeting": ["Dear customer,", "Hello,", ""],
            "hook": ["We attempted to deliver your package but no one was available.", "Your "
                     "parcel #{ref} is waiting at our depot due to unpaid shipping fees of "
                     "{amount}.", "Your shipment is on hold because the address is "
                     "incomplete."],
            "action": ["Please confirm your address and pay the redelivery fee here: {url}",
                       "Schedule a new delivery: {url}", "Pay the customs fee of {amount} to "
                       "release your package."],
            "threat": ["If no action is taken within {hours} hours, the parcel will be returned "
                       "to the sender.", "Unclaimed packages are destroyed after 5 days.", ""],
            "closing": ["{brand} Customer Service", "Thank you for choosing {brand}."],
        },
        "refund": {
            "subject": ["Tax refund notification", "You have a pending refund of {amount}",
                        "Refund approved - claim now", "Invoice #{ref} overdue", "Payment "
                        "declined", "Your subscription could not be renewed"],
            "greeting": ["Dear taxpayer,", "Dear customer,", "Hello,"],
            "hook": ["After the last annual calculation, you are eligible to receive a tax "
                     "refund of {amount}.", "Your payment method was declined and your "
                     "subscription has been put on hold.", "An outstanding invoice of "
                     "{amount} remains unpaid.", "We owe you a refund of {amount}."],
            "action": ["Submit the form to receive your refund: {url}", "Update your payment "
                       "details to avoid interruption: {url}", "Please review the attached "
                       "invoice and settle the balance.", "Enter your card details to "
                       "receive the funds."],
            "threat": ["Late payment penalties will apply.", "Your service will be "
                       "interrupted.", ""],
            "closing": ["Billing Department", "Regards, Accounts Receivable", "HM Revenue"],
        },
        "prize": {
            "subject": ["Congratulations! You have won", "You've been selected for a "
                        "{brand} gift card", "Claim your free reward", "Your {amount} prize is "
                        "waiting", "Final reminder: claim your gift", "Only today: free "
                        "iPhone for our customers", "Quick survey - get a {amount} voucher",
                        "🎁 Your reward is waiting", "Winner notification #{ref}"],
            "greeting": ["Dear winner,", "Congratulations!", "Hello,", "Dear customer,"],
            "hook": ["You have been selected to receive an exclusive reward.", "Your email "
                     "address won our monthly draw.", "As a loyal customer, you can claim a "
                     "free gift worth {amount}.", "Answer 3 quick questions and get your "
                     "reward.", "Only a few rewards left!"],
            "action": ["Click here to claim your prize now: {url}", "Confirm your details and "
                       "pay only the shipping cost.", "Claim now before it expires."],
            "threat": ["This offer expires in {hours} hours.", "Unclaimed prizes will be "
                       "given to another winner.", ""],
            "closing": ["The Rewards Team", "Customer Rewards Program", "Good luck!"],
        },
        "casino": {
            "subject": ["200% bonus + 100 free spins", "Your welcome bonus is waiting", "Play "
                        "now and win real money", "🎰 {amount} jackpot tonight", "No deposit "
                        "bonus for you"],
            "greeting": ["Hi there,", "Hey!", "Welcome,"],
            "hook": ["Get a 300% welcome bonus up to {amount} and 150 free spins.", "Our new "
                     "casino gives you free spins without deposit.", "Thousands of players "
                     "already won big this week."],
            "action": ["Play now: {url}", "Claim your bonus and start winning.", "Sign up in "
                       "one minute."],
            "threat": ["Offer valid today only.", ""],
            "closing": ["Good luck, the Casino Team", "18+ play responsibly"],
        },
        "advance": {
            "subject": ["URGENT BUSINESS PROPOSAL", "Dear friend", "Inheritance fund",
                        "Confidential transaction", "Compensation payment", "Hello dear",
                        "Your ATM card worth {amount}", "Investment partnership"],
            "greeting": ["Dear friend,", "Dear beloved,", "Greetings,", "Dear sir/madam,",
                         "Attention beneficiary,"],
            "hook": ["I am Mrs {name}, the widow of a late businessman, and I have a fund of "
                     "{amount} deposited in a bank.", "I am a barrister and my late client "
                     "died without next of kin.", "You have been selected as the beneficiary "
                     "of a compensation fund of {amount}.", "I need a foreign partner to "
                     "transfer the sum of {amount} out of the country.", "Your consignment box "
                     "containing {amount} is held at the airport."],
            "action": ["Kindly reply with your full name, address and phone number.", "Please "
                       "contact me urgently on my private email.", "Send your bank details so "
                       "the transfer can be made.", "Contact our agent via Western Union."],
            "threat": ["This transaction is strictly confidential.", "Please treat this with "
                       "the utmost secrecy.", "May God bless you."],
            "closing": ["Yours faithfully, {name}", "Best regards, Barrister {name}", "God "
                        "bless, Mrs {name}"],
        },
        "crypto": {
            "subject": ["Claim your airdrop", "Your wallet will be suspended", "Withdraw your "
                        "BTC now", "Urgent: verify your {brand} wallet", "Earn 30% per week "
                        "with our trading bot", "NFT reward available"],
            "greeting": ["Dear user,", "Hello,", "Hi,"],
            "hook": ["Your wallet has a pending balance of 0.87 BTC.", "A security upgrade "
                     "requires all wallets to be re-synchronized.", "Our AI trading platform "
                     "guarantees daily profits.", "You are eligible for the token airdrop."],
            "action": ["Enter your recovery phrase to validate your wallet: {url}", "Connect "
                       "your wallet to claim: {url}", "Invest {amount} now and double it."],
            "threat": ["Unverified wallets will lose access to their funds.", ""],
            "closing": ["{brand} Support", "The Team"],
        },
        "sextortion": {
            "subject": ["I know your password", "Your device has been hacked", "Payment "
                        "required", "You have 48 hours"],
            "greeting": ["Hello,", "Hi,", ""],
            "hook": ["I hacked your device months ago and recorded you through your webcam.",
                     "I have access to all your contacts and your browsing history."],
            "action": ["Send {amount} in bitcoin to the address below.", "Pay in BTC and I "
                       "will delete everything."],
            "threat": ["If I do not receive the payment within 48 hours, the video goes to "
                       "all your contacts.", "Do not contact the police."],
            "closing": [""],
        },
        "spam": {
            "subject": ["Lose 10 kg in 2 weeks", "Cheap meds online", "Meet hot singles in "
                        "your area", "Make $3,000 a week from home", "Limited time offer: 80% "
                        "off", "Doctors hate this trick", "Lowest mortgage rates", "Get rid of "
                        "wrinkles now"],
            "greeting": ["Hi,", "Hello friend,", ""],
            "hook": ["This miracle supplement melts fat while you sleep.", "Buy Viagra and "
                     "Cialis without prescription.", "Lonely women are waiting to chat with "
                     "you.", "Earn extra income working from home, no experience needed.",
                     "Clinically proven formula, 100% guaranteed results."],
            "action": ["Order now: {url}", "Click here to see the photos.", "Buy now and "
                       "save."],
            "threat": ["Limited stock!", "Act now!", ""],
            "closing": ["To unsubscribe click here.", "If you no longer wish to receive "
                        "these emails, reply remove."],
        },
        "bec": {
            "subject": ["Quick favour", "Are you available?", "Urgent request", "Payment today",
                        "Change of bank details"],
            "greeting": ["Hi,", "Hello,", "{name},"],
            "hook": ["I'm in a meeting and can't take calls right now.", "I need you to handle "
                     "a confidential task for me today.", "Our supplier has changed their "
                     "bank details."],
            "action": ["Can you buy 5 gift cards of $100 and send me the codes?", "Please "
                       "process a wire transfer of {amount} to the new account today.",
                       "Reply to me only on this address."],
            "threat": ["Keep this between us for now.", "It's urgent."],
            "closing": ["Sent from my iPhone", "Thanks"],
        },
    },
    "fr": {
        "account": {
            "subject": ["Votre compte a été suspendu", "Action requise : vérifiez votre compte",
                        "Connexion inhabituelle détectée", "Alerte de sécurité {brand}",
                        "Votre mot de passe expire aujourd'hui", "Dernier avis : confirmez "
                        "votre identité", "Mise à jour obligatoire de vos informations",
                        "Votre boîte mail est pleine", "Accès restreint à votre espace client"],
            "greeting": ["Cher client,", "Chère cliente, cher client,", "Bonjour,",
                         "Madame, Monsieur,", "Cher(e) utilisateur(trice),"],
            "hook": ["Nous avons détecté une connexion inhabituelle à votre compte.",
                     "Votre compte a été temporairement suspendu suite à une anomalie.",
                     "Votre mot de passe expire dans {hours} heures.", "Nous n'avons pas pu "
                     "vérifier vos informations de paiement.", "Votre boîte de réception a "
                     "atteint sa limite de stockage."],
            "action": ["Veuillez cliquer sur le lien ci-dessous pour vérifier votre compte : "
                       "{url}", "Connectez-vous pour réactiver votre accès : {url}", "Mettez à "
                       "jour vos informations en cliquant ici.", "Confirmez votre identité "
                       "sous {hours} heures."],
            "threat": ["Sans action de votre part, votre compte sera définitivement fermé.",
                       "Passé ce délai, votre accès sera bloqué.", ""],
            "closing": ["Le service sécurité {brand}", "Cordialement, le service client",
                        "L'équipe {brand}"],
        },
        "parcel": {
            "subject": ["Votre colis est en attente", "Échec de livraison de votre colis",
                        "{brand} : frais de réexpédition", "Votre colis n° {ref} est bloqué",
                        "Frais de douane à régler"],
            "greeting": ["Bonjour,", "Cher client,", ""],
            "hook": ["Votre colis n'a pas pu être livré car les frais d'affranchissement "
                     "({amount}) n'ont pas été réglés.", "Votre colis est retenu en douane.",
                     "Nous avons tenté de vous livrer mais vous étiez absent."],
            "action": ["Programmez une nouvelle livraison ici : {url}", "Réglez les frais de "
                       "{amount} pour recevoir votre colis.", "Confirmez votre adresse : "
                       "{url}"],
            "threat": ["Sans paiement sous {hours} heures, votre colis sera renvoyé à "
                       "l'expéditeur.", ""],
            "closing": ["Service client {brand}", "Merci de votre confiance."],
        },
        "refund": {
            "subject": ["Avis de remboursement", "Vous avez un remboursement en attente",
                        "Remboursement de {amount} disponible", "Facture impayée n° {ref}",
                        "Votre carte Vitale expire", "Avis de contravention",
                        "Amende non réglée : dernier rappel", "Régularisation de vos droits"],
            "greeting": ["Madame, Monsieur,", "Cher(e) assuré(e),", "Cher allocataire,",
                         "Bonjour,"],
            "hook": ["Après le dernier calcul de vos droits, vous êtes éligible à un "
                     "remboursement de {amount}.", "Votre carte Vitale arrive à expiration, "
                     "commandez la nouvelle carte.", "Vous avez une amende de {amount} en "
                     "attente de paiement.", "Une facture de {amount} reste impayée."],
            "action": ["Remplissez le formulaire pour recevoir votre remboursement : {url}",
                       "Confirmez vos coordonnées bancaires en cliquant ici.", "Réglez votre "
                       "amende en ligne : {url}"],
            "threat": ["Sans régularisation, une majoration sera appliquée.", "Des poursuites "
                       "judiciaires pourront être engagées.", ""],
            "closing": ["L'Assurance Maladie", "Direction générale des Finances publiques",
                        "Service des amendes", "Votre Caf"],
        },
        "prize": {
            "subject": ["Félicitations, vous avez gagné !", "Vous avez été sélectionné",
                        "Votre cadeau vous attend", "Dernier jour pour récupérer votre "
                        "récompense", "Carte cadeau de {amount} offerte", "Jeu concours : "
                        "vous êtes le gagnant", "Répondez au questionnaire et gagnez"],
            "greeting": ["Félicitations !", "Cher client,", "Bonjour,"],
            "hook": ["Vous avez été tiré au sort pour recevoir un cadeau exclusif.",
                     "Votre adresse a gagné notre tirage mensuel.", "Répondez à 3 questions "
                     "et recevez votre bon d'achat."],
            "action": ["Cliquez ici pour récupérer votre cadeau : {url}", "Il ne vous reste "
                       "qu'à payer les frais de port.", "Récupérez votre récompense maintenant."],
            "threat": ["Offre valable {hours} heures seulement.", ""],
            "closing": ["Le service fidélité", "Bonne chance !"],
        },
        "advance": {
            "subject": ["Proposition d'affaire confidentielle", "Héritage", "Bonjour cher ami",
                        "Don de {amount}", "Besoin de votre aide"],
            "greeting": ["Cher ami,", "Bonjour,", "Très cher,"],
            "hook": ["Je suis Madame {name}, veuve d'un homme d'affaires, et je souhaite faire "
                     "don de {amount} à une personne de confiance.", "Je suis notaire et mon "
                     "client est décédé sans héritier.", "Vous êtes bénéficiaire d'un fonds "
                     "de {amount}."],
            "action": ["Veuillez me répondre avec vos coordonnées complètes.", "Contactez-moi "
                       "sur mon adresse privée."],
            "threat": ["Cette transaction est strictement confidentielle.", "Que Dieu vous "
                       "bénisse."],
            "closing": ["Mme {name}", "Maître {name}"],
        },
        "crypto": {
            "subject": ["Investissez et gagnez 30 % par mois", "Votre portefeuille crypto",
                        "Placement garanti sans risque"],
            "greeting": ["Bonjour,", "Cher investisseur,"],
            "hook": ["Notre plateforme de trading automatique garantit des rendements "
                     "exceptionnels.", "Votre portefeuille contient 0,5 bitcoin non réclamé."],
            "action": ["Investissez {amount} dès aujourd'hui : {url}", "Saisissez votre "
                       "phrase de récupération pour valider votre portefeuille."],
            "threat": ["Places limitées.", ""],
            "closing": ["L'équipe", "Votre conseiller"],
        },
        "spam": {
            "subject": ["Perdez 10 kg en 2 semaines", "Rencontres coquines près de chez vous",
                        "Gagnez de l'argent depuis chez vous", "-80 % sur tout le site",
                        "Crédit sans justificatif"],
            "greeting": ["Bonjour,", ""],
            "hook": ["Ce complément miracle fait fondre les graisses.", "Des célibataires "
                     "vous attendent.", "Revenus garantis depuis votre domicile."],
            "action": ["Commandez maintenant : {url}", "Cliquez ici pour voir les photos."],
            "threat": ["Stock limité !", ""],
            "closing": ["Pour vous désinscrire, cliquez ici."],
        },
        "bec": {
            "subject": ["Es-tu disponible ?", "Demande urgente", "Virement urgent",
                        "Changement de RIB"],
            "greeting": ["Bonjour,", "{name},"],
            "hook": ["Je suis en réunion et je ne peux pas téléphoner.", "J'ai besoin que tu "
                     "t'occupes d'une affaire confidentielle aujourd'hui.", "Notre fournisseur "
                     "a changé de coordonnées bancaires."],
            "action": ["Peux-tu acheter des cartes cadeaux et m'envoyer les codes ?", "Merci "
                       "d'effectuer un virement de {amount} sur le nouveau RIB.", "Réponds-moi "
                       "uniquement sur cette adresse."],
            "threat": ["Reste discret pour le moment.", "C'est urgent."],
            "closing": ["Envoyé de mon iPhone", "Merci"],
        },
    },
    "de": {
        "account": {
            "subject": ["Ihr Konto wurde gesperrt", "Bestätigen Sie Ihre Daten",
                        "Ungewöhnliche Anmeldung festgestellt", "Sicherheitshinweis zu Ihrem "
                        "Konto", "Letzte Mahnung: Kontoverifizierung erforderlich"],
            "greeting": ["Sehr geehrter Kunde,", "Sehr geehrte Kundin, sehr geehrter Kunde,",
                         "Hallo,", "Lieber Kunde,"],
            "hook": ["Aus Sicherheitsgründen wurde Ihr Konto vorübergehend eingeschränkt.",
                     "Wir haben eine ungewöhnliche Anmeldung festgestellt.", "Ihre "
                     "Zahlungsdaten sind nicht mehr aktuell."],
            "action": ["Bitte bestätigen Sie Ihre Daten über den folgenden Link: {url}",
                       "Melden Sie sich jetzt an, um Ihr Konto zu entsperren.", "Klicken Sie "
                       "hier, um Ihre Daten zu aktualisieren."],
            "threat": ["Andernfalls wird Ihr Konto innerhalb von {hours} Stunden dauerhaft "
                       "gesperrt.", ""],
            "closing": ["Ihr {brand} Kundenservice", "Mit freundlichen Grüßen, Ihr "
                        "Sicherheitsteam"],
        },
        "parcel": {
            "subject": ["Ihr Paket wartet auf Zustellung", "Zustellung fehlgeschlagen",
                        "Zollgebühren ausstehend", "Sendungsverfolgung {ref}"],
            "greeting": ["Sehr geehrter Kunde,", "Hallo,"],
            "hook": ["Ihr Paket konnte nicht zugestellt werden, da Versandkosten von {amount} "
                     "offen sind.", "Ihre Sendung liegt im Zolllager."],
            "action": ["Bitte bezahlen Sie die Gebühr hier: {url}", "Neue Zustellung "
                       "planen: {url}"],
            "threat": ["Nach {hours} Stunden wird das Paket zurückgesendet.", ""],
            "closing": ["Ihr {brand} Team"],
        },
        "prize": {
            "subject": ["Herzlichen Glückwunsch! Sie haben gewonnen", "Ihr {brand} Gutschein "
                        "wartet", "Gewinnspiel: Ihre Chance auf {amount}", "Nur heute: "
                        "Gratis-Geschenk", "Wir gratulieren Ihnen sehr herzlich",
                        "Sie wurden ausgewählt", "Kurze Umfrage – Belohnung sichern"],
            "greeting": ["Hallo,", "Lieber Kunde,", "Herzlichen Glückwunsch!"],
            "hook": ["Sie wurden ausgewählt, um einen exklusiven Preis zu erhalten.",
                     "Nehmen Sie an unserer kurzen Umfrage teil und sichern Sie sich einen "
                     "Gutschein über {amount}.", "Ihre E-Mail-Adresse wurde bei unserem "
                     "Gewinnspiel gezogen."],
            "action": ["Jetzt teilnehmen: {url}", "Klicken Sie hier, um Ihren Gewinn "
                       "abzuholen.", "Jetzt Gutschein sichern!"],
            "threat": ["Das Angebot ist nur heute gültig.", ""],
            "closing": ["Ihr Gewinnspiel-Team", "Viel Glück!"],
        },
        "casino": {
            "subject": ["200% Bonus + 100 Freispiele", "Ihr Willkommensbonus wartet",
                        "Jetzt spielen und echtes Geld gewinnen"],
            "greeting": ["Hallo,", "Hey!"],
            "hook": ["Sichern Sie sich bis zu {amount} Bonus und 150 Freispiele.",
                     "Freispiele ohne Einzahlung!"],
            "action": ["Jetzt spielen: {url}", "Bonus sichern!"],
            "threat": ["Nur für kurze Zeit.", ""],
            "closing": ["Ihr Casino-Team", "18+"],
        },
        "crypto": {
            "subject": ["Ihre Bitcoin-Auszahlung ist bereit", "Verdienen Sie 30 % pro Woche",
                        "Ihr Wallet wird gesperrt"],
            "greeting": ["Hallo,", "Sehr geehrter Investor,"],
            "hook": ["Auf Ihrem Konto liegen 0,5 BTC zur Auszahlung bereit.", "Unsere "
                     "KI-Handelsplattform garantiert tägliche Gewinne."],
            "action": ["Jetzt auszahlen: {url}", "Geben Sie Ihre Wiederherstellungsphrase "
                       "ein."],
            "threat": ["Nicht verifizierte Wallets werden gesperrt.", ""],
            "closing": ["Ihr Support-Team"],
        },
        "spam": {
            "subject": ["Endlich abnehmen", "Potenzmittel ohne Rezept", "Heiße Singles in "
                        "Ihrer Nähe", "Geld verdienen von zu Hause", "70 % Rabatt nur heute"],
            "greeting": ["Hallo,", ""],
            "hook": ["Mit diesem Wundermittel purzeln die Kilos.", "Einsame Frauen warten "
                     "auf Sie."],
            "action": ["Jetzt bestellen: {url}", "Hier klicken."],
            "threat": ["Nur solange der Vorrat reicht!", ""],
            "closing": ["Abmelden"],
        },
    },
    "nl": {
        "account": {
            "subject": ["Uw account is geblokkeerd", "Bevestig uw gegevens", "Ongebruikelijke "
                        "inlogpoging"],
            "greeting": ["Beste klant,", "Geachte klant,", "Hallo,"],
            "hook": ["Wij hebben een ongebruikelijke inlogpoging gedetecteerd.", "Uw account "
                     "is tijdelijk geblokkeerd om veiligheidsredenen."],
            "action": ["Bevestig uw gegevens via de onderstaande link: {url}", "Log nu in om "
                       "uw account te herstellen."],
            "threat": ["Anders wordt uw account binnen {hours} uur opgeschort.", ""],
            "closing": ["Met vriendelijke groet, {brand} Klantenservice"],
        },
        "parcel": {
            "subject": ["Uw pakket wacht op levering", "Bezorging mislukt",
                        "Je hebt 1 nieuwe trackingmelding"],
            "greeting": ["Beste klant,", "Hallo,"],
            "hook": ["Uw pakket kon niet worden bezorgd omdat de verzendkosten van {amount} "
                     "niet zijn betaald."],
            "action": ["Betaal de kosten hier: {url}", "Plan een nieuwe levering: {url}"],
            "threat": ["Na {hours} uur wordt het pakket teruggestuurd.", ""],
            "closing": ["{brand} Klantenservice"],
        },
        "prize": {
            "subject": ["Gefeliciteerd! U heeft gewonnen", "Uw cadeaubon wacht",
                        "Gratis lidmaatschap voor u", "Korte enquête – ontvang een beloning"],
            "greeting": ["Gefeliciteerd!", "Beste klant,"],
            "hook": ["U bent geselecteerd voor een exclusieve prijs.", "Vul de korte enquête "
                     "in en ontvang een cadeaubon van {amount}."],
            "action": ["Claim uw prijs: {url}", "Klik hier om deel te nemen."],
            "threat": ["Alleen vandaag geldig.", ""],
            "closing": ["Het beloningsteam"],
        },
        "casino": {
            "subject": ["200% welkomstbonus + 100 gratis spins", "Speel nu en win echt geld"],
            "greeting": ["Hallo,"],
            "hook": ["Ontvang tot {amount} bonus en 150 gratis spins."],
            "action": ["Speel nu: {url}"],
            "threat": ["Alleen vandaag.", ""],
            "closing": ["Het casinoteam"],
        },
        "spam": {
            "subject": ["Ontmoet vrouwen bij u in de buurt", "Afvallen zonder dieet",
                        "70% korting alleen vandaag"],
            "greeting": ["Hallo,", ""],
            "hook": ["Met dit wondermiddel valt u snel af.", "Eenzame vrouwen wachten op u."],
            "action": ["Bestel nu: {url}", "Klik hier."],
            "threat": ["Beperkte voorraad!", ""],
            "closing": ["Afmelden"],
        },
    },
    "pt": {
        "spam": {
            "subject": ["Emagreça sem dieta", "Desconto de 70% só hoje", "Renda extra em casa",
                        "Crédito aprovado na hora"],
            "greeting": ["Olá,", ""],
            "hook": ["Este suplemento natural elimina a gordura.", "Oferta exclusiva com "
                     "desconto imperdível.", "Ganhe dinheiro sem sair de casa."],
            "action": ["Compre agora: {url}", "Clique aqui."],
            "threat": ["Estoque limitado!", ""],
            "closing": ["Descadastrar"],
        },
        "casino": {
            "subject": ["Bônus de boas-vindas de 200%", "Rodadas grátis para você"],
            "greeting": ["Olá,"],
            "hook": ["Ganhe até {amount} de bônus e 100 rodadas grátis."],
            "action": ["Jogue agora: {url}"],
            "threat": ["Somente hoje.", ""],
            "closing": ["Equipe do cassino"],
        },
        "account": {
            "subject": ["Sua conta foi bloqueada", "Atualize seus dados", "Acesso suspenso",
                        "Seu cartão foi temporariamente bloqueado", "Aviso urgente"],
            "greeting": ["Prezado cliente,", "Olá,", "Caro cliente,"],
            "hook": ["Detectamos uma atividade incomum na sua conta.", "Seu cadastro está "
                     "desatualizado e sua conta foi suspensa.", "Seus pontos vão expirar "
                     "hoje."],
            "action": ["Clique aqui para atualizar seus dados: {url}", "Acesse e confirme "
                       "seus dados para evitar o bloqueio.", "Resgate seus pontos agora."],
            "threat": ["Caso contrário, sua conta será bloqueada em {hours} horas.", ""],
            "closing": ["Atenciosamente, Equipe {brand}", "Central de atendimento"],
        },
        "prize": {
            "subject": ["Parabéns! Você ganhou", "Seu prêmio está esperando", "Resgate seu "
                        "brinde grátis"],
            "greeting": ["Parabéns!", "Olá,"],
            "hook": ["Você foi selecionado para receber um prêmio exclusivo.", "Responda a "
                     "pesquisa e ganhe um cupom de {amount}."],
            "action": ["Resgate agora: {url}", "Clique aqui para receber."],
            "threat": ["Oferta válida somente hoje.", ""],
            "closing": ["Equipe de recompensas"],
        },
        "parcel": {
            "subject": ["Sua encomenda está retida", "Taxa alfandegária pendente"],
            "greeting": ["Prezado cliente,", "Olá,"],
            "hook": ["A importação do seu pedido está pendente devido ao pagamento de taxas "
                     "de {amount}."],
            "action": ["Pague a taxa aqui: {url}"],
            "threat": ["Sem pagamento, a encomenda será devolvida.", ""],
            "closing": ["{brand}"],
        },
    },
    "es": {
        "spam": {
            "subject": ["Pierda peso sin dieta", "Descuento del 70 % solo hoy", "Conozca "
                        "mujeres solteras cerca de usted", "Gane dinero desde casa"],
            "greeting": ["Hola,", ""],
            "hook": ["Este suplemento milagroso quema la grasa.", "Oferta exclusiva con un "
                     "descuento increíble.", "Ingresos garantizados sin experiencia."],
            "action": ["Compre ahora: {url}", "Haga clic aquí."],
            "threat": ["¡Existencias limitadas!", ""],
            "closing": ["Darse de baja"],
        },
        "casino": {
            "subject": ["Bono de bienvenida del 200 %", "100 giros gratis para usted"],
            "greeting": ["Hola,"],
            "hook": ["Consiga hasta {amount} de bono y 100 giros gratis."],
            "action": ["Juegue ahora: {url}"],
            "threat": ["Solo hoy.", ""],
            "closing": ["El equipo del casino"],
        },
        "account": {
            "subject": ["Su cuenta ha sido suspendida", "Verifique su identidad", "Alerta de "
                        "seguridad"],
            "greeting": ["Estimado cliente,", "Hola,"],
            "hook": ["Hemos detectado un acceso inusual a su cuenta.", "Su cuenta ha sido "
                     "bloqueada temporalmente."],
            "action": ["Verifique sus datos aquí: {url}", "Inicie sesión para reactivar su "
                       "cuenta."],
            "threat": ["De lo contrario, su cuenta será cerrada en {hours} horas.", ""],
            "closing": ["Atentamente, el equipo de {brand}"],
        },
        "prize": {
            "subject": ["¡Felicidades! Ha ganado", "Ha sido seleccionado", "Su regalo le "
                        "espera"],
            "greeting": ["¡Felicidades!", "Hola,"],
            "hook": ["Ha sido seleccionado para recibir un premio exclusivo.", "Responda la "
                     "encuesta y reciba un cupón de {amount}."],
            "action": ["Reclame su premio: {url}", "Haga clic aquí."],
            "threat": ["Oferta válida solo hoy.", ""],
            "closing": ["El equipo de premios"],
        },
    },
    "it": {
        "spam": {
            "subject": ["Dimagrisci senza dieta", "Sconto del 70% solo oggi", "Guadagna da "
                        "casa"],
            "greeting": ["Ciao,", ""],
            "hook": ["Questo integratore miracoloso brucia i grassi.", "Offerta esclusiva "
                     "con uno sconto incredibile."],
            "action": ["Ordina ora: {url}", "Clicca qui."],
            "threat": ["Scorte limitate!", ""],
            "closing": ["Annulla iscrizione"],
        },
        "account": {
            "subject": ["Il tuo account è stato sospeso", "Verifica i tuoi dati",
                        "Accesso insolito rilevato"],
            "greeting": ["Gentile cliente,", "Ciao,"],
            "hook": ["Abbiamo rilevato un accesso insolito al tuo account.", "Il tuo conto è "
                     "stato temporaneamente bloccato."],
            "action": ["Verifica i tuoi dati qui: {url}", "Accedi per riattivare il tuo "
                       "account."],
            "threat": ["Altrimenti il tuo account sarà chiuso entro {hours} ore.", ""],
            "closing": ["Il team di {brand}"],
        },
        "prize": {
            "subject": ["Congratulazioni! Hai vinto", "Il tuo premio ti aspetta"],
            "greeting": ["Congratulazioni!", "Ciao,"],
            "hook": ["Sei stato selezionato per ricevere un premio esclusivo."],
            "action": ["Richiedi il tuo premio: {url}"],
            "threat": ["Offerta valida solo oggi.", ""],
            "closing": ["Il team premi"],
        },
    },
}

# --- ordinary mail ---------------------------------------------------------------------------
# The same registers, honestly: orders, deliveries, account notices, bills, work, family,
# newsletters. Kept close to the fraud's vocabulary on purpose.

HAM: dict[str, dict[str, Bank]] = {
    "en": {
        "work": {
            "subject": ["Meeting on {day}", "Re: project update", "Minutes of today's call",
                        "Draft report attached", "Budget review", "Re: contract changes",
                        "Schedule for next week", "Question about the invoice", "Lunch?",
                        "Fw: agenda", "Training session", "Re: account reconciliation"],
            "greeting": ["Hi {name},", "Hello all,", "{name},", "Dear colleagues,", "Hi team,"],
            "hook": ["Thanks for sending the figures yesterday.", "As discussed on the phone, "
                     "I have updated the draft.", "The meeting is moved to {day} at 2pm.",
                     "Attached is the revised schedule for the project.", "I reviewed the "
                     "account statements and found two small differences.", "We need to "
                     "agree on the budget before the end of the month.", "The client asked "
                     "for a new version of the contract.", "Could you check the numbers in "
                     "the second table?", "Our payment to the supplier went out on {day}."],
            "action": ["Let me know if you have any comments.", "Can you send me your "
                       "availability?", "Please review and reply by {day}.", "Happy to "
                       "discuss tomorrow.", "I'll call you after lunch."],
            "threat": ["", "No rush.", "Thanks in advance."],
            "closing": ["Best regards, {name}", "Thanks, {name}", "Cheers, {name}", "{name}"],
        },
        "notice": {
            "subject": ["Your order has shipped", "Your receipt from {brand}", "Password "
                        "changed", "Your monthly statement is available", "Order confirmation "
                        "#{ref}", "Your subscription renews next month", "Delivery scheduled "
                        "for {day}", "Your invoice for this month", "New sign-in to your "
                        "account", "Payment received - thank you"],
            "greeting": ["Hi {name},", "Hello {name},", "Dear {name},"],
            "hook": ["Thanks for your order. Your package is on its way and should arrive on "
                     "{day}.", "We received your payment of {amount}. Thank you.", "Your "
                     "password was changed successfully. If this was you, no action is "
                     "needed.", "Your statement for last month is ready in your online "
                     "account.", "You signed in from a new device on {day}. If this was you, "
                     "you can ignore this message.", "Your invoice of {amount} will be paid "
                     "automatically by direct debit."],
            "action": ["You can track your parcel in the app.", "View your order details in "
                       "your account.", "If you did not make this change, contact us through "
                       "the help centre.", "No action is required."],
            "threat": [""],
            "closing": ["The {brand} team", "Thanks for shopping with us.", "{brand} Customer "
                        "Service"],
        },
        "personal": {
            "subject": ["Photos from the weekend", "Re: dinner on Saturday", "Happy birthday!",
                        "Holiday plans", "Re: the kids' school trip"],
            "greeting": ["Hi {name}!", "Dear {name},", "Hey,"],
            "hook": ["It was great to see you last weekend.", "Here are the photos from the "
                     "party.", "We are thinking of going to the coast in August.", "The "
                     "school trip costs {amount}, I paid for both kids."],
            "action": ["Call me when you can.", "Let me know what you think.", "See you "
                       "soon!"],
            "threat": [""],
            "closing": ["Love, {name}", "Take care, {name}", "{name}"],
        },
        "newsletter": {
            "subject": ["This week's news", "Our newsletter - {day} edition", "New articles "
                        "for you", "Upcoming events", "Release notes version 2.{n}"],
            "greeting": ["Hello,", "Dear readers,", ""],
            "hook": ["In this issue: the new version of our software, a tutorial and an "
                     "interview.", "The annual conference takes place in June; registration "
                     "is open.", "We fixed several bugs and improved performance.", "Read "
                     "the latest articles from our team."],
            "action": ["Read more on our website.", "Register on the event page.", "Download "
                       "the release from the project page."],
            "threat": [""],
            "closing": ["You receive this newsletter because you subscribed. Unsubscribe at "
                        "any time.", "The editorial team"],
        },
    },
    "fr": {
        "work": {
            "subject": ["Réunion de {day}", "Re: suivi du dossier", "Compte rendu de la "
                        "réunion", "Rapport en pièce jointe", "Point budget", "Planning de la "
                        "semaine prochaine", "Question sur la facture", "Re: convention de "
                        "partenariat", "Formation", "Re: situation de la famille"],
            "greeting": ["Bonjour {name},", "Bonjour à tous,", "{name},", "Chers collègues,"],
            "hook": ["Merci pour l'envoi des documents hier.", "Comme convenu au téléphone, "
                     "j'ai mis à jour le rapport.", "La réunion est déplacée à {day} 14h.",
                     "Vous trouverez ci-joint le planning révisé.", "J'ai vérifié les "
                     "relevés et trouvé deux écarts.", "Le remboursement des frais de "
                     "déplacement a été validé.", "La famille a bien reçu le versement de "
                     "l'aide.", "Le dossier de demande d'aide est complet."],
            "action": ["Pouvez-vous me faire un retour ?", "Merci de me donner vos "
                       "disponibilités.", "Je vous rappelle demain.", "N'hésitez pas si "
                       "vous avez des questions."],
            "threat": ["", "Merci d'avance."],
            "closing": ["Bien cordialement, {name}", "Bonne journée, {name}", "{name}"],
        },
        "notice": {
            "subject": ["Votre commande a été expédiée", "Votre facture du mois", "Mot de "
                        "passe modifié", "Votre relevé est disponible", "Confirmation de "
                        "commande n° {ref}", "Votre colis sera livré {day}", "Paiement reçu",
                        "Votre attestation est disponible dans votre espace"],
            "greeting": ["Bonjour {name},", "Madame, Monsieur,"],
            "hook": ["Merci pour votre commande. Votre colis est en route.", "Nous avons bien "
                     "reçu votre paiement de {amount}.", "Votre mot de passe a été modifié. "
                     "Si vous êtes à l'origine de ce changement, vous n'avez rien à faire.",
                     "Votre facture de {amount} sera prélevée automatiquement.", "Votre "
                     "remboursement de {amount} a été versé sur votre compte."],
            "action": ["Vous pouvez suivre votre colis dans l'application.", "Retrouvez le "
                       "détail dans votre espace client.", "Aucune action n'est nécessaire."],
            "threat": [""],
            "closing": ["L'équipe {brand}", "Le service client"],
        },
        "personal": {
            "subject": ["Photos du week-end", "Re: dîner samedi", "Joyeux anniversaire !",
                        "Vacances"],
            "greeting": ["Coucou {name} !", "Salut,", "Bonjour {name},"],
            "hook": ["C'était super de vous voir.", "Voici les photos de la fête.", "On pense "
                     "partir en Bretagne en août."],
            "action": ["Appelle-moi quand tu peux.", "Dis-moi ce que tu en penses.", "À "
                       "bientôt !"],
            "threat": [""],
            "closing": ["Bises, {name}", "{name}"],
        },
        "newsletter": {
            "subject": ["La lettre d'information de {day}", "Actualités du mois", "Agenda "
                        "des événements"],
            "greeting": ["Bonjour,", ""],
            "hook": ["Au sommaire : la réforme du RSA, un guide pratique et un entretien.",
                     "Les inscriptions au colloque de juin sont ouvertes."],
            "action": ["Lire la suite sur notre site.", "Inscrivez-vous sur la page de "
                       "l'événement."],
            "threat": [""],
            "closing": ["Vous recevez cette lettre car vous y êtes abonné. Se désabonner."],
        },
    },
    "de": {
        "newsletter": {
            "subject": ["Newsletter vom {day}", "Neuigkeiten des Monats", "Veranstaltungen"],
            "greeting": ["Liebe Leserinnen und Leser,", ""],
            "hook": ["In dieser Ausgabe: ein Interview, eine Anleitung und die Termine.",
                     "Die Anmeldung zur Fachtagung ist geöffnet."],
            "action": ["Weiterlesen auf unserer Webseite."],
            "threat": [""],
            "closing": ["Sie erhalten diesen Newsletter, weil Sie ihn abonniert haben. "
                        "Abmelden."],
        },
        "work": {
            "subject": ["Besprechung am {day}", "AW: Projektstand", "Protokoll der Sitzung",
                        "Angebot im Anhang", "Rechnung Nr. {ref}"],
            "greeting": ["Hallo {name},", "Liebe Kolleginnen und Kollegen,", "Sehr geehrte "
                         "Frau {name},"],
            "hook": ["vielen Dank für die Unterlagen.", "wie telefonisch besprochen, sende ich "
                     "Ihnen den überarbeiteten Entwurf.", "die Besprechung wird auf {day} "
                     "verschoben.", "anbei die Rechnung über {amount} für den letzten Monat."],
            "action": ["Bitte geben Sie mir kurz Bescheid.", "Können Sie das bis {day} "
                       "prüfen?"],
            "threat": [""],
            "closing": ["Viele Grüße, {name}", "Mit freundlichen Grüßen, {name}"],
        },
        "notice": {
            "subject": ["Ihre Bestellung wurde versandt", "Ihre Rechnung", "Passwort "
                        "geändert", "Zahlung erhalten"],
            "greeting": ["Hallo {name},", "Guten Tag {name},"],
            "hook": ["Vielen Dank für Ihre Bestellung. Ihr Paket ist unterwegs.", "Wir haben "
                     "Ihre Zahlung von {amount} erhalten.", "Ihr Passwort wurde geändert. "
                     "Wenn Sie das waren, müssen Sie nichts tun."],
            "action": ["Den Status finden Sie in Ihrem Kundenkonto.", "Es ist nichts weiter "
                       "zu tun."],
            "threat": [""],
            "closing": ["Ihr {brand} Team"],
        },
    },
    "nl": {
        "newsletter": {
            "subject": ["Nieuwsbrief van {day}", "Nieuws van de maand"],
            "greeting": ["Beste lezer,", ""],
            "hook": ["In deze editie: een interview, een handleiding en de agenda.",
                     "De inschrijving voor de studiedag is geopend."],
            "action": ["Lees verder op onze website."],
            "threat": [""],
            "closing": ["Je ontvangt deze nieuwsbrief omdat je je hebt aangemeld. Afmelden."],
        },
        "work": {
            "subject": ["Vergadering op {day}", "Re: projectupdate", "Factuur {ref}"],
            "greeting": ["Hallo {name},", "Beste collega's,"],
            "hook": ["Bedankt voor de documenten.", "De vergadering is verplaatst naar {day}.",
                     "In de bijlage vind je de factuur van {amount}."],
            "action": ["Laat je het me weten?", "Kun je dit voor {day} nakijken?"],
            "threat": [""],
            "closing": ["Groeten, {name}", "Met vriendelijke groet, {name}"],
        },
        "notice": {
            "subject": ["Je bestelling is verzonden", "Betaling ontvangen"],
            "greeting": ["Hallo {name},"],
            "hook": ["Bedankt voor je bestelling. Je pakket is onderweg.", "We hebben je "
                     "betaling van {amount} ontvangen."],
            "action": ["Je kunt je pakket volgen in de app."],
            "threat": [""],
            "closing": ["Team {brand}"],
        },
    },
    "pt": {
        "work": {
            "subject": ["Reunião de {day}", "Re: andamento do projeto", "Relatório em anexo"],
            "greeting": ["Olá {name},", "Bom dia a todos,"],
            "hook": ["Obrigado pelo envio dos documentos.", "A reunião foi remarcada para "
                     "{day}.", "Segue em anexo a fatura de {amount}."],
            "action": ["Pode me dar um retorno?", "Fico no aguardo."],
            "threat": [""],
            "closing": ["Abraços, {name}", "Atenciosamente, {name}"],
        },
        "notice": {
            "subject": ["Seu pedido foi enviado", "Pagamento recebido"],
            "greeting": ["Olá {name},"],
            "hook": ["Obrigado pela sua compra. Seu pedido está a caminho.", "Recebemos seu "
                     "pagamento de {amount}."],
            "action": ["Acompanhe a entrega no aplicativo."],
            "threat": [""],
            "closing": ["Equipe {brand}"],
        },
    },
    "es": {
        "work": {
            "subject": ["Reunión del {day}", "Re: estado del proyecto"],
            "greeting": ["Hola {name},", "Buenos días a todos,"],
            "hook": ["Gracias por enviar los documentos.", "La reunión se traslada al {day}."],
            "action": ["¿Me confirmas?", "Quedo atento."],
            "threat": [""],
            "closing": ["Saludos, {name}"],
        },
        "notice": {
            "subject": ["Su pedido ha sido enviado", "Pago recibido"],
            "greeting": ["Hola {name},"],
            "hook": ["Gracias por su pedido. Su paquete está en camino.", "Hemos recibido su "
                     "pago de {amount}."],
            "action": ["Puede seguir su envío en la aplicación."],
            "threat": [""],
            "closing": ["El equipo de {brand}"],
        },
    },
    "it": {
        "work": {
            "subject": ["Riunione di {day}", "Re: aggiornamento progetto"],
            "greeting": ["Ciao {name},", "Buongiorno a tutti,"],
            "hook": ["Grazie per i documenti.", "La riunione è spostata a {day}."],
            "action": ["Fammi sapere.", "Resto in attesa."],
            "threat": [""],
            "closing": ["Saluti, {name}"],
        },
        "notice": {
            "subject": ["Il tuo ordine è stato spedito", "Pagamento ricevuto"],
            "greeting": ["Ciao {name},"],
            "hook": ["Grazie per il tuo ordine. Il pacco è in viaggio.", "Abbiamo ricevuto il "
                     "tuo pagamento di {amount}."],
            "action": ["Puoi seguire la spedizione nell'app."],
            "threat": [""],
            "closing": ["Il team {brand}"],
        },
    },
}
PARTS = ("greeting", "hook", "action", "threat", "closing")


def examples(seed: int = 7, per_cell: int = 60) -> list[tuple[str, str, int]]:
    """``per_cell`` messages for each (language, scenario), fraud (1) and ordinary (0)."""
    rng = random.Random(seed)
    out: list[tuple[str, str, int]] = []
    for label, table in ((1, FRAUD), (0, HAM)):
        for _lang, scenarios in sorted(table.items()):
            for _name, bank in sorted(scenarios.items()):
                for _ in range(per_cell):
                    parts = tuple(p for p in PARTS if rng.random() > 0.15 or p == "hook")
                    out.append((_fill(rng, rng.choice(bank["subject"])),
                                _compose(rng, bank, parts), label))
    return out
