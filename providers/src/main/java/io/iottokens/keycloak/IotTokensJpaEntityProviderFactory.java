package io.iottokens.keycloak;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.apikey.jpa.ApiKeyHashKeyEntity;
import io.iottokens.keycloak.apikey.jpa.ApiKeySessionEntity;
import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.device.jpa.DeviceEntity;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * Registers every JPA entity of the pack and the pack's one master Liquibase changelog (which includes one
 * dated file per change) with Keycloak's persistence unit. It is the pack's composition root: the one class that
 * names every feature (features import {@code common}, {@code common} imports no feature). One provider with one
 * changelog, not one per feature: Keycloak records applied changes per provider id, so splitting it would re-run
 * the changes on existing databases. Tables and entity names carry the IOT prefix:
 * entity names share one namespace with Keycloak's own.
 */
public final class IotTokensJpaEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider, NoLifecycle<JpaEntityProvider> {

    public static final String PROVIDER_ID = "iottokens";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ApiKeyEntity.class, ApiKeyHashKeyEntity.class, ApiKeySessionEntity.class, DeviceEntity.class, PurposedTokenEntity.class, TenantGrantEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/iottokens/changelog/iottokens-changelog-master.xml";
    }

    @Override
    public String getFactoryId() {
        return PROVIDER_ID;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void close() {
    }
}
