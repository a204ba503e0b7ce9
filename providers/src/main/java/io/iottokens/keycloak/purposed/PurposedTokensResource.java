package io.iottokens.keycloak.purposed;

import java.util.Arrays;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.crypto.Algorithm;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.JWKSServerUtils;
import org.keycloak.services.cors.Cors;

/**
 * {@code /realms/{realm}/purposed-tokens}: the public parts of ubirch's token manager. {@code scopes} is the
 * realm's scope catalogue, {@code jwk} the JWKS of the keys that sign purposed tokens (the realm's ES256
 * keys, the same entries as in the realm's {@code certs}). Neither needs a token; both allow any origin.
 */
public final class PurposedTokensResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    PurposedTokensResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Path("scopes")
    @Produces(MediaType.APPLICATION_JSON)
    public Response scopes() {
        return Cors.builder().allowAllOrigins().auth().add(Response.ok(PurposedScopes.of(realm)).cacheControl(shortCache()));
    }

    @GET
    @Path("jwk")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwk() {
        JSONWebKeySet all = JWKSServerUtils.getRealmJwks(session, realm);
        JSONWebKeySet es256 = new JSONWebKeySet();
        es256.setKeys(Arrays.stream(all.getKeys() == null ? new JWK[0] : all.getKeys())
                .filter(k -> Algorithm.ES256.equals(k.getAlgorithm()))
                .toArray(JWK[]::new));
        return Cors.builder().allowAllOrigins().auth().add(Response.ok(es256).cacheControl(shortCache()));
    }

    private static CacheControl shortCache() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return cc;
    }
}
