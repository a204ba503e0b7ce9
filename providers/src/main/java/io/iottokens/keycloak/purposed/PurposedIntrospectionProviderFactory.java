package io.iottokens.keycloak.purposed;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;

/** Introspection of purposed tokens, chosen by Keycloak for {@code token_type_hint=purposed_token}. */
public final class PurposedIntrospectionProviderFactory implements TokenIntrospectionProviderFactory, NoLifecycle<TokenIntrospectionProvider> {

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new PurposedIntrospectionProvider(session);
    }

    @Override
    public String getId() {
        return PurposedIntrospectionProvider.TOKEN_TYPE;
    }
}
