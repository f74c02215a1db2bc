<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Help Desk Desktop</source>
            <translation>À propos de Help Desk Desktop</translation>
        </message>
        <message>
            <source>A native desktop help desk.</source>
            <translation>Un help desk natif pour le bureau.</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>Base de données</translation>
        </message>
        <message>
            <source>Log folder</source>
            <translation>Dossier du journal</translation>
        </message>
        <message>
            <source>Bundled fonts and their licences</source>
            <translation>Polices fournies et leurs licences</translation>
        </message>
    </context>
    <context>
        <name>ActivityCard</name>
        <message>
            <source>Activity</source>
            <translation>Activité</translation>
        </message>
        <message>
            <source>Activity timeline</source>
            <translation>Historique de l'activité</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Système</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>Upgrading the database to this version (after a backup). A large workspace can take a few minutes…</source>
            <translation>Mise à niveau de la base de données pour cette version (après une sauvegarde). Un grand espace de travail peut demander quelques minutes…</translation>
        </message>
        <message>
            <source>Something went wrong; the last action may not have finished. (%1) The details are in the log file %2 (Help › Show Log Folder).</source>
            <translation>Une erreur inattendue s'est produite ; la dernière action n'a peut-être pas abouti. (%1) Les détails figurent dans le journal %2 (Aide › Afficher le dossier du journal).</translation>
        </message>
        <message>
            <source>Help Desk is already open on this database but does not answer. Close it, or wait a moment and try again.</source>
            <translation>Help Desk est déjà ouvert sur cette base de données mais ne répond pas. Fermez-le, ou patientez un instant et réessayez.</translation>
        </message>
        <message>
            <source>The window could not open: %1</source>
            <translation>La fenêtre n'a pas pu s'ouvrir : %1</translation>
        </message>
    </context>
    <context>
        <name>AssociationCard</name>
        <message>
            <source>Add…</source>
            <translation>Ajouter…</translation>
        </message>
        <message>
            <source>Add to {0}</source>
            <translation>Ajouter à {0}</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <source>Remove from {0}</source>
            <translation>Retirer de {0}</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Ouvrir</translation>
        </message>
        <message>
            <source>Show details of the selected item</source>
            <translation>Afficher le détail de l'élément sélectionné</translation>
        </message>
        <message>
            <source>None</source>
            <translation>Aucun élément</translation>
        </message>
    </context>
    <context>
        <name>AssociationPicker</name>
        <message>
            <source>Type a name to search…</source>
            <translation>Tapez un nom pour chercher…</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Rechercher</translation>
        </message>
        <message>
            <source>Results</source>
            <translation>Résultats</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Ajouter</translation>
        </message>
    </context>
    <context>
        <name>Backups</name>
        <message>
            <source>Help Desk</source>
            <extracomment>``app.exec()`` returns this when the program should reopen its database (after a restore).</extracomment>
            <translation>Help Desk</translation>
        </message>
        <message>
            <source>Backing up the database…</source>
            <translation>Sauvegarde de la base de données…</translation>
        </message>
        <message>
            <source>Backed up to {0} (verified).</source>
            <translation>Sauvegarde enregistrée dans {0} (vérifiée).</translation>
        </message>
        <message>
            <source>Restore a Backup</source>
            <translation>Restaurer une sauvegarde</translation>
        </message>
        <message>
            <source>Help Desk backups (*.sqlite3);;All files (*)</source>
            <translation>Sauvegardes Help Desk (*.sqlite3);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Replace everything in the help desk with the backup “{0}”?

The current content is backed up first. Help Desk reopens afterwards; other windows on this database should be closed.</source>
            <translation>Remplacer tout le contenu du help desk par la sauvegarde « {0} » ?

Le contenu actuel est d’abord sauvegardé. Help Desk se rouvre ensuite ; fermez les autres fenêtres ouvertes sur cette base de données.</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>Restaurer</translation>
        </message>
        <message>
            <source>Restoring “{0}”…</source>
            <translation>Restauration de « {0} »…</translation>
        </message>
        <message>
            <source>The backup was restored; the previous content was saved as {0}. Help Desk now reopens.</source>
            <translation>La sauvegarde a été restaurée ; l’ancien contenu a été enregistré sous {0}. Help Desk va se rouvrir.</translation>
        </message>
    </context>
    <context>
        <name>Banner</name>
        <message>
            <source>Dismiss</source>
            <translation>Masquer</translation>
        </message>
    </context>
    <context>
        <name>BoardColumn</name>
        <message>
            <source>%1 column</source>
            <extracomment>Cards a column reads at a time as it scrolls (its first ones come with the whole board).</extracomment>
            <translation>Colonne %1</translation>
        </message>
        <message>
            <source>Drag cards to another column, or press Ctrl+Shift+Left/Right, to change status.</source>
            <translation>Faites glisser les cartes vers une autre colonne, ou appuyez sur Ctrl+Maj+Gauche/Droite, pour changer leur statut.</translation>
        </message>
    </context>
    <context>
        <name>BoardLayout</name>
        <message>
            <source>&amp;Pipeline:</source>
            <translation>&amp;Pipeline :</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
    </context>
    <context>
        <name>Card</name>
        <message>
            <source>{0} card: expand or collapse</source>
            <translation>Carte {0} : déplier ou replier</translation>
        </message>
        <message>
            <source>{0} card options</source>
            <translation>Options de la carte {0}</translation>
        </message>
        <message>
            <source>Collapse</source>
            <translation>Replier</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>Monter</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>Descendre</translation>
        </message>
        <message>
            <source>Hide card</source>
            <translation>Masquer la carte</translation>
        </message>
        <message>
            <source>Expand</source>
            <translation>Déplier</translation>
        </message>
    </context>
    <context>
        <name>CardStack</name>
        <message>
            <source>Show a hidden card</source>
            <translation>Afficher une carte masquée</translation>
        </message>
        <message>
            <source>Show “{0}”</source>
            <translation>Afficher « {0} »</translation>
        </message>
        <message numerus="yes">
            <source>%n hidden cards</source>
            <translation>
                <numerusform>%n carte masquée</numerusform>
                <numerusform>%n cartes masquées</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>&amp;Reply</source>
            <translation>&amp;Répondre</translation>
        </message>
        <message>
            <source>Reply to the customer</source>
            <translation>Répondre au client</translation>
        </message>
        <message>
            <source>Internal &amp;note</source>
            <translation>&amp;Note interne</translation>
        </message>
        <message>
            <source>Internal note, not sent to the customer</source>
            <translation>Note interne, non envoyée au client</translation>
        </message>
        <message>
            <source>Co&amp;mment</source>
            <translation>Co&amp;mmentaire</translation>
        </message>
        <message>
            <source>Internal comment; type @ to mention an agent, who is notified</source>
            <translation>Commentaire interne ; tapez @ pour mentionner un agent, qui sera prévenu</translation>
        </message>
        <message>
            <source>Composer status</source>
            <translation>État de l'éditeur</translation>
        </message>
        <message>
            <source>To</source>
            <translation>À</translation>
        </message>
        <message>
            <source>customer@example.com</source>
            <translation>client@exemple.fr</translation>
        </message>
        <message>
            <source>Cc</source>
            <translation>Cc</translation>
        </message>
        <message>
            <source>Addresses separated by commas</source>
            <translation>Adresses séparées par des virgules</translation>
        </message>
        <message>
            <source>&amp;To:</source>
            <translation>&amp;À :</translation>
        </message>
        <message>
            <source>C&amp;c:</source>
            <translation>C&amp;c :</translation>
        </message>
        <message>
            <source>Message text</source>
            <translation>Texte du message</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Envoyer</translation>
        </message>
        <message>
            <source>Send (Ctrl+Enter)</source>
            <translation>Envoyer (Ctrl+Entrée)</translation>
        </message>
        <message>
            <source>The text is too long to send.</source>
            <translation>Le texte est trop long pour être envoyé.</translation>
        </message>
        <message>
            <source>Add a recipient in To.</source>
            <translation>Ajoutez un destinataire dans À.</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Enregistrement…</translation>
        </message>
        <message>
            <source>Add comment</source>
            <translation>Ajouter le commentaire</translation>
        </message>
        <message>
            <source>Your reply goes to the customer by e-mail.</source>
            <translation>Votre réponse est envoyée au client par e-mail.</translation>
        </message>
        <message>
            <source>Signature: {0}</source>
            <translation>Signature : {0}</translation>
        </message>
        <message>
            <source>Write an internal note (only your team sees it)…</source>
            <translation>Rédigez une note interne (visible de votre équipe seulement)…</translation>
        </message>
        <message>
            <source>Only your team will see this note.</source>
            <translation>Seule votre équipe verra cette note.</translation>
        </message>
        <message>
            <source>Write a comment; type @ to mention an agent…</source>
            <translation>Rédigez un commentaire ; tapez @ pour mentionner un agent…</translation>
        </message>
        <message>
            <source>Only your team sees it; mentioned agents are notified.</source>
            <translation>Visible de votre équipe seulement ; les agents mentionnés sont prévenus.</translation>
        </message>
        <message>
            <source>Write a reply to the customer…</source>
            <translation>Rédigez une réponse au client…</translation>
        </message>
        <message>
            <source>Add note</source>
            <translation>Ajouter la note</translation>
        </message>
    </context>
    <context>
        <name>ConflictBanner</name>
        <message>
            <source>&amp;Reload</source>
            <translation>&amp;Recharger</translation>
        </message>
        <message>
            <source>Reload the ticket</source>
            <translation>Recharger le ticket</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnu</translation>
        </message>
        <message>
            <source>your value {0} vs. current value {1}</source>
            <translation>votre valeur {0}, valeur actuelle {1}</translation>
        </message>
        <message>
            <source>Someone else changed this ticket; nothing was saved.</source>
            <translation>Quelqu'un d'autre a modifié ce ticket ; rien n'a été enregistré.</translation>
        </message>
        <message>
            <source>Reload to see the current values, then make your change again if it is still needed.</source>
            <translation>Rechargez pour voir les valeurs actuelles, puis refaites votre modification si elle est toujours nécessaire.</translation>
        </message>
    </context>
    <context>
        <name>ConversationPane</name>
        <message>
            <source>Conversation</source>
            <translation>Conversation</translation>
        </message>
        <message>
            <source>Co&amp;nversation:</source>
            <translation>Co&amp;nversation :</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>Messages</translation>
        </message>
        <message numerus="yes">
            <source>%n messages</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
        <message>
            <source>from #{0}</source>
            <translation>venant du n° {0}</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(sans objet)</translation>
        </message>
        <message>
            <source>Open Link</source>
            <translation>Ouvrir le lien</translation>
        </message>
        <message>
            <source>Open this address in your browser?</source>
            <translation>Ouvrir cette adresse dans votre navigateur ?</translation>
        </message>
        <message>
            <source>Address: {0}</source>
            <translation>Adresse : {0}</translation>
        </message>
        <message>
            <source>Site: {0}</source>
            <translation>Site : {0}</translation>
        </message>
        <message>
            <source>&amp;Open in Browser</source>
            <translation>&amp;Ouvrir dans le navigateur</translation>
        </message>
    </context>
    <context>
        <name>DeskBridge</name>
        <message>
            <source>Something went wrong; nothing was changed. ({0})</source>
            <translation>Une erreur inattendue s'est produite ; rien n'a été modifié. ({0})</translation>
        </message>
    </context>
    <context>
        <name>DetailsCard</name>
        <message>
            <source>Ticket details</source>
            <translation>Détails du ticket</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Canal</translation>
        </message>
        <message>
            <source>Inbox</source>
            <translation>Boîte de réception</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Créé le</translation>
        </message>
        <message>
            <source>Last activity</source>
            <translation>Dernière activité</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Fermé le</translation>
        </message>
        <message>
            <source>No description</source>
            <translation>Aucune description</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
        <message>
            <source>Reading…</source>
            <translation>Lecture…</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>En cours…</translation>
        </message>
        <message>
            <source>Delete permanently</source>
            <translation>Supprimer définitivement</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>Delete tickets permanently</source>
            <translation>Supprimer définitivement les tickets</translation>
        </message>
        <message>
            <source>Delete tickets</source>
            <translation>Supprimer les tickets</translation>
        </message>
        <message>
            <source>Counting the tickets…</source>
            <translation>Décompte des tickets…</translation>
        </message>
        <message numerus="yes">
            <source>%n tickets</source>
            <translation>
                <numerusform>%n ticket</numerusform>
                <numerusform>%n tickets</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conversations</source>
            <translation>
                <numerusform>%n conversation</numerusform>
                <numerusform>%n conversations</numerusform>
            </translation>
        </message>
        <message>
            <source>To be erased for good: {0}, with every conversation, message and attachment. This cannot be undone.</source>
            <translation>Seront effacés définitivement : {0}, avec toutes leurs conversations, messages et pièces jointes. Cette opération est irréversible.</translation>
        </message>
        <message>
            <source>To be deleted: {0} and {1}. They stay in Recently deleted for {2} days, where they can be restored.</source>
            <translation>Seront supprimés : {0} et {1}. Ils restent {2} jours dans la corbeille, d'où ils peuvent être restaurés.</translation>
        </message>
        <message numerus="yes">
            <source>%n of the selected tickets cannot be deleted and stay as they are:</source>
            <translation>
                <numerusform>%n des tickets sélectionnés ne peut pas être supprimé et reste tel quel :</numerusform>
                <numerusform>%n des tickets sélectionnés ne peuvent pas être supprimés et restent tels quels :</numerusform>
            </translation>
        </message>
        <message>
            <source>To confirm, type the number of tickets ({0}):</source>
            <translation>Pour confirmer, tapez le nombre de tickets ({0}) :</translation>
        </message>
        <message>
            <source>Nothing can be deleted.</source>
            <translation>Rien ne peut être supprimé.</translation>
        </message>
        <message>
            <source>There is nothing to delete.</source>
            <translation>Il n'y a rien à supprimer.</translation>
        </message>
        <message>
            <source>Type {0} to confirm.</source>
            <translation>Tapez {0} pour confirmer.</translation>
        </message>
        <message>
            <source>Number</source>
            <translation>Numéro</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>Contact</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Créé le</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>Conversations</translation>
        </message>
        <message>
            <source>Primary</source>
            <translation>Principal</translation>
        </message>
        <message>
            <source>The merged ticket keeps this ticket's number and property values.</source>
            <translation>Le ticket fusionné garde le numéro et les propriétés de ce ticket.</translation>
        </message>
        <message>
            <source>No priority</source>
            <translation>Sans priorité</translation>
        </message>
        <message>
            <source>Merge</source>
            <translation>Fusionner</translation>
        </message>
        <message>
            <source>Merge ticket #{0}</source>
            <translation>Fusionner le ticket n° {0}</translation>
        </message>
        <message>
            <source>Find a ticket by number, name or words…</source>
            <translation>Chercher un ticket par numéro, nom ou mots-clés…</translation>
        </message>
        <message>
            <source>This ticket</source>
            <translation>Ce ticket</translation>
        </message>
        <message>
            <source>Other ticket</source>
            <translation>Autre ticket</translation>
        </message>
        <message>
            <source>What happens when you merge</source>
            <translation>Ce que fait la fusion</translation>
        </message>
        <message>
            <source>Merge with:</source>
            <translation>Fusionner avec :</translation>
        </message>
        <message>
            <source>No other ticket matches.</source>
            <translation>Aucun autre ticket ne correspond.</translation>
        </message>
        <message>
            <source>Choose the ticket to merge with.</source>
            <translation>Choisissez le ticket avec lequel fusionner.</translation>
        </message>
        <message>
            <source>the other ticket</source>
            <translation>l'autre ticket</translation>
        </message>
        <message>
            <source>The conversations of {s} move to {p}, each as its own thread, with every message and attachment; a switcher in the ticket view shows each thread.</source>
            <translation>Les conversations de {s} passent dans {p}, chacune dans son propre fil, avec tous leurs messages et pièces jointes ; un sélecteur dans la vue du ticket affiche chaque fil.</translation>
        </message>
        <message numerus="yes">
            <source>The %n conversations of {s} move to {p}, each as its own thread, with every message and attachment; a switcher in the ticket view shows each thread.</source>
            <translation>
                <numerusform>La conversation de {s} passe dans {p}, dans son propre fil, avec tous ses messages et pièces jointes ; un sélecteur dans la vue du ticket affiche chaque fil.</numerusform>
                <numerusform>Les %n conversations de {s} passent dans {p}, chacune dans son propre fil, avec tous leurs messages et pièces jointes ; un sélecteur dans la vue du ticket affiche chaque fil.</numerusform>
            </translation>
        </message>
        <message>
            <source>{s} is merged into {p}; {p} keeps its number.</source>
            <translation>{s} est fusionné dans {p} ; {p} garde son numéro.</translation>
        </message>
        <message>
            <source>{p} keeps its own name, description, pipeline, status, priority, category and owner; the values {s} had are kept in the history of {p}.</source>
            <translation>{p} garde ses propres nom, description, pipeline, statut, priorité, catégorie et propriétaire ; les valeurs qu'avait {s} sont conservées dans l'historique de {p}.</translation>
        </message>
        <message>
            <source>Contacts, companies, deals and followers of both tickets are combined; the older creation time is kept.</source>
            <translation>Les contacts, entreprises, affaires et abonnés des deux tickets sont réunis ; la date de création la plus ancienne est conservée.</translation>
        </message>
        <message>
            <source>Opening or searching for {s} opens {p} from then on.</source>
            <translation>Ouvrir ou rechercher {s} ouvrira désormais {p}.</translation>
        </message>
        <message>
            <source>Only a super admin can undo a merge, and only while nothing new happened in the moved conversations.</source>
            <translation>Seul un super administrateur peut annuler une fusion, et seulement tant que rien de nouveau ne s'est produit dans les conversations déplacées.</translation>
        </message>
        <message>
            <source>Move</source>
            <translation>Déplacer</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(sans objet)</translation>
        </message>
        <message>
            <source>Optional: an internal comment left on the conversation</source>
            <translation>Facultatif : un commentaire interne laissé sur la conversation</translation>
        </message>
        <message>
            <source>Con&amp;versation</source>
            <translation>Con&amp;versation</translation>
        </message>
        <message>
            <source>&amp;Inbox</source>
            <translation>&amp;Boîte de réception</translation>
        </message>
        <message>
            <source>New &amp;owner</source>
            <translation>Nouveau &amp;propriétaire</translation>
        </message>
        <message>
            <source>&amp;Pipeline</source>
            <translation>Pipe&amp;line</translation>
        </message>
        <message>
            <source>&amp;Status</source>
            <translation>&amp;Statut</translation>
        </message>
        <message>
            <source>&amp;Comment</source>
            <translation>&amp;Commentaire</translation>
        </message>
        <message>
            <source>Reading the inboxes, pipelines and users…</source>
            <translation>Lecture des boîtes de réception, des pipelines et des utilisateurs…</translation>
        </message>
        <message>
            <source>Move conversation to the help desk</source>
            <translation>Déplacer la conversation vers le help desk</translation>
        </message>
        <message>
            <source>Move conversation to an inbox</source>
            <translation>Déplacer la conversation vers une boîte de réception</translation>
        </message>
        <message>
            <source>The chosen owner could not see the ticket.</source>
            <translation>Le propriétaire choisi ne pourrait pas voir le ticket.</translation>
        </message>
        <message>
            <source>“{0}” moves from {1} to the help desk and becomes a new ticket.</source>
            <translation>« {0} » passe de {1} au help desk et devient un nouveau ticket.</translation>
        </message>
        <message>
            <source>“{0}” moves from {1} back to the help desk, on ticket #{2}.</source>
            <translation>« {0} » revient de {1} au help desk, sur le ticket n° {2}.</translation>
        </message>
        <message>
            <source>“{0}” moves from the help desk to {3}. Ticket #{2} stays in the help desk with the pipeline and status chosen below.</source>
            <translation>« {0} » passe du help desk à {3}. Le ticket n° {2} reste dans le help desk avec le pipeline et le statut choisis ci-dessous.</translation>
        </message>
        <message>
            <source>an inbox</source>
            <translation>une boîte de réception</translation>
        </message>
        <message>
            <source>The workspace has no help desk inbox.</source>
            <translation>L'espace de travail n'a pas de boîte de réception help desk.</translation>
        </message>
        <message>
            <source>The workspace has no conversations inbox to move to.</source>
            <translation>L'espace de travail n'a aucune boîte de conversations vers laquelle déplacer.</translation>
        </message>
        <message>
            <source>Choose the pipeline and status the ticket keeps in the help desk.</source>
            <translation>Choisissez le pipeline et le statut que le ticket garde dans le help desk.</translation>
        </message>
        <message>
            <source>Checking that the new owner can see it…</source>
            <translation>Vérification que le nouveau propriétaire peut le voir…</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <source>Preferences</source>
            <translation>Préférences</translation>
        </message>
        <message>
            <source>Notify me when a ticket I follow is updated</source>
            <translation>Me prévenir quand un ticket que je suis est modifié</translation>
        </message>
        <message>
            <source>Notifications appear under the bell in the tool bar and, where the system has one, as a desktop notification. Your own changes never notify you.</source>
            <translation>Les notifications apparaissent sous la cloche de la barre d'outils et, si le système le permet, comme notification du bureau. Vos propres modifications ne vous sont jamais notifiées.</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>Notifications</translation>
        </message>
        <message>
            <source>Signature</source>
            <translation>Signature</translation>
        </message>
        <message>
            <source>For example: your name and your team</source>
            <translation>Par exemple : votre nom et votre équipe</translation>
        </message>
        <message>
            <source>Added below each reply you send to a customer, after a “-- ” line. Notes and comments carry no signature.</source>
            <translation>Ajoutée sous chaque réponse envoyée à un client, après une ligne « --  ». Les notes et commentaires n'ont pas de signature.</translation>
        </message>
        <message>
            <source>&amp;Keep running in the notification area when the window is closed</source>
            <translation>&amp;Rester dans la zone de notification quand la fenêtre est fermée</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Fenêtre</translation>
        </message>
        <message>
            <source>Time zone</source>
            <translation>Fuseau horaire</translation>
        </message>
        <message>
            <source>Show &amp;times in:</source>
            <translation>Afficher les heures dans le &amp;fuseau :</translation>
        </message>
        <message>
            <source>Use this computer’s zone ({0})</source>
            <translation>Utiliser celui de cet ordinateur ({0})</translation>
        </message>
        <message>
            <source>Times in the list, the tickets and the transcripts follow it, on every computer you use.</source>
            <translation>Les heures de la liste, des tickets et des transcriptions le suivent, sur tous les ordinateurs où vous travaillez.</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Langue</translation>
        </message>
        <message>
            <source>System language ({0})</source>
            <translation>Langue du système ({0})</translation>
        </message>
        <message>
            <source>&amp;Interface language:</source>
            <translation>Langue de l'&amp;interface :</translation>
        </message>
        <message>
            <source>A new language takes effect the next time Help Desk starts.</source>
            <translation>Le changement de langue prendra effet au prochain démarrage de Help Desk.</translation>
        </message>
        <message>
            <source>Transcripts (whole workspace)</source>
            <translation>Transcriptions (tout l'espace de travail)</translation>
        </message>
        <message>
            <source>Choose logo…</source>
            <translation>Choisir un logo…</translation>
        </message>
        <message>
            <source>Remove logo</source>
            <translation>Retirer le logo</translation>
        </message>
        <message>
            <source>Company name:</source>
            <translation>Nom de l'entreprise :</translation>
        </message>
        <message>
            <source>Logo:</source>
            <translation>Logo :</translation>
        </message>
        <message>
            <source>No logo</source>
            <translation>Aucun logo</translation>
        </message>
        <message>
            <source>Choose logo</source>
            <translation>Choisir un logo</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg)</source>
            <translation>Images (*.png *.jpg *.jpeg)</translation>
        </message>
        <message>
            <source>The file could not be read: {0}</source>
            <translation>Le fichier n'a pas pu être lu : {0}</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Appliquer</translation>
        </message>
        <message>
            <source>Set Status</source>
            <translation>Changer le statut</translation>
        </message>
        <message>
            <source>Assign To</source>
            <translation>Assigner à</translation>
        </message>
        <message>
            <source>Set Category</source>
            <translation>Changer la catégorie</translation>
        </message>
        <message>
            <source>&amp;Owner</source>
            <translation>&amp;Propriétaire</translation>
        </message>
        <message>
            <source>&amp;Category</source>
            <translation>&amp;Catégorie</translation>
        </message>
        <message numerus="yes">
            <source>All %n tickets matching this view are selected.</source>
            <translation>
                <numerusform>Le ticket de cette vue est sélectionné.</numerusform>
                <numerusform>Les %n tickets de cette vue sont sélectionnés.</numerusform>
            </translation>
        </message>
        <message>
            <source>Ticket #{0}: “{1}”.</source>
            <translation>Ticket n° {0} : « {1} ».</translation>
        </message>
        <message numerus="yes">
            <source>%n tickets are selected.</source>
            <translation>
                <numerusform>%n ticket est sélectionné.</numerusform>
                <numerusform>%n tickets sont sélectionnés.</numerusform>
            </translation>
        </message>
        <message>
            <source>The selected tickets are not in one pipeline you can see.</source>
            <translation>Les tickets sélectionnés ne sont pas dans un même pipeline que vous pouvez voir.</translation>
        </message>
        <message>
            <source>Pipeline: {0}.</source>
            <translation>Pipeline : {0}.</translation>
        </message>
        <message>
            <source>No category</source>
            <translation>Sans catégorie</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>Choisir…</translation>
        </message>
        <message>
            <source>Nothing changes until you choose a value.</source>
            <translation>Rien ne change tant que vous n'avez pas choisi de valeur.</translation>
        </message>
        <message numerus="yes">
            <source>Up to %n tickets will change.</source>
            <translation>
                <numerusform>Jusqu'à %n ticket sera modifié.</numerusform>
                <numerusform>Jusqu'à %n tickets seront modifiés.</numerusform>
            </translation>
        </message>
        <message>
            <source>The ticket already has this value.</source>
            <translation>Le ticket a déjà cette valeur.</translation>
        </message>
        <message>
            <source>The selected tickets already have this value.</source>
            <translation>Les tickets sélectionnés ont déjà cette valeur.</translation>
        </message>
        <message numerus="yes">
            <source>%n tickets will change.</source>
            <translation>
                <numerusform>%n ticket sera modifié.</numerusform>
                <numerusform>%n tickets seront modifiés.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n of {0} tickets will change; the others already have this value.</source>
            <translation>
                <numerusform>%n ticket sur {0} sera modifié ; les autres ont déjà cette valeur.</numerusform>
                <numerusform>%n tickets sur {0} seront modifiés ; les autres ont déjà cette valeur.</numerusform>
            </translation>
        </message>
        <message>
            <source>Choose a value first.</source>
            <translation>Choisissez d'abord une valeur.</translation>
        </message>
        <message>
            <source>Nothing would change.</source>
            <translation>Rien ne changerait.</translation>
        </message>
        <message>
            <source>Confirm</source>
            <translation>Confirmer</translation>
        </message>
        <message>
            <source>Mark ticket #{0} as spam</source>
            <translation>Marquer le ticket n° {0} comme spam</translation>
        </message>
        <message>
            <source>Tick the conversations of “{0}” that are spam. Spam leaves the ticket views and can be brought back from the Spam view with “Not spam”.</source>
            <translation>Cochez les conversations de « {0} » qui sont du spam. Le spam quitte les vues de tickets ; on peut le récupérer depuis la vue Spam avec « Pas un spam ».</translation>
        </message>
        <message>
            <source>Conversation</source>
            <translation>Conversation</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>Messages</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>Commencée le</translation>
        </message>
        <message>
            <source>Last message</source>
            <translation>Dernier message</translation>
        </message>
        <message>
            <source>Tick at least one conversation.</source>
            <translation>Cochez au moins une conversation.</translation>
        </message>
        <message>
            <source>Every conversation is ticked: ticket #{0} will be deleted from the ticket views and moved to Spam, where “Not spam” brings it back.</source>
            <translation>Toutes les conversations sont cochées : le ticket n° {0} quittera les vues de tickets pour le Spam, d'où « Pas un spam » le fera revenir.</translation>
        </message>
        <message>
            <source>Moving to Spam: {0}. Ticket #{1} keeps {2}.</source>
            <translation>Vers le Spam : {0}. Le ticket n° {1} garde {2}.</translation>
        </message>
        <message numerus="yes">
            <source>the other %n conversations</source>
            <translation>
                <numerusform>l'autre conversation</numerusform>
                <numerusform>les %n autres conversations</numerusform>
            </translation>
        </message>
        <message>
            <source>Create ticket</source>
            <translation>Créer le ticket</translation>
        </message>
        <message>
            <source>Split ticket #{0}</source>
            <translation>Scinder le ticket n° {0}</translation>
        </message>
        <message>
            <source>Tick the messages that move to a new ticket. At least one message stays on ticket #{0} “{1}”.</source>
            <translation>Cochez les messages à déplacer vers un nouveau ticket. Au moins un message reste sur le ticket n° {0} « {1} ».</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Auteur</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>First line</source>
            <translation>Première ligne</translation>
        </message>
        <message>
            <source>New ticket</source>
            <translation>Nouveau ticket</translation>
        </message>
        <message>
            <source>Joined a conversation</source>
            <translation>Ajouté à une conversation</translation>
        </message>
        <message>
            <source>Already received</source>
            <translation>Déjà reçu</translation>
        </message>
        <message>
            <source>Skipped (automatic)</source>
            <translation>Ignoré (automatique)</translation>
        </message>
        <message>
            <source>Refused (kept aside)</source>
            <translation>Refusé (mis de côté)</translation>
        </message>
        <message>
            <source>Mail files (*.eml *.mbox *.mbx);;All files (*)</source>
            <translation>Fichiers de courrier (*.eml *.mbox *.mbx);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Cancelled before any message was imported.</source>
            <translation>Annulé avant l'importation du moindre message.</translation>
        </message>
        <message>
            <source>No message was found in what you chose.</source>
            <translation>Aucun message n'a été trouvé dans votre sélection.</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <comment>an import outcome and its count</comment>
            <translation>%1 : %2</translation>
        </message>
        <message numerus="yes">
            <source>Cancelled after %n messages.</source>
            <translation>
                <numerusform>Annulé après %n message.</numerusform>
                <numerusform>Annulé après %n messages.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n messages imported.</source>
            <translation>
                <numerusform>%n message importé.</numerusform>
                <numerusform>%n messages importés.</numerusform>
            </translation>
        </message>
        <message>
            <source>; </source>
            <comment>between import outcomes</comment>
            <translation> ; </translation>
        </message>
        <message>
            <source>Import Mail</source>
            <translation>Importer du courrier</translation>
        </message>
        <message>
            <source>Import .eml files, mbox mailboxes and Maildir folders. Replies join their conversations; a message already received is not stored twice; automatic replies and bounces open nothing; a message that cannot be read is kept aside with the reason.</source>
            <translation>Importez des fichiers .eml, des boîtes mbox et des dossiers Maildir. Les réponses rejoignent leur conversation ; un message déjà reçu n'est pas enregistré deux fois ; les réponses automatiques et les avis de non-remise n'ouvrent aucun ticket ; un message illisible est mis de côté avec son motif.</translation>
        </message>
        <message>
            <source>Files and folders to import</source>
            <translation>Fichiers et dossiers à importer</translation>
        </message>
        <message>
            <source>Drop .eml or .mbox files or Maildir folders here, or add them with the buttons below.</source>
            <translation>Déposez ici des fichiers .eml ou .mbox ou des dossiers Maildir, ou ajoutez-les avec les boutons ci-dessous.</translation>
        </message>
        <message>
            <source>Add &amp;Files…</source>
            <translation>Ajouter des &amp;fichiers…</translation>
        </message>
        <message>
            <source>Add F&amp;older…</source>
            <translation>Ajouter un &amp;dossier…</translation>
        </message>
        <message>
            <source>Inbox</source>
            <translation>Boîte de réception</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Message</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>Résultat</translation>
        </message>
        <message>
            <source>Ticket</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation>&amp;Importer</translation>
        </message>
        <message>
            <source>Into &amp;inbox:</source>
            <translation>Dans la &amp;boîte de réception :</translation>
        </message>
        <message>
            <source>Choose Mail Files</source>
            <translation>Choisir des fichiers de courrier</translation>
        </message>
        <message>
            <source>Choose a Mail Folder</source>
            <translation>Choisir un dossier de courrier</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Reading the mail files…</source>
            <translation>Lecture des fichiers de courrier…</translation>
        </message>
        <message>
            <source>{0} of {1} messages…</source>
            <translation>{0} messages sur {1}…</translation>
        </message>
        <message>
            <source>Cancelling after this message…</source>
            <translation>Annulation après ce message…</translation>
        </message>
        <message>
            <source>&amp;Name</source>
            <translation>&amp;Nom</translation>
        </message>
        <message>
            <source>&amp;Priority</source>
            <translation>&amp;Priorité</translation>
        </message>
        <message>
            <source>&amp;Contact</source>
            <translation>&amp;Contact</translation>
        </message>
        <message>
            <source>Pipeline: {0}</source>
            <translation>Pipeline : {0}</translation>
        </message>
        <message>
            <source>(empty message)</source>
            <translation>(message vide)</translation>
        </message>
        <message>
            <source>[internal] </source>
            <translation>[interne] </translation>
        </message>
        <message>
            <source>Only e-mail tickets can be split.</source>
            <translation>Seuls les tickets e-mail peuvent être scindés.</translation>
        </message>
        <message>
            <source>Tick at least one message to move to the new ticket.</source>
            <translation>Cochez au moins un message à déplacer vers le nouveau ticket.</translation>
        </message>
        <message>
            <source>At least one message must stay on ticket #{0}.</source>
            <translation>Au moins un message doit rester sur le ticket n° {0}.</translation>
        </message>
        <message>
            <source>Give the new ticket a name.</source>
            <translation>Donnez un nom au nouveau ticket.</translation>
        </message>
        <message>
            <source>Moving to the new ticket: {0}, with their author, time and attachments. Staying on ticket #{2}: {1}. Both tickets will link to each other.</source>
            <translation>Vers le nouveau ticket : {0}, avec leur auteur, leur heure et leurs pièces jointes. Reste sur le ticket n° {2} : {1}. Les deux tickets seront liés l'un à l'autre.</translation>
        </message>
        <message numerus="yes">
            <source>%n messages</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
        <message>
            <source>Sender Rules</source>
            <translation>Règles d'expéditeurs</translation>
        </message>
        <message>
            <source>New mail from a denied address or domain goes to Spam. An allowed address or domain is never filed as spam by these rules, and a domain rule never sends a known contact to Spam.</source>
            <translation>Le nouveau courrier d'une adresse ou d'un domaine refusé va dans Spam. Une adresse ou un domaine autorisé n'est jamais classé comme spam par ces règles, et une règle de domaine n'envoie jamais un contact connu dans Spam.</translation>
        </message>
        <message>
            <source>Address or domain</source>
            <translation>Adresse ou domaine</translation>
        </message>
        <message>
            <source>List</source>
            <translation>Liste</translation>
        </message>
        <message>
            <source>No rules: mail from every sender reaches this inbox. Type an address or a domain below, then Allow or Deny.</source>
            <translation>Aucune règle : le courrier de tous les expéditeurs arrive dans cette boîte. Saisissez une adresse ou un domaine ci-dessous, puis Autoriser ou Refuser.</translation>
        </message>
        <message>
            <source>name@example.com or example.com</source>
            <translation>nom@exemple.fr ou exemple.fr</translation>
        </message>
        <message>
            <source>&amp;Allow</source>
            <translation>&amp;Autoriser</translation>
        </message>
        <message>
            <source>&amp;Deny</source>
            <translation>&amp;Refuser</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation>&amp;Supprimer</translation>
        </message>
        <message>
            <source>&amp;Inbox:</source>
            <translation>&amp;Boîte de réception :</translation>
        </message>
        <message>
            <source>Allow</source>
            <translation>Autorisé</translation>
        </message>
        <message>
            <source>Deny</source>
            <translation>Refusé</translation>
        </message>
        <message>
            <source>Only a super admin or a user with account access changes these lists.</source>
            <translation>Seul un super administrateur ou un utilisateur ayant l'accès au compte peut modifier ces listes.</translation>
        </message>
        <message>
            <source>Move conversations to an inbox</source>
            <translation>Déplacer des conversations vers une boîte de réception</translation>
        </message>
        <message>
            <source>Optional: an internal comment left on each conversation</source>
            <translation>Facultatif : un commentaire interne laissé sur chaque conversation</translation>
        </message>
        <message numerus="yes">
            <source>The help desk conversations of %n tickets move to {0}. The tickets stay in the help desk with the pipeline and status chosen below.</source>
            <translation>
                <numerusform>Les conversations du help desk de %n ticket vont dans {0}. Le ticket reste dans le help desk avec le pipeline et le statut choisis ci-dessous.</numerusform>
                <numerusform>Les conversations du help desk de %n tickets vont dans {0}. Les tickets restent dans le help desk avec le pipeline et le statut choisis ci-dessous.</numerusform>
            </translation>
        </message>
        <message>
            <source>Reading the inboxes…</source>
            <translation>Lecture des boîtes de réception…</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
        <message>
            <source>Inbox</source>
            <translation>Boîte de réception</translation>
        </message>
        <message>
            <source>C&amp;lear filters</source>
            <translation>&amp;Effacer les filtres</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
    </context>
    <context>
        <name>FilterButton</name>
        <message>
            <source>%1: Any</source>
            <translation>%1</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <comment>filter title: chosen value or count</comment>
            <translation>%1 : %2</translation>
        </message>
    </context>
    <context>
        <name>FirstRunPage</name>
        <message>
            <source>Welcome to Help Desk</source>
            <translation>Bienvenue dans Help Desk</translation>
        </message>
        <message>
            <source>This database is empty. Create your workspace — you become its first administrator, with a help desk inbox and a default pipeline — or load the demo data to look around.</source>
            <translation>Cette base de données est vide. Créez votre espace de travail — vous en devenez le premier administrateur, avec une boîte de réception help desk et un pipeline par défaut — ou chargez les données de démonstration pour découvrir le logiciel.</translation>
        </message>
        <message>
            <source>Your name</source>
            <translation>Votre nom</translation>
        </message>
        <message>
            <source>Your e-mail address</source>
            <translation>Votre adresse e-mail</translation>
        </message>
        <message>
            <source>you@example.com</source>
            <comment>an e-mail address as an example</comment>
            <translation>vous@exemple.fr</translation>
        </message>
        <message>
            <source>Your &amp;name:</source>
            <translation>Votre &amp;nom :</translation>
        </message>
        <message>
            <source>Your &amp;e-mail:</source>
            <translation>Votre &amp;e-mail :</translation>
        </message>
        <message>
            <source>&amp;Create workspace</source>
            <translation>&amp;Créer l'espace de travail</translation>
        </message>
        <message>
            <source>Load the &amp;demo (%1 tickets)</source>
            <translation>Charger la &amp;démo (%1 tickets)</translation>
        </message>
        <message>
            <source>Demo data progress</source>
            <translation>Progression des données de démonstration</translation>
        </message>
    </context>
    <context>
        <name>InboxSettingsDialog</name>
        <message>
            <source>Other (IMAP/SMTP)</source>
            <translation>Autre (IMAP/SMTP)</translation>
        </message>
        <message>
            <source>Google accounts sign in with OAuth2 in the browser.</source>
            <translation>Les comptes Google se connectent avec OAuth2 dans le navigateur.</translation>
        </message>
        <message>
            <source>Microsoft 365 accounts sign in with OAuth2 in the browser.</source>
            <translation>Les comptes Microsoft 365 se connectent avec OAuth2 dans le navigateur.</translation>
        </message>
        <message>
            <source>Use an app password (Fastmail › Settings › Privacy &amp; Security).</source>
            <translation>Utilisez un mot de passe d'application (Fastmail › Settings › Privacy &amp; Security).</translation>
        </message>
        <message>
            <source>Use an app-specific password (appleid.apple.com).</source>
            <translation>Utilisez un mot de passe pour application (appleid.apple.com).</translation>
        </message>
        <message>
            <source>Enter the servers your mail provider gives.</source>
            <translation>Saisissez les serveurs indiqués par votre fournisseur de messagerie.</translation>
        </message>
        <message>
            <source>TLS</source>
            <extracomment>A long server name the server fields show whole (Microsoft 365's).</extracomment>
            <translation>TLS</translation>
        </message>
        <message>
            <source>STARTTLS</source>
            <translation>STARTTLS</translation>
        </message>
        <message>
            <source>None (this computer only)</source>
            <translation>Aucune (cet ordinateur seulement)</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <source>Inboxes</source>
            <translation>Boîtes de réception</translation>
        </message>
        <message>
            <source>Mark fetched mail as read on the server</source>
            <translation>Marquer comme lus sur le serveur les e-mails relevés</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <source>OAuth2 sign-in (Microsoft)</source>
            <translation>Connexion OAuth2 (Microsoft)</translation>
        </message>
        <message>
            <source>OAuth2 sign-in (Google)</source>
            <translation>Connexion OAuth2 (Google)</translation>
        </message>
        <message>
            <source>&amp;Test Connection</source>
            <translation>&amp;Tester la connexion</translation>
        </message>
        <message>
            <source>Sender &amp;Rules…</source>
            <translation>&amp;Règles d'expéditeurs…</translation>
        </message>
        <message>
            <source>Allow or deny senders and domains of this inbox</source>
            <translation>Autoriser ou refuser des expéditeurs et des domaines pour cette boîte de réception</translation>
        </message>
        <message>
            <source>&amp;Inbox:</source>
            <translation>&amp;Boîte de réception :</translation>
        </message>
        <message>
            <source>&amp;Provider:</source>
            <translation>&amp;Fournisseur :</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>Compte</translation>
        </message>
        <message>
            <source>&amp;User name:</source>
            <translation>Nom d'&amp;utilisateur :</translation>
        </message>
        <message>
            <source>Sign-&amp;in:</source>
            <translation>&amp;Connexion :</translation>
        </message>
        <message>
            <source>Pass&amp;word:</source>
            <translation>Mot de &amp;passe :</translation>
        </message>
        <message>
            <source>Not used with OAuth2 sign-in</source>
            <translation>Inutile avec la connexion OAuth2</translation>
        </message>
        <message>
            <source>OAuth2 needs no password here: you sign in with the provider in your browser, and the sign-in is kept in the system keyring.</source>
            <translation>OAuth2 ne demande pas de mot de passe ici : vous vous connectez chez le fournisseur dans votre navigateur, et la connexion est conservée dans le trousseau du système.</translation>
        </message>
        <message>
            <source>Saved; leave empty to keep it</source>
            <translation>Enregistré ; laissez vide pour le conserver</translation>
        </message>
        <message>
            <source>The password is kept in the system keyring, never in the database.</source>
            <translation>Le mot de passe est conservé dans le trousseau du système, jamais dans la base de données.</translation>
        </message>
        <message>
            <source>No password saved yet</source>
            <translation>Aucun mot de passe enregistré</translation>
        </message>
        <message>
            <source>Incoming mail (IMAP)</source>
            <translation>Courrier entrant (IMAP)</translation>
        </message>
        <message>
            <source>Ser&amp;ver:</source>
            <translation>Ser&amp;veur :</translation>
        </message>
        <message>
            <source>&amp;Folder:</source>
            <translation>&amp;Dossier :</translation>
        </message>
        <message>
            <source>C&amp;heck every:</source>
            <translation>&amp;Relever toutes les :</translation>
        </message>
        <message>
            <source>Outgoing mail (SMTP)</source>
            <translation>Courrier sortant (SMTP)</translation>
        </message>
        <message>
            <source>Serv&amp;er:</source>
            <translation>Serv&amp;eur :</translation>
        </message>
        <message>
            <source>Sender &amp;address:</source>
            <translation>&amp;Adresse d'expédition :</translation>
        </message>
        <message>
            <source>Sender &amp;name:</source>
            <translation>&amp;Nom de l'expéditeur :</translation>
        </message>
        <message>
            <source>&amp;Undo send for:</source>
            <translation>Dé&amp;lai d'annulation de l'envoi :</translation>
        </message>
        <message>
            <source>Choose an inbox.</source>
            <translation>Choisissez une boîte de réception.</translation>
        </message>
        <message>
            <source>Enter the IMAP and SMTP servers.</source>
            <translation>Saisissez les serveurs IMAP et SMTP.</translation>
        </message>
        <message>
            <source>Enter the user name.</source>
            <translation>Saisissez le nom d'utilisateur.</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>Test en cours…</translation>
        </message>
        <message>
            <source>Connection works: both servers accepted the login.</source>
            <translation>La connexion fonctionne : les deux serveurs ont accepté l'identification.</translation>
        </message>
    </context>
    <context>
        <name>InboxView</name>
        <message>
            <source>Subject</source>
            <translation>Objet</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>Contact</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>Canal</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>Messages</translation>
        </message>
        <message>
            <source>Last message</source>
            <translation>Dernier message</translation>
        </message>
        <message>
            <source>Ticket</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(sans objet)</translation>
        </message>
        <message>
            <source>Move to help desk…</source>
            <translation>Déplacer vers le help desk…</translation>
        </message>
        <message>
            <source>Inbox:</source>
            <translation>Boîte de réception :</translation>
        </message>
        <message>
            <source>The workspace has no conversations inbox.</source>
            <translation>L'espace de travail n'a aucune boîte de conversations.</translation>
        </message>
        <message>
            <source>No conversation here.</source>
            <translation>Aucune conversation ici.</translation>
        </message>
        <message>
            <source>Select a conversation first.</source>
            <translation>Sélectionnez d'abord une conversation.</translation>
        </message>
        <message>
            <source>Needs account access (super admin).</source>
            <translation>Nécessite l'accès au compte (super administrateur).</translation>
        </message>
        <message>
            <source>Move the conversation into the help desk.</source>
            <translation>Déplacer la conversation dans le help desk.</translation>
        </message>
    </context>
    <context>
        <name>InfoDialog</name>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>E-mail</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Téléphone</translation>
        </message>
        <message>
            <source>Company</source>
            <translation>Entreprise</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domaine</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>Montant</translation>
        </message>
        <message>
            <source>Stage</source>
            <translation>Étape</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>Low</source>
            <translation>Basse</translation>
        </message>
        <message>
            <source>Medium</source>
            <translation>Moyenne</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Haute</translation>
        </message>
        <message>
            <source>Urgent</source>
            <translation>Urgente</translation>
        </message>
        <message>
            <source>Product issue</source>
            <translation>Problème produit</translation>
        </message>
        <message>
            <source>Billing issue</source>
            <translation>Problème de facturation</translation>
        </message>
        <message>
            <source>Feature request</source>
            <translation>Demande de fonctionnalité</translation>
        </message>
        <message>
            <source>General inquiry</source>
            <translation>Question générale</translation>
        </message>
        <message numerus="yes">
            <source>%ny</source>
            <comment>years, compact</comment>
            <translation>
                <numerusform>%n an</numerusform>
                <numerusform>%n ans</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nw</source>
            <comment>weeks, compact</comment>
            <translation>
                <numerusform>%n sem.</numerusform>
                <numerusform>%n sem.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nd</source>
            <comment>days, compact</comment>
            <translation>
                <numerusform>%n j</numerusform>
                <numerusform>%n j</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nh</source>
            <comment>hours, compact</comment>
            <translation>
                <numerusform>%n h</numerusform>
                <numerusform>%n h</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nm</source>
            <comment>minutes, compact</comment>
            <translation>
                <numerusform>%n min</numerusform>
                <numerusform>%n min</numerusform>
            </translation>
        </message>
        <message>
            <source>now</source>
            <translation>à l'instant</translation>
        </message>
    </context>
    <context>
        <name>Launcher</name>
        <message>
            <source>Finishing the demo workspace (its creation was interrupted)…</source>
            <translation>Finalisation de l’espace de démonstration (sa création avait été interrompue)…</translation>
        </message>
        <message>
            <source>Creating the demo workspace…</source>
            <translation>Création de l'espace de démonstration…</translation>
        </message>
    </context>
    <context>
        <name>MailService</name>
        <message>
            <source>No password is stored for the IMAP account %1; enter it in Settings › Inboxes.</source>
            <translation>Aucun mot de passe n'est enregistré pour le compte IMAP %1 ; saisissez-le dans Paramètres › Boîtes de réception.</translation>
        </message>
        <message>
            <source>Fetching stopped unexpectedly.</source>
            <translation>La relève du courrier s'est arrêtée de façon inattendue.</translation>
        </message>
        <message>
            <source>Sending stopped unexpectedly.</source>
            <translation>L'envoi du courrier s'est arrêté de façon inattendue.</translation>
        </message>
    </context>
    <context>
        <name>MailStatus</name>
        <message>
            <source>%1: connecting…</source>
            <translation>%1 : connexion…</translation>
        </message>
        <message>
            <source>%1: connected</source>
            <translation>%1 : connectée</translation>
        </message>
        <message>
            <source>%1: fetching…</source>
            <translation>%1 : relève du courrier…</translation>
        </message>
        <message>
            <source>%1: not connected</source>
            <translation>%1 : non connectée</translation>
        </message>
        <message>
            <source>Waiting for new mail (%1).</source>
            <translation>En attente de nouveaux e-mails (%1).</translation>
        </message>
        <message>
            <source>Last error: %1</source>
            <translation>Dernière erreur : %1</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;Table</source>
            <translation>&amp;Tableau</translation>
        </message>
        <message>
            <source>Show the tickets as a table</source>
            <translation>Afficher les tickets sous forme de tableau</translation>
        </message>
        <message>
            <source>&amp;Split</source>
            <translation>&amp;Liste et ticket</translation>
        </message>
        <message>
            <source>Show the tickets as a list beside the open ticket</source>
            <translation>Afficher les tickets en liste à côté du ticket ouvert</translation>
        </message>
        <message>
            <source>&amp;Board</source>
            <translation>&amp;Kanban</translation>
        </message>
        <message>
            <source>Show the tickets as a board</source>
            <translation>Afficher les tickets en colonnes (kanban)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <source>&amp;New Window</source>
            <translation>&amp;Nouvelle fenêtre</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <source>&amp;Import Mail…</source>
            <translation>&amp;Importer du courrier…</translation>
        </message>
        <message>
            <source>Import .eml files, mbox mailboxes and Maildir folders (or drop them on the window)</source>
            <translation>Importer des fichiers .eml, des boîtes mbox et des dossiers Maildir (ou les déposer sur la fenêtre)</translation>
        </message>
        <message>
            <source>&amp;Back Up Now</source>
            <translation>&amp;Sauvegarder maintenant</translation>
        </message>
        <message>
            <source>Save a verified copy of the help desk in its backups folder</source>
            <translation>Enregistrer une copie vérifiée du help desk dans son dossier de sauvegardes</translation>
        </message>
        <message>
            <source>&amp;Restore…</source>
            <translation>&amp;Restaurer…</translation>
        </message>
        <message>
            <source>Replace the help desk with a backup (the current content is backed up first)</source>
            <translation>Remplacer le help desk par une sauvegarde (le contenu actuel est d’abord sauvegardé)</translation>
        </message>
        <message>
            <source>On PostgreSQL, use pg_dump and pg_restore (see docs/BACKUP.md).</source>
            <translation>Sur PostgreSQL, utilisez pg_dump et pg_restore (voir docs/BACKUP.md).</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>É&amp;dition</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Annuler</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Rétablir</translation>
        </message>
        <message>
            <source>&amp;Find Tickets</source>
            <translation>&amp;Rechercher des tickets</translation>
        </message>
        <message>
            <source>&amp;Save View…</source>
            <translation>&amp;Enregistrer la vue…</translation>
        </message>
        <message>
            <source>&amp;Clear Filters</source>
            <translation>Effa&amp;cer les filtres</translation>
        </message>
        <message>
            <source>Check &amp;All Loaded</source>
            <translation>Cocher &amp;tous les tickets chargés</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>&amp;Préférences…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Affichage</translation>
        </message>
        <message>
            <source>&amp;Columns</source>
            <translation>&amp;Colonnes</translation>
        </message>
        <message>
            <source>Show &amp;Views Panel</source>
            <translation>Afficher le panneau des &amp;vues</translation>
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation>&amp;Actualiser</translation>
        </message>
        <message>
            <source>Next &amp;Pane</source>
            <translation>Panneau &amp;suivant</translation>
        </message>
        <message>
            <source>Conversation &amp;Inboxes…</source>
            <translation>&amp;Boîtes de conversations…</translation>
        </message>
        <message>
            <source>Conversations outside the help desk; move one in.</source>
            <translation>Conversations hors du help desk ; déplacez-en une dans le help desk.</translation>
        </message>
        <message>
            <source>&amp;Outbox…</source>
            <translation>Boîte d'en&amp;voi…</translation>
        </message>
        <message>
            <source>Outgoing e-mail: queued, sent, failed; retry or cancel</source>
            <translation>E-mails sortants : en attente, envoyés, en échec ; réessayer ou annuler</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>&amp;Paramètres</translation>
        </message>
        <message>
            <source>&amp;Inboxes…</source>
            <translation>&amp;Boîtes de réception…</translation>
        </message>
        <message>
            <source>Connect inboxes to mailboxes: incoming IMAP, outgoing SMTP.</source>
            <translation>Relier les boîtes de réception à des boîtes aux lettres : IMAP en entrée, SMTP en sortie.</translation>
        </message>
        <message>
            <source>Sender &amp;Rules…</source>
            <translation>&amp;Règles d'expéditeurs…</translation>
        </message>
        <message>
            <source>Allow or deny senders and domains per inbox</source>
            <translation>Autoriser ou refuser des expéditeurs et des domaines par boîte de réception</translation>
        </message>
        <message>
            <source>&amp;Actions</source>
            <translation>A&amp;ctions</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>Aid&amp;e</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>&amp;Raccourcis clavier</translation>
        </message>
        <message>
            <source>Show &amp;Log Folder</source>
            <translation>Afficher le dossier du &amp;journal</translation>
        </message>
        <message>
            <source>Open the folder of the log file, to send it to support after a problem.</source>
            <translation>Ouvrir le dossier du journal, pour l'envoyer au support après un problème.</translation>
        </message>
        <message>
            <source>&amp;About Help Desk Desktop</source>
            <translation>À &amp;propos de Help Desk Desktop</translation>
        </message>
        <message>
            <source>Main tool bar</source>
            <translation>Barre d'outils principale</translation>
        </message>
        <message>
            <source>Search tickets (Ctrl+F)</source>
            <translation>Rechercher des tickets (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search tickets</source>
            <translation>Rechercher des tickets</translation>
        </message>
        <message>
            <source>Layout: table, split or board (Ctrl+1/2/3)</source>
            <translation>Disposition : tableau, partagée ou kanban (Ctrl+1/2/3)</translation>
        </message>
        <message>
            <source>Layout</source>
            <translation>Disposition</translation>
        </message>
        <message>
            <source>Help Desk</source>
            <extracomment>When no frame was painted by then (a window started hidden, or never shown), the work that waits for the first frame (:meth:`MainWindow.finish_start`) starts anyway. How long a thread running Python keeps the interpreter lock from another that asks for it (Python's default: 5 ms). A list's first page is read on its own thread while the window goes on (its Python slots, the sidebar's delegate, the header's data): each time one needed the lock back from the reading thread it waited up to the interval (a view change spent ~6 ms of 20 so in a profile at 100,000 tickets), and the reader waited as long for the window. The interval only matters while two threads both run Python. :meth:`finish_start` has run: the counts are asked for, the bell is there.</extracomment>
            <translation>Help Desk</translation>
        </message>
        <message>
            <source>%1 — Help Desk</source>
            <translation>%1 — Help Desk</translation>
        </message>
        <message>
            <source>The card was put back: %1</source>
            <translation>La carte a été remise en place : %1</translation>
        </message>
        <message>
            <source>Signed in as %1.</source>
            <translation>Connecté en tant que %1.</translation>
        </message>
        <message>
            <source>Needs account access (super admin).</source>
            <translation>Nécessite l'accès au compte (super administrateur).</translation>
        </message>
        <message>
            <source>The inbox “%1” is connected.</source>
            <translation>La boîte de réception « %1 » est connectée.</translation>
        </message>
        <message>
            <source>No system keyring: the password is kept until the program closes.</source>
            <translation>Pas de trousseau système : le mot de passe est conservé jusqu'à la fermeture du programme.</translation>
        </message>
        <message>
            <source>Reply queued; it leaves in %1 s.</source>
            <translation>Réponse mise en file d'attente ; elle part dans %1 s.</translation>
        </message>
        <message>
            <source>Reply queued.</source>
            <translation>Réponse mise en file d'attente.</translation>
        </message>
        <message>
            <source>Password for %1</source>
            <translation>Mot de passe de %1</translation>
        </message>
        <message>
            <source>Password of %1 on %2.
%3</source>
            <translation>Mot de passe de %1 sur %2.
%3</translation>
        </message>
        <message>
            <source>Saved the view “%1”.</source>
            <translation>Vue « %1 » enregistrée.</translation>
        </message>
        <message>
            <source>Conversation inboxes — Help Desk</source>
            <translation>Boîtes de conversations — Help Desk</translation>
        </message>
        <message>
            <source>The conversation is now a ticket in the help desk.</source>
            <translation>La conversation est désormais un ticket du help desk.</translation>
        </message>
        <message>
            <source>The log folder is %1.</source>
            <translation>Le dossier du journal est %1.</translation>
        </message>
    </context>
    <context>
        <name>Notifications</name>
        <message>
            <source>A customer</source>
            <translation>Un client</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>Notifications</translation>
        </message>
        <message>
            <source>Mark all read</source>
            <translation>Tout marquer comme lu</translation>
        </message>
        <message>
            <source>Notification preferences…</source>
            <translation>Préférences de notification…</translation>
        </message>
        <message>
            <source>No notifications yet. Follow a ticket to hear about its changes.</source>
            <translation>Aucune notification pour l'instant. Suivez un ticket pour être prévenu de ses changements.</translation>
        </message>
        <message>
            <source>Open ticket #{0}</source>
            <translation>Ouvrir le ticket n° {0}</translation>
        </message>
        <message>
            <source>Notifications — {0} unread</source>
            <translation>Notifications — {0} non lues</translation>
        </message>
        <message>
            <source>Notifications — none unread</source>
            <translation>Notifications — aucune non lue</translation>
        </message>
        <message>
            <source>Help Desk</source>
            <extracomment>Tray menu › Pause Notifications: the bell still counts, the tray stays silent.</extracomment>
            <translation>Help Desk</translation>
        </message>
        <message>
            <source>#{0} {1}</source>
            <translation>n° {0} {1}</translation>
        </message>
        <message>
            <source>and {0} more</source>
            <translation>et {0} de plus</translation>
        </message>
        <message>
            <source>&amp;Open Help Desk</source>
            <translation>&amp;Ouvrir Help Desk</translation>
        </message>
        <message>
            <source>&amp;Pause Notifications</source>
            <translation>Mettre les notifications en &amp;pause</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
    </context>
    <context>
        <name>Outbox</name>
        <message>
            <source>Queued</source>
            <translation>En attente</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Envoi…</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Envoyé</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Échec</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Annulé</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Ticket</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <source>To</source>
            <translation>À</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>Objet</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Tentatives</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>Last error: %1</source>
            <translation>Dernière erreur : %1</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Dernière erreur</translation>
        </message>
        <message>
            <source>Next attempt %1</source>
            <translation>Prochain essai %1</translation>
        </message>
        <message>
            <source>Queued %1</source>
            <translation>Mis en file %1</translation>
        </message>
        <message>
            <source>Sent %1</source>
            <translation>Envoyé %1</translation>
        </message>
        <message>
            <source>Outbox</source>
            <translation>Boîte d'envoi</translation>
        </message>
        <message>
            <source>Nothing has been sent from here yet.</source>
            <translation>Rien n'a encore été envoyé d'ici.</translation>
        </message>
        <message>
            <source>&amp;Retry</source>
            <translation>&amp;Réessayer</translation>
        </message>
        <message>
            <source>Send it at once instead of after its wait</source>
            <translation>L'envoyer tout de suite au lieu d'attendre</translation>
        </message>
        <message>
            <source>&amp;Cancel Sending</source>
            <translation>&amp;Annuler l'envoi</translation>
        </message>
        <message>
            <source>Send &amp;Now</source>
            <translation>&amp;Envoyer maintenant</translation>
        </message>
        <message>
            <source>Send every e-mail that is due</source>
            <translation>Envoyer tous les e-mails prêts à partir</translation>
        </message>
    </context>
    <context>
        <name>SelectionBar</name>
        <message>
            <source>Check all loaded</source>
            <translation>Cocher tous les tickets chargés</translation>
        </message>
        <message>
            <source>Check all loaded tickets</source>
            <translation>Cocher tous les tickets chargés</translation>
        </message>
        <message>
            <source>Clear selection</source>
            <translation>Effacer la sélection</translation>
        </message>
        <message>
            <source>Bulk actions</source>
            <translation>Actions groupées</translation>
        </message>
        <message numerus="yes">
            <source>All %n tickets matching this view are selected.</source>
            <translation>
                <numerusform>Le ticket de cette vue est sélectionné.</numerusform>
                <numerusform>Les %n tickets de cette vue sont sélectionnés.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n checked</source>
            <translation>
                <numerusform>%n coché</numerusform>
                <numerusform>%n cochés</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Select all %n matching this view</source>
            <translation>
                <numerusform>Sélectionner le ticket de cette vue</numerusform>
                <numerusform>Sélectionner les %n tickets de cette vue</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>Raccourcis clavier</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>Raccourci</translation>
        </message>
    </context>
    <context>
        <name>SidebarViews</name>
        <message>
            <source>&amp;Views</source>
            <translation>&amp;Vues</translation>
        </message>
        <message>
            <source>Ticket views</source>
            <translation>Vues de tickets</translation>
        </message>
        <message>
            <source>&amp;Save view…</source>
            <translation>&amp;Enregistrer la vue…</translation>
        </message>
        <message>
            <source>Save the current view, filters, search and sort</source>
            <translation>Enregistrer la vue actuelle, ses filtres, sa recherche et son tri</translation>
        </message>
        <message>
            <source>Needs a service seat.</source>
            <translation>Nécessite une licence service.</translation>
        </message>
        <message>
            <source>Save view</source>
            <translation>Enregistrer la vue</translation>
        </message>
        <message>
            <source>Name of the view:</source>
            <translation>Nom de la vue :</translation>
        </message>
        <message>
            <source>Delete saved view “%1”</source>
            <translation>Supprimer la vue enregistrée « %1 »</translation>
        </message>
    </context>
    <context>
        <name>SplitLayout</name>
        <message>
            <source>Tickets</source>
            <translation>Tickets</translation>
        </message>
        <message>
            <source>No tickets in this view.</source>
            <translation>Aucun ticket dans cette vue.</translation>
        </message>
    </context>
    <context>
        <name>StatusBar</name>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Annuler</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>En cours…</translation>
        </message>
        <message>
            <source>Undoing…</source>
            <translation>Annulation…</translation>
        </message>
    </context>
    <context>
        <name>TableLayout</name>
        <message>
            <source>Tickets</source>
            <translation>Tickets</translation>
        </message>
        <message>
            <source>No tickets in this view.</source>
            <translation>Aucun ticket dans cette vue.</translation>
        </message>
        <message>
            <source>Columns</source>
            <translation>Colonnes</translation>
        </message>
        <message>
            <source>Newest matches first</source>
            <translation>Correspondances les plus récentes d’abord</translation>
        </message>
    </context>
    <context>
        <name>TicketActions</name>
        <message>
            <source>Mark the ticket as not spam first.</source>
            <translation>Marquez d'abord le ticket comme n'étant pas un spam.</translation>
        </message>
        <message>
            <source>Restore the ticket first.</source>
            <translation>Restaurez d'abord le ticket.</translation>
        </message>
        <message>
            <source>Only e-mail tickets can be split.</source>
            <translation>Seuls les tickets e-mail peuvent être scindés.</translation>
        </message>
        <message>
            <source>Ticket #{0} has no conversation to move.</source>
            <translation>Le ticket n° {0} n'a aucune conversation à déplacer.</translation>
        </message>
        <message>
            <source>Saved the transcript as {0}.</source>
            <translation>Transcription enregistrée sous {0}.</translation>
        </message>
        <message>
            <source>&amp;Print Conversation…</source>
            <translation>&amp;Imprimer la conversation…</translation>
        </message>
        <message>
            <source>Preview and print the ticket's conversation.</source>
            <translation>Prévisualiser et imprimer la conversation du ticket.</translation>
        </message>
        <message>
            <source>&amp;Export as PDF…</source>
            <translation>&amp;Exporter en PDF…</translation>
        </message>
        <message>
            <source>Save the ticket's conversation as a PDF file.</source>
            <translation>Enregistrer la conversation du ticket dans un fichier PDF.</translation>
        </message>
        <message>
            <source>S&amp;plit Ticket…</source>
            <translation>Scinde&amp;r le ticket…</translation>
        </message>
        <message>
            <source>Move some messages of this ticket to a new ticket.</source>
            <translation>Déplacer certains messages de ce ticket vers un nouveau ticket.</translation>
        </message>
        <message>
            <source>&amp;Merge Ticket…</source>
            <translation>&amp;Fusionner le ticket…</translation>
        </message>
        <message>
            <source>Merge this ticket with another one.</source>
            <translation>Fusionner ce ticket avec un autre.</translation>
        </message>
        <message>
            <source>Mo&amp;ve Conversation…</source>
            <translation>Dé&amp;placer la conversation…</translation>
        </message>
        <message>
            <source>Move a conversation between the help desk and a conversations inbox (several tickets: their help desk conversations to an inbox).</source>
            <translation>Déplacer une conversation entre le help desk et une boîte de conversations (plusieurs tickets : leurs conversations du help desk vers une boîte).</translation>
        </message>
        <message>
            <source>Mark as &amp;Spam…</source>
            <translation>Marquer comme &amp;spam…</translation>
        </message>
        <message>
            <source>Move the ticket, or some of its conversations, to Spam.</source>
            <translation>Déplacer le ticket, ou certaines de ses conversations, vers le Spam.</translation>
        </message>
        <message>
            <source>&amp;Not Spam</source>
            <translation>Pas un spa&amp;m</translation>
        </message>
        <message>
            <source>Bring the tickets back from Spam.</source>
            <translation>Faire revenir les tickets du Spam.</translation>
        </message>
        <message>
            <source>&amp;Delete…</source>
            <translation>&amp;Supprimer…</translation>
        </message>
        <message>
            <source>Move the tickets to Recently deleted (restorable for 90 days).</source>
            <translation>Mettre les tickets à la corbeille (restaurables pendant 90 jours).</translation>
        </message>
        <message>
            <source>&amp;Restore</source>
            <translation>&amp;Restaurer</translation>
        </message>
        <message>
            <source>Bring the tickets back from Recently deleted.</source>
            <translation>Faire revenir les tickets de la corbeille.</translation>
        </message>
        <message>
            <source>Delete &amp;Permanently…</source>
            <translation>Supprimer &amp;définitivement…</translation>
        </message>
        <message>
            <source>Erase the tickets for good; this cannot be undone.</source>
            <translation>Effacer les tickets pour de bon ; c'est irréversible.</translation>
        </message>
        <message>
            <source>Select a ticket first.</source>
            <translation>Sélectionnez d'abord un ticket.</translation>
        </message>
        <message>
            <source>Works on one ticket at a time.</source>
            <translation>Fonctionne sur un seul ticket à la fois.</translation>
        </message>
        <message>
            <source>Needs a service seat.</source>
            <translation>Nécessite une licence service.</translation>
        </message>
        <message>
            <source>Needs the delete permission.</source>
            <translation>Nécessite le droit de suppression.</translation>
        </message>
        <message>
            <source>Needs account access (super admin).</source>
            <translation>Nécessite l'accès au compte (super administrateur).</translation>
        </message>
        <message>
            <source>The ticket was merged into another one.</source>
            <translation>Le ticket a été fusionné dans un autre.</translation>
        </message>
        <message>
            <source>The ticket is not in the spam or the trash.</source>
            <translation>Le ticket n'est ni dans le spam ni dans la corbeille.</translation>
        </message>
        <message>
            <source>Select tickets of one pipeline.</source>
            <translation>Sélectionnez des tickets d'un même pipeline.</translation>
        </message>
        <message>
            <source>Priority: &amp;Urgent</source>
            <translation>Priorité : &amp;urgente</translation>
        </message>
        <message>
            <source>Priority: &amp;High</source>
            <translation>Priorité : &amp;haute</translation>
        </message>
        <message>
            <source>Priority: &amp;Medium</source>
            <translation>Priorité : m&amp;oyenne</translation>
        </message>
        <message>
            <source>Priority: &amp;Low</source>
            <translation>Priorité : &amp;basse</translation>
        </message>
        <message>
            <source>Set the priority to urgent.</source>
            <translation>Passer la priorité à urgente.</translation>
        </message>
        <message>
            <source>Set the priority to high.</source>
            <translation>Passer la priorité à haute.</translation>
        </message>
        <message>
            <source>Set the priority to medium.</source>
            <translation>Passer la priorité à moyenne.</translation>
        </message>
        <message>
            <source>Set the priority to low.</source>
            <translation>Passer la priorité à basse.</translation>
        </message>
        <message>
            <source>Open in &amp;New Window</source>
            <translation>Ouvrir dans une &amp;nouvelle fenêtre</translation>
        </message>
        <message>
            <source>Open the ticket in a window of its own.</source>
            <translation>Ouvrir le ticket dans sa propre fenêtre.</translation>
        </message>
        <message>
            <source>Set S&amp;tatus…</source>
            <translation>Changer le s&amp;tatut…</translation>
        </message>
        <message>
            <source>Choose a status of the tickets' pipeline.</source>
            <translation>Choisir un statut du pipeline des tickets.</translation>
        </message>
        <message>
            <source>Assi&amp;gn To…</source>
            <translation>Assi&amp;gner à…</translation>
        </message>
        <message>
            <source>Choose the owner, or leave unassigned.</source>
            <translation>Choisir le propriétaire, ou laisser non assigné.</translation>
        </message>
        <message>
            <source>Set Categor&amp;y…</source>
            <translation>Changer la catégor&amp;ie…</translation>
        </message>
        <message>
            <source>Choose the category, or none.</source>
            <translation>Choisir la catégorie, ou aucune.</translation>
        </message>
        <message>
            <source>&amp;Follow</source>
            <translation>S&amp;uivre</translation>
        </message>
        <message>
            <source>Get notified about changes to these tickets.</source>
            <translation>Être prévenu des changements de ces tickets.</translation>
        </message>
        <message>
            <source>&amp;Unfollow</source>
            <translation>Ne plus s&amp;uivre</translation>
        </message>
        <message>
            <source>Stop getting notified about these tickets.</source>
            <translation>Ne plus être prévenu des changements de ces tickets.</translation>
        </message>
        <message>
            <source>Mark as &amp;Read</source>
            <translation>Marquer comme &amp;lu</translation>
        </message>
        <message>
            <source>Mark as read for you (others keep their own read state).</source>
            <translation>Marquer comme lu pour vous (les autres gardent leur propre état de lecture).</translation>
        </message>
        <message>
            <source>Mark as U&amp;nread</source>
            <translation>Marquer comme &amp;non lu</translation>
        </message>
        <message>
            <source>Mark as unread for you (others keep their own read state).</source>
            <translation>Marquer comme non lu pour vous (les autres gardent leur propre état de lecture).</translation>
        </message>
        <message>
            <source>&amp;Assign to Me</source>
            <translation>M'&amp;assigner</translation>
        </message>
        <message>
            <source>Make yourself the owner.</source>
            <translation>Devenir le propriétaire.</translation>
        </message>
        <message>
            <source>Una&amp;ssign</source>
            <translation>&amp;Désassigner</translation>
        </message>
        <message>
            <source>Remove the owner.</source>
            <translation>Retirer le propriétaire.</translation>
        </message>
    </context>
    <context>
        <name>TicketHeader</name>
        <message>
            <source>Ticket name</source>
            <translation>Nom du ticket</translation>
        </message>
        <message>
            <source>Edit the name and press Enter to save it.</source>
            <translation>Modifiez le nom et appuyez sur Entrée pour l'enregistrer.</translation>
        </message>
        <message>
            <source>Actions</source>
            <translation>Actions</translation>
        </message>
        <message>
            <source>Ticket actions</source>
            <translation>Actions du ticket</translation>
        </message>
        <message>
            <source>More ticket actions</source>
            <translation>Autres actions sur le ticket</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>&amp;Owner</source>
            <translation>&amp;Propriétaire</translation>
        </message>
        <message>
            <source>&amp;Priority</source>
            <translation>&amp;Priorité</translation>
        </message>
        <message>
            <source>Cate&amp;gory</source>
            <translation>Caté&amp;gorie</translation>
        </message>
        <message>
            <source>S&amp;tatus</source>
            <translation>S&amp;tatut</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
    </context>
    <context>
        <name>TicketListModel</name>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>Contact</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Création</translation>
        </message>
        <message>
            <source>Last activity</source>
            <translation>Mis à jour</translation>
        </message>
        <message>
            <source>Deleted for good on {0} (90 days after it was put here).</source>
            <translation>Supprimé définitivement le {0} (90 jours après son arrivée ici).</translation>
        </message>
        <message>
            <source>unread</source>
            <extracomment>The roles ``QStyledItemDelegate.initStyleOption`` asks a cell for, in one ``multiData`` call (Qt 6), in this order.</extracomment>
            <translation>non lu</translation>
        </message>
        <message>
            <source>erased {0}</source>
            <translation>effacé le {0}</translation>
        </message>
        <message>
            <source>{0} · erased {1}</source>
            <translation>{0} · effacé le {1}</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
        <message>
            <source>Check tickets for bulk actions (click to check all loaded)</source>
            <translation>Cocher des tickets pour une action groupée (cliquez pour cocher tous les tickets chargés)</translation>
        </message>
        <message>
            <source>Checked</source>
            <translation>Coché</translation>
        </message>
    </context>
    <context>
        <name>TicketPanel</name>
        <message>
            <source>Close the ticket (Esc)</source>
            <translation>Fermer le ticket (Échap)</translation>
        </message>
        <message>
            <source>Close the ticket</source>
            <translation>Fermer le ticket</translation>
        </message>
    </context>
    <context>
        <name>TicketView</name>
        <message>
            <source>Queued</source>
            <translation>En attente</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Envoi…</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Envoyé</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Échec</translation>
        </message>
        <message>
            <source>Cancelled, not sent</source>
            <translation>Annulé, non envoyé</translation>
        </message>
        <message>
            <source>Queued, will retry</source>
            <translation>En attente, nouvel essai prévu</translation>
        </message>
        <message>
            <source>Last error: %1</source>
            <translation>Dernière erreur : %1</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Réessayer</translation>
        </message>
        <message>
            <source>Delivery:</source>
            <translation>État de l'envoi :</translation>
        </message>
        <message>
            <source>To:</source>
            <translation>À :</translation>
        </message>
        <message>
            <source>Cc:</source>
            <translation>Cc :</translation>
        </message>
        <message>
            <source>Attachment:</source>
            <translation>Pièce jointe :</translation>
        </message>
        <message>
            <source>Save as…</source>
            <translation>Enregistrer sous…</translation>
        </message>
        <message>
            <source>Not kept (over the size limit per message): {0}</source>
            <translation>Non conservé (au-delà de la taille maximale par message) : {0}</translation>
        </message>
        <message>
            <source>Show {0} earlier messages</source>
            <translation>Afficher les {0} messages précédents</translation>
        </message>
        <message>
            <source>This conversation has no messages yet.</source>
            <translation>Cette conversation n'a pas encore de message.</translation>
        </message>
        <message>
            <source>No priority</source>
            <translation>Sans priorité</translation>
        </message>
        <message>
            <source>Low</source>
            <translation>Basse</translation>
        </message>
        <message>
            <source>Medium</source>
            <translation>Moyenne</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Haute</translation>
        </message>
        <message>
            <source>Urgent</source>
            <translation>Urgente</translation>
        </message>
        <message>
            <source>No category</source>
            <translation>Sans catégorie</translation>
        </message>
        <message>
            <source>Product issue</source>
            <translation>Problème produit</translation>
        </message>
        <message>
            <source>Billing issue</source>
            <translation>Problème de facturation</translation>
        </message>
        <message>
            <source>Feature request</source>
            <translation>Demande de fonctionnalité</translation>
        </message>
        <message>
            <source>General inquiry</source>
            <translation>Question générale</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>E-mail</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>Chat</translation>
        </message>
        <message>
            <source>Form</source>
            <translation>Formulaire</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Téléphone</translation>
        </message>
        <message>
            <source>Internal note</source>
            <translation>Note interne</translation>
        </message>
        <message>
            <source>Internal comment</source>
            <translation>Commentaire interne</translation>
        </message>
        <message>
            <source>Chat from customer</source>
            <translation>Chat du client</translation>
        </message>
        <message>
            <source>From customer</source>
            <translation>Message du client</translation>
        </message>
        <message>
            <source>Chat reply</source>
            <translation>Réponse par chat</translation>
        </message>
        <message>
            <source>Reply to customer</source>
            <translation>Réponse au client</translation>
        </message>
        <message>
            <source>Contacts</source>
            <translation>Contacts</translation>
        </message>
        <message>
            <source>Companies</source>
            <translation>Entreprises</translation>
        </message>
        <message>
            <source>Deals</source>
            <translation>Affaires</translation>
        </message>
        <message>
            <source>Opening ticket #{0}…</source>
            <translation>Ouverture du ticket n° {0}…</translation>
        </message>
        <message>
            <source>Select a ticket to see its conversation.</source>
            <translation>Sélectionnez un ticket pour voir sa conversation.</translation>
        </message>
        <message>
            <source>This ticket is in Spam. Mark it as not spam to work on it.</source>
            <translation>Ce ticket est dans le Spam. Marquez-le comme n'étant pas un spam pour le traiter.</translation>
        </message>
        <message>
            <source>This ticket is in Recently deleted. Restore it to work on it.</source>
            <translation>Ce ticket est dans la corbeille. Restaurez-le pour le traiter.</translation>
        </message>
        <message>
            <source>It will be deleted for good on {0}.</source>
            <translation>Il sera supprimé définitivement le {0}.</translation>
        </message>
        <message>
            <source>Open #{0}</source>
            <translation>Ouvrir le n° {0}</translation>
        </message>
        <message>
            <source>Ticket {0} was merged into #{1}.</source>
            <translation>Le ticket {0} a été fusionné dans le n° {1}.</translation>
        </message>
        <message>
            <source>Ticket {0} was merged into another ticket.</source>
            <translation>Le ticket {0} a été fusionné dans un autre ticket.</translation>
        </message>
        <message>
            <source>Ticket {0} was marked as spam.</source>
            <translation>Le ticket {0} a été marqué comme spam.</translation>
        </message>
        <message>
            <source>This ticket was deleted ({0}).</source>
            <translation>Ce ticket a été supprimé ({0}).</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
        <message>
            <source>Customer Wrote Again</source>
            <translation>Nouveau message du client</translation>
        </message>
        <message>
            <source>The customer wrote again since you opened this ticket.</source>
            <translation>Le client a écrit de nouveau depuis que vous avez ouvert ce ticket.</translation>
        </message>
        <message>
            <source>Read the new message before your reply goes out?</source>
            <translation>Lire le nouveau message avant l'envoi de votre réponse ?</translation>
        </message>
        <message>
            <source>&amp;Review First</source>
            <translation>&amp;Lire d'abord</translation>
        </message>
        <message>
            <source>&amp;Send Anyway</source>
            <translation>&amp;Envoyer quand même</translation>
        </message>
        <message>
            <source>Draft not kept: {0}</source>
            <translation>Brouillon non conservé : {0}</translation>
        </message>
        <message>
            <source>Save attachment</source>
            <translation>Enregistrer la pièce jointe</translation>
        </message>
        <message>
            <source>Could not save “{0}”: {1}</source>
            <translation>Impossible d’enregistrer « {0} » : {1}</translation>
        </message>
        <message>
            <source>Add to {0}</source>
            <translation>Ajouter à {0}</translation>
        </message>
    </context>
    <context>
        <name>TicketWindow</name>
        <message>
            <source>Ticket</source>
            <translation>Ticket</translation>
        </message>
    </context>
    <context>
        <name>TranscriptPrint</name>
        <message>
            <source>Ticket</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <source>Customer</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Company</source>
            <translation>Entreprise</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Priorité</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propriétaire</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Création</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Téléphone</translation>
        </message>
        <message>
            <source>Printed</source>
            <translation>Imprimé le</translation>
        </message>
        <message>
            <source>Printed by {agent} on {date}</source>
            <translation>Imprimé par {agent} le {date}</translation>
        </message>
        <message>
            <source>Times in</source>
            <translation>Fuseau horaire</translation>
        </message>
        <message>
            <source>from #{ticket}</source>
            <translation>issue du ticket n° {ticket}</translation>
        </message>
        <message>
            <source>sent</source>
            <translation>message envoyé</translation>
        </message>
        <message>
            <source>received</source>
            <translation>message reçu</translation>
        </message>
        <message>
            <source>Activity</source>
            <translation>Activité</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assigné</translation>
        </message>
        <message>
            <source>Conversation</source>
            <translation>Conversation</translation>
        </message>
        <message>
            <source>From</source>
            <translation>De</translation>
        </message>
        <message>
            <source>To</source>
            <translation>À</translation>
        </message>
        <message>
            <source>Cc</source>
            <translation>Cc</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>Objet</translation>
        </message>
        <message>
            <source>Attachments</source>
            <translation>Pièces jointes</translation>
        </message>
        <message>
            <source>INTERNAL — not seen by the customer</source>
            <translation>INTERNE — non visible par le client</translation>
        </message>
        <message>
            <source>page {page} of {pages}</source>
            <translation>page {page} sur {pages}</translation>
        </message>
        <message>
            <source>No messages.</source>
            <translation>Aucun message.</translation>
        </message>
        <message>
            <source>[e-mail hidden]</source>
            <translation>[e-mail masqué]</translation>
        </message>
        <message>
            <source>[phone hidden]</source>
            <translation>[téléphone masqué]</translation>
        </message>
        <message>
            <source>Customer e-mail</source>
            <translation>E-mail du client</translation>
        </message>
        <message>
            <source>Agent reply</source>
            <translation>Réponse de l'agent</translation>
        </message>
        <message>
            <source>Chat message</source>
            <translation>Message de chat</translation>
        </message>
        <message>
            <source>Internal note</source>
            <translation>Note interne</translation>
        </message>
        <message>
            <source>Internal comment</source>
            <translation>Commentaire interne</translation>
        </message>
        <message>
            <source>bytes</source>
            <translation>octets</translation>
        </message>
        <message>
            <source>KB</source>
            <translation>Ko</translation>
        </message>
        <message>
            <source>MB</source>
            <translation>Mo</translation>
        </message>
        <message>
            <source>GB</source>
            <translation>Go</translation>
        </message>
        <message>
            <source>Low</source>
            <translation>Basse</translation>
        </message>
        <message>
            <source>Medium</source>
            <translation>Moyenne</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Haute</translation>
        </message>
        <message>
            <source>Urgent</source>
            <translation>Urgente</translation>
        </message>
        <message>
            <source>Product issue</source>
            <translation>Problème produit</translation>
        </message>
        <message>
            <source>Billing issue</source>
            <translation>Problème de facturation</translation>
        </message>
        <message>
            <source>Feature request</source>
            <translation>Demande de fonctionnalité</translation>
        </message>
        <message>
            <source>General inquiry</source>
            <translation>Question générale</translation>
        </message>
        <message>
            <source>: </source>
            <comment>between a label and its value</comment>
            <translation> : </translation>
        </message>
        <message>
            <source>#{id}</source>
            <comment>a ticket's number</comment>
            <translation>n° {id}</translation>
        </message>
        <message numerus="yes">
            <source>%n characters could not be printed: no font has them (shown as boxes).</source>
            <translation>
                <numerusform>%n caractère n'a pas pu être imprimé : aucune police ne le contient (affiché comme un carré).</numerusform>
                <numerusform>%n caractères n'ont pas pu être imprimés : aucune police ne les contient (affichés comme des carrés).</numerusform>
            </translation>
        </message>
        <message>
            <source>The file could not be written: {0}</source>
            <translation>Le fichier n'a pas pu être écrit : {0}</translation>
        </message>
        <message>
            <source>The transcript could not be made ({0}).</source>
            <translation>La transcription n'a pas pu être produite ({0}).</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Transcript</source>
            <translation>Transcription</translation>
        </message>
        <message>
            <source>This conversation only</source>
            <translation>Cette conversation seulement</translation>
        </message>
        <message>
            <source>Print every conversation of a merged ticket in time order, or only the current one</source>
            <translation>Imprimer toutes les conversations d'un ticket fusionné dans l'ordre chronologique, ou seulement la conversation affichée</translation>
        </message>
        <message>
            <source>Paper size</source>
            <translation>Format du papier</translation>
        </message>
        <message>
            <source>A4</source>
            <translation>A4</translation>
        </message>
        <message>
            <source>Letter</source>
            <translation>Lettre US</translation>
        </message>
        <message>
            <source>Internal notes</source>
            <translation>Notes internes</translation>
        </message>
        <message>
            <source>Activity timeline</source>
            <translation>Historique de l'activité</translation>
        </message>
        <message>
            <source>Attachment list</source>
            <translation>Liste des pièces jointes</translation>
        </message>
        <message>
            <source>All conversations ({0})</source>
            <translation>Toutes les conversations ({0})</translation>
        </message>
        <message>
            <source>Hide third parties' e-mail addresses and phone numbers</source>
            <translation>Masquer les coordonnées des tiers</translation>
        </message>
        <message>
            <source>Zoom out</source>
            <translation>Zoom arrière</translation>
        </message>
        <message>
            <source>Zoom in</source>
            <translation>Zoom avant</translation>
        </message>
        <message>
            <source>Fit width</source>
            <translation>Ajuster à la largeur</translation>
        </message>
        <message>
            <source>Page {0} — laying out the other pages…</source>
            <translation>Page {0} — mise en page des autres pages…</translation>
        </message>
        <message>
            <source>Page {0} of {1}</source>
            <translation>Page {0} sur {1}</translation>
        </message>
        <message>
            <source>Preparing the transcript…</source>
            <translation>Préparation de la transcription…</translation>
        </message>
        <message>
            <source>Print conversation</source>
            <translation>Imprimer la conversation</translation>
        </message>
        <message>
            <source>Print conversation — {0}</source>
            <translation>Imprimer la conversation — {0}</translation>
        </message>
        <message>
            <source>Export as PDF…</source>
            <translation>Exporter en PDF…</translation>
        </message>
        <message>
            <source>Print…</source>
            <translation>Imprimer…</translation>
        </message>
        <message>
            <source>Printing…</source>
            <translation>Impression…</translation>
        </message>
        <message>
            <source>Export conversation as PDF</source>
            <translation>Exporter la conversation en PDF</translation>
        </message>
        <message>
            <source>Choose file…</source>
            <translation>Choisir le fichier…</translation>
        </message>
        <message>
            <source>Writing the PDF…</source>
            <translation>Écriture du PDF…</translation>
        </message>
        <message>
            <source>PDF documents (*.pdf)</source>
            <translation>Documents PDF (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>Undo</name>
        <message>
            <source>Change</source>
            <translation>Modification</translation>
        </message>
        <message>
            <source>Nothing to undo.</source>
            <translation>Rien à annuler.</translation>
        </message>
        <message>
            <source>Nothing to redo.</source>
            <translation>Rien à rétablir.</translation>
        </message>
        <message>
            <source>Undone: {0}</source>
            <translation>Annulé : {0}</translation>
        </message>
        <message>
            <source>Redone: {0}</source>
            <translation>Rétabli : {0}</translation>
        </message>
        <message>
            <source>Could not redo: {0}</source>
            <translation>Impossible de rétablir : {0}</translation>
        </message>
        <message numerus="yes">
            <source>%1 (%n tickets)</source>
            <translation>
                <numerusform>%1 (%n ticket)</numerusform>
                <numerusform>%1 (%n tickets)</numerusform>
            </translation>
        </message>
        <message>
            <source>Undo the later changes first (Edit › Undo).</source>
            <translation>Annulez d'abord les modifications plus récentes (Édition › Annuler).</translation>
        </message>
        <message>
            <source>Could not undo: {0}</source>
            <translation>Impossible d'annuler : {0}</translation>
        </message>
    </context>
    <context>
        <name>Upkeep</name>
        <message>
            <source>Daily backup saved.</source>
            <translation>Sauvegarde quotidienne enregistrée.</translation>
        </message>
        <message numerus="yes">
            <source>%n tickets older than 90 days were deleted for good from Spam and Recently deleted.</source>
            <translation>
                <numerusform>%n ticket de plus de 90 jours a été supprimé définitivement de Spam et Récemment supprimés.</numerusform>
                <numerusform>%n tickets de plus de 90 jours ont été supprimés définitivement de Spam et Récemment supprimés.</numerusform>
            </translation>
        </message>
        <message>
            <source>Daily upkeep failed: {0}</source>
            <translation>L’entretien quotidien a échoué : {0}</translation>
        </message>
    </context>
    <context>
        <name>UserSwitcher</name>
        <message>
            <source>Signed in as %1</source>
            <translation>Connecté en tant que %1</translation>
        </message>
        <message>
            <source>Switch to another agent of this workspace</source>
            <translation>Passer à un autre agent de cet espace de travail</translation>
        </message>
    </context>
    <context>
        <name>ViewListModel</name>
        <message>
            <source>All open</source>
            <translation>Tous les ouverts</translation>
        </message>
        <message>
            <source>Assigned to me</source>
            <translation>Assignés à moi</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Non assignés</translation>
        </message>
        <message>
            <source>Following</source>
            <translation>Suivis</translation>
        </message>
        <message>
            <source>Unread</source>
            <translation>Non lus</translation>
        </message>
        <message>
            <source>Spam</source>
            <translation>Spam</translation>
        </message>
        <message>
            <source>Recently deleted</source>
            <translation>Corbeille</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Fermés</translation>
        </message>
        <message>
            <source>Saved view</source>
            <translation>Vue enregistrée</translation>
        </message>
    </context>
</TS>
