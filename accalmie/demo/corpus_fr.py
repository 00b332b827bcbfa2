"""The French raw material of the demo mailbox: people, places, institutions and templates.

Everything here is fictional except the public institutions' own domains (caf.fr, ameli.fr,
francetravail.fr, justice.fr, an académie), which appear as the legitimate senders they are,
so that the lures imitating them can be told apart. The département (*Haute-Lisière*), its
towns, its social housing company and every person are invented. Telephone numbers come from
the ranges that ARCEP reserves for fiction (02 61 91 xx xx, 06 39 98 xx xx).

Templates are plain text with two kinds of slots:
``{name}`` is a field filled from the message context (see ``generator.Context``), and
``[[a|b|c]]`` picks one of the options at random (an option may be empty). Paragraphs are
separated by a blank line. ``ask`` says whether the text makes a real request or asks a real
question of the mailbox owner: this is the ground truth of the *réponse attendue* flag, so a
template without ``ask`` must contain no question and no request addressed to her.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- the département -------------------------------------------------------------------------

DOMAIN = "haute-lisiere.fr"
DEPARTEMENT = "Département de Haute-Lisière"
MX_HOST = "mx.haute-lisiere.fr"  # authserv-id of the organisation's own mail server
MDS = "Maison départementale des solidarités de Saint-Aubin"
MDS_SHORT = "MDS de Saint-Aubin"
MDS_ADDRESS = "12, rue des Tanneurs — Saint-Aubin-en-Lisière"
TOWN = "Saint-Aubin-en-Lisière"
TOWNS = ("Saint-Aubin-en-Lisière", "Vaudrecourt", "Saint-Martin-des-Aulnes", "Brissac-la-Forêt",
         "Montclar-sur-Lisière", "Champvert", "Breuil-Saint-Aubin", "Fontenelle-les-Prés")
STREETS = ("rue des Tanneurs", "avenue de la Gare", "rue Jean-Jaurès", "allée des Tilleuls",
           "résidence Les Peupliers", "rue du Moulin", "place de l'Église", "rue Victor-Hugo",
           "chemin des Vignes", "rue Pasteur", "impasse des Lilas", "boulevard de la Lisière",
           "rue des Écoles", "résidence du Parc", "rue de la République", "cité des Acacias")
BAILLEUR = "Lisière Habitat"
BAILLEUR_DOMAIN = "lisiere-habitat.fr"
HOSPITAL = "centre hospitalier de Saint-Aubin"
HOSPITAL_DOMAIN = "ch-saint-aubin-en-lisiere.fr"
CCAS_DOMAIN = "saint-aubin-en-lisiere.fr"
ACADEMIE_DOMAIN = "ac-orleans-tours.fr"
TRIBUNAL = "Tribunal judiciaire de Saint-Aubin-en-Lisière"

OWNER_FIRST = "Camille"
OWNER_LAST = "Martin"
OWNER_TITLE = "Assistante de service social"
OWNER_PHONE = "02 61 91 24 17"

# --- names -----------------------------------------------------------------------------------

FEMALE_FIRST = (
    "Nadia", "Fatoumata", "Aïcha", "Sandrine", "Nathalie", "Valérie", "Stéphanie", "Émilie",
    "Julie", "Laetitia", "Sabrina", "Jessica", "Mélanie", "Céline", "Aurélie", "Élodie",
    "Karima", "Samira", "Leïla", "Yasmina", "Malika", "Sylvie", "Christine", "Martine",
    "Monique", "Josiane", "Brigitte", "Chantal", "Océane", "Manon", "Inès", "Chloé", "Sarah",
    "Mariam", "Aminata", "Kadiatou", "Awa", "Ana", "Maria", "Elif", "Zeynep", "Svetlana",
    "Olena", "Irina", "Linh", "Myriam", "Coralie", "Audrey", "Amandine", "Noémie", "Justine",
    "Marion", "Pauline", "Hélène", "Isabelle", "Véronique", "Catherine", "Françoise", "Annick",
    "Gisèle", "Odile", "Patricia", "Corinne", "Sonia", "Houria", "Djamila", "Farida", "Nora",
    "Salomé", "Lucie", "Jade", "Yasmine", "Rose", "Virginie", "Delphine", "Vanessa", "Cindy",
    "Kelly", "Morgane", "Anaïs", "Khadija", "Rokia", "Bintou", "Marie-Claude", "Jeanne",
)
MALE_FIRST = (
    "Mohamed", "Karim", "Rachid", "Mehdi", "Youssef", "Bilal", "Samir", "Nordine", "Hakim",
    "Moussa", "Mamadou", "Ibrahima", "Ousmane", "Jean-Pierre", "Jean-Marc", "Philippe",
    "Patrick", "Thierry", "Pascal", "Didier", "Laurent", "Christophe", "Stéphane", "Frédéric",
    "Nicolas", "Sébastien", "Julien", "Kévin", "Anthony", "Jérémy", "Dylan", "Maxime", "Romain",
    "Alexandre", "Florian", "Mathieu", "Cédric", "Grégory", "Franck", "Bruno", "Alain",
    "Gérard", "Michel", "Bernard", "Daniel", "René", "Gilles", "José", "Manuel", "Antonio",
    "Mehmet", "Emre", "Dmitri", "Andrii", "Vasile", "Ionut", "Tuan", "Lucas", "Hugo", "Enzo",
    "Nathan", "Adam", "Rayan", "Amine", "Jordan", "Steven", "Ludovic", "Fabrice", "Hervé",
    "Joël", "Yannick", "Abdel", "Lamine", "Boubacar", "Serge", "Marc", "David", "Olivier",
)
LAST_NAMES = (
    "Lefebvre", "Moreau", "Girard", "Fontaine", "Mercier", "Dupuis", "Lambert", "Bonnet",
    "Rousseau", "Blanchard", "Guérin", "Boyer", "Garnier", "Chevalier", "Perrin", "Morin",
    "Gauthier", "Robin", "Clément", "Masson", "Marchand", "Dumont", "Faure", "Leclerc",
    "Brunet", "Roche", "Renaud", "Lemoine", "Picard", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Fernandes", "Da Silva", "Rodrigues", "Lopes", "Pereira", "Benali", "Haddad",
    "Bouzid", "Belkacem", "Khelifi", "Mansouri", "Amrani", "Cherif", "Hamidi", "Saidi",
    "Traoré", "Diallo", "Koné", "Camara", "Coulibaly", "Diop", "Sow", "Ndiaye", "Keita", "Cissé",
    "Yilmaz", "Kaya", "Demir", "Nguyen", "Tran", "Pham", "Kowalski", "Popescu", "Ivanova",
    "Petit", "Leroy", "Roux", "Bertrand", "Simon", "Michel", "Garcia", "Richard", "Durand",
    "Dubois", "Lefèvre", "Colin", "Vidal", "Caron", "Aubert", "Hoarau", "Payet", "Jacquet",
    "Leblanc", "Boucher", "Carpentier", "Royer", "Lebrun", "Baron", "Collet", "Huet", "Poirier",
    "Charpentier", "Meunier", "Gilbert", "Bouvier", "Vasseur", "Fleury", "Maillard", "Hamon",
    "Tessier", "Lacroix", "Rivière", "Cordier", "Deschamps", "Langlois", "Leroux", "Besnard",
    "Pruvost", "Delattre", "Lemaire", "Bertin", "Marty", "Giraud", "Texier", "Pasquier",
    "Ferreira", "Ben Amor", "Ouattara", "Sylla", "Bakayoko", "Ait Ali", "Zerrouki", "Laporte",
)
CHILD_F = ("Lina", "Maëlys", "Jade", "Inaya", "Mila", "Ambre", "Aya", "Louna", "Chloé", "Sofia",
           "Alya", "Maïssa", "Camélia", "Lola", "Emma", "Zoé", "Nour", "Kenza", "Lyna", "Eva")
CHILD_M = ("Enzo", "Nolan", "Kylian", "Timéo", "Lyam", "Sohan", "Rayan", "Nathan", "Gabriel",
           "Léo", "Mathis", "Lucas", "Yanis", "Kenzo", "Ethan", "Lenny", "Naël", "Ilyes", "Tom",
           "Mohamed", "Adam", "Noah", "Ibrahim", "Jules", "Sacha")

CONSUMER_DOMAINS = (  # (domain, weight, mail client profile)
    ("gmail.com", 38, "gmail"), ("hotmail.fr", 10, "outlookcom"), ("outlook.fr", 6, "outlookcom"),
    ("yahoo.fr", 5, "webmail"), ("orange.fr", 12, "orange"), ("wanadoo.fr", 3, "orange"),
    ("free.fr", 6, "webmail"), ("sfr.fr", 4, "webmail"), ("laposte.net", 6, "webmail"),
    ("icloud.com", 4, "iphone"), ("live.fr", 3, "outlookcom"),
)

# --- fixed cast: colleagues, managers, partners ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """A person or service with a fixed identity (colleague, partner, institution)."""

    key: str
    first: str
    last: str
    email: str
    title: str
    org: str
    female: bool = True
    phone: str = ""
    tu: bool = False  # tutoie the owner


COLLEAGUES = (
    Contact("nathalie", "Nathalie", "Girard", f"nathalie.girard@{DOMAIN}",
            "Assistante de service social", MDS, True, "02 61 91 24 12", True),
    Contact("karim", "Karim", "Haddad", f"karim.haddad@{DOMAIN}", "Éducateur spécialisé",
            MDS, False, "02 61 91 24 21", True),
    Contact("elodie", "Élodie", "Marchand", f"elodie.marchand@{DOMAIN}",
            "Conseillère en économie sociale et familiale", MDS, True, "02 61 91 24 15", True),
    Contact("julien", "Julien", "Fontaine", f"julien.fontaine@{DOMAIN}",
            "Assistant de service social", MDS, False, "02 61 91 24 18", True),
    Contact("samia", "Samia", "Belkacem", f"samia.belkacem@{DOMAIN}",
            "Secrétaire médico-sociale — accueil", MDS, True, "02 61 91 24 00", True),
    Contact("helene", "Hélène", "Rousseau", f"helene.rousseau@{DOMAIN}", "Psychologue", MDS,
            True, "02 61 91 24 30", True),
    Contact("virginie", "Virginie", "Colas", f"virginie.colas@{DOMAIN}",
            "Puéricultrice de PMI", MDS, True, "02 61 91 24 33", True),
    Contact("mathieu", "Mathieu", "Perrin", f"mathieu.perrin@{DOMAIN}",
            "Référent insertion RSA", MDS, False, "02 61 91 24 26", True),
    Contact("aurelie", "Aurélie", "Lemoine", f"aurelie.lemoine@{DOMAIN}",
            "Assistante de service social", MDS, True, "02 61 91 24 14", True),
    Contact("thomas", "Thomas", "Garnier", f"thomas.garnier@{DOMAIN}",
            "Éducateur — Aide sociale à l'enfance", MDS, False, "02 61 91 24 40", True),
    Contact("brigitte", "Brigitte", "Huet", f"brigitte.huet@{DOMAIN}",
            "Conseillère en économie sociale et familiale", MDS, True, "02 61 91 24 16", False),
)
CHEF = Contact("sophie", "Sophie", "Renard", f"sophie.renard@{DOMAIN}",
               "Responsable de la Maison départementale des solidarités", MDS, True,
               "02 61 91 24 01", True)
DIRECTRICE = Contact("isabelle", "Isabelle", "Vasseur", f"isabelle.vasseur@{DOMAIN}",
                     "Directrice territoriale de l'action sociale — Territoire Sud", DEPARTEMENT,
                     True, "02 61 91 20 05", False)
TEAM_LIST = ("Équipe MDS Saint-Aubin", f"mds-saint-aubin@{DOMAIN}")
TERRITORY_LIST = ("Territoire Sud — tous les agents", f"territoire-sud@{DOMAIN}")
ALL_STAFF = ("Tous les agents du Département", f"tous-agents@{DOMAIN}")

INTERNAL_SENDERS = (  # (key, display name, address, signature)
    ("drh", "Direction des ressources humaines", f"drh-communication@{DOMAIN}",
     "La Direction des ressources humaines"),
    ("com", "Communication interne", f"communication.interne@{DOMAIN}",
     "Le service Communication interne"),
    ("dsi", "Direction du numérique", f"dsi-information@{DOMAIN}",
     "La Direction du numérique — Assistance : 24 00 (poste interne)"),
    ("formation", "Service formation", f"formation@{DOMAIN}", "Le service Formation"),
    ("dgas", "Direction générale adjointe des solidarités", f"dgas@{DOMAIN}",
     "La Direction générale adjointe des solidarités"),
    ("prevention", "Prévention des risques professionnels", f"prevention@{DOMAIN}",
     "Le service Prévention des risques professionnels"),
    ("fsl", "Secrétariat du FSL", f"fsl@{DOMAIN}",
     "Le secrétariat du Fonds de solidarité pour le logement"),
)

PARTNERS = {
    "caf": (
        Contact("caf1", "Sandrine", "Leclerc", "sandrine.leclerc@caf.fr",
                "Conseillère service partenaires", "Caf de Haute-Lisière", True,
                "02 61 91 55 20"),
        Contact("caf2", "Marion", "Dufresne", "marion.dufresne@caf.fr",
                "Travailleuse sociale — Action sociale", "Caf de Haute-Lisière", True,
                "02 61 91 55 34"),
        Contact("caf3", "Gilles", "Martineau", "gilles.martineau@caf.fr",
                "Gestionnaire conseil — Pôle solidarité", "Caf de Haute-Lisière", False,
                "02 61 91 55 41"),
    ),
    "cpam": (
        Contact("cpam1", "Patrice", "Lemaire", "patrice.lemaire@assurance-maladie.fr",
                "Assistant de service social — Service social de l'Assurance Maladie",
                "CPAM de Haute-Lisière", False, "02 61 91 60 12"),
        Contact("cpam2", "Christelle", "Bonneau", "christelle.bonneau@assurance-maladie.fr",
                "Conseillère — Mission accompagnement santé", "CPAM de Haute-Lisière", True,
                "02 61 91 60 27"),
    ),
    "mdph": (
        Contact("mdph1", "Laure", "Chevalier", f"laure.chevalier@mdph.{DOMAIN}",
                "Évaluatrice sociale", "MDPH de Haute-Lisière", True, "02 61 91 70 15"),
        Contact("mdph2", "Franck", "Aubry", f"franck.aubry@mdph.{DOMAIN}",
                "Référent insertion professionnelle", "MDPH de Haute-Lisière", False,
                "02 61 91 70 22"),
    ),
    "france_travail": (
        Contact("ft1", "Yannick", "Roussel", "yannick.roussel@francetravail.fr",
                "Conseiller accompagnement global", "France Travail Saint-Aubin", False,
                "02 61 91 80 10"),
        Contact("ft2", "Fatima", "Zerrouki", "fatima.zerrouki@francetravail.fr",
                "Conseillère emploi", "France Travail Saint-Aubin", True, "02 61 91 80 17"),
        Contact("ft3", "Damien", "Leray", "damien.leray@francetravail.fr",
                "Conseiller entreprise", "France Travail Saint-Aubin", False, "02 61 91 80 23"),
    ),
    "school": (
        Contact("as_college", "Claire", "Dumas", f"claire.dumas@{ACADEMIE_DOMAIN}",
                "Assistante sociale scolaire", "Collège Jean-Moulin", True, "02 61 91 90 31"),
        Contact("dir_ecole", "Olivier", "Baron", f"ce.0990123x@{ACADEMIE_DOMAIN}",
                "Directeur", "École élémentaire Jules-Ferry", False, "02 61 91 90 12"),
        Contact("cpe", "Agnès", "Tessier", f"agnes.tessier@{ACADEMIE_DOMAIN}",
                "Conseillère principale d'éducation", "Collège Louise-Michel", True,
                "02 61 91 90 45"),
        Contact("infirmiere", "Valérie", "Pons", f"valerie.pons@{ACADEMIE_DOMAIN}",
                "Infirmière scolaire", "Collège Jean-Moulin", True, "02 61 91 90 33"),
    ),
    "court": (
        Contact("greffe_tpe", "", "", "tpe.tj-saint-aubin-en-lisiere@justice.fr",
                "Greffe du tribunal pour enfants", TRIBUNAL, True,
                "02 61 91 95 00"),
        Contact("greffe_jaf", "", "", "jaf.tj-saint-aubin-en-lisiere@justice.fr",
                "Greffe des affaires familiales", TRIBUNAL, True,
                "02 61 91 95 10"),
    ),
    "bailleur": (
        Contact("bailleur1", "Corinne", "Masset", f"corinne.masset@{BAILLEUR_DOMAIN}",
                "Chargée de recouvrement social", BAILLEUR, True, "02 61 91 45 62"),
        Contact("bailleur2", "Stéphane", "Vial", f"stephane.vial@{BAILLEUR_DOMAIN}",
                "Conseiller social", BAILLEUR, False, "02 61 91 45 70"),
    ),
    "hospital": (
        Contact("ch1", "Anne-Sophie", "Brault", f"service.social@{HOSPITAL_DOMAIN}",
                "Assistante sociale hospitalière", "Centre hospitalier de Saint-Aubin", True,
                "02 61 91 33 80"),
    ),
    "ccas": (
        Contact("ccas1", "Hervé", "Lucas", f"ccas@{CCAS_DOMAIN}", "Responsable du CCAS",
                "CCAS de Saint-Aubin-en-Lisière", False, "02 61 91 10 40"),
    ),
}

SCHOOLS = ("école élémentaire Jules-Ferry", "école maternelle Les Tilleuls",
           "école élémentaire Pasteur", "école primaire du Breuil")
COLLEGES = ("collège Jean-Moulin", "collège Louise-Michel", "collège Simone-Veil")
LYCEES = ("lycée professionnel Marie-Curie", "lycée Camille-Claudel")
CLASSES_PRIMAIRE = ("CP", "CE1", "CE2", "CM1", "CM2")
CLASSES_COLLEGE = ("6e", "5e", "4e", "3e")
EMPLOYEURS = ("une entreprise de nettoyage", "l'Ehpad des Tilleuls", "un supermarché de Champvert",
              "une agence d'intérim", "la cuisine centrale de la ville",
              "une entreprise de logistique à Vaudrecourt", "un service d'aide à domicile")
DOCUMENTS = ("votre dernier avis d'imposition", "vos trois derniers bulletins de salaire",
             "le jugement de divorce", "votre relevé d'identité bancaire",
             "la dernière facture d'électricité", "votre titre de séjour",
             "l'attestation de France Travail", "le certificat de scolarité des enfants")
DOCUMENTS_USAGER = ("mon avis d'imposition", "mes bulletins de salaire", "l'attestation de la Caf",
                    "la quittance de loyer", "le RIB", "la facture EDF", "mon titre de séjour",
                    "l'attestation France Travail", "les certificats de scolarité",
                    "le courrier de l'huissier", "le bail")
ORGANISMES = ("la préfecture", "le bailleur", "l'école", "la mairie", "France Travail",
              "le tribunal", "l'avocat", "la banque")
MOTIFS = ("mon dossier de logement social", "la demande de bourse", "mon renouvellement de titre",
          "l'audience", "ma demande de surendettement", "l'inscription à la cantine")
EMPECHEMENTS = ("j'ai un rendez-vous à l'hôpital pour mon fils",
                "je commence une mission d'intérim ce jour-là",
                "je n'ai personne pour garder les enfants",
                "je suis malade depuis hier", "le bus ne passe pas ce jour-là à cause des travaux",
                "j'ai une convocation à France Travail à la même heure")
SALLES = ("salle 2 (rez-de-chaussée)", "salle du conseil", "salle Simone-Veil",
          "bureau de la responsable", "salle de réunion du 1er étage")

# --- templates -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tpl:
    """One scenario text: subjects, body, and the ground truth that goes with it."""

    subjects: tuple[str, ...]
    body: str
    ask: bool = False  # a real request or question to the owner
    audience: str = "direct"  # direct | cc (owner in copy) | team (a list the owner is on)
    attach: str = ""  # attachment recipe name, see generator.ATTACHMENTS
    style: str = "formal"  # formal | informal (greeting written in the body) | note
    who: str = ""  # restricts the sender (partner key, "chef", "directrice", an internal key)
    evening: bool = False  # only makes sense written in the evening


def T(subjects: tuple[str, ...] | str, body: str, ask: bool = False, **kw: str) -> Tpl:
    if isinstance(subjects, str):
        subjects = (subjects,)
    return Tpl(subjects, body.strip("\n"), ask, **kw)


USAGER_REQUEST = (
    T(("Demande de rendez-vous", "Rendez-vous", "demande de rdv", "Besoin d'un rendez-vous"),
      """Je [[me permets de vous écrire|vous écris]] car je souhaiterais avoir un rendez-vous \
avec vous [[le plus rapidement possible|dans les prochains jours|cette semaine si c'est \
possible]] concernant [[mon dossier RSA|ma situation de logement|une facture d'électricité que \
je n'arrive pas à payer|ma demande d'aide financière|la situation de mon fils|ma demande de \
FSL|mes dettes]].

Est-ce que vous auriez un créneau [[en début de semaine prochaine|le matin de préférence|après \
16 h 30, à cause de la sortie d'école|{jour_proche}]] ?""", True),
    T(("APL suspendues", "Courrier de la CAF", "Problème APL", "Mes APL"),
      """J'ai reçu un courrier de la Caf qui dit que mes APL vont être suspendues à partir du \
mois {de_mois_suivant} parce qu'il manque un document. Je ne comprends pas lequel, j'ai \
pourtant tout envoyé.

Est-ce que vous pouvez m'aider à regarder ça ? Je peux passer à la MDS {jour_proche} si vous \
êtes là.""", True),
    T(("Déclaration trimestrielle RSA", "RSA", "Problème déclaration CAF"),
      """Je n'arrive pas à faire ma déclaration trimestrielle RSA sur le site de la Caf, ça me \
met une erreur à chaque fois [[à la dernière étape|quand je valide|quand je mets mes \
revenus]]. [[J'ai essayé trois fois.|J'ai appelé la Caf mais ça sonne dans le vide.|]]

Pourriez-vous m'aider à la remplir ? La date limite est le {date_limite}.""", True),
    T(("Commandement de payer", "Dette de loyer", "Huissier", "Urgent - loyer"),
      """J'ai reçu hier un commandement de payer de l'huissier pour mon loyer. J'ai \
{montant} de dette auprès de {bailleur} depuis que j'ai perdu mon travail. J'ai peur d'être \
expulsé{e} avec les enfants.

Qu'est-ce que je dois faire ? Est-ce qu'on peut faire un dossier FSL ou un plan \
d'apurement ?""", True),
    T(("Documents pour le dossier", "Mon dossier", "Papiers"),
      """Vous m'aviez demandé plusieurs documents pour le dossier. J'ai presque tout, il me \
manque juste {document_usager} que je n'arrive pas à retrouver.

Est-ce que je peux quand même vous envoyer ce que j'ai pour commencer le dossier ?""", True),
    T(("Demande d'aide", "Aide alimentaire", "Besoin d'aide", "Situation difficile"),
      """Je me permets de vous écrire car je suis en grande difficulté ce mois-ci. \
[[Mon salaire a été versé en retard|La Caf a arrêté de me verser le RSA|J'ai dû payer la \
réparation de la voiture pour aller au travail]] et je n'ai plus rien pour faire les courses \
pour les enfants.

Est-il possible d'avoir un colis alimentaire ou une aide de l'épicerie solidaire en \
attendant ?""", True),
    T(("Attestation", "Demande d'attestation", "Attestation de suivi"),
      """Pourriez-vous me faire une attestation de suivi pour {organisme} ? Ils me la demandent \
pour {motif} et je dois la rendre avant le {date_limite}.""", True),
    T(("Rendez-vous de {jour_rdv}", "Changement de rendez-vous", "Report de rendez-vous"),
      """J'ai rendez-vous avec vous {date_rdv} à {heure} mais je ne pourrai pas venir car \
{empechement}.

Est-ce qu'on peut déplacer le rendez-vous à un autre jour ? [[Je suis disponible le matin.|Je \
suis disponible toute la semaine prochaine sauf le mercredi.|]]""", True),
    T(("Dossier MDPH", "Où en est mon dossier MDPH ?", "AAH"),
      """Je voulais savoir où en est mon dossier MDPH pour l'AAH. Ça fait {n_mois} mois que je \
l'ai déposé et je n'ai aucune nouvelle. Au téléphone on me dit juste qu'il est en cours.

Est-ce que vous pourriez les relancer, s'il vous plaît ?""", True),
    T(("Complémentaire santé solidaire", "Mutuelle", "CSS"),
      """Ma complémentaire santé solidaire se termine le {date_limite} et je ne sais pas \
comment la renouveler. [[Je n'ai pas de compte Ameli.|Sur le site, ils me demandent un code que \
je n'ai pas.|]]

Vous pouvez m'aider à faire la demande ?""", True),
    T(("Titre de séjour", "Récépissé", "Préfecture"),
      """Mon récépissé expire le {date_limite} et je n'arrive pas à avoir de rendez-vous à la \
préfecture, le site est toujours complet. J'ai peur de perdre mon travail et mes droits Caf.

Est-ce que vous pourriez écrire un courrier pour la préfecture ou me dire à qui \
m'adresser ?""", True),
    T(("Mode de garde", "Place en crèche", "Garde d'enfant"),
      """Je commence une formation d'aide-soignante le {date_limite} et je cherche une place en \
crèche ou une assistante maternelle pour {enfant}, qui a {enfant_age_petit} ans.

Savez-vous vers qui je peux me tourner ? Est-ce que la Caf peut aider pour le coût ?""", True),
    T(("Facture d'énergie", "FSL énergie", "Facture EDF"),
      """J'ai reçu une lettre de relance pour une facture d'électricité de {montant}. Ils \
disent qu'ils vont réduire la puissance si je ne paie pas.

Est-ce que je peux faire une demande au FSL énergie ? Quels papiers faut-il apporter ?""", True),
    T(("Cantine", "Aide pour la cantine", "Facture de cantine"),
      """La mairie m'a envoyé un rappel pour la cantine de {enfant}, je dois {petit_montant}. \
Je ne peux pas payer tout d'un coup ce mois-ci.

Est-ce qu'il existe une aide, ou est-ce que vous pouvez appeler le service scolaire pour un \
échéancier ?""", True),
    T(("rdv", "bonjour", "dossier caf", "(sans objet)", "urgent svp"),
      """bonjour madame {owner_last_lower} c'est {prenom} {nom} je vous ecris pour savoir si \
vous avez pu appeler la caf pour mon dossier. ils m'ont toujours rien versé depuis \
{mois_precedent}. vous pouvez me rappeler au {telephone} svp merci""", True, style="informal"),
    T(("rdv svp", "Bonjour", "papier cantine", "question"),
      """Bonjour madame, je suis passé{e} a la MDS ce matin mais vous étiez pas là. Es ce que \
je peux avoir un rdv pour les papiers de la cantine et de la bourse ? je suis dispo tout les \
jours sauf le mardi. merci d'avance

{prenom}""", True, style="informal"),
    T(("Logement", "Demande de logement", "Mon logement"),
      """Je vis avec mes {n_enfants} enfants dans un T2 de {surface} m² et il y a de \
l'humidité partout, {enfant} tousse tout l'hiver. J'ai fait une demande de logement social il y \
a deux ans mais je n'ai jamais eu de proposition.

Pouvez-vous appuyer ma demande auprès de {bailleur} ou me dire ce que je peux faire de \
plus ?""", True),
    T(("Rappel", "Merci de me rappeler", "Appel"),
      """J'ai essayé de vous joindre ce matin à l'accueil, on m'a dit que vous étiez en visite. \
C'est au sujet [[du courrier du juge|de la lettre de la Caf|du dossier de surendettement|de \
l'école de {enfant}]].

Pouvez-vous me rappeler au {telephone} quand vous aurez un moment ?""", True),
)

USAGER_INFO = (
    T(("Rendez-vous de {jour_rdv}", "Confirmation rendez-vous", "RDV"),
      """Je vous confirme ma présence au rendez-vous du {date_rdv} à {heure}. Je viendrai avec \
[[les papiers que vous m'avez demandés|mon mari|ma sœur qui m'aide pour le français|les \
enfants, je n'ai pas de solution de garde]].""", False),
    T(("Documents", "Pièces demandées", "Envoi des documents", "Justificatifs"),
      """Je vous envoie en pièce jointe {document_usager} comme vous me l'aviez demandé. [[Le \
reste suivra la semaine prochaine.|Je vous apporterai les originaux au rendez-vous.|]]""",
      False, attach="scan"),
    T(("Merci", "Remerciements", "Bonne nouvelle"),
      """Je voulais vous remercier pour votre aide. La Caf a enfin débloqué mon dossier et \
j'ai reçu le rappel hier. Ça va beaucoup mieux maintenant, je vais pouvoir payer le loyer en \
retard.

Encore merci pour tout.""", False),
    T(("Nouvelles", "Mon travail", "Information"),
      """Je vous informe que j'ai trouvé un travail en CDD de {n_mois} mois chez \
{employeur} à partir du {date_limite}. Je vous tiendrai au courant pour la suite, et je \
ferai le changement de situation à la Caf.""", False),
    T(("Changement d'adresse", "Nouvelle adresse", "Nouveau numéro"),
      """Pour information, ma nouvelle adresse est le {adresse}, à {ville}. J'ai aussi changé \
de numéro de téléphone : {telephone}.""", False),
    T(("France Travail", "Rendez-vous France Travail", "Suite rendez-vous"),
      """Je suis bien allé{e} à France Travail lundi. Le conseiller m'a inscrit{e} à l'atelier \
CV et à une information collective pour une formation. Merci pour le contact, ça m'a \
aidé{e}.""", False),
    T(("Photos des papiers", "Papiers", "Les documents"),
      """Voici les photos des papiers. Désolé{e}, c'est un peu flou, je n'ai pas de \
scanner.""", False, attach="photos"),
    T(("Information", "Absence", "Rendez-vous de demain"),
      """Je vous préviens que je ne pourrai pas venir au rendez-vous de demain : \
{empechement}. Je rappellerai l'accueil lundi pour en prendre un autre.""", False),
    T(("Merci", "suite au rdv", "merci"),
      """bonjour, c'est {prenom} {nom}. merci pour le rdv de ce matin, j'ai bien deposé le \
dossier a la mairie comme vous m'avez dit. bonne journée""", False, style="informal"),
)

FAMILY = (
    T(("Situation de ma mère", "Ma mère, Mme {u_nom}", "Demande de visite à domicile"),
      """Je suis {lien_enfant} de Mme {u_nom}, que vous suivez. Depuis sa chute du mois \
dernier, ma mère ne peut plus rester seule chez elle toute la journée : elle oublie de manger \
et elle a peur de sortir.

Serait-il possible d'organiser une visite à domicile pour voir ce que l'on peut mettre en \
place (aide à domicile, APA, portage des repas) ? Je peux être présent{e} {jour_proche}.""",
      True),
    T(("Visites à mes enfants", "Droit de visite", "Mes enfants"),
      """Je n'ai pas vu mes enfants depuis trois semaines. Le foyer me dit qu'il faut l'accord \
de l'ASE pour organiser les visites, mais personne ne me rappelle.

Est-ce que vous pouvez m'aider à avoir un droit de visite avant l'audience du {date_audience} ? \
Je veux juste les voir.""", True),
    T(("Mon frère", "Hébergement d'urgence", "Mon frère est à la rue"),
      """Mon frère {frere_prenom} vit à la rue depuis un mois, depuis son expulsion. Il dort dans \
sa voiture à {ville} et il ne prend plus ses médicaments.

Savez-vous s'il existe une place en hébergement d'urgence pour lui ? Il n'a plus de \
téléphone, vous pouvez me joindre au {telephone}.""", True),
    T(("Mes petits-enfants", "Garde des petits-enfants", "Aide pour la cantine"),
      """Je garde mes petits-enfants depuis que leur mère est hospitalisée, depuis bientôt \
deux mois. Je n'ai que ma petite retraite et je ne m'en sors plus avec la cantine et les \
vêtements.

Est-ce que je peux avoir une aide, même ponctuelle ? Que faut-il faire pour être reconnu{e} \
comme tiers digne de confiance ?""", True),
    T(("Hospitalisation de ma mère", "Mme {u_nom} hospitalisée", "Information"),
      """Je vous informe que ma mère, Mme {u_nom}, a été hospitalisée hier soir au \
{hopital}. Elle ne pourra pas venir au rendez-vous de {jour_rdv}. Je vous tiendrai au courant \
de son retour à domicile.""", False),
    T(("Certificat médical", "Document pour le dossier de mon père", "Pièce jointe"),
      """Comme convenu au téléphone, je vous transmets le certificat médical de mon père pour \
le dossier APA. Le médecin traitant l'a rempli ce matin.""", False, attach="scan"),
    T(("Merci", "Remerciements de la famille", "Ma tante"),
      """Je tenais à vous remercier pour l'accompagnement de ma tante ces derniers mois. Elle \
a emménagé à la résidence autonomie lundi et elle s'y plaît beaucoup.""", False),
)

CAF = (
    T(("Demande de remise de dette — {u_civ} {u_nom}", "Remise de dette — allocataire {num_caf}",
       "Évaluation sociale demandée — {u_civ} {u_nom}"),
      """Dans le cadre de la demande de remise de dette de {u_civ} {u_nom} (n° allocataire \
{num_caf}), la commission a besoin de votre évaluation sociale pour statuer sur l'indu de \
{montant}.

Pourriez-vous nous la transmettre avant le {date_limite} ? La commission se réunit le \
{date_commission}.""", True, who="caf"),
    T(("Situation de {u_civ} {u_nom}", "Votre signalement du {date_passee}",
       "Composition du foyer"),
      """Nous avons bien reçu votre signalement concernant la situation de {u_civ} {u_nom} \
(n° allocataire {num_caf}).

Pouvez-vous nous préciser la date de la séparation et la composition actuelle du foyer ? Sans \
ces éléments, nous ne pourrons pas recalculer les droits.""", True, who="caf"),
    T(("Adresse de {u_civ} {u_nom}", "Courrier retourné — allocataire {num_caf}"),
      """Nos courriers adressés à {u_civ} {u_nom} nous reviennent avec la mention « n'habite \
pas à l'adresse indiquée ».

Pouvez-vous nous confirmer que l'allocataire réside toujours au {adresse} à {ville} ? À \
défaut, ses droits seront suspendus à l'échéance {de_mois_suivant}.""", True, who="caf"),
    T(("Rétablissement des droits — {u_civ} {u_nom}", "Dossier {num_caf} — droits rétablis"),
      """Je vous informe que les droits de {u_civ} {u_nom} (n° allocataire {num_caf}) ont été \
rétablis à compter du 1er {mois}. Le rappel de {montant} sera versé le {date_limite}.

L'allocataire a été informé{u_e} par courrier.""", False, who="caf"),
    T(("Commission des aides financières — décision", "Aide financière accordée — {u_civ} {u_nom}"),
      """Pour information, la commission des aides financières individuelles du {date_passee} \
a accordé à {u_civ} {u_nom} un prêt d'honneur de {montant_rond}, remboursable sur 24 mois.

La notification part ce jour.""", False, who="caf"),
    T(("Réunion partenaires — accès aux droits", "Information partenaires Caf"),
      """La Caf de Haute-Lisière organise une réunion d'information à destination des \
partenaires sur la solidarité à la source et la nouvelle déclaration de ressources, le \
{date_rdv} à {heure}, dans ses locaux de Saint-Aubin.

Le programme détaillé vous sera envoyé prochainement.""", False, audience="cc", who="caf"),
)

CPAM = (
    T(("Complémentaire santé solidaire — {u_civ} {u_nom}", "Dossier CSS incomplet"),
      """{u_civ} {u_nom} nous indique que vous l'accompagnez dans sa demande de complémentaire \
santé solidaire. Le dossier est incomplet : il manque les justificatifs de ressources des \
douze derniers mois.

Pourriez-vous voir avec {u_lui_elle} pour les compléter avant le {date_limite} ?""", True),
    T(("Prévention de la désinsertion professionnelle — {u_civ} {u_nom}",
       "Réunion de concertation — {u_civ} {u_nom}"),
      """Le service social de l'Assurance Maladie accompagne {u_civ} {u_nom}, en arrêt de \
travail depuis {n_mois} mois. Nous souhaiterions organiser une réunion de concertation avec le \
médecin du travail et vous-même pour envisager la suite.

Quelles seraient vos disponibilités la semaine du {semaine} ?""", True),
    T(("Accord CSS — {u_civ} {u_nom}", "Dossier accepté"),
      """Je vous informe que la complémentaire santé solidaire de {u_civ} {u_nom} a été \
accordée à compter du 1er {mois_suivant}, sans participation financière.""", False),
    T(("Carte Vitale — {u_civ} {u_nom}", "Suite de votre demande"),
      """Suite à votre demande, la carte Vitale de {u_civ} {u_nom} a été renvoyée à sa \
nouvelle adresse. Ses droits sont ouverts jusqu'au {date_lointaine}.""", False),
    T(("Information — permanences d'accès aux droits",),
      """À compter du mois {de_mois_suivant}, la permanence d'accès aux droits de l'Assurance \
Maladie à la MDS de Saint-Aubin aura lieu le deuxième mardi du mois, de 9 h à 12 h, sur \
rendez-vous uniquement.""", False, audience="cc"),
)

MDPH = (
    T(("Dossier incomplet — {enfant} {u_nom}", "Dossier n° {num_mdph} — pièces manquantes"),
      """Le dossier de {enfant} {u_nom} (n° {num_mdph}) ne peut pas être évalué en l'état : il \
manque le certificat médical de moins d'un an et le GEVA-Sco.

Pouvez-vous voir avec la famille pour nous les faire parvenir avant le {date_limite} ?""",
      True),
    T(("Demande d'avis social — PCH {u_civ} {u_nom}", "Évaluation PCH — {u_civ} {u_nom}"),
      """Dans le cadre de l'évaluation de la demande de PCH de {u_civ} {u_nom} \
(n° {num_mdph}), l'équipe pluridisciplinaire souhaiterait avoir votre avis social, en \
particulier sur l'aide humaine au domicile.

Pourriez-vous nous transmettre une note avant la CDAPH du {date_commission} ?""", True),
    T(("Décision CDAPH — {u_civ} {u_nom}", "Notification AAH — {u_civ} {u_nom}"),
      """Pour information, la CDAPH du {date_passee} a accordé l'AAH à {u_civ} {u_nom} pour \
une durée de cinq ans, ainsi que la RQTH. La notification lui a été adressée par \
courrier.""", False),
    T(("Passage en CDAPH — {u_civ} {u_nom}",),
      """Je vous informe que le dossier de {u_civ} {u_nom} (n° {num_mdph}) passera en CDAPH le \
{date_commission}. La décision sera notifiée dans les quinze jours qui suivent.""", False),
)

FRANCE_TRAVAIL = (
    T(("Accompagnement global — {u_civ} {u_nom}", "Point à trois — {u_civ} {u_nom}"),
      """J'accompagne {u_civ} {u_nom} dans le cadre de l'accompagnement global. \
[[Son projet de formation avance bien|Son projet professionnel bute sur la question du \
logement|La question de la garde des enfants bloque son retour à l'emploi]].

Serait-il possible de faire un point à trois, avec {u_lui_elle}, la semaine du \
{semaine} ?""", True),
    T(("Absences aux rendez-vous — {u_civ} {u_nom}", "Sans nouvelles de {u_civ} {u_nom}"),
      """{u_civ} {u_nom} ne s'est pas présenté{u_e} à ses deux derniers rendez-vous et ne \
répond pas au téléphone. Avez-vous des nouvelles de sa situation ?

Je souhaite éviter une sanction sur son RSA si quelque chose l'empêche de venir.""", True),
    T(("Entrée en formation — {u_civ} {u_nom}", "Information — {u_civ} {u_nom}"),
      """Je vous informe que {u_civ} {u_nom} est entré{u_e} en formation « agent de propreté \
et d'hygiène » à compter du {date_limite}, pour une durée de {n_mois} mois. La rémunération \
de la formation sera versée par la Région.""", False),
    T(("Information collective — métiers du soin", "Job dating — aide à domicile"),
      """Pour information, une information collective sur les métiers du soin et de l'aide à \
domicile aura lieu le {date_rdv} à {heure} à l'agence de Saint-Aubin. Vos accompagnés peuvent \
s'y inscrire directement à l'accueil ou par leur conseiller.""", False, audience="cc"),
)

SCHOOL = (
    T(("Absentéisme — {enfant} {u_nom}", "Situation de {enfant} {u_nom} ({classe_college})"),
      """Je suis l'assistante sociale du {mon_college}. {enfant} {u_nom}, élève de \
{classe_college}, cumule {n_absences} demi-journées d'absence non justifiées depuis la \
rentrée. La famille ne répond plus à nos appels ni à nos courriers.

Pourrions-nous échanger à ce sujet ? Savez-vous si la famille est accompagnée par la MDS ?""",
      True, who="as_college"),
    T(("Élève de {classe_primaire} — {enfant} {u_nom}", "Inquiétude — {enfant} {u_nom}"),
      """L'équipe enseignante s'inquiète pour {enfant}, en {classe_primaire} à l'école. \
{enfant_il_elle_maj} arrive souvent sans goûter, très fatigué{enfant_e}, et porte les mêmes \
vêtements plusieurs jours de suite.

Pourriez-vous me dire si la famille est connue de vos services ? Nous aimerions proposer un \
rendez-vous commun aux parents.""", True, who="dir_ecole"),
    T(("Équipe éducative — {enfant} {u_nom}", "Invitation équipe éducative du {date_rdv}"),
      """Une équipe éducative est prévue le {date_rdv} à {heure} au {mon_college} pour \
{enfant} {u_nom}, en présence de la famille. Votre présence serait précieuse compte tenu de \
l'accompagnement en cours.

Pouvez-vous me confirmer si vous pourrez y assister ?""", True, who="cpe"),
    T(("Compte rendu — équipe éducative {enfant} {u_nom}",),
      """Vous trouverez ci-joint le compte rendu de l'équipe éducative du {date_passee} \
concernant {enfant} {u_nom}. Un nouveau point est prévu au retour des vacances.""", False,
      attach="cr", who="cpe"),
    T(("Orientation de {enfant} {u_nom}", "Information — dispositif relais"),
      """Pour information, {enfant} {u_nom} a été orienté{enfant_e} vers le dispositif relais \
pour une durée de six semaines à compter du {date_limite}. La famille a donné son accord lors \
de l'entretien de ce matin.""", False, who="as_college"),
    T(("Bilan infirmier — {enfant} {u_nom}",),
      """Pour information, j'ai reçu {enfant} en bilan ce matin à sa demande. {enfant_il_elle_maj} \
va mieux depuis la reprise du suivi au CMP et a repris contact avec la famille de sa \
mère.""", False, who="infirmiere"),
)

COURT = (
    T(("Dossier n° {num_tj} — assistance éducative — demande de rapport",
       "Assistance éducative — {u_nom} — rapport avant audience"),
      """Greffe du tribunal pour enfants

Dossier n° {num_tj} — Assistance éducative
Mineur(s) : {enfant} {u_nom_maj}

Madame,

Le juge des enfants vous demande de lui adresser votre rapport d'évaluation de la situation \
avant l'audience du {date_audience} à {heure_audience}.

Merci de transmettre ce rapport au greffe au plus tard le {date_limite}, par retour de \
courriel.""", True, who="greffe_tpe"),
    T(("Convocation audience du {date_audience} — dossier {num_tj}",),
      """Greffe du tribunal pour enfants

Dossier n° {num_tj} — Assistance éducative
Mineur(s) : {enfant} {u_nom_maj}

Madame,

Vous êtes convoquée en qualité de service en charge de la mesure à l'audience du \
{date_audience} à {heure_audience}, cabinet du juge des enfants, 2e étage.

Merci de nous confirmer votre présence ou de nous indiquer le nom de la personne qui vous \
représentera.""", True, who="greffe_tpe"),
    T(("Notification de jugement — dossier {num_tj}", "Jugement du {date_passee} — {u_nom_maj}"),
      """Greffe du tribunal pour enfants

Madame,

Veuillez trouver ci-joint, pour notification, le jugement en assistance éducative rendu le \
{date_passee} concernant {enfant} {u_nom_maj} (dossier n° {num_tj}).

La mesure d'AEMO est renouvelée pour une durée de douze mois.""", False, attach="jugement",
      who="greffe_tpe"),
    T(("Ordonnance — dossier JAF {num_tj}", "Affaires familiales — {u_nom_maj}"),
      """Greffe des affaires familiales

Madame,

Veuillez trouver ci-joint la copie de l'ordonnance rendue le {date_passee} dans la procédure \
{u_nom_maj}, transmise pour information au service social en charge de \
l'enquête.""", False, attach="jugement", who="greffe_jaf"),
)

BAILLEUR_T = (
    T(("Dette locative — {u_civ} {u_nom}", "Plan d'apurement — {u_civ} {u_nom}"),
      """{u_civ} {u_nom}, locataire au {adresse}, a un arriéré de loyer de {montant}. Un plan \
d'apurement est encore possible si un dossier FSL est déposé rapidement ; à défaut, le dossier \
sera transmis au contentieux.

Pouvez-vous nous dire si une demande FSL est en cours ?""", True, who="bailleur1"),
    T(("Demande de mutation — {u_civ} {u_nom}", "Logement de {u_civ} {u_nom}"),
      """Nous avons bien reçu la demande de mutation de {u_civ} {u_nom} pour \
sur-occupation. Afin de la présenter en commission d'attribution, pourriez-vous nous adresser \
un rapport social actualisé ?""", True, who="bailleur2"),
    T(("Plan d'apurement validé — {u_civ} {u_nom}",),
      """Pour information, le plan d'apurement de {u_civ} {u_nom} a été signé ce jour : \
{petit_montant} par mois en plus du loyer courant, sur 18 mois. La procédure est \
suspendue.""", False, who="bailleur1"),
)

HOSPITAL_T = (
    T(("Sortie d'hospitalisation — {u_civ} {u_nom}", "Retour à domicile — {u_civ} {u_nom}"),
      """{u_civ} {u_nom} est hospitalisé{u_e} dans notre service de médecine depuis le \
{date_passee}. Sa sortie est envisagée pour le {date_limite}, mais le retour à domicile nous \
paraît fragile sans aide.

Pourriez-vous nous dire si un accompagnement est en cours et si une visite à domicile est \
possible à sa sortie ?""", True, who="ch1"),
)

CCAS_T = (
    T(("Aide facultative — {u_civ} {u_nom}", "Commission CCAS du {date_commission}"),
      """La commission permanente du CCAS du {date_passee} a accordé à {u_civ} {u_nom} une \
aide de {petit_montant} pour la facture d'énergie. Le versement sera fait directement au \
fournisseur.""", False, who="ccas1"),
    T(("Demande d'aide facultative — pièces manquantes",),
      """Pour présenter la demande d'aide de {u_civ} {u_nom} à la prochaine commission du \
CCAS, il nous manque votre évaluation sociale et un RIB du fournisseur.

Pouvez-vous nous les envoyer avant le {date_limite} ?""", True, who="ccas1"),
)

# Firm complaints, despair, child-protection reports and quoted insults: ordinary messages
# that a hostility detector must not flag.
COMPLAINT = (
    T(("Réclamation", "Mécontentement", "Toujours aucune réponse"),
      """Je vous écris pour exprimer mon mécontentement. Cela fait trois semaines que j'attends \
d'être rappelé{e} au sujet de mon dossier FSL, et personne ne m'a donné de nouvelles malgré \
mes appels à l'accueil.

Je trouve inadmissible qu'on me laisse sans réponse alors que ma situation est urgente. Je ne \
vous traite pas de menteuse, mais on m'avait promis un retour la semaine dernière.

Je vous demande de me recontacter rapidement. À défaut, je saisirai le Défenseur des \
droits.""", True),
    T(("Réclamation concernant mon dossier", "Contestation"),
      """Je conteste fermement la décision de refus d'aide financière qui m'a été notifiée le \
{date_passee}. Les raisons données ne correspondent pas à ma situation : mes ressources ont \
baissé depuis {mois_precedent}, je l'avais signalé.

Je souhaite être reçu{e} par votre responsable pour exposer ma situation. Quelle est la \
procédure de recours ?""", True),
)
DISTRESS = (
    T(("Je n'en peux plus", "Au secours", "Besoin de parler"),
      """Je n'en peux plus. Je suis épuisé{e}, je ne dors plus, les factures s'accumulent et \
j'ai l'impression que tout s'effondre autour de moi. Parfois je me dis que ça ne sert plus à \
rien de se battre.

Je ne sais plus vers qui me tourner. Est-ce que vous pouvez me rappeler ?""", True),
    T(("Désolée de vous déranger", "Ma situation", "Je suis perdue"),
      """Désolé{e} de vous déranger encore. Depuis le départ de mon mari je me sens \
complètement perdu{e}. Je pleure tous les soirs quand les enfants sont couchés, je n'ose \
plus ouvrir mon courrier.

J'ai honte de demander encore de l'aide. Est-ce qu'on pourrait se voir cette semaine ?""",
      True),
)
CHILD_AT_RISK = (
    T(("Information préoccupante — {enfant} {u_nom}", "URGENT — élève {enfant} {u_nom}"),
      """{enfant}, élève de {classe_college}, s'est confié{enfant_e} ce matin à l'infirmière \
scolaire : son père l'aurait frappé{enfant_e} avec une ceinture hier soir, et \
{enfant_il_elle} présente des traces de coups sur les bras. {enfant_il_elle_maj} dit que son \
père crie qu'il va « {enfant_le_la} tuer » quand il rentre tard, et {enfant_il_elle} a peur \
de rentrer ce soir.

Nous transmettons une information préoccupante à la CRIP ce jour. Pouvez-vous nous dire si \
la famille est suivie par la MDS, et nous rappeler dès que possible ?""", True, who="as_college"),
    T(("Inquiétude — enfant {enfant} {u_nom}", "Violences conjugales — enfants exposés"),
      """Je vous contacte au sujet de {u_civ} {u_nom}, hospitalisé{u_e} cette nuit aux \
urgences après des violences conjugales : strangulation, coups au visage. Ses deux enfants \
étaient présents au domicile et ont vu la scène.

{u_civ} {u_nom} accepte un accompagnement et une mise à l'abri. Pouvez-vous nous rappeler \
aujourd'hui pour organiser la sortie ?""", True, who="ch1"),
)
QUOTED_INSULT = (
    T(("Problème avec mon voisin", "Harcèlement de mon voisin", "Demande de courrier au bailleur"),
      """Je voulais vous prévenir que mon voisin m'a encore insulté{e} hier dans l'escalier, \
devant {enfant}. Il m'a traité{e} de « sale cassos » et m'a dit « je vais te crever ». J'ai \
porté plainte au commissariat ce matin.

Est-ce que vous pouvez faire un courrier au bailleur pour appuyer ma demande de mutation ?""",
      True),
    T(("Ce qui se passe au collège", "Harcèlement au collège"),
      """{enfant} ne veut plus aller au collège. Des élèves l'insultent tous les jours sur les \
réseaux, ils lui écrivent « t'es qu'un déchet, va mourir ». J'ai répondu sur le groupe que ces \
mots étaient inacceptables et que personne ne mérite d'être traité comme ça.

Je ne sais pas quoi faire. Pouvez-vous m'aider à en parler avec l'assistante sociale du \
collège ?""", True),
)

# Hostile messages from usagers, graded by the hostility that they carry.
AGGRESSIVE = (
    T(("Toujours rien", "C'est une honte", "Réponse", "???"),
      """Ça fait trois fois que j'appelle et personne ne répond. Vous êtes payés à quoi \
exactement ? Vous vous foutez du monde. Je veux mon aide maintenant, pas dans trois \
semaines.""", True, style="informal"),
    T(("Vous êtes une incapable", "Honte à vous", "Mon dossier"),
      """Vous êtes une incapable et une menteuse. À cause de vous mes enfants vont se retrouver \
à la rue. Bande de bons à rien, vous ne servez à rien à part remplir des papiers.""", False,
      style="informal"),
    T(("Dernier avertissement", "Vous allez le regretter", "ATTENTION"),
      """Si mes enfants ne rentrent pas à la maison, vous allez le payer. Je sais où vous \
habitez et je sais à quelle heure vous sortez du bureau. Vous êtes prévenue.""", False,
      style="informal"),
    T(("Demain", "Je viens", "Ça va mal finir"),
      """Je vais venir à la MDS demain et ça va mal se passer, je vous préviens. J'en ai marre \
d'être pris{e} pour un{e} idiot{e}. Débloquez mon dossier ou je m'en occupe moi-même.""", True,
      style="informal"),
    T(("Dossier", "RÉPONDEZ", "Vous avez intérêt"),
      """Je vous préviens, vous avez intérêt à débloquer mon dossier d'ici vendredi. Sinon je \
viens vous attendre à la sortie et on réglera ça entre nous. Vous ne savez pas à qui vous avez \
affaire.""", True, style="informal"),
    T(("VOLEURS D'ENFANTS", "HONTE", "RENDEZ MOI MES ENFANTS"),
      """VOUS ÊTES DES VOLEURS D'ENFANTS !!! Vous avez détruit ma famille avec vos rapports \
pourris. Espèce de sale menteuse, tu vas payer pour tout le mal que tu m'as fait. Je vais te \
retrouver.""", False, style="informal"),
    T(("Troisième message", "Répondez-moi", "Encore moi"),
      """Troisième message aujourd'hui. Répondez-moi, espèce d'incompétente. Je continuerai à \
vous écrire tous les jours, et à appeler votre chef, jusqu'à ce que vous fassiez votre \
travail.""", True, style="informal"),
)

COLLEAGUE_DIRECT = (
    T(("Permanence de jeudi", "Remplacement jeudi", "Petit service"),
      """Est-ce que tu pourrais me remplacer à la permanence de {jour_proche} après-midi ? J'ai \
un rendez-vous médical que je n'arrive pas à décaler. Je te rendrai la pareille !""", True),
    T(("Numéro du conseiller France Travail", "Contact France Travail", "Petite question"),
      """Tu aurais le numéro du conseiller France Travail de {u_civ} {u_nom} ? Je dois \
l'appeler pour le dossier de surendettement et je ne le retrouve pas dans le logiciel.""",
      True),
    T(("Relecture rapport juge", "Rapport {u_nom} — relecture", "Peux-tu relire ?"),
      """Peux-tu relire mon rapport pour le juge des enfants avant que je l'envoie ? Je te le \
mets en PJ. Il doit partir au greffe {jour_proche}, et j'ai un doute sur la partie \
« évaluation des compétences parentales ».""", True, attach="rapport"),
    T(("VAD {u_nom}", "Visite à domicile", "VAD à deux"),
      """On fait la visite à domicile chez {u_civ} {u_nom} ensemble {date_rdv} à {heure} ? \
{u_il_elle_maj} a demandé à ce qu'on soit deux, et je préfère aussi vu le contexte. Tu me \
dis ?""", True),
    T(("Situation {u_nom}", "Tu as 5 minutes ?", "{u_nom}"),
      """Tu as 5 minutes aujourd'hui pour qu'on parle de la situation {u_nom} ? Le collège m'a \
appelé{e} ce matin, ça bouge de leur côté et je voudrais qu'on se coordonne avant la \
synthèse.""", True),
    T(("Dossier {u_nom} dans ton casier", "Dossier {u_nom}"),
      """Je t'ai déposé le dossier de {u_civ} {u_nom} dans ton casier, avec la copie du bail et \
les avis d'imposition.""", False),
    T(("Passage de {u_civ} {u_nom} à l'accueil", "Accueil — {u_civ} {u_nom}"),
      """{u_civ} {u_nom} est passé{u_e} à l'accueil ce matin pendant ta visite. {u_il_elle_maj} \
a déposé ses justificatifs, je les ai mis dans la bannette. {u_il_elle_maj} repasse \
{jour_proche}.""", False, who="samia"),
    T(("Merci pour hier", "VAD d'hier"),
      """Merci pour hier, ce n'était pas une visite facile. Je trouve que tu as su garder le \
cap avec le père. Je te fais le compte rendu d'ici la fin de semaine.""", False),
    T(("Synthèse {u_nom}", "Date de synthèse — {u_nom}"),
      """Je cale la synthèse pour la famille {u_nom} avec l'ASE et le collège. Quelles sont tes \
disponibilités la semaine prochaine, plutôt en matinée ?""", True),
)
COLLEAGUE_TEAM = (
    T(("Salle de réunion jeudi", "Réservation salle"),
      """Pour info, j'ai réservé la {salle} {jour_proche} de 14 h à 16 h pour la synthèse \
{u_nom}. Merci de ne pas la prendre, c'est la seule salle avec la visio qui marche.""", False,
      audience="team"),
    T(("Photocopieur en panne", "Imprimante du 1er"),
      """Le photocopieur du premier étage est de nouveau en panne (bourrage papier). Le ticket \
est ouvert, en attendant utilisez celui de l'accueil.""", False, audience="team"),
    T(("Pot de départ de {collegue_prenom}", "Pot vendredi"),
      """Comme vous le savez, {collegue_prenom} nous quitte à la fin du mois pour de nouvelles \
aventures. On fête ça vendredi à 16 h en salle de réunion, chacun apporte quelque chose. Une \
cagnotte circule à l'accueil.""", False, audience="team"),
    T(("Congés", "Absence du {date_limite}"),
      """Je serai en congé du {date_limite} au {date_lointaine} inclus. En cas d'urgence sur mes \
situations, voir avec {collegue_prenom}, qui a les dossiers en cours.""", False,
      audience="team"),
    T(("Covoiturage formation", "Formation de jeudi — covoiturage"),
      """Pour la formation de {jour_proche} à Vaudrecourt, je peux prendre trois personnes dans \
ma voiture. Départ de la MDS à 8 h 15.""", False, audience="team"),
    T(("Chocolats", "Merci !"),
      """Une famille nous a déposé une boîte de chocolats à l'accueil pour remercier l'équipe. \
Elle est dans la cuisine, servez-vous !""", False, audience="team", who="samia"),
)
MANAGER = (
    T(("Point écrit — famille {u_nom}", "Situation {u_nom} — saisine du cabinet"),
      """Peux-tu me faire un point écrit sur la situation de la famille {u_nom} avant \
{jour_proche} midi ? Le cabinet du Président a été saisi par la famille et je dois remonter \
des éléments à la direction.""", True, who="chef"),
    T(("Statistiques d'activité", "Rappel — statistiques mensuelles"),
      """Je te remercie de me transmettre tes statistiques d'activité {de_mois_precedent} avant \
le {date_limite}. Le tableau est sur le serveur, dans le dossier habituel.""", True, who="chef"),
    T(("Urgence accueil", "Urgence — famille sans hébergement"),
      """Peux-tu prendre la situation de {u_civ} {u_nom} en urgence ? {u_il_elle_maj} se \
présente à l'accueil avec ses deux enfants, sans solution d'hébergement ce soir. Le 115 ne \
répond pas pour l'instant.""", True, who="chef"),
    T(("Demain matin", "Pour demain", "Organisation de demain"),
      """Désolée de t'écrire si tard. Demain matin, il faudrait que tu passes me voir avant ta \
première visite : le juge a avancé l'audience {u_nom} et il faut qu'on revoie le rapport \
ensemble. Tu peux ?""", True, who="chef", evening=True),
    T(("Demande de formation", "Formation « violences intrafamiliales »"),
      """Je valide ta demande de formation « Violences intrafamiliales : repérer et \
accompagner » des {date_limite}. Je transmets au service formation, tu recevras la \
convocation directement.""", False, who="chef"),
    T(("Changement de planning", "Réunion d'équipe décalée", "Planning de la semaine"),
      """Changement de planning : la réunion d'équipe de mardi est décalée à {jour_proche} \
14 h, en {salle}. L'ordre du jour reste le même (situations complexes, organisation des \
permanences de décembre).""", False, audience="team", who="chef"),
    T(("Planning des permanences", "Permanences {de_mois_suivant}"),
      """Vous trouverez ci-joint le planning des permanences d'accueil {de_mois_suivant}. \
J'ai essayé de tenir compte des souhaits de chacun ; les échanges sont possibles entre vous, \
prévenez-moi simplement.""", False, audience="team", attach="planning", who="chef"),
    T(("Note d'organisation — accueil du public",),
      """Suite aux incidents survenus à l'accueil ces dernières semaines, une note \
d'organisation précise les règles de sécurité : entretiens à deux pour les situations \
signalées, bouton d'alerte testé chaque lundi, registre des incivilités tenu à l'accueil.

Elle est jointe à ce message et sera présentée à la prochaine réunion de service.""", False,
      audience="territory", attach="note", who="directrice"),
    T(("Rapport d'activité du territoire", "Contribution au rapport d'activité"),
      """Dans le cadre de la préparation du rapport d'activité du territoire, je vous remercie \
de bien vouloir me transmettre, avant le {date_limite}, une ou deux situations anonymisées \
illustrant le travail partenarial de la MDS.""", True, who="directrice"),
    T(("Visite du vice-président", "Visite de la MDS"),
      """Le vice-président en charge des solidarités visitera la MDS de Saint-Aubin le \
{date_rdv} à {heure}. Il souhaite échanger avec les équipes sur leurs conditions de travail. \
Votre présence est la bienvenue.""", False, audience="territory", who="directrice"),
)
INTERNAL_NOTE = (
    T(("Note de service — télétravail", "Télétravail : nouvelles modalités"),
      """Une nouvelle note de service précise les modalités du télétravail à compter du 1er \
{mois_suivant} : jusqu'à deux jours par semaine, demande à renouveler chaque année via le \
portail RH. La note est disponible sur l'intranet, rubrique Ressources humaines.""", False,
      who="drh"),
    T(("Fermeture des services — {jour_ferie}", "Jour férié du {jour_ferie}"),
      """Nous vous rappelons que les services du Département seront fermés le {jour_ferie}, \
jour férié. Les astreintes habituelles sont maintenues.""", False, who="drh"),
    T(("Campagne de vaccination antigrippale",),
      """La campagne de vaccination antigrippale à destination des agents est ouverte. Les \
séances ont lieu au service de médecine préventive, sur inscription via l'intranet, jusqu'au \
{date_limite}.""", False, who="drh"),
    T(("Intranet : nouvelle procédure de demande de congés",),
      """À compter du {date_limite}, les demandes de congés se font exclusivement dans le \
portail RH. Un tutoriel vidéo est disponible sur l'intranet.""", False, who="com"),
    T(("Formation obligatoire RGPD", "Sensibilisation à la protection des données"),
      """Tous les agents manipulant des données personnelles doivent suivre le module de \
sensibilisation au RGPD (45 minutes) avant le {date_limite}. Le module est accessible depuis \
la plateforme de formation en ligne.""", False, who="formation"),
    T(("Coupure informatique samedi", "Maintenance — messagerie indisponible"),
      """En raison d'une opération de maintenance, la messagerie et les applications métier \
seront indisponibles samedi de 7 h à 13 h. Aucune action n'est nécessaire de votre part.""",
      False, who="dsi"),
    T(("Entretiens professionnels annuels",),
      """La campagne des entretiens professionnels annuels est lancée. Les entretiens doivent \
avoir lieu avant le {date_lointaine} ; votre encadrant·e vous proposera une date.""", False,
      who="drh"),
    T(("Arbre de Noël des agents", "Inscriptions — arbre de Noël"),
      """L'arbre de Noël des enfants des agents aura lieu le {samedi_noel} à la salle \
des fêtes de Vaudrecourt. Inscriptions sur l'intranet jusqu'au {date_limite}.""", False,
      who="com"),
    T(("Prévention — agressions et incivilités", "Rappel : déclarer les incivilités"),
      """Nous rappelons que toute agression ou incivilité subie dans l'exercice de vos \
fonctions doit être déclarée dans le registre dédié. Un accompagnement psychologique est \
proposé à chaque agent concerné ; la protection fonctionnelle peut être demandée.""", False,
      who="prevention"),
    T(("Point d'étape — schéma départemental des solidarités",),
      """La concertation sur le futur schéma départemental des solidarités se poursuit. Les \
comptes rendus des ateliers territoriaux sont en ligne sur l'intranet, et un questionnaire \
est ouvert à tous les agents jusqu'au {date_limite}.""", False, who="dgas"),
)
MEETING = (
    T(("Synthèse {u_nom} — {date_rdv}", "Invitation : synthèse famille {u_nom}"),
      """Je vous propose une réunion de synthèse pour la situation de la famille {u_nom} le \
{date_rdv} à {heure}, en visio.

{visio_bloc}

Merci de me confirmer votre présence.""", True, audience="group", who="colleague"),
    T(("Réunion d'équipe — {date_rdv}", "Réunion d'équipe mensuelle"),
      """La réunion d'équipe mensuelle aura lieu le {date_rdv} à {heure}, en présentiel et à \
distance pour les collègues en télétravail.

{visio_bloc}

Ordre du jour : situations complexes, point sur les permanences, questions diverses.""",
      False, audience="team", who="chef"),
    T(("Webinaire — lutte contre le non-recours", "Invitation webinaire — accès aux droits"),
      """Dans le cadre de la stratégie de lutte contre la pauvreté, les services de l'État \
organisent un webinaire « Aller vers : lutter contre le non-recours aux droits » le \
{date_rdv} de 10 h à 11 h 30.

{visio_etat}

La participation est libre, sans inscription.""", False, audience="territory",
      who="directrice"),
    T(("Commission logement — {date_rdv}", "Commission FSL du {date_rdv}"),
      """La prochaine commission FSL se tiendra le {date_rdv} à {heure}, à distance. Vous avez \
deux dossiers inscrits à l'ordre du jour ({u_nom} et {u2_nom}).

{visio_bloc}

Pouvez-vous nous confirmer que vous présenterez vous-même les dossiers ?""", True,
      who="fsl"),
    T(("Point mensuel", "Entretien de suivi", "Point individuel"),
      """Je te propose notre point mensuel le {date_rdv} à {heure}, en visio puisque tu es en \
télétravail ce jour-là.

{visio_bloc}

Tu peux préparer la liste des situations qui te posent question ?""", True, who="chef"),
    T(("Réunion partenariale — protection de l'enfance",),
      """Nous avons le plaisir de vous convier à la réunion partenariale protection de \
l'enfance du territoire Sud, le {date_rdv} à {heure}.

{visio_bloc}

L'ordre du jour vous parviendra la semaine précédente.""", False, audience="territory",
      who="directrice"),
)

# Replies to the owner's messages, by what she had written about.
REPLY = {
    "rdv": (
        T((), """D'accord, je serai là {jour_rdv} à {heure}. Merci beaucoup.""", False),
        T((), """Je ne pourrai pas {jour_rdv}, j'ai un rendez-vous médical. Est-ce que ce \
serait possible le {date_autre} ?""", True),
        T((), """Merci pour le rendez-vous. Je dois apporter quels papiers ?""", True),
        T((), """c'est noté merci madame""", False, style="informal"),
    ),
    "documents": (
        T((), """Voilà, je vous ai mis les documents en pièce jointe. Il me manque encore \
{document_usager}, je vous apporterai le reste au rendez-vous.""", False, attach="scan"),
        T((), """Je n'ai pas l'avis d'imposition, je l'ai perdu. Je dois le demander où ?""",
          True),
        T((), """Merci, je vous envoie tout ça demain.""", False),
    ),
    "partner": (
        T((), """Merci pour ces éléments, je transmets au service concerné.""", False),
        T((), """Merci. Pouvez-vous également me transmettre l'accord signé de la famille ? Je \
ne peux pas instruire sans.""", True),
        T((), """Bien reçu, merci. Le dossier passera à la commission du \
{date_commission}.""", False),
        T((), """Merci pour votre retour. Auriez-vous un créneau {jour_proche} pour en parler \
au téléphone ?""", True),
    ),
    "colleague": (
        T((), """Ok pour moi, merci !""", False),
        T((), """Oui, je peux passer en visite mardi. Tu me passes le dossier ?""", True),
        T((), """C'est noté, je regarde ça demain matin.""", False),
        T((), """Je ne suis pas sûr{e} d'avoir le temps cette semaine. On en parle à la réunion \
d'équipe ?""", True),
    ),
}

# What the owner writes: new messages (that may receive replies) and answers.
SENT_NEW = {
    "rdv": (
        T(("Proposition de rendez-vous", "Rendez-vous à la MDS", "Votre rendez-vous"),
          """Je vous propose un rendez-vous le {date_rdv} à {heure} à la Maison départementale \
des solidarités, {mds_adresse}, pour faire le point sur votre dossier.

Pouvez-vous me confirmer votre présence ? En cas d'empêchement, merci de prévenir l'accueil au \
02 61 91 24 00.""", True),
    ),
    "documents": (
        T(("Pièces à fournir", "Documents pour votre dossier", "Dossier FSL — pièces"),
          """Pour constituer votre dossier, j'ai besoin des documents suivants :
- {document}
- votre attestation de droits Caf
- une quittance de loyer récente

Vous pouvez me les envoyer par courriel (une photo lisible suffit) ou les déposer à l'accueil \
de la MDS.""", True),
    ),
    "partner": (
        T(("Situation de {u_civ} {u_nom}", "Demande d'information — {u_civ} {u_nom}"),
          """J'accompagne {u_civ} {u_nom} depuis quelques mois. {u_il_elle_maj} me signale \
[[une suspension de ses droits depuis {mois_precedent}|un dossier en attente depuis plusieurs \
semaines|un courrier qu'{u_il_elle} ne comprend pas]].

Pourriez-vous me dire où en est son dossier et ce qui manque éventuellement ? L'intéressé{u_e} \
m'a donné son accord pour cet échange.""", True),
    ),
    "court": (
        T(("Rapport d'évaluation — {u_nom}", "Dossier {num_tj} — rapport"),
          """Veuillez trouver ci-joint mon rapport d'évaluation concernant la situation de \
{enfant} {u_nom_maj}, en vue de l'audience du {date_audience}.

Je reste à la disposition du juge des enfants pour tout complément.""", False,
          attach="rapport"),
    ),
    "colleague": (
        T(("{u_nom}", "Petite question", "Visite à domicile"),
          """Est-ce que tu pourrais voir {u_civ} {u_nom} à la permanence de {jour_proche} si \
{u_il_elle} passe ? Je suis en visite toute la matinée et {u_il_elle} doit déposer des \
papiers urgents pour le FSL.""", True),
    ),
}
SENT_REPLY = {
    "usager": (
        T((), """Je vous remercie pour votre message. Je vous propose que nous en parlions lors \
d'un rendez-vous le {date_rdv} à {heure} à la MDS. Pensez à apporter les courriers que vous \
avez reçus.""", False),
        T((), """Bien reçu, merci. Je regarde cela et je reviens vers vous d'ici la fin de la \
semaine.""", False),
        T((), """Je viens d'appeler la Caf : votre dossier est complet et il sera traité dans \
les prochains jours. Je vous tiens informé{u_e}.""", False),
        T((), """Je comprends votre inquiétude. Je me renseigne dès aujourd'hui et je vous \
rappelle d'ici la fin de la semaine.""", False),
    ),
    "partner": (
        T((), """Merci pour votre message. Je vous transmets ma note sociale d'ici le \
{date_limite}.""", False),
        T((), """Bien reçu, merci. La famille est effectivement accompagnée par la MDS ; je vous \
appelle demain matin pour en parler.""", False),
        T((), """Je serai présente, merci pour l'invitation.""", False),
    ),
    "colleague": (
        T((), """C'est noté, merci. Je t'appelle demain pour qu'on en parle.""", False),
        T((), """Oui, pas de souci, je m'en occupe.""", False),
        T((), """Je suis en visite toute la matinée, je regarde ça cet après-midi.""", False),
    ),
}

# Out-of-office replies.
AUTO_REPLY = (
    """Je suis absent{e} du bureau jusqu'au {date_limite} inclus, sans accès à ma messagerie. \
Votre message ne sera pas transféré.

Pour toute urgence, vous pouvez contacter l'accueil au {tel_service}.""",
    """Bonjour,

Je suis actuellement en formation et je consulterai mes messages à mon retour, le \
{date_limite}.

Cordialement,""",
    """Je suis en congé. Pour les situations urgentes, merci de vous adresser à \
{collegue_prenom} {collegue_nom}, qui assure mon intérim.""",
)

# --- newsletters -----------------------------------------------------------------------------

HEADLINES_SOCIAL = (
    ("Travail social : les départements peinent toujours à recruter",
     "Un tiers des postes d'assistants de service social restent vacants plus de six mois dans "
     "certains territoires. Enquête sur une pénurie qui s'installe."),
    ("RSA : premier bilan de l'accompagnement rénové",
     "Les départements pilotes dressent un premier bilan, contrasté, des quinze heures "
     "d'activité hebdomadaires."),
    ("Protection de l'enfance : l'accueil d'urgence sous tension",
     "Foyers saturés, placements à l'hôtel : les professionnels alertent sur les conditions "
     "d'accueil des enfants confiés."),
    ("Logement d'abord : où en est-on ?",
     "Cinq ans après le lancement du plan, les acteurs de terrain font le point sur l'accès "
     "direct au logement des personnes sans abri."),
    ("Violences conjugales : le rôle clé des travailleurs sociaux",
     "Repérage, mise à l'abri, accompagnement : retour sur une journée d'étude consacrée aux "
     "pratiques professionnelles."),
    ("Santé mentale : la souffrance des professionnels du social",
     "Épuisement, perte de sens, agressions : une étude met en lumière la dégradation des "
     "conditions de travail."),
    ("Non-recours aux droits : les leçons des expérimentations « aller vers »",
     "Bus itinérants, permanences hors les murs : ce qui fonctionne pour atteindre les "
     "publics éloignés."),
    ("Handicap : la réforme de la PCH en débat",
     "L'extension de la prestation de compensation aux besoins de soutien à l'autonomie "
     "divise les associations."),
    ("Écrits professionnels : comment écrire au juge des enfants ?",
     "Clarté, faits, analyse : une formatrice livre ses conseils pour des rapports utiles "
     "à la décision."),
    ("Numérique : l'accompagnement des usagers éloignés des démarches en ligne",
     "Conseillers numériques, France services : quelle place pour le travailleur social ?"),
    ("Droit à la déconnexion : les travailleurs sociaux en première ligne",
     "Messages du soir, appels le week-end : des équipes s'organisent pour protéger leurs "
     "soirées."),
    ("Jeunes majeurs : en finir avec les « sorties sèches »",
     "Les contrats jeunes majeurs se généralisent, mais les moyens ne suivent pas partout."),
    ("Précarité énergétique : les demandes d'aide au FSL explosent",
     "Les fonds de solidarité logement font face à une hausse inédite des demandes liées à "
     "l'énergie."),
    ("Secret professionnel : ce que dit la loi sur le partage d'informations",
     "Qui peut partager quoi, avec qui et dans quel cadre ? Le point avec une juriste."),
    ("Accueil du public : prévenir les agressions",
     "Aménagement des locaux, travail en binôme, déclaration des incidents : les bonnes "
     "pratiques des services."),
    ("Aide sociale à l'enfance : les assistants familiaux, un métier en voie de disparition ?",
     "Départs en retraite massifs, recrutements en berne : le modèle de l'accueil familial "
     "vacille."),
    ("Vieillissement : le maintien à domicile à l'épreuve du manque d'aides à domicile",
     "Les services d'aide à domicile refusent des heures faute de personnel."),
    ("Supervision : un espace pour penser sa pratique",
     "De plus en plus d'employeurs financent l'analyse des pratiques. Témoignages."),
)
HEADLINES_UNION = (
    ("Revalorisation : où en est le Ségur pour la filière sociale ?",
     "Le point sur les primes et les grilles après la dernière réunion avec l'employeur."),
    ("Conditions de travail : résultats de notre enquête auprès des MDS",
     "Plus de 300 agents ont répondu. Charge de travail et sécurité arrivent en tête."),
    ("Télétravail : ce que nous avons obtenu",
     "Deux jours par semaine, indemnité forfaitaire : le détail de l'accord."),
    ("Assemblée générale des adhérents",
     "Rendez-vous à l'heure du déjeuner, salle des commissions. Ordre du jour et procurations "
     "sur notre site."),
    ("Protection fonctionnelle : vos droits en cas d'agression",
     "Un agent agressé doit être protégé par son employeur. Mode d'emploi."),
)
HEADLINES_TRAINING = (
    ("Nouvelles sessions : « Accueillir l'agressivité des usagers »",
     "Deux jours pour comprendre et désamorcer les situations de tension. Inscriptions "
     "ouvertes."),
    ("Webinaire : le secret professionnel partagé",
     "Une heure pour faire le point sur les règles de partage d'informations."),
    ("Catalogue de formation : les nouveautés du premier semestre",
     "Protection de l'enfance, handicap, numérique : découvrez les nouvelles offres."),
    ("Préparer un concours de la fonction publique territoriale",
     "Calendrier et modalités des prochaines préparations."),
)

NEWSLETTERS = (  # (key, display name, from address, list-id, site, headline pool, weight)
    ("ash", "ASH — Actualités sociales hebdomadaires", "newsletter@news.ash.tm.fr",
     "essentiel.news.ash.tm.fr", "https://www.ash.tm.fr", "social", 5),
    ("liensocial", "Lien Social", "lettre@lien-social.com", "lettre.lien-social.com",
     "https://www.lien-social.com", "social", 3),
    ("anas", "ANAS — Association nationale des assistants de service social",
     "communication@anas.fr", "lettre.anas.fr", "https://www.anas.fr", "social", 2),
    ("union", "CFDT Interco Haute-Lisière", "infos-adherents@cfdt-interco-hautelisiere.fr",
     "infos-adherents.cfdt-interco-hautelisiere.fr",
     "https://cfdt-interco-hautelisiere.fr", "union", 2),
    ("gazette", "La Gazette des communes — Action sociale",
     "newsletter@lagazettedescommunes.com", "action-sociale.lagazettedescommunes.com",
     "https://www.lagazettedescommunes.com", "social", 3),
    ("cnfpt", "CNFPT — Votre lettre formation", "ne-pas-repondre@cnfpt.fr", "lettre.cnfpt.fr",
     "https://www.cnfpt.fr", "training", 2),
    ("uniopss", "Uniopss — La lettre d'information", "info@uniopss.asso.fr",
     "lettre.uniopss.asso.fr", "https://www.uniopss.asso.fr", "social", 1),
    ("praxis", "Institut Praxis Social — Formations", "contact@praxis-social-formation.fr",
     "offres.praxis-social-formation.fr", "https://www.praxis-social-formation.fr",
     "training", 1),
)

# --- notifications ---------------------------------------------------------------------------

NOTIFICATIONS = (
    # (key, from name, from address, subject templates, body template, weight)
    ("sidonie", "SIDONIE — logiciel de suivi social", f"ne-pas-repondre@sidonie.{DOMAIN}",
     ("[SIDONIE] {n_small} nouvelles tâches vous ont été attribuées",
      "[SIDONIE] Rappel : évaluation à rendre — dossier {num_sidonie}",
      "[SIDONIE] Échéance de mesure — dossier {num_sidonie}"),
     """Bonjour {owner_first} {owner_last},

Des éléments nécessitent votre attention dans SIDONIE :
- dossier {num_sidonie} : échéance de l'évaluation le {date_limite}
- dossier {num_sidonie2} : nouveau document versé par l'accueil

Accéder à SIDONIE : https://sidonie.{domain}/taches

Ce message est envoyé automatiquement, merci de ne pas y répondre.""", 6),
    ("glpi", "GLPI — Assistance informatique", f"glpi@{DOMAIN}",
     ("[GLPI #{ticket}] Nouveau suivi — Imprimante MDS Saint-Aubin hors service",
      "[GLPI #{ticket}] Ticket résolu — Accès au dossier partagé",
      "[GLPI #{ticket}] Nouveau ticket — Téléphone de l'accueil"),
     """Le ticket n° {ticket} a été mis à jour.

Statut : {glpi_statut}
Technicien : Service assistance
Dernier suivi : {glpi_suivi}

Pour consulter le ticket : https://glpi.{domain}/front/ticket.form.php?id={ticket}

Merci de ne pas répondre à ce courriel automatique.""", 3),
    ("teams", "Microsoft Teams", "noreply@email.teams.microsoft.com",
     ("Vous avez manqué des activités dans Microsoft Teams",
      "{collegue_prenom} {collegue_nom} vous a mentionné(e) dans Équipe MDS > Général",
      "Nouveaux messages dans « Permanences accueil »"),
     """Vous avez des messages non lus dans Microsoft Teams.

{collegue_prenom} {collegue_nom} — Équipe MDS > Général
« {teams_message} »

Ouvrir Microsoft Teams : https://teams.microsoft.com/

Vous recevez ce courriel car les notifications par courrier sont activées. Modifier les \
paramètres de notification dans Teams.""", 4),
    ("intranet", "Intranet du Département", f"intranet@{DOMAIN}",
     ("[Intranet] Nouvel article : {intranet_titre}",
      "[Intranet] Actualité de la semaine"),
     """Un nouvel article a été publié sur l'intranet :

{intranet_titre}

Lire l'article : https://intranet.{domain}/actualites/{intranet_slug}

Vous recevez ce message car vous êtes abonné(e) aux actualités de la direction des \
solidarités.""", 2),
    ("linkedin", "LinkedIn", "notifications-noreply@linkedin.com",
     ("{owner_first}, vous êtes apparu(e) dans {n_small} recherches cette semaine",
      "{contact_prenom} {contact_nom} souhaite rejoindre votre réseau",
      "Nouveaux emplois : Assistant de service social — Haute-Lisière"),
     """{owner_first}, découvrez qui a consulté votre profil.

{contact_prenom} {contact_nom} — Cheffe de service éducatif
Voir le profil : https://www.linkedin.com/comm/in/{contact_slug}

Vous recevez des courriels de notification. Se désabonner : \
https://www.linkedin.com/comm/psettings/email-unsubscribe""", 3),
    ("parapheur", "Parapheur électronique", f"parapheur@{DOMAIN}",
     ("[i-Parapheur] Dossier à viser : {parapheur_dossier}",
      "[i-Parapheur] Nouveau dossier dans votre bureau : {parapheur_dossier}"),
     """Le dossier « {parapheur_dossier} » est arrivé dans votre bureau.

Circuit : MDS Saint-Aubin > Responsable MDS > Direction territoriale
Date limite : {date_limite}

Accéder au parapheur : https://parapheur.{domain}/

Ce message a été généré automatiquement.""", 2),
    ("cdap", "Caf — Espace partenaires (CDAP)", "ne-pas-repondre@caf.fr",
     ("Votre habilitation CDAP expire dans {n_small} jours",
      "CDAP : nouvelle version du service de consultation"),
     """Bonjour,

Votre habilitation au service de consultation du dossier allocataire par les partenaires \
(CDAP) arrive à échéance le {date_limite}. Votre gestionnaire d'habilitations a été \
informé(e) de son renouvellement.

Aucune action n'est nécessaire de votre part.

Caf de Haute-Lisière — Service partenaires""", 1),
    ("voicemail", "Messagerie vocale", f"messagerie.vocale@{DOMAIN}",
     ("Nouveau message vocal de {telephone}",
      "Message vocal ({duree}) — {telephone}"),
     """Vous avez reçu un nouveau message vocal.

De : {telephone}
Durée : {duree}
Reçu le : {date_courte}

Le message est joint à ce courriel au format audio.""", 3),
    ("evento", "Evento", "ne-pas-repondre@evento.renater.fr",
     ("Evento : nouvelle réponse à « {evento_titre} »",
      "Evento : rappel — « {evento_titre} »"),
     """Bonjour,

{collegue_prenom} {collegue_nom} a répondu à l'événement « {evento_titre} ».

Consulter les réponses : https://evento.renater.fr/survey/{evento_id}

Cet e-mail a été envoyé automatiquement par Evento.""", 1),
    ("bounce", "Mail Delivery System", f"MAILER-DAEMON@{MX_HOST}",
     ("Non remis : {bounce_sujet}", "Undelivered Mail Returned to Sender"),
     """Ceci est un message automatique du serveur de messagerie {mx}.

Votre message n'a pas pu être remis à un ou plusieurs destinataires :

<{bounce_adresse}> : boîte aux lettres inconnue (550 5.1.1 user unknown)

Objet du message : {bounce_sujet}""", 1),
)
TEAMS_MESSAGES = ("Quelqu'un a les clés de la voiture de service ?",
                  "Rappel : la permanence de cet après-midi est assurée par Julien",
                  "Le 115 rappelle à 14 h pour la famille de ce matin",
                  "Vous avez vu le nouveau formulaire FSL ?",
                  "Réunion décalée de 15 minutes, désolée !")
INTRANET_TITRES = ("Les MDS fêtent leurs dix ans", "Nouveau portail RH : mode d'emploi",
                   "Sobriété énergétique : les gestes au bureau",
                   "Retour sur la journée des solidarités",
                   "Accueil des nouveaux arrivants : rencontre du mois",
                   "Semaine de la qualité de vie au travail")
PARAPHEUR_DOSSIERS = ("Rapport d'évaluation", "Demande d'aide financière FSL",
                      "Note sociale — commission logement", "Bordereau de transmission au juge",
                      "Demande d'aide éducative à domicile")
EVENTO_TITRES = ("Date de la prochaine analyse des pratiques", "Repas de fin d'année de l'équipe",
                 "Formation secret partagé — choix de la date")

# --- phishing lures --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lure:
    """One phishing scenario: who it imitates and how it tries to fool the reader."""

    key: str
    from_name: str
    from_addr: str
    subjects: tuple[str, ...]
    body: str  # plain text; {lien} is where the link goes
    link_text: str  # what the reader sees
    link_href: str  # where it really goes
    reply_to: str = ""
    attach: str = ""  # html | zip | docm
    auth: str = "lookalike"  # lookalike | spoof | forged
    weight: int = 1


LURES = (
    Lure("caf", "CAF - Caisse d'allocations familiales", "ne-pas-repondre@caf-allocations-fr.com",
         ("Votre dossier allocataire est suspendu - action requise",
          "Mise à jour obligatoire de vos informations Caf", "Caf : régularisation de vos droits"),
         """Madame, Monsieur,

Suite a un controle de votre dossier, nous constatons que vos informations bancaires ne sont \
pas a jour. Sans action de votre part sous 48 heures, le versement de vos prestations sera \
suspendu.

Pour mettre a jour vos informations, connectez-vous a votre espace Mon Compte :
{lien}

Nous vous remercions de votre confiance.
Le service allocataires de la Caf""",
         "https://www.caf.fr/allocataires/mon-compte",
         "https://caf-allocations-fr.com/connexion/verification.php?ref={token}",
         reply_to="support.caf-allocations@gmx.com", weight=3),
    Lure("ameli", "Assurance Maladie", "remboursement@ameli-remboursements.info",
         ("Vous avez un remboursement en attente", "ameli : votre remboursement de {montant}",
          "Dernier rappel : remboursement non perçu"),
         """Cher(e) assuré(e),

Après les derniers calculs de l'activité de votre compte, nous avons déterminé que vous êtes \
admissible à recevoir un remboursement de {montant}.

Veuillez confirmer vos coordonnées bancaires avant le {date_limite} pour recevoir votre \
remboursement :
{lien}

L'Assurance Maladie""",
         "https://www.ameli.fr/assure/remboursements",
         "https://ameli-remboursements.info/assure/{token}/index.html", weight=3),
    Lure("impots", "DGFiP - impots.gouv.fr", "no-reply@impots-gouv-remboursement.com",
         ("Avis de remboursement d'impôt", "Remboursement de taxe - formulaire à compléter"),
         """Madame, Monsieur,

Après le dernier calcul annuel de votre impôt, vous êtes éligible à un remboursement de \
{montant}. Veuillez remplir le formulaire ci-joint et le renvoyer afin que nous puissions \
traiter votre remboursement.

Le remboursement sera effectué dans un délai de 5 jours ouvrés.

Direction générale des Finances publiques""",
         "", "", attach="html", weight=2),
    Lure("ants", "ANTS - Agence Nationale des Titres Sécurisés", "ne-pas-repondre@ants-gouv.net",
         ("Votre demande de titre est incomplète", "ANTS : timbre fiscal non réglé"),
         """Bonjour,

Votre demande de titre n° {token_court} ne peut pas être traitée : le timbre fiscal de 25 € \
n'a pas été réglé.

Pour finaliser votre demande, réglez le timbre fiscal avant le {date_limite} :
{lien}

Sans règlement, votre demande sera annulée.

Agence Nationale des Titres Sécurisés""",
         "https://ants.gouv.fr/mon-espace", "http://203.0.113.77/ants/paiement/{token}",
         weight=2),
    Lure("franceconnect", "FranceConnect", "securite@franceconnect-verification.com",
         ("Connexion inhabituelle à votre compte FranceConnect",
          "Alerte de sécurité FranceConnect"),
         """Bonjour,

Une connexion inhabituelle à votre compte a été détectée depuis un appareil inconnu \
(Android, localisation inconnue).

Si vous n'êtes pas à l'origine de cette connexion, sécurisez votre compte immédiatement :
{lien}

L'équipe FranceConnect""",
         "https://franceconnect.gouv.fr/securite",
         "https://franceconnect-verification.com/auth/{token}", weight=2),
    Lure("laposte", "La Poste - Colissimo", "suivi@laposte-colis-suivi.com",
         ("Votre colis est en attente de livraison", "Colissimo : frais de réexpédition"),
         """Bonjour,

Votre colis n° 6A{token_court} n'a pas pu être livré car les frais d'affranchissement \
(1,99 €) n'ont pas été réglés.

Programmez une nouvelle livraison : {lien}

Le colis sera retourné à l'expéditeur sous 72 heures.""",
         "Suivre mon colis", "https://bit.ly/3{token_court}", weight=2),
    Lure("helpdesk", "Service informatique", "helpdesk@haute-lisiere-support.com",
         ("Votre boîte aux lettres a atteint 98 % de son quota",
          "Action requise : validation de votre compte de messagerie"),
         """Bonjour,

Votre boîte aux lettres a atteint 98 % de sa capacité. Vous ne pourrez bientôt plus envoyer ni \
recevoir de messages.

Pour augmenter votre quota, validez votre compte sur le portail de messagerie :
{lien}

Service informatique — Département de Haute-Lisière""",
         f"https://outlook.{DOMAIN}/owa",
         "https://haute-lisiere-support.com/owa/login.php?u={token}", weight=2),
    Lure("ceo", CHEF.first + " " + CHEF.last, "sophie.renard.hautelisiere@gmail.com",
         ("Es-tu disponible ?", "Urgent et confidentiel", "Demande rapide"),
         """Bonjour {owner_first},

Es-tu disponible ? J'ai besoin que tu t'occupes d'un achat urgent pour une famille, de façon \
discrète. Je suis en réunion et je ne peux pas téléphoner.

Réponds-moi rapidement sur cette adresse.

Sophie Renard""", "", "", reply_to="sophie.renard.mds@proton.me", auth="freemail", weight=2),
    Lure("facture", "Comptabilité - Lisière Habitat", "facturation@lisiere-habltat.fr",
         ("Facture impayée n° {token_court}", "Relance : facture en attente de règlement"),
         """Bonjour,

Veuillez trouver ci-joint la facture n° {token_court} restée impayée. Merci d'activer le \
contenu du document pour l'afficher correctement.

Sans règlement sous 8 jours, des pénalités de retard seront appliquées.

Service comptabilité""", "", "", attach="docm", weight=2),
    Lure("scan", "Mairie de Saint-Aubin", "scanner@saint-aubin-en-lisiere.fr.docs-partage.net",
         ("Document numérisé", "Document scanné — à consulter"),
         """Un document vous a été envoyé depuis le scanner de la mairie.

Pages : 3
Format : archive compressée

Ouvrez la pièce jointe pour consulter le document.""", "", "", attach="zip", weight=2),
    Lure("onedrive", "OneDrive", "no-reply@onedrive-partage-docs.com",
         ("{collegue_prenom} {collegue_nom} a partagé un fichier avec vous",
          "Document partagé : Planning_{mois}.xlsx"),
         """{collegue_prenom} {collegue_nom} a partagé un fichier avec vous.

Planning_astreintes_{mois}.xlsx

{lien}

Ce lien expire dans 24 heures.""",
         "Ouvrir", "https://onedrive-partage-docs.com/share/{token}/login", weight=2),
    Lure("caf_spoof", "Caf", "ne-pas-repondre@caf.fr",
         ("Information importante sur vos prestations",),
         """Madame, Monsieur,

Un trop-perçu de {montant} a été constaté sur votre dossier. Pour éviter le recouvrement \
forcé, veuillez régulariser votre situation en ligne avant le {date_limite} :
{lien}

Votre Caf""",
         "https://www.caf.fr/allocataires/mon-compte/regularisation",
         "https://xn--cf-7kc.fr/regularisation/{token}", auth="spoof", weight=1),
    Lure("caf_idn", "Caf", "contact@xn--cf-7kc.fr",
         ("Vos droits ont été recalculés",),
         """Bonjour,

Vos droits ont été recalculés suite à votre dernière déclaration. Consultez le détail de vos \
paiements et confirmez votre identité :
{lien}

Votre Caf""",
         "https://www.caf.fr/allocataires/mes-paiements",
         "https://xn--cf-7kc.fr/paiements/{token}", auth="forged", weight=1),
)
