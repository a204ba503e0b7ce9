package io.iottokens.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;

/**
 * A grant of the pack whose user sessions live only as long as the credential behind them (an API key):
 * asked on every refresh of such a session ({@link KindRefreshTokenProvider}).
 */
public interface SessionBoundGrant {

    boolean sessionStillValid(KeycloakSession session, UserSessionModel userSession);
}
