/*
 * messages.c - the built-in text of the pages, one table per language.
 *
 * Written in each language as a native speaker would put it, in the
 * register an institution uses with the public (Sie, vous, usted, Lei, u;
 * Portuguese as in Portugal, with impersonal or "a sua" forms), not word for
 * word from the English.  Placeholders ({room}, {user}, {org}, ...) are the
 * English text's, no more, no fewer: test_catalogue checks every language
 * for every message.  French puts a no-break space (U+00A0) before ":" and
 * "?".  English is first: it is the fallback.
 */
#include "config.h"

#include "bridge/catalogue.h"

#define NBSP "\u00a0"

const struct br_builtin_lang br_builtin_langs[] = {
        {"en",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Join a meeting",
                 [BR_MSG_LANDING_INTRO] = "Enter the name of the meeting room. You will be asked "
                                          "to sign in with your organisation's account.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Enter the name of the meeting room. You will be "
                                              "asked to sign in with your {org} account.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Room name",
                 [BR_MSG_LANDING_SUBMIT] = "Sign in and join",
                 [BR_MSG_DENIED_TITLE] = "Access denied",
                 [BR_MSG_DENIED_USER_ROOM] =
                         "You are signed in as {user}. This account may not join the room {room}.",
                 [BR_MSG_DENIED_USER] =
                         "You are signed in as {user}. This account may not join this room.",
                 [BR_MSG_DENIED_ROOM] = "Your account may not join the room {room}.",
                 [BR_MSG_DENIED_PLAIN] = "Your account may not join this room.",
                 [BR_MSG_DENIED_HINT] = "If you have another account that may join, sign out and "
                                        "sign in with it.",
                 [BR_MSG_DENIED_SWITCH] = "Sign in with another account",
                 [BR_MSG_REASON] = "Reason: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Sign-in is temporarily unavailable",
                 [BR_MSG_UNAVAILABLE_TEXT] = "The sign-in service cannot be reached right now. "
                                             "Please try again later.",
                 [BR_MSG_TIMEOUT_TITLE] = "The sign-in service did not answer",
                 [BR_MSG_TIMEOUT_TEXT] = "It did not answer in time. Please try again later.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Sign-in failed",
                 [BR_MSG_IDP_ERROR_TEXT] =
                         "The sign-in service gave an answer that could not be accepted.",
                 [BR_MSG_IDP_ERROR_CODE] = "Error code: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Please try again later. If this keeps happening, "
                                             "tell your administrator.",
                 [BR_MSG_EXPIRED_TITLE] = "Your sign-in has expired",
                 [BR_MSG_EXPIRED_TEXT] = "The sign-in took too long, was already completed, or "
                                         "was started in another browser.",
                 [BR_MSG_EXPIRED_ROOM] = "Room: {room}",
                 [BR_MSG_INVALID_TITLE] = "Invalid request",
                 [BR_MSG_INVALID_TEXT] = "The request could not be understood.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Page not found",
                 [BR_MSG_NOT_FOUND_TEXT] = "There is nothing at this address.",
                 [BR_MSG_METHOD_TITLE] = "Method not allowed",
                 [BR_MSG_METHOD_TEXT] = "This address does not accept this kind of request.",
                 [BR_MSG_INTERNAL_TITLE] = "Internal error",
                 [BR_MSG_INTERNAL_TEXT] =
                         "Something went wrong on our side. Please try again later.",
                 [BR_MSG_TRY_AGAIN] = "Try again",
                 [BR_MSG_START_AGAIN] = "Start again",
                 [BR_MSG_HOME] = "Go to the start page",
                 [BR_MSG_STATUS] = "Error {status}",
                 [BR_MSG_SUPPORT] = "Need help? {contact}",
                 [BR_MSG_APP_TITLE] = "Open the Jitsi app",
                 [BR_MSG_APP_USER_ROOM] = "You are signed in as {user}. The room {room} is waiting "
                                          "for you in the {app} app.",
                 [BR_MSG_APP_USER] = "You are signed in as {user}. Your meeting is waiting for you "
                                     "in the {app} app.",
                 [BR_MSG_APP_ROOM] =
                         "You are signed in. The room {room} is waiting for you in the {app} app.",
                 [BR_MSG_APP_PLAIN] =
                         "You are signed in. Your meeting is waiting for you in the {app} app.",
                 [BR_MSG_APP_OPEN] = "Open in the Jitsi app",
                 [BR_MSG_APP_CONTINUE] = "Continue in this browser",
                 [BR_MSG_APP_NOTE] = "Both links hold your sign-in for this meeting: do not share "
                                     "them. If the app does not open, it is not installed on this "
                                     "device: continue in the browser.",
                 [BR_MSG_INLINE_OK_TITLE] = "Signed in",
                 [BR_MSG_INLINE_OK_TEXT] = "You can close this window and return to the meeting.",
                 [BR_MSG_INLINE_CONTINUE] = "Continue to the meeting",
                 [BR_MSG_INLINE_FAILED_TEXT] = "The sign-in did not succeed.",
                 [BR_MSG_LOGOUT_TITLE] = "Signed out",
                 [BR_MSG_LOGOUT_TEXT] = "You are signed out.",
         }},
        {"de",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Einer Konferenz beitreten",
                 [BR_MSG_LANDING_INTRO] = "Geben Sie den Namen des Konferenzraums ein. "
                                          "Anschließend melden Sie sich mit dem Konto Ihrer "
                                          "Organisation an.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Geben Sie den Namen des Konferenzraums ein. "
                                              "Anschließend melden Sie sich mit Ihrem Konto bei "
                                              "{org} an.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Name des Raums",
                 [BR_MSG_LANDING_SUBMIT] = "Anmelden und beitreten",
                 [BR_MSG_DENIED_TITLE] = "Kein Zugang",
                 [BR_MSG_DENIED_USER_ROOM] = "Sie sind als {user} angemeldet. Mit diesem Konto "
                                             "können Sie dem Raum {room} nicht beitreten.",
                 [BR_MSG_DENIED_USER] = "Sie sind als {user} angemeldet. Mit diesem Konto können "
                                        "Sie diesem Raum nicht beitreten.",
                 [BR_MSG_DENIED_ROOM] =
                         "Mit Ihrem Konto können Sie dem Raum {room} nicht beitreten.",
                 [BR_MSG_DENIED_PLAIN] = "Mit Ihrem Konto können Sie diesem Raum nicht beitreten.",
                 [BR_MSG_DENIED_HINT] = "Falls Sie ein anderes Konto mit Zugang haben, melden Sie "
                                        "sich ab und mit dem anderen Konto wieder an.",
                 [BR_MSG_DENIED_SWITCH] = "Mit einem anderen Konto anmelden",
                 [BR_MSG_REASON] = "Grund: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Die Anmeldung ist vorübergehend nicht möglich",
                 [BR_MSG_UNAVAILABLE_TEXT] = "Der Anmeldedienst ist gerade nicht erreichbar. "
                                             "Bitte versuchen Sie es später noch einmal.",
                 [BR_MSG_TIMEOUT_TITLE] = "Der Anmeldedienst antwortet nicht",
                 [BR_MSG_TIMEOUT_TEXT] = "Er hat nicht rechtzeitig geantwortet. Bitte versuchen "
                                         "Sie es später noch einmal.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Die Anmeldung ist fehlgeschlagen",
                 [BR_MSG_IDP_ERROR_TEXT] = "Der Anmeldedienst hat eine Antwort geschickt, die "
                                           "nicht angenommen werden konnte.",
                 [BR_MSG_IDP_ERROR_CODE] = "Fehlercode: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Bitte versuchen Sie es später noch einmal. Tritt "
                                             "der Fehler weiterhin auf, wenden Sie sich an Ihre "
                                             "IT-Administration.",
                 [BR_MSG_EXPIRED_TITLE] = "Ihre Anmeldung ist abgelaufen",
                 [BR_MSG_EXPIRED_TEXT] = "Die Anmeldung hat zu lange gedauert, wurde bereits "
                                         "abgeschlossen oder in einem anderen Browser begonnen.",
                 [BR_MSG_EXPIRED_ROOM] = "Raum: {room}",
                 [BR_MSG_INVALID_TITLE] = "Ungültige Anfrage",
                 [BR_MSG_INVALID_TEXT] = "Die Anfrage konnte nicht verarbeitet werden.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Seite nicht gefunden",
                 [BR_MSG_NOT_FOUND_TEXT] = "Unter dieser Adresse gibt es keine Seite.",
                 [BR_MSG_METHOD_TITLE] = "Anfrageart nicht erlaubt",
                 [BR_MSG_METHOD_TEXT] = "Diese Adresse nimmt diese Art von Anfrage nicht an.",
                 [BR_MSG_INTERNAL_TITLE] = "Interner Fehler",
                 [BR_MSG_INTERNAL_TEXT] = "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie "
                                          "es später noch einmal.",
                 [BR_MSG_TRY_AGAIN] = "Erneut versuchen",
                 [BR_MSG_START_AGAIN] = "Von vorn beginnen",
                 [BR_MSG_HOME] = "Zur Startseite",
                 [BR_MSG_STATUS] = "Fehler {status}",
                 [BR_MSG_SUPPORT] = "Bei Fragen: {contact}",
                 [BR_MSG_APP_TITLE] = "Jitsi-App öffnen",
                 [BR_MSG_APP_USER_ROOM] = "Sie sind als {user} angemeldet. Der Raum {room} wartet "
                                          "in der {app}-App auf Sie.",
                 [BR_MSG_APP_USER] = "Sie sind als {user} angemeldet. Ihre Konferenz wartet in der "
                                     "{app}-App auf Sie.",
                 [BR_MSG_APP_ROOM] =
                         "Sie sind angemeldet. Der Raum {room} wartet in der {app}-App auf Sie.",
                 [BR_MSG_APP_PLAIN] =
                         "Sie sind angemeldet. Ihre Konferenz wartet in der {app}-App auf Sie.",
                 [BR_MSG_APP_OPEN] = "In der Jitsi-App öffnen",
                 [BR_MSG_APP_CONTINUE] = "In diesem Browser fortfahren",
                 [BR_MSG_APP_NOTE] =
                         "Beide Links enthalten Ihre Anmeldedaten für diese Konferenz: Geben Sie "
                         "sie "
                         "nicht weiter. Öffnet sich die App nicht, ist sie auf diesem Gerät nicht "
                         "installiert – fahren Sie dann im Browser fort.",
                 [BR_MSG_INLINE_OK_TITLE] = "Angemeldet",
                 [BR_MSG_INLINE_OK_TEXT] =
                         "Sie können dieses Fenster schließen und zur Konferenz zurückkehren.",
                 [BR_MSG_INLINE_CONTINUE] = "Weiter zur Konferenz",
                 [BR_MSG_INLINE_FAILED_TEXT] = "Die Anmeldung war nicht erfolgreich.",
                 [BR_MSG_LOGOUT_TITLE] = "Abgemeldet",
                 [BR_MSG_LOGOUT_TEXT] = "Sie sind abgemeldet.",
         }},
        {"fr",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Rejoindre une réunion",
                 [BR_MSG_LANDING_INTRO] = "Saisissez le nom de la salle de réunion. Il vous sera "
                                          "ensuite demandé de vous connecter avec le compte de "
                                          "votre organisation.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Saisissez le nom de la salle de réunion. Il vous "
                                              "sera ensuite demandé de vous connecter avec votre "
                                              "compte {org}.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Nom de la salle",
                 [BR_MSG_LANDING_SUBMIT] = "Se connecter et rejoindre",
                 [BR_MSG_DENIED_TITLE] = "Accès refusé",
                 [BR_MSG_DENIED_USER_ROOM] = "Vous utilisez le compte {user}, qui ne permet pas "
                                             "de rejoindre la salle {room}.",
                 [BR_MSG_DENIED_USER] = "Vous utilisez le compte {user}, qui ne permet pas de "
                                        "rejoindre cette salle.",
                 [BR_MSG_DENIED_ROOM] = "Votre compte ne permet pas de rejoindre la salle {room}.",
                 [BR_MSG_DENIED_PLAIN] = "Votre compte ne permet pas de rejoindre cette salle.",
                 [BR_MSG_DENIED_HINT] = "Si vous disposez d'un autre compte autorisé, "
                                        "déconnectez-vous puis reconnectez-vous avec celui-ci.",
                 [BR_MSG_DENIED_SWITCH] = "Se connecter avec un autre compte",
                 [BR_MSG_REASON] = "Motif" NBSP ": {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Connexion momentanément indisponible",
                 [BR_MSG_UNAVAILABLE_TEXT] = "Le service de connexion est injoignable pour le "
                                             "moment. Veuillez réessayer plus tard.",
                 [BR_MSG_TIMEOUT_TITLE] = "Le service de connexion ne répond pas",
                 [BR_MSG_TIMEOUT_TEXT] = "Il n'a pas répondu à temps. Veuillez réessayer plus "
                                         "tard.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Échec de la connexion",
                 [BR_MSG_IDP_ERROR_TEXT] = "Le service de connexion a renvoyé une réponse qui "
                                           "n'a pas pu être acceptée.",
                 [BR_MSG_IDP_ERROR_CODE] = "Code d'erreur" NBSP ": {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Veuillez réessayer plus tard. Si le problème "
                                             "persiste, contactez votre service informatique.",
                 [BR_MSG_EXPIRED_TITLE] = "Votre connexion a expiré",
                 [BR_MSG_EXPIRED_TEXT] = "La connexion a pris trop de temps, a déjà abouti ou a "
                                         "été lancée depuis un autre navigateur.",
                 [BR_MSG_EXPIRED_ROOM] = "Salle" NBSP ": {room}",
                 [BR_MSG_INVALID_TITLE] = "Requête invalide",
                 [BR_MSG_INVALID_TEXT] = "La requête n'a pas pu être traitée.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Page introuvable",
                 [BR_MSG_NOT_FOUND_TEXT] = "Aucune page n'existe à cette adresse.",
                 [BR_MSG_METHOD_TITLE] = "Méthode non autorisée",
                 [BR_MSG_METHOD_TEXT] = "Cette adresse n'accepte pas ce type de requête.",
                 [BR_MSG_INTERNAL_TITLE] = "Erreur interne",
                 [BR_MSG_INTERNAL_TEXT] = "Un problème est survenu de notre côté. Veuillez "
                                          "réessayer plus tard.",
                 [BR_MSG_TRY_AGAIN] = "Réessayer",
                 [BR_MSG_START_AGAIN] = "Recommencer",
                 [BR_MSG_HOME] = "Retour à l'accueil",
                 [BR_MSG_STATUS] = "Erreur {status}",
                 [BR_MSG_SUPPORT] = "Besoin d'aide" NBSP "? {contact}",
                 [BR_MSG_APP_TITLE] = "Ouvrir l'application Jitsi",
                 [BR_MSG_APP_USER_ROOM] = "Vous utilisez le compte {user}. La salle {room} vous "
                                          "attend dans l'application {app}.",
                 [BR_MSG_APP_USER] = "Vous utilisez le compte {user}. Votre réunion vous attend "
                                     "dans l'application {app}.",
                 [BR_MSG_APP_ROOM] = "La connexion a réussi. La salle {room} vous attend dans "
                                     "l'application {app}.",
                 [BR_MSG_APP_PLAIN] = "La connexion a réussi. Votre réunion vous attend dans "
                                      "l'application {app}.",
                 [BR_MSG_APP_OPEN] = "Ouvrir dans l'application Jitsi",
                 [BR_MSG_APP_CONTINUE] = "Continuer dans ce navigateur",
                 [BR_MSG_APP_NOTE] =
                         "Ces deux liens contiennent vos informations de connexion à cette "
                         "réunion" NBSP
                         ": ne les partagez pas. Si l'application ne s'ouvre pas, c'est qu'elle "
                         "n'est pas installée sur cet appareil" NBSP
                         ": continuez dans le navigateur.",
                 [BR_MSG_INLINE_OK_TITLE] = "Connexion réussie",
                 [BR_MSG_INLINE_OK_TEXT] =
                         "Vous pouvez fermer cette fenêtre et retourner à la réunion.",
                 [BR_MSG_INLINE_CONTINUE] = "Accéder à la réunion",
                 [BR_MSG_INLINE_FAILED_TEXT] = "La connexion n'a pas abouti.",
                 [BR_MSG_LOGOUT_TITLE] = "Session fermée",
                 [BR_MSG_LOGOUT_TEXT] = "Votre session est fermée.",
         }},
        {"es",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Unirse a una reunión",
                 [BR_MSG_LANDING_INTRO] = "Introduzca el nombre de la sala de reuniones. A "
                                          "continuación, deberá iniciar sesión con la cuenta de "
                                          "su organización.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Introduzca el nombre de la sala de reuniones. A "
                                              "continuación, deberá iniciar sesión con su cuenta "
                                              "de {org}.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Nombre de la sala",
                 [BR_MSG_LANDING_SUBMIT] = "Iniciar sesión y entrar",
                 [BR_MSG_DENIED_TITLE] = "Acceso denegado",
                 [BR_MSG_DENIED_USER_ROOM] = "Ha iniciado sesión como {user}. Esta cuenta no "
                                             "tiene acceso a la sala {room}.",
                 [BR_MSG_DENIED_USER] = "Ha iniciado sesión como {user}. Esta cuenta no tiene "
                                        "acceso a esta sala.",
                 [BR_MSG_DENIED_ROOM] = "Su cuenta no tiene acceso a la sala {room}.",
                 [BR_MSG_DENIED_PLAIN] = "Su cuenta no tiene acceso a esta sala.",
                 [BR_MSG_DENIED_HINT] = "Si dispone de otra cuenta con acceso, cierre la sesión y "
                                        "vuelva a iniciarla con esa cuenta.",
                 [BR_MSG_DENIED_SWITCH] = "Iniciar sesión con otra cuenta",
                 [BR_MSG_REASON] = "Motivo: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "El inicio de sesión no está disponible en este "
                                              "momento",
                 [BR_MSG_UNAVAILABLE_TEXT] = "Ahora mismo no es posible conectar con el servicio "
                                             "de inicio de sesión. Inténtelo de nuevo más tarde.",
                 [BR_MSG_TIMEOUT_TITLE] = "El servicio de inicio de sesión no responde",
                 [BR_MSG_TIMEOUT_TEXT] = "No ha respondido a tiempo. Inténtelo de nuevo más "
                                         "tarde.",
                 [BR_MSG_IDP_ERROR_TITLE] = "No se ha podido iniciar sesión",
                 [BR_MSG_IDP_ERROR_TEXT] = "El servicio de inicio de sesión ha enviado una "
                                           "respuesta que no se ha podido aceptar.",
                 [BR_MSG_IDP_ERROR_CODE] = "Código de error: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Inténtelo de nuevo más tarde. Si el problema "
                                             "persiste, póngase en contacto con el servicio de "
                                             "informática de su organización.",
                 [BR_MSG_EXPIRED_TITLE] = "Su inicio de sesión ha caducado",
                 [BR_MSG_EXPIRED_TEXT] = "El inicio de sesión ha tardado demasiado, ya se había "
                                         "completado o se inició en otro navegador.",
                 [BR_MSG_EXPIRED_ROOM] = "Sala: {room}",
                 [BR_MSG_INVALID_TITLE] = "Solicitud no válida",
                 [BR_MSG_INVALID_TEXT] = "No se ha podido interpretar la solicitud.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Página no encontrada",
                 [BR_MSG_NOT_FOUND_TEXT] = "No hay ninguna página en esta dirección.",
                 [BR_MSG_METHOD_TITLE] = "Método no permitido",
                 [BR_MSG_METHOD_TEXT] = "Esta dirección no admite este tipo de solicitud.",
                 [BR_MSG_INTERNAL_TITLE] = "Error interno",
                 [BR_MSG_INTERNAL_TEXT] = "Se ha producido un error por nuestra parte. Inténtelo "
                                          "de nuevo más tarde.",
                 [BR_MSG_TRY_AGAIN] = "Volver a intentarlo",
                 [BR_MSG_START_AGAIN] = "Empezar de nuevo",
                 [BR_MSG_HOME] = "Ir a la página de inicio",
                 [BR_MSG_STATUS] = "Error {status}",
                 [BR_MSG_SUPPORT] = "¿Necesita ayuda? {contact}",
                 [BR_MSG_APP_TITLE] = "Abrir la aplicación Jitsi",
                 [BR_MSG_APP_USER_ROOM] = "Ha iniciado sesión como {user}. La sala {room} le "
                                          "espera en la aplicación {app}.",
                 [BR_MSG_APP_USER] = "Ha iniciado sesión como {user}. Su reunión le espera en la "
                                     "aplicación {app}.",
                 [BR_MSG_APP_ROOM] =
                         "Ha iniciado sesión. La sala {room} le espera en la aplicación {app}.",
                 [BR_MSG_APP_PLAIN] =
                         "Ha iniciado sesión. Su reunión le espera en la aplicación {app}.",
                 [BR_MSG_APP_OPEN] = "Abrir en la aplicación Jitsi",
                 [BR_MSG_APP_CONTINUE] = "Continuar en este navegador",
                 [BR_MSG_APP_NOTE] =
                         "Ambos enlaces contienen sus datos de acceso a esta reunión: no los "
                         "comparta. Si la aplicación no se abre, es que no está instalada en este "
                         "dispositivo; en ese caso, continúe en el navegador.",
                 [BR_MSG_INLINE_OK_TITLE] = "Sesión iniciada",
                 [BR_MSG_INLINE_OK_TEXT] = "Puede cerrar esta ventana y volver a la reunión.",
                 [BR_MSG_INLINE_CONTINUE] = "Ir a la reunión",
                 [BR_MSG_INLINE_FAILED_TEXT] = "No se ha podido iniciar sesión.",
                 [BR_MSG_LOGOUT_TITLE] = "Sesión cerrada",
                 [BR_MSG_LOGOUT_TEXT] = "Ha cerrado la sesión.",
         }},
        {"it",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Partecipa a una riunione",
                 [BR_MSG_LANDING_INTRO] = "Inserisca il nome della stanza della riunione. Le verrà "
                                          "poi chiesto di accedere con l'account della sua "
                                          "organizzazione.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Inserisca il nome della stanza della riunione. Le "
                                              "verrà poi chiesto di accedere con il suo account "
                                              "{org}.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Nome della stanza",
                 [BR_MSG_LANDING_SUBMIT] = "Accedi e partecipa",
                 [BR_MSG_DENIED_TITLE] = "Accesso negato",
                 [BR_MSG_DENIED_USER_ROOM] = "Ha effettuato l'accesso come {user}. Questo account "
                                             "non è autorizzato a entrare nella stanza {room}.",
                 [BR_MSG_DENIED_USER] = "Ha effettuato l'accesso come {user}. Questo account non è "
                                        "autorizzato a entrare in questa stanza.",
                 [BR_MSG_DENIED_ROOM] =
                         "Il suo account non è autorizzato a entrare nella stanza {room}.",
                 [BR_MSG_DENIED_PLAIN] =
                         "Il suo account non è autorizzato a entrare in questa stanza.",
                 [BR_MSG_DENIED_HINT] = "Se dispone di un altro account autorizzato, esca e "
                                        "acceda di nuovo con quell'account.",
                 [BR_MSG_DENIED_SWITCH] = "Accedi con un altro account",
                 [BR_MSG_REASON] = "Motivo: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Accesso temporaneamente non disponibile",
                 [BR_MSG_UNAVAILABLE_TEXT] = "Al momento il servizio di accesso non è "
                                             "raggiungibile. Riprovi più tardi.",
                 [BR_MSG_TIMEOUT_TITLE] = "Il servizio di accesso non risponde",
                 [BR_MSG_TIMEOUT_TEXT] = "Non ha risposto in tempo. Riprovi più tardi.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Accesso non riuscito",
                 [BR_MSG_IDP_ERROR_TEXT] = "Il servizio di accesso ha inviato una risposta che non "
                                           "è stato possibile accettare.",
                 [BR_MSG_IDP_ERROR_CODE] = "Codice di errore: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Riprovi più tardi. Se il problema persiste, si "
                                             "rivolga all'assistenza tecnica.",
                 [BR_MSG_EXPIRED_TITLE] = "L'accesso è scaduto",
                 [BR_MSG_EXPIRED_TEXT] = "L'accesso ha richiesto troppo tempo, è già stato "
                                         "completato oppure è stato avviato in un altro browser.",
                 [BR_MSG_EXPIRED_ROOM] = "Stanza: {room}",
                 [BR_MSG_INVALID_TITLE] = "Richiesta non valida",
                 [BR_MSG_INVALID_TEXT] = "Non è stato possibile interpretare la richiesta.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Pagina non trovata",
                 [BR_MSG_NOT_FOUND_TEXT] = "A questo indirizzo non c'è nessuna pagina.",
                 [BR_MSG_METHOD_TITLE] = "Metodo non consentito",
                 [BR_MSG_METHOD_TEXT] = "Questo indirizzo non accetta questo tipo di richiesta.",
                 [BR_MSG_INTERNAL_TITLE] = "Errore interno",
                 [BR_MSG_INTERNAL_TEXT] = "Si è verificato un problema da parte nostra. Riprovi "
                                          "più tardi.",
                 [BR_MSG_TRY_AGAIN] = "Riprova",
                 [BR_MSG_START_AGAIN] = "Ricomincia",
                 [BR_MSG_HOME] = "Vai alla pagina iniziale",
                 [BR_MSG_STATUS] = "Errore {status}",
                 [BR_MSG_SUPPORT] = "Ha bisogno di aiuto? {contact}",
                 [BR_MSG_APP_TITLE] = "Apri l'app Jitsi",
                 [BR_MSG_APP_USER_ROOM] = "Ha effettuato l'accesso come {user}. La stanza {room} "
                                          "la aspetta nell'app {app}.",
                 [BR_MSG_APP_USER] = "Ha effettuato l'accesso come {user}. La sua riunione la "
                                     "aspetta nell'app {app}.",
                 [BR_MSG_APP_ROOM] =
                         "Ha effettuato l'accesso. La stanza {room} la aspetta nell'app {app}.",
                 [BR_MSG_APP_PLAIN] =
                         "Ha effettuato l'accesso. La sua riunione la aspetta nell'app {app}.",
                 [BR_MSG_APP_OPEN] = "Apri nell'app Jitsi",
                 [BR_MSG_APP_CONTINUE] = "Continua in questo browser",
                 [BR_MSG_APP_NOTE] =
                         "Entrambi i link contengono i suoi dati di accesso a questa riunione: non "
                         "li "
                         "condivida. Se l'app non si apre, significa che non è installata su "
                         "questo dispositivo: in tal caso continui nel browser.",
                 [BR_MSG_INLINE_OK_TITLE] = "Accesso effettuato",
                 [BR_MSG_INLINE_OK_TEXT] = "Può chiudere questa finestra e tornare alla riunione.",
                 [BR_MSG_INLINE_CONTINUE] = "Vai alla riunione",
                 [BR_MSG_INLINE_FAILED_TEXT] = "L'accesso non è riuscito.",
                 [BR_MSG_LOGOUT_TITLE] = "Disconnessione effettuata",
                 [BR_MSG_LOGOUT_TEXT] = "La sessione è stata chiusa.",
         }},
        {"nl",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Deelnemen aan een vergadering",
                 [BR_MSG_LANDING_INTRO] = "Voer de naam van de vergaderruimte in. Daarna logt u "
                                          "in met het account van uw organisatie.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Voer de naam van de vergaderruimte in. Daarna logt "
                                              "u in met uw account bij {org}.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Naam van de ruimte",
                 [BR_MSG_LANDING_SUBMIT] = "Inloggen en deelnemen",
                 [BR_MSG_DENIED_TITLE] = "Geen toegang",
                 [BR_MSG_DENIED_USER_ROOM] = "U bent ingelogd als {user}. Met dit account kunt u "
                                             "niet deelnemen aan de ruimte {room}.",
                 [BR_MSG_DENIED_USER] = "U bent ingelogd als {user}. Met dit account kunt u niet "
                                        "deelnemen aan deze ruimte.",
                 [BR_MSG_DENIED_ROOM] =
                         "Met uw account kunt u niet deelnemen aan de ruimte {room}.",
                 [BR_MSG_DENIED_PLAIN] = "Met uw account kunt u niet deelnemen aan deze ruimte.",
                 [BR_MSG_DENIED_HINT] = "Hebt u een ander account dat wel toegang heeft? Log dan "
                                        "uit en log opnieuw in met dat account.",
                 [BR_MSG_DENIED_SWITCH] = "Inloggen met een ander account",
                 [BR_MSG_REASON] = "Reden: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Inloggen is tijdelijk niet mogelijk",
                 [BR_MSG_UNAVAILABLE_TEXT] = "De inlogdienst is op dit moment niet bereikbaar. "
                                             "Probeer het later opnieuw.",
                 [BR_MSG_TIMEOUT_TITLE] = "De inlogdienst reageert niet",
                 [BR_MSG_TIMEOUT_TEXT] = "Er kwam niet op tijd antwoord. Probeer het later "
                                         "opnieuw.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Inloggen mislukt",
                 [BR_MSG_IDP_ERROR_TEXT] = "De inlogdienst gaf een antwoord dat niet kon worden "
                                           "geaccepteerd.",
                 [BR_MSG_IDP_ERROR_CODE] = "Foutcode: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Probeer het later opnieuw. Blijft dit gebeuren, "
                                             "neem dan contact op met uw beheerder.",
                 [BR_MSG_EXPIRED_TITLE] = "Uw inlogpoging is verlopen",
                 [BR_MSG_EXPIRED_TEXT] = "Het inloggen duurde te lang, was al afgerond of is in "
                                         "een andere browser begonnen.",
                 [BR_MSG_EXPIRED_ROOM] = "Ruimte: {room}",
                 [BR_MSG_INVALID_TITLE] = "Ongeldig verzoek",
                 [BR_MSG_INVALID_TEXT] = "Het verzoek kon niet worden verwerkt.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Pagina niet gevonden",
                 [BR_MSG_NOT_FOUND_TEXT] = "Op dit adres staat geen pagina.",
                 [BR_MSG_METHOD_TITLE] = "Methode niet toegestaan",
                 [BR_MSG_METHOD_TEXT] = "Dit adres accepteert dit soort verzoeken niet.",
                 [BR_MSG_INTERNAL_TITLE] = "Interne fout",
                 [BR_MSG_INTERNAL_TEXT] = "Er is bij ons iets misgegaan. Probeer het later "
                                          "opnieuw.",
                 [BR_MSG_TRY_AGAIN] = "Opnieuw proberen",
                 [BR_MSG_START_AGAIN] = "Opnieuw beginnen",
                 [BR_MSG_HOME] = "Naar de startpagina",
                 [BR_MSG_STATUS] = "Fout {status}",
                 [BR_MSG_SUPPORT] = "Hulp nodig? {contact}",
                 [BR_MSG_APP_TITLE] = "Jitsi-app openen",
                 [BR_MSG_APP_USER_ROOM] =
                         "U bent ingelogd als {user}. De ruimte {room} wacht op u in de {app}-app.",
                 [BR_MSG_APP_USER] =
                         "U bent ingelogd als {user}. Uw vergadering wacht op u in de {app}-app.",
                 [BR_MSG_APP_ROOM] =
                         "U bent ingelogd. De ruimte {room} wacht op u in de {app}-app.",
                 [BR_MSG_APP_PLAIN] = "U bent ingelogd. Uw vergadering wacht op u in de {app}-app.",
                 [BR_MSG_APP_OPEN] = "Openen in de Jitsi-app",
                 [BR_MSG_APP_CONTINUE] = "Verder in deze browser",
                 [BR_MSG_APP_NOTE] = "Beide links bevatten uw inloggegevens voor deze vergadering: "
                                     "deel ze niet. Opent de app niet, dan is die niet op dit "
                                     "apparaat geïnstalleerd; ga dan verder in de browser.",
                 [BR_MSG_INLINE_OK_TITLE] = "Ingelogd",
                 [BR_MSG_INLINE_OK_TEXT] =
                         "U kunt dit venster sluiten en teruggaan naar de vergadering.",
                 [BR_MSG_INLINE_CONTINUE] = "Verder naar de vergadering",
                 [BR_MSG_INLINE_FAILED_TEXT] = "Het inloggen is niet gelukt.",
                 [BR_MSG_LOGOUT_TITLE] = "Uitgelogd",
                 [BR_MSG_LOGOUT_TEXT] = "U bent uitgelogd.",
         }},
        {"pt",
         {
                 [BR_MSG_TITLE_ORG] = "{title} · {org}",
                 [BR_MSG_LANDING_TITLE] = "Participar numa reunião",
                 [BR_MSG_LANDING_INTRO] = "Indique o nome da sala da reunião. Em seguida, terá de "
                                          "iniciar sessão com a conta da sua organização.",
                 [BR_MSG_LANDING_INTRO_ORG] = "Indique o nome da sala da reunião. Em seguida, terá "
                                              "de iniciar sessão com a sua conta de {org}.",
                 [BR_MSG_LANDING_ROOM_LABEL] = "Nome da sala",
                 [BR_MSG_LANDING_SUBMIT] = "Iniciar sessão e participar",
                 [BR_MSG_DENIED_TITLE] = "Acesso negado",
                 [BR_MSG_DENIED_USER_ROOM] = "Tem sessão iniciada como {user}. Esta conta não tem "
                                             "acesso à sala {room}.",
                 [BR_MSG_DENIED_USER] = "Tem sessão iniciada como {user}. Esta conta não tem "
                                        "acesso a esta sala.",
                 [BR_MSG_DENIED_ROOM] = "A sua conta não tem acesso à sala {room}.",
                 [BR_MSG_DENIED_PLAIN] = "A sua conta não tem acesso a esta sala.",
                 [BR_MSG_DENIED_HINT] = "Se tiver outra conta com acesso, termine a sessão e volte "
                                        "a iniciá-la com essa conta.",
                 [BR_MSG_DENIED_SWITCH] = "Iniciar sessão com outra conta",
                 [BR_MSG_REASON] = "Motivo: {reason}",
                 [BR_MSG_UNAVAILABLE_TITLE] = "Início de sessão temporariamente indisponível",
                 [BR_MSG_UNAVAILABLE_TEXT] = "De momento, não é possível contactar o serviço de "
                                             "autenticação. Tente novamente mais tarde.",
                 [BR_MSG_TIMEOUT_TITLE] = "O serviço de autenticação não respondeu",
                 [BR_MSG_TIMEOUT_TEXT] = "Não houve resposta a tempo. Tente novamente mais tarde.",
                 [BR_MSG_IDP_ERROR_TITLE] = "Falha no início de sessão",
                 [BR_MSG_IDP_ERROR_TEXT] = "O serviço de autenticação enviou uma resposta que não "
                                           "foi possível aceitar.",
                 [BR_MSG_IDP_ERROR_CODE] = "Código de erro: {code}",
                 [BR_MSG_IDP_ERROR_ADVICE] = "Tente novamente mais tarde. Se o problema "
                                             "persistir, contacte o apoio informático.",
                 [BR_MSG_EXPIRED_TITLE] = "O início de sessão expirou",
                 [BR_MSG_EXPIRED_TEXT] = "O início de sessão demorou demasiado, já tinha sido "
                                         "concluído ou foi iniciado noutro navegador.",
                 [BR_MSG_EXPIRED_ROOM] = "Sala: {room}",
                 [BR_MSG_INVALID_TITLE] = "Pedido inválido",
                 [BR_MSG_INVALID_TEXT] = "Não foi possível interpretar o pedido.",
                 [BR_MSG_NOT_FOUND_TITLE] = "Página não encontrada",
                 [BR_MSG_NOT_FOUND_TEXT] = "Não existe nenhuma página neste endereço.",
                 [BR_MSG_METHOD_TITLE] = "Método não permitido",
                 [BR_MSG_METHOD_TEXT] = "Este endereço não aceita este tipo de pedido.",
                 [BR_MSG_INTERNAL_TITLE] = "Erro interno",
                 [BR_MSG_INTERNAL_TEXT] = "Ocorreu um problema do nosso lado. Tente novamente "
                                          "mais tarde.",
                 [BR_MSG_TRY_AGAIN] = "Tentar novamente",
                 [BR_MSG_START_AGAIN] = "Recomeçar",
                 [BR_MSG_HOME] = "Ir para a página inicial",
                 [BR_MSG_STATUS] = "Erro {status}",
                 [BR_MSG_SUPPORT] = "Precisa de ajuda? {contact}",
                 [BR_MSG_APP_TITLE] = "Abrir a aplicação Jitsi",
                 [BR_MSG_APP_USER_ROOM] = "Tem sessão iniciada como {user}. A sala {room} está à "
                                          "sua espera na aplicação {app}.",
                 [BR_MSG_APP_USER] = "Tem sessão iniciada como {user}. A reunião está à sua espera "
                                     "na aplicação {app}.",
                 [BR_MSG_APP_ROOM] =
                         "Tem sessão iniciada. A sala {room} está à sua espera na aplicação {app}.",
                 [BR_MSG_APP_PLAIN] =
                         "Tem sessão iniciada. A reunião está à sua espera na aplicação {app}.",
                 [BR_MSG_APP_OPEN] = "Abrir na aplicação Jitsi",
                 [BR_MSG_APP_CONTINUE] = "Continuar neste navegador",
                 [BR_MSG_APP_NOTE] =
                         "As duas ligações contêm os seus dados de acesso a esta reunião: não as "
                         "partilhe. Se a aplicação não abrir, é porque não está instalada neste "
                         "dispositivo; nesse caso, continue no navegador.",
                 [BR_MSG_INLINE_OK_TITLE] = "Sessão iniciada",
                 [BR_MSG_INLINE_OK_TEXT] = "Pode fechar esta janela e voltar à reunião.",
                 [BR_MSG_INLINE_CONTINUE] = "Ir para a reunião",
                 [BR_MSG_INLINE_FAILED_TEXT] = "Não foi possível iniciar sessão.",
                 [BR_MSG_LOGOUT_TITLE] = "Sessão terminada",
                 [BR_MSG_LOGOUT_TEXT] = "A sua sessão foi terminada.",
         }},
};

const size_t br_builtin_n_langs = sizeof(br_builtin_langs) / sizeof(br_builtin_langs[0]);
