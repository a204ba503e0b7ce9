package io.iottokens.keycloak.common;

import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;

/**
 * The pack's mappers that turn notes of sessions made by its own grants (API key, edge exchange) into claims:
 * no configuration, run after role mappers (priority {@value #PRIORITY}), on access, introspection and userinfo
 * tokens, refreshed ones included. Tokens of other sessions pass untouched.
 */
public abstract class SessionNoteMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final int PRIORITY = 1000;

    /** Adds the session's claims to an access or introspection token. */
    protected abstract AccessToken apply(AccessToken token, UserSessionModel userSession);

    /** The userinfo view; by default the same as {@link #apply}. */
    protected AccessToken applyUserInfo(AccessToken token, UserSessionModel userSession) {
        return apply(token, userSession);
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext ctx) {
        return apply(token, userSession);
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext ctx) {
        return apply(token, userSession);
    }

    @Override
    public AccessToken transformUserInfoToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                              UserSessionModel userSession, ClientSessionContext ctx) {
        return applyUserInfo(token, userSession);
    }
}
