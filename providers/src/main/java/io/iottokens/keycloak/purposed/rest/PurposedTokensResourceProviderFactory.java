package io.iottokens.keycloak.purposed.rest;

import org.keycloak.models.KeycloakSession;

import io.iottokens.keycloak.common.FeatureResourceFactory;
import io.iottokens.keycloak.purposed.PurposedConfig;
import io.iottokens.keycloak.purposed.PurposedFeature;

/**
 * Mounts {@code /realms/{realm}/purposed-tokens}; declares the feature's server options ({@link PurposedConfig}) and
 * owns the node's {@link PurposedFeature} (the store's cleanup and expiry sweep).
 */
public final class PurposedTokensResourceProviderFactory extends FeatureResourceFactory<PurposedFeature> {

    public PurposedTokensResourceProviderFactory() {
        super(PurposedFeature.OWNER_ID, PurposedFeature::new, PurposedConfig::metadata);
    }

    @Override
    protected Object resource(KeycloakSession session, PurposedFeature feature) {
        return new PurposedTokensResource(session);
    }
}
