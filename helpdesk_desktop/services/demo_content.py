"""The words of the demo workspace: people, companies and the customer requests they send.

Pure data, kept apart from :mod:`helpdesk_desktop.services.demo` (which writes it) so that
either can be read on its own.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from helpdesk_desktop.domain.enums import AccessScope, Category
from helpdesk_desktop.domain.i18n import N_

# (name, email, team, role, service seat, delete, account access, super admin, scope)
AGENTS: tuple[tuple[str, str, str, str, bool, bool, bool, bool, AccessScope], ...] = (
    ("Claire Dubois", "admin@example.com", "Support", "Super admin",
     True, True, True, True, AccessScope.ALL),
    ("Thomas Bernard", "lead@example.com", "Support", "Support lead",
     True, True, False, False, AccessScope.ALL),
    ("Emma Wilson", "agent@example.com", "Support", "Support agent",
     True, False, False, False, AccessScope.TEAM),
    ("Lucas Martin", "sales@example.com", "Sales", "Account executive",
     False, False, False, False, AccessScope.OWNED),
    ("Chloé Lefèvre", "chloe.lefevre@example.com", "Support", "Support agent",
     True, False, False, False, AccessScope.TEAM),
    ("James O'Connor", "james.oconnor@example.com", "Support", "Support agent",
     True, False, False, False, AccessScope.TEAM),
    ("Sophie Moreau", "sophie.moreau@example.com", "Support", "Support agent",
     True, False, False, False, AccessScope.TEAM),
    ("Oliver Bennett", "oliver.bennett@example.com", "Support", "Support agent",
     True, False, False, False, AccessScope.TEAM),
)

# Named in the language of whoever builds the demo (translated when the workspace is made).
PIPELINES: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    (N_("Support Pipeline"), ((N_("New"), False), (N_("Waiting on contact"), False),
                              (N_("Waiting on us"), False), (N_("Closed"), True))),
    (N_("Escalations"), ((N_("Triage"), False), (N_("In progress"), False),
                         (N_("Resolved"), True))),
    (N_("Onboarding"), ((N_("Kick-off"), False), (N_("Setup"), False), (N_("Training"), False),
                        (N_("Live"), True))),
)

FIRST_NAMES = {
    "fr": ("Marie", "Jean", "Pierre", "Camille", "Julien", "Nathalie", "Sébastien", "Isabelle",
           "Nicolas", "Aurélie", "Mathieu", "Céline", "François", "Hélène", "Antoine", "Élodie",
           "Guillaume", "Manon", "Benoît", "Amélie", "Léa", "Hugo", "Chloé", "Théo"),
    "en": ("James", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Laura",
           "Matthew", "Hannah", "Christopher", "Olivia", "Andrew", "Sophie", "Ryan", "Charlotte",
           "Thomas", "Grace", "Benjamin", "Amelia", "Harry", "Isla", "George", "Freya"),
}
LAST_NAMES = {
    "fr": ("Dupont", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
           "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
           "Fournier", "Morel", "Girard", "André", "Mercier", "Blanc", "Faure", "Rousseau",
           "Chevalier", "Lambert", "Bonnet", "Gauthier"),
    "en": ("Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
           "Thomas", "Roberts", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards",
           "Green", "Hall", "Wood", "Harris", "Clarke", "Patel", "Murphy", "O'Brien", "Campbell",
           "Mitchell", "Turner", "Cooper"),
}
FREE_MAIL = {"fr": ("orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"),
             "en": ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com")}

COMPANIES = {
    "fr": (("Boulangerie Dupont", "boulangerie-dupont.fr"),
           ("Atelier Moreau", "atelier-moreau.fr"),
           ("Cabinet Lefèvre & Associés", "cabinet-lefevre.fr"),
           ("Librairie du Parc", "librairieduparc.fr"),
           ("Transports Girard", "transports-girard.fr"),
           ("Pharmacie Centrale de Lyon", "pharmacie-centrale-lyon.fr"),
           ("Hôtel Beau Rivage", "hotel-beaurivage.fr"),
           ("Domaine des Trois Chênes", "troischenes.fr"),
           ("Studio Lumière", "studio-lumiere.fr"),
           ("Garage Fournier", "garage-fournier.fr"),
           ("Fromagerie Rousseau", "fromagerie-rousseau.fr"),
           ("Menuiserie Chevalier", "menuiserie-chevalier.fr"),
           ("Horizon Voyages", "horizon-voyages.fr"),
           ("Clinique Vétérinaire des Alpes", "veto-alpes.fr")),
    "en": (("Northwind Traders", "northwindtraders.co.uk"),
           ("Brightside Dental", "brightsidedental.co.uk"),
           ("Harbour & Pine Coffee", "harbourpine.com"),
           ("Maple Leaf Logistics", "mapleleaflogistics.com"),
           ("Greenfield Academy", "greenfield-academy.org.uk"),
           ("Riverside Books", "riversidebooks.co.uk"),
           ("Atlas Fitness", "atlasfitness.com"),
           ("Bluebell Florists", "bluebellflorists.co.uk"),
           ("Kestrel Engineering", "kestrel-eng.com"),
           ("Oakridge Veterinary", "oakridgevets.com"),
           ("Summit Outdoor Gear", "summitoutdoor.com"),
           ("Lighthouse Legal", "lighthouselegal.co.uk")),
}
DEAL_STAGES = ("Qualification", "Proposal", "Negotiation", "Closed won", "Closed lost")
DEAL_KINDS = ("renewal", "upgrade to Business", "multi-site rollout", "annual contract",
              "payment terminals")


GREETING = {"fr": "Bonjour {first},", "en": "Hi {first},"}
SIGN_OFF = {"fr": "Bien cordialement,\n{agent}\nService client", "en":
            "Best regards,\n{agent}\nCustomer support"}
CUSTOMER_SIGN_OFF = {"fr": "Merci d'avance,\n{customer}", "en": "Thanks,\n{customer}"}
QUOTE_HEADER = {"fr": "Le {date}, {author} a écrit :", "en": "On {date}, {author} wrote:"}
HELP_LINK = "https://help.example.com/articles/{slug}"


@dataclass(frozen=True)
class Request:
    """One kind of customer request and how the conversation about it goes."""

    language: str
    category: Category
    slug: str
    subject: str
    first: str  # the customer's first e-mail
    reply: str  # the agent's answer
    steps: tuple[str, ...]  # shown as a list in the answer
    followup: str  # the customer's answer to the agent
    closing: str  # the agent's last message
    note: str  # an internal note


REQUESTS: tuple[Request, ...] = (
    Request("en", Category.PRODUCT_ISSUE, "login-problems", "Cannot log in to my account",
            "Since this morning I cannot log in: the page just reloads after I enter my "
            "password. I have tried two browsers. This is blocking our whole team ({ref}).",
            "Sorry for the trouble. This usually comes from an old session cookie.",
            ("Sign out on every device", "Clear the cookies for app.example.com",
             "Sign in again with your e-mail address"),
            "That worked on my laptop but my colleague still has the problem on her iPad.",
            "Glad it works now. I have reset the sessions of your colleague's account as well; "
            "she can sign in again. I am closing this ticket, just reply if it comes back.",
            "Customer is on SSO? Checked the logs: repeated 302 on /login, stale cookie."),
    Request("en", Category.BILLING_ISSUE, "billing-duplicate", "Invoice {ref} charged twice",
            "Our card was charged twice for invoice {ref} this month. Could you refund the "
            "duplicate payment? The bank statement is attached.",
            "You are right, the payment was taken twice because of a timeout at the bank.",
            ("The duplicate payment has been refunded today",
             "It takes 3 to 5 working days to appear on your statement"),
            "Thank you. Will I get a credit note for our accounts?",
            "Yes: the credit note is now available in Settings > Billing. Have a good day!",
            "Refund issued in the payment console; ask finance for the credit note."),
    Request("en", Category.BILLING_ISSUE, "vat-invoices", "Request for a VAT invoice",
            "Hello, our accountant needs invoices showing our VAT number. Where can I add it?",
            "You can add your VAT number yourself; new invoices will show it.",
            ("Open Settings > Billing", "Fill in the VAT number field", "Click Save"),
            "Done. Can you also reissue last month's invoice ({ref}) with the number?",
            "I have reissued invoice {ref} with your VAT number; you will find it in your "
            "billing history.",
            "Reissue needs the finance tool; done for {ref}."),
    Request("en", Category.FEATURE_REQUEST, "exporting-data", "Export of reports to CSV?",
            "Is there a way to export the monthly sales report to CSV? We would like to open "
            "it in Excel.",
            "Not yet in the report itself, but there is a workaround.",
            ("Open the report", "Choose Share > Download data", "Pick the CSV format"),
            "That is helpful, thank you. A proper export button would still be great.",
            "I have passed your request on to our product team. Thanks for the suggestion!",
            "Third request for CSV export this month, added to the feature board."),
    Request("en", Category.PRODUCT_ISSUE, "mobile-app-crash", "Mobile app crashes on startup",
            "The app crashes as soon as I open it since the last update (Android 14, Pixel 7). "
            "I have attached a screenshot.",
            "Thanks for the report and the screenshot. Version 5.2.1 fixes this crash.",
            ("Open the Play Store", "Update the app to 5.2.1", "Restart your phone"),
            "Updated, it opens again. Thanks for the quick answer!",
            "Great news. I am closing the ticket, have a nice day.",
            "Known crash in 5.2.0 on Android 14, fixed in 5.2.1."),
    Request("en", Category.GENERAL_INQUIRY, "plans", "Question about upgrading to Business",
            "We are growing and are thinking about the Business plan. What happens to our data "
            "and our current invoices if we upgrade mid-month?",
            "Nothing is lost when you upgrade: your data stays where it is.",
            ("The upgrade is immediate", "You only pay the difference for the current month",
             "Your invoices stay available in the billing history"),
            "Perfect. Could someone from sales call me about a yearly contract?",
            "I have asked our sales team to contact you this week.",
            "Hot lead, forwarded to sales."),
    Request("en", Category.PRODUCT_ISSUE, "card-terminal", "Card payments declined at the terminal",
            "URGENT: all card payments are declined on our terminal since 10am. Cash only at the "
            "moment, Saturday is our busiest day!",
            "I understand the urgency. The terminal lost its connection to the payment network.",
            ("Restart the terminal (hold the power key 10 seconds)",
             "Check that the Wi-Fi icon is green", "Try a test payment of 1.00"),
            "Restarted it twice, still declined.",
            "We pushed a new configuration to your terminal remotely; payments go through "
            "again. Sorry for the disruption.",
            "Escalated to payments team: terminal certificate expired."),
    Request("en", Category.BILLING_ISSUE, "refunds", "Refund for order {ref}",
            "I cancelled order {ref} within the trial period but was still charged. Please "
            "refund it.",
            "I checked your account: the cancellation was recorded after the renewal date.",
            ("As a goodwill gesture we have refunded order {ref}",
             "The refund will appear within 5 working days"),
            "Thank you very much, that is very kind.",
            "You are welcome! Closing this ticket.",
            "Goodwill refund approved by Thomas."),
    Request("en", Category.FEATURE_REQUEST, "dark-mode", "Dark mode for the dashboard",
            "Our night shift would love a dark mode for the dashboard. Is it planned?",
            "Thanks for the idea! Dark mode is on our roadmap.",
            ("You can vote for it on our feedback board",
             "Meanwhile the browser's reader mode works for reports"),
            "Voted. Any idea when it will ship?",
            "We do not have a date yet, but I have added your vote and comments to the request.",
            "Roadmap: dark mode planned for Q2."),
    Request("en", Category.GENERAL_INQUIRY, "adding-users", "How do I add a new user?",
            "We have a new colleague starting on Monday. How do I give her access?",
            "You can invite her in a minute.",
            ("Open Settings > Users", "Click Invite user", "Enter her e-mail and choose a role"),
            "Found it, invitation sent. Thanks!",
            "Perfect, welcome to your new colleague!",
            "Customer is an admin, no seat limit issue."),
    Request("en", Category.PRODUCT_ISSUE, "email-deliverability",
            "Our customers' receipts go to spam",
            "Several customers told us that the receipts sent by your system end up in their "
            "spam folder. Can you check?",
            "This happens when your domain does not authorise us to send on its behalf.",
            ("Add our SPF include to your DNS", "Publish the DKIM key shown in Settings > E-mail",
             "Wait a few hours and send a test receipt"),
            "Our IT provider added the records, can you check if they are correct?",
            "Both records are correct now; receipts should land in the inbox again.",
            "DNS looks right after their change, DKIM selector s1."),
    Request("en", Category.PRODUCT_ISSUE, "stock-sync", "Stock levels out of sync with the shop",
            "The online shop shows items in stock that we sold out yesterday. Order {ref} was "
            "placed for an item we do not have.",
            "The stock synchronisation stopped after your last product import.",
            ("We restarted the synchronisation", "Stock levels are now up to date",
             "Please check order {ref} and contact the customer if needed"),
            "Thanks. How can we avoid this next time?",
            "Use the Import with sync option when importing products. I have enabled it by "
            "default for your account.",
            "Sync job stuck since import #5521, restarted."),
    Request("fr", Category.PRODUCT_ISSUE, "login-problems", "Impossible de me connecter",
            "Bonjour, depuis ce matin je n'arrive plus à me connecter, la page se recharge "
            "en boucle. Toute l'équipe est bloquée ({ref}).",
            "Désolée pour ce désagrément. Cela vient en général d'un ancien cookie de session.",
            ("Déconnectez-vous sur tous vos appareils", "Effacez les cookies de app.example.com",
             "Reconnectez-vous avec votre adresse e-mail"),
            "Cela fonctionne sur mon ordinateur, mais pas encore sur la tablette de ma collègue.",
            "J'ai réinitialisé les sessions de votre collègue, elle peut se reconnecter. "
            "Je clos la demande ; n'hésitez pas à répondre si le problème revient.",
            "Pas de SSO chez ce client, cookie périmé d'après les journaux."),
    Request("fr", Category.BILLING_ISSUE, "billing-duplicate", "Facture {ref} payée deux fois",
            "Bonjour, notre carte a été débitée deux fois pour la facture {ref}. Pouvez-vous "
            "rembourser le doublon ? Je joins le relevé bancaire.",
            "Vous avez raison, le paiement a été prélevé deux fois à cause d'une erreur de la "
            "banque.",
            ("Le doublon a été remboursé aujourd'hui",
             "Comptez 3 à 5 jours ouvrés avant de le voir sur votre relevé"),
            "Merci. Aurons-nous un avoir pour notre comptabilité ?",
            "Oui, l'avoir est disponible dans Paramètres > Facturation. Bonne journée !",
            "Remboursement fait dans la console de paiement."),
    Request("fr", Category.GENERAL_INQUIRY, "plans", "Demande de devis pour l'offre Business",
            "Bonjour, nous ouvrons un deuxième magasin. Pouvez-vous nous faire un devis pour "
            "l'offre Business avec deux terminaux ?",
            "Avec plaisir ! L'offre Business couvre plusieurs points de vente.",
            ("Deux terminaux inclus", "Tableau de bord commun aux deux magasins",
             "Remise de 10 % en engagement annuel"),
            "Très bien. Pouvez-vous m'envoyer le devis détaillé ?",
            "Le devis vous a été envoyé par notre équipe commerciale ce matin.",
            "Transmis à Lucas (commercial)."),
    Request("fr", Category.PRODUCT_ISSUE, "mobile-app-crash", "L'application plante au démarrage",
            "L'application se ferme dès que je l'ouvre depuis la dernière mise à jour "
            "(iPhone 13). Capture d'écran en pièce jointe.",
            "Merci pour la capture. La version 5.2.1 corrige ce plantage.",
            ("Ouvrez l'App Store", "Mettez à jour l'application en 5.2.1",
             "Redémarrez votre téléphone"),
            "C'est réglé, merci pour la réponse rapide !",
            "Parfait, je clos la demande. Bonne journée !",
            "Plantage connu en 5.2.0, corrigé en 5.2.1."),
    Request("fr", Category.PRODUCT_ISSUE, "card-terminal", "Terminal de paiement hors service",
            "URGENT : notre terminal refuse toutes les cartes depuis 10 h. Nous ne prenons que "
            "les espèces, et c'est samedi !",
            "Je comprends l'urgence. Le terminal a perdu sa connexion au réseau de paiement.",
            ("Redémarrez le terminal (appui long de 10 secondes)",
             "Vérifiez que l'icône Wi-Fi est verte", "Faites un paiement test de 1,00 €"),
            "Redémarré deux fois, toujours refusé.",
            "Nous avons envoyé une nouvelle configuration à distance ; les paiements passent "
            "de nouveau. Toutes nos excuses.",
            "Escaladé à l'équipe paiements : certificat expiré."),
    Request("fr", Category.BILLING_ISSUE, "billing-address",
            "Changement d'adresse de facturation",
            "Bonjour, nous avons déménagé. Comment modifier l'adresse sur nos factures ?",
            "Vous pouvez la modifier vous-même en quelques clics.",
            ("Ouvrez Paramètres > Facturation", "Modifiez l'adresse", "Enregistrez"),
            "C'est fait. Pouvez-vous corriger aussi la facture {ref} ?",
            "La facture {ref} a été réémise avec la nouvelle adresse.",
            "Réémission faite dans l'outil de facturation."),
    Request("fr", Category.FEATURE_REQUEST, "exporting-data",
            "Suggestion : export PDF des rapports",
            "Ce serait pratique de pouvoir exporter les rapports mensuels en PDF pour notre "
            "expert-comptable.",
            "Merci pour la suggestion ! En attendant, il existe une astuce.",
            ("Ouvrez le rapport", "Choisissez Imprimer", "Sélectionnez Enregistrer en PDF"),
            "Merci, ça dépannera. Un vrai bouton serait mieux !",
            "J'ai transmis votre demande à l'équipe produit.",
            "Ajouté au tableau des suggestions (export PDF)."),
    Request("fr", Category.PRODUCT_ISSUE, "stock-sync", "Problème de synchronisation du stock",
            "La boutique en ligne affiche des articles en stock alors qu'ils sont épuisés. La "
            "commande {ref} porte sur un article que nous n'avons plus.",
            "La synchronisation du stock s'est arrêtée après votre dernier import.",
            ("Nous avons relancé la synchronisation", "Les stocks sont à jour",
             "Vérifiez la commande {ref} et prévenez le client si besoin"),
            "Merci. Comment éviter cela à l'avenir ?",
            "Utilisez l'option « Importer avec synchronisation » ; je l'ai activée par défaut "
            "sur votre compte.",
            "Tâche de synchro bloquée depuis l'import, relancée."),
    Request("fr", Category.GENERAL_INQUIRY, "adding-users", "Comment ajouter un collaborateur ?",
            "Une nouvelle collaboratrice arrive lundi. Comment lui donner accès ?",
            "Vous pouvez l'inviter en une minute.",
            ("Ouvrez Paramètres > Utilisateurs", "Cliquez sur Inviter",
             "Saisissez son e-mail et choisissez un rôle"),
            "Invitation envoyée, merci !",
            "Parfait, bienvenue à votre collaboratrice !",
            "Client administrateur, pas de limite de sièges."),
    Request("fr", Category.BILLING_ISSUE, "refunds", "Remboursement de la commande {ref}",
            "J'ai annulé la commande {ref} pendant la période d'essai mais j'ai été débité. "
            "Merci de me rembourser.",
            "J'ai vérifié : l'annulation a été enregistrée après la date de renouvellement.",
            ("À titre commercial, nous avons remboursé la commande {ref}",
             "Le remboursement apparaîtra sous 5 jours ouvrés"),
            "Merci beaucoup, c'est très aimable.",
            "Avec plaisir ! Je clos la demande.",
            "Geste commercial validé par Thomas."),
)

SPAM: tuple[tuple[str, str, str, str], ...] = (
    # (sender name, sender e-mail, subject, body)
    ("SEO Experts", "growth@seo-rank-boost.biz", "Boost your Google ranking today!!!",
     "Dear website owner, we guarantee first page on Google in 7 days. Reply YES now."),
    ("Prize Department", "winner@lucky-draw-intl.top", "Congratulations, you won an iPhone",
     "You have been selected! Click the link to claim your prize before midnight."),
    ("Crypto Partners", "invest@crypto-gains.click", "Partenariat exclusif crypto",
     "Doublez votre capital en 30 jours grâce à notre robot de trading."),
    ("Mailbox Admin", "admin@mailbox-verify.work", "URGENT: verify your mailbox",
     "Your mailbox will be closed in 24 hours. Verify your password here."),
    ("Luxury Deals", "sales@cheap-watches.shop", "Replica watches -80%",
     "Best replica watches, free shipping worldwide."),
)

CHAT_LINES = {
    "en": (("Hi, is anyone there? Quick question about delivery times.",
            "Hi! Yes, standard delivery is 2 to 3 working days."),
           ("Hello, can I change the e-mail address of my account?",
            "Sure, you can change it in Settings > Profile."),
           ("Do you have a discount for associations?",
            "Yes, 20% on every plan. I will send you the form by e-mail.")),
    "fr": (("Bonjour, quels sont vos délais de livraison ?",
            "Bonjour ! Comptez 2 à 3 jours ouvrés en livraison standard."),
           ("Bonjour, puis-je changer l'adresse e-mail de mon compte ?",
            "Bien sûr, dans Paramètres > Profil."),
           ("Avez-vous une réduction pour les associations ?",
            "Oui, 20 % sur toutes les offres. Je vous envoie le formulaire par e-mail.")),
}



def _png_1x1() -> bytes:
    """A valid 1x1 blue PNG, built with its real checksums."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1e\x6e\xd2")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


# Small real files: a 1x1 PNG, a one-page PDF, a CSV and a log.
TINY_PNG = _png_1x1()
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
ATTACHMENTS: tuple[tuple[str, str, bytes], ...] = (
    ("screenshot.png", "image/png", TINY_PNG),
    ("bank-statement.pdf", "application/pdf", TINY_PDF),
    ("orders.csv", "text/csv", (b"order,date,amount\n10452,2026-10-02,49.90\n10453,2026-10-02,"
                                b"12.00\n")),
    ("app.log", "text/plain", (b"2026-10-02 09:12:01 ERROR sync: timeout after 30s\n"
                               b"2026-10-02 09:12:31 ERROR sync: timeout after 30s\n")),
)
