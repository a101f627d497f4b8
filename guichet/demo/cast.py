"""The demo's cast as data: the IT services company's staff, its client companies (with sites
and contacts) and its individual clients.

E-mail domains end in `.example` and phone numbers come from the ranges the French and British
regulators reserve for fiction, so that no demo contact can ever reach a real person.
"""

# ruff: noqa: E501 - one row per person reads better than wrapped rows

from dataclasses import dataclass, field

from guichet.accounts.choices import Role

PASSWORD = "demo"  # noqa: S105 - the documented demo password
STAFF_DOMAIN = "numeria-services.example"

# key, name, level, skills
TEAMS = [
    ("n1", "Support N1", 1, "accueil téléphonique, postes de travail, bureautique, comptes, mots de passe, messagerie"),
    ("n2", "Support N2", 2, "Windows, Microsoft 365, imprimantes, applications métier, sauvegardes"),
    ("n3", "Experts N3", 3, "serveurs, Active Directory, virtualisation, sécurité, scripts"),
    ("onsite", "Intervention sur site", 2, "déplacement, matériel, câblage, remplacement de pièces, installation"),
    ("network", "Réseau", 3, "switch, routeur, pare-feu, VPN, Wi-Fi, téléphonie IP, DNS/DHCP"),
]  # fmt: skip

# username, first name, last name, role, teams (the first is the main one), language
STAFF = [
    ("tech1", "Julien", "Moreau", Role.TECHNICIAN, ["n1"], "fr"),
    ("tech2", "Camille", "Lefèvre", Role.TECHNICIAN, ["n1"], "fr"),
    ("tech3", "Karim", "Benali", Role.TECHNICIAN, ["n1", "onsite"], "fr"),
    ("tech4", "Sophie", "Girard", Role.TECHNICIAN, ["n1"], "en"),
    ("tech5", "Thomas", "Roux", Role.TECHNICIAN, ["n1"], "fr"),
    ("tech6", "Élodie", "Fontaine", Role.SPECIALIST, ["n2"], "fr"),
    ("tech7", "Nicolas", "Chevalier", Role.SPECIALIST, ["n2", "network"], "fr"),
    ("tech8", "Amélie", "Dubois", Role.SPECIALIST, ["n2"], "fr"),
    ("tech9", "Laurent", "Mercier", Role.SPECIALIST, ["n3"], "fr"),
    ("tech10", "Inès", "Haddad", Role.SPECIALIST, ["n3"], "en"),
    ("tech11", "Maxime", "Garnier", Role.TECHNICIAN, ["onsite"], "fr"),
    ("tech12", "Pauline", "Robin", Role.TECHNICIAN, ["onsite"], "fr"),
    ("tech13", "Hugo", "Lambert", Role.TECHNICIAN, ["onsite"], "fr"),
    ("tech14", "Olivier", "Marchand", Role.SPECIALIST, ["network"], "fr"),
    ("tech15", "Sarah", "Cohen", Role.SPECIALIST, ["network"], "fr"),
    ("superviseur", "Nathalie", "Bertrand", Role.SUPERVISOR, ["n1", "n2", "n3", "onsite", "network"], "fr"),
    ("admin", "Philippe", "Renaud", Role.ADMIN, [], "fr"),
]  # fmt: skip


@dataclass
class Company:
    name: str
    language: str
    domain: str
    phone: str
    notes: str
    teams: list[str]
    weight: float  # share of the tickets
    sites: list[tuple[str, str]]  # name, address
    # username, first name, last name, job, site index, phone, mobile, org manager
    contacts: list[tuple[str, str, str, str, int, str, str, bool]] = field(default_factory=list)


COMPANIES = [
    Company(
        "Cabinet Durand & Associés", "fr", "cabinet-durand.example", "+33 4 65 71 10 00",
        "Cabinet d'expertise comptable, 2 sites. Contrat infogérance : GTI 4 h ouvrées.",
        ["n1", "n2", "n3", "onsite"], 0.30,
        [("Lyon Part-Dieu", "12 rue Garibaldi, 69003 Lyon"),
         ("Villeurbanne", "45 cours Émile-Zola, 69100 Villeurbanne")],
        [
            ("client1", "Claire", "Martin", "Assistante de direction", 0, "+33 4 65 71 10 12", "+33 6 39 98 10 12", False),
            ("client2", "Antoine", "Durand", "Associé gérant", 0, "+33 4 65 71 10 01", "+33 6 39 98 10 01", True),
            ("client3", "Isabelle", "Perrin", "Expert-comptable", 0, "+33 4 65 71 10 15", "", False),
            ("client4", "Mehdi", "Saidi", "Collaborateur comptable", 0, "+33 4 65 71 10 16", "", False),
            ("client5", "Valérie", "Gauthier", "Responsable paie", 1, "+33 4 65 71 10 31", "", False),
            ("client6", "François", "Bonnet", "Collaborateur comptable", 1, "+33 4 65 71 10 32", "", False),
            ("client7", "Léa", "Chauvin", "Apprentie", 1, "+33 4 65 71 10 33", "", False),
            ("client8", "Patrick", "Muller", "Expert-comptable", 1, "+33 4 65 71 10 34", "+33 6 39 98 10 34", False),
        ],
    ),
    Company(
        "Transports Leroy", "fr", "transports-leroy.example", "+33 2 61 91 20 00",
        "Transport et logistique, siège et 2 agences. Contrat : GTR 8 h, astreinte entrepôt.",
        ["n1", "n2", "n3", "onsite", "network"], 0.35,
        [("Siège – Rouen", "8 quai de Boisguilbert, 76000 Rouen"),
         ("Entrepôt du Havre", "Zone portuaire, 120 route du Môle Central, 76600 Le Havre"),
         ("Agence de Caen", "3 rue de la Gare, 14000 Caen")],
        [
            ("client9", "Stéphane", "Leroy", "Directeur général", 0, "+33 2 61 91 20 01", "+33 6 39 98 20 01", True),
            ("client10", "Nadia", "Benkirane", "Responsable administrative", 0, "+33 2 61 91 20 05", "", True),
            ("client11", "Julie", "Caron", "Comptable", 0, "+33 2 61 91 20 11", "", False),
            ("client12", "Marc", "Lemaire", "Exploitation", 0, "+33 2 61 91 20 14", "+33 6 39 98 20 14", False),
            ("client13", "Sébastien", "Hamel", "Chef d'entrepôt", 1, "+33 2 61 91 20 41", "+33 6 39 98 20 41", False),
            ("client14", "Aurélie", "Lecoq", "Préparatrice de commandes", 1, "+33 2 61 91 20 42", "", False),
            ("client15", "David", "Vasseur", "Cariste", 1, "", "+33 6 39 98 20 43", False),
            ("client16", "Céline", "Duval", "Responsable d'agence", 2, "+33 2 61 91 20 61", "+33 6 39 98 20 61", False),
            ("client17", "Romain", "Lebrun", "Affréteur", 2, "+33 2 61 91 20 62", "", False),
            ("client18", "Manon", "Guérin", "Assistante d'exploitation", 2, "+33 2 61 91 20 63", "", False),
        ],
    ),
    Company(
        "Northwind Analytics Ltd", "en", "northwind-analytics.example", "+44 20 7946 0100",
        "UK data consultancy with a Paris office. English-speaking. Contract: 4-hour response.",
        ["n1", "n2", "n3", "onsite", "network"], 0.20,
        [("Paris office", "18 avenue de l'Opéra, 75001 Paris"),
         ("London office", "30 Great Sutton Street, London EC1V 0DU")],
        [
            ("client19", "Oliver", "Bennett", "Managing director", 1, "+44 20 7946 0101", "+44 7700 900101", True),
            ("client20", "Hannah", "Clarke", "Office manager", 0, "+33 1 99 00 30 02", "+33 6 39 98 30 02", False),
            ("client21", "Raj", "Patel", "Data engineer", 0, "+33 1 99 00 30 03", "", False),
            ("client22", "Grace", "Thompson", "Analyst", 0, "+33 1 99 00 30 04", "", False),
            ("client23", "Daniel", "Hughes", "Consultant", 1, "+44 20 7946 0105", "+44 7700 900105", False),
            ("client24", "Chloe", "Evans", "Finance officer", 1, "+44 20 7946 0106", "", False),
        ],
    ),
]  # fmt: skip

# username, first name, last name, address, phone, mobile, language
INDIVIDUALS = [
    ("particulier1", "Jeanne", "Morel", "5 rue des Tilleuls, 69005 Lyon", "+33 4 65 71 40 01", "+33 6 39 98 40 01", "fr"),
    ("particulier2", "Bernard", "Petit", "22 avenue Jean-Jaurès, 69007 Lyon", "+33 4 65 71 40 02", "", "fr"),
    ("particulier3", "Lucie", "Faure", "9 chemin du Bois, 69130 Écully", "", "+33 6 39 98 40 03", "fr"),
    ("particulier4", "Gérard", "Blanc", "14 rue Victor-Hugo, 69002 Lyon", "+33 4 65 71 40 04", "", "fr"),
    ("particulier5", "Yasmine", "Belkacem", "3 place Bellecour, 69002 Lyon", "", "+33 6 39 98 40 05", "fr"),
    ("particulier6", "Robert", "Fournier", "71 route de Vienne, 69008 Lyon", "+33 4 65 71 40 06", "", "fr"),
    ("particulier7", "Emily", "Carter", "40 quai Saint-Vincent, 69001 Lyon", "", "+33 6 39 98 40 07", "en"),
    ("particulier8", "Monique", "Roche", "6 impasse des Lilas, 69300 Caluire", "+33 4 65 71 40 08", "", "fr"),
    ("particulier9", "Alexandre", "Noël", "27 rue Paul-Bert, 69003 Lyon", "", "+33 6 39 98 40 09", "fr"),
    ("particulier10", "James", "O'Brien", "11 montée du Chemin-Neuf, 69005 Lyon", "", "+33 6 39 98 40 10", "en"),
    ("particulier11", "Sylvie", "Marchal", "58 boulevard des Belges, 69006 Lyon", "+33 4 65 71 40 11", "", "fr"),
    ("particulier12", "Henri", "Colin", "2 allée des Cerisiers, 69160 Tassin", "+33 4 65 71 40 12", "", "fr"),
]  # fmt: skip
INDIVIDUAL_TEAMS = ["n1", "n2", "onsite"]
INDIVIDUALS_WEIGHT = 0.15
