"""Hand-written test messages in the style of mail from usagers and families to a social worker.

None of these sentences is in the training data (accalmie/data/hostility/examples_*.tsv).
Each case: (expected grade or None, text). Hard negatives come first: what social workers read
every day and must not be warned about.
"""

from __future__ import annotations

# --- French: must NOT be flagged ----------------------------------------------------------
FR_NOT_HOSTILE = [
    # firm complaints
    "Je suis extrêmement déçu par votre service. Cela fait deux mois que j'attends une réponse "
    "et je vais écrire au directeur si rien ne bouge.",
    "Votre décision est injuste et je la contesterai devant le tribunal administratif.",
    "Je vous demande pour la dernière fois de me transmettre la copie de mon dossier, "
    "comme la loi m'y autorise.",
    "C'est honteux de laisser une mère seule avec trois enfants sans chauffage en plein hiver.",
    "Je ne suis pas satisfaite de l'accueil que j'ai reçu hier, la personne au guichet a été "
    "très sèche avec moi.",
    "Je vais saisir le Défenseur des droits et mon avocat, je vous préviens par courtoisie.",
    # despair, suicidal distress
    "Je n'en peux plus, je suis à bout, je ne dors plus depuis des semaines.",
    "Je crois que je vais craquer. Tout s'écroule, je n'ai plus la force de me battre.",
    "Parfois j'ai envie d'en finir, je ne vois pas comment m'en sortir avec toutes ces dettes.",
    "Je me sens nulle, je n'arrive même plus à m'occuper de mes enfants.",
    # child-at-risk reports with the vocabulary of violence
    "Information préoccupante : l'enfant a été frappé par son beau-père, il présente des "
    "ecchymoses au visage.",
    "Signalement : menaces de mort du père envers la mère, en présence des enfants, hier soir.",
    "La mère rapporte que le père a menacé de tuer toute la famille et de mettre le feu à "
    "l'appartement.",
    "Selon l'enseignante, Léo dit que son père le tape avec une ceinture et le traite de "
    "bon à rien.",
    "Le jeune dit que son frère lui a dit « je vais te tuer » en le menaçant avec un couteau.",
    # a usager quoting an insult or a threat received
    "Il m'a traitée de salope devant tout l'immeuble.",
    "Mon voisin m'a dit « je sais où tu habites, je vais te faire la peau », j'ai peur.",
    "Au travail mon chef me traite d'incapable tous les jours, je n'en peux plus.",
    "Ma fille reçoit des messages disant qu'elle est une grosse vache, elle ne veut plus sortir.",
    "Les jeunes du quartier crient « sale arabe » à mon fils quand il rentre de l'école.",
    # counter-speech
    "Traiter une femme de pute, c'est inacceptable, j'ai dit à mon fils de ne plus jamais "
    "parler comme ça.",
    "Les insultes racistes que ma fille subit au collège doivent cesser.",
    "On n'a pas le droit d'appeler quelqu'un « pédé », ce mot blesse.",
    # negation
    "Je ne vous traite pas de menteuse, mais je n'ai jamais reçu le courrier.",
    "Je ne dis pas que vous êtes incompétente, je dis que le dossier est bloqué.",
    "Je ne vous menace pas, je vous informe que je vais faire un recours.",
    # neutral mentions of groups
    "Les familles roms du terrain de la Garenne n'ont plus d'accès à l'eau.",
    "Nous accueillons une famille musulmane qui demande des repas sans porc à la cantine.",
    "Il est noir, il a 16 ans et il est arrivé seul en France le mois dernier.",
    "Ce jeune homosexuel a été mis à la porte par ses parents.",
    # ordinary mail with innocent lookalikes
    "Je viendrai vous voir à la permanence de jeudi, à la sortie de mon travail.",
    "Vous allez voir, tout va s'arranger, merci pour votre aide.",
    "Je sais où se trouve la MDS, pas besoin de m'envoyer le plan.",
    "Je connais vos horaires, je passerai demain matin.",
    "Vous allez recevoir mon avis d'imposition par courrier cette semaine.",
    "Merci d'avance, bonne journée à vous.",
    "Je suis incapable de payer le loyer ce mois-ci, pouvez-vous m'aider ?",
    "Il faut sortir les ordures ménagères le mardi dans notre immeuble.",
]

# --- French: must be flagged, with the grade expected -------------------------------------
FR_HOSTILE = [
    ("threat", "Je sais où vous habitez, madame."),
    ("threat", "Vous allez le payer très cher."),
    ("threat", "Je vais venir vous voir à la sortie, on va discuter."),
    ("threat", "Vous allez voir ce qui va se passer si vous ne rendez pas mes enfants."),
    ("threat", "Je connais vos enfants, faites attention."),
    ("threat", "Tu vas me le payer, sale menteuse."),
    ("threat", "Je vous attendrai devant chez vous s'il le faut."),
    ("threat", "Si ma fille est placée, je te tue."),
    ("threat", "Vous ne savez pas à qui vous avez affaire."),
    ("threat", "Ça va très mal finir pour vous."),
    ("threat", "Je vais tout brûler à la MDS."),
    ("threat", "Vous êtes prévenue, c'est mon dernier avertissement."),
    ("threat", "Ce serait dommage qu'il arrive quelque chose à votre fille."),
    ("threat", "Vous regretterez d'avoir écrit ce rapport."),
    ("insult", "Vous êtes une incompétente et une menteuse."),
    ("insult", "Espèce de connasse, rendez-moi mes enfants."),
    ("insult", "Tu n'es qu'une sale pute qui vole les enfants."),
    ("insult", "Ferme ta gueule."),
    ("insult", "Bande d'abrutis, vous ne comprenez rien."),
    ("insult", "Va te faire foutre avec ton rapport."),
    ("insult", "Vous êtes des ordures."),
    ("insult", "Merci pour rien, connard."),
    ("insult", "T'es vraiment une grosse conne."),
    ("insult", "Incapable que vous êtes !"),
    ("insult", "Sale gouine."),
    ("incivility", "Vous êtes payés à quoi au juste ? Vous vous foutez du monde."),
    ("incivility", "Votre service de merde ne sert à rien."),
    ("incivility", "RÉPONDEZ À MES MESSAGES, ÇA FAIT TROIS SEMAINES QUE J'ATTENDS !!!"),
    ("incivility", "Putain mais c'est pas possible, vous faites chier avec vos papiers !"),
    ("incivility", "Honte à vous, bande de bons à rien."),
]

# --- English ------------------------------------------------------------------------------
EN_NOT_HOSTILE = [
    "I am very disappointed with how my case has been handled and I will complain formally.",
    "I can't cope anymore, I haven't slept in days, please call me.",
    "Sometimes I feel like ending it all.",
    "The child disclosed that his father hit him and threatened to kill his mother.",
    "My neighbour called me a stupid bitch in front of my kids.",
    "He texted me 'I know where you live' and I am scared.",
    "I'm not calling you a liar, but I never got the letter.",
    "Calling someone a faggot is hateful and my son knows it.",
    "The Muslim family on the third floor asked for help with the rent.",
    "You'll see, everything will be fine, thank you for your help.",
    "I'll come and see you at the office on Thursday.",
    "I know where your office is, no need to send the address.",
]
EN_HOSTILE = [
    ("threat", "I know where you live."),
    ("threat", "You will pay for this."),
    ("threat", "I'll be waiting for you outside after work."),
    ("threat", "You'll see what happens if you take my kids."),
    ("threat", "I know your children and where they go to school."),
    ("threat", "This is your last warning."),
    ("insult", "You are a useless lying bitch."),
    ("insult", "Fuck you and your report."),
    ("insult", "Shut the fuck up, idiot."),
    ("incivility", "What do you even get paid for? This is fucking ridiculous bullshit."),
    ("incivility", "ANSWER YOUR PHONE, I HAVE BEEN CALLING FOR THREE WEEKS!!!"),
]
