package io.iottokens.keycloak.apikey;

import java.util.Objects;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.util.DefaultClientSessionContext;

import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.common.BoundedCache;

/**
 * The user session that the grants of one key through one client share, so that a device exchanging its
 * key every few minutes does not leave hundreds of live sessions (and database rows) behind, as a browser
 * reuses its SSO session for many tokens.
 *
 * <p>Grants with a rotated-out secret (during its grace period) share sessions of their own, marked with the
 * note {@link ApiKeyService#NOTE_SECRET}, so those can be ended when the grace is over without touching the
 * sessions of the current secret.
 *
 * <p>Only the session id is remembered, in this node's memory; a session is reused only while Keycloak
 * still holds it as valid and it is still current for this key ({@link ApiKeyService#sessionCurrent}: same generation,
 * so nothing suspended, revoked or rotated the key since) and belongs to this secret, owner and role restriction.
 * Ending a key's sessions does not need this map (the key's sessions are recorded in IOT_API_KEY_SESSION). A restart
 * or another cluster node simply starts a new session.
 */
public final class ApiKeySessions {

    private static final int MAX_ENTRIES = 100_000;
    /** lastSessionRefresh is moved forward at most this often (seconds): fewer session writes, idle accuracy within a minute. */
    private static final int REFRESH_RESOLUTION_SECONDS = 60;

    private final BoundedCache<String, String> byKeyAndClient = new BoundedCache<>(MAX_ENTRIES);

    /**
     * The context for another token from the key's session, as a refresh does it (no authentication
     * session, no note rewritten), or null when there is none to reuse: then the grant starts a session.
     * Reused only while Keycloak holds both the user and the client session as valid, they still belong to
     * this key, owner and role restriction, and the requested scope is the one the session was opened with.
     */
    public ClientSessionContext reuse(KeycloakSession session, RealmModel realm, ApiKeyEntity key, ClientModel client,
                                      UserModel user, String scope, boolean previousSecret, long now) {
        String mapKey = mapKey(key, client, previousSecret);
        String id = byKeyAndClient.get(mapKey);
        if (id == null) {
            return null;
        }
        UserSessionModel us = session.sessions().getUserSession(realm, id);
        AuthenticatedClientSessionModel cs = us == null ? null : us.getAuthenticatedClientSessionByClient(client.getId());
        if (cs == null
                || (us.getState() != null && us.getState() != UserSessionModel.State.LOGGED_IN)
                || !ApiKeyService.sessionCurrent(key, us, now)
                || previousSecret != ApiKeyService.SECRET_PREVIOUS.equals(us.getNote(ApiKeyService.NOTE_SECRET))
                || !Objects.equals(key.getRoles(), us.getNote(ApiKeyService.NOTE_ROLES))
                || !user.getId().equals(us.getUser().getId())
                || !AuthenticationManager.isSessionValid(realm, us)
                || !AuthenticationManager.isClientSessionValid(realm, client, us, cs)) {
            byKeyAndClient.remove(mapKey, id);
            return null;
        }
        if (!Objects.equals(scope, cs.getNote(OAuth2Constants.SCOPE))) {
            return null; // another scope: a session of its own, so the tokens of each scope stay what they were
        }
        int seconds = Time.currentTime();
        if (seconds - us.getLastSessionRefresh() >= REFRESH_RESOLUTION_SECONDS) {
            us.setLastSessionRefresh(seconds);
            cs.setTimestamp(seconds);
        }
        return DefaultClientSessionContext.fromClientSessionAndScopeParameter(cs, scope, session);
    }

    public void remember(ApiKeyEntity key, ClientModel client, UserSessionModel us, boolean previousSecret) {
        byKeyAndClient.put(mapKey(key, client, previousSecret), us.getId());
    }

    private static String mapKey(ApiKeyEntity key, ClientModel client, boolean previousSecret) {
        return key.getId() + '|' + client.getId() + (previousSecret ? "|previous" : "|current");
    }
}
