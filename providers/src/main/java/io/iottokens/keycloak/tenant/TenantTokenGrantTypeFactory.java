package io.iottokens.keycloak.tenant;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

import io.iottokens.keycloak.common.PackGrantTypeFactory;
import io.iottokens.keycloak.common.TokenKind;

/**
 * The grant type in every tenant token's {@code jti}: such tokens are refused by Keycloak's own bearer endpoints, and
 * everywhere (the pack's endpoints, introspection) once the grant they were issued under is revoked, changed or its
 * tenant disabled ({@link TenantGrantService#stillGranted}).
 */
public final class TenantTokenGrantTypeFactory extends PackGrantTypeFactory {

    private TenantFeature feature;

    public TenantTokenGrantTypeFactory() {
        super(TokenKind.TENANT_GRANT, "it");
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature = TenantFeature.of(factory);
    }

    @Override
    protected boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
        Object tenantId = token.getOtherClaims().get(TenantTokens.CLAIM_TENANT_ID);
        return tenantId instanceof String id
                && new TenantGrantService(session, feature).stillGranted(realm, token.getIssuedFor(), id, token.getIat());
    }
}
