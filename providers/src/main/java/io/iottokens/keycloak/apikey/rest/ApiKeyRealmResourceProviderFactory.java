package io.iottokens.keycloak.apikey.rest;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.RealmResources;
import org.keycloak.timer.TimerProvider;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.apikey.ApiKeySessions;
import io.iottokens.keycloak.apikey.ApiKeyThrottle;

/**
 * Mounts {@code /realms/{realm}/api-keys} and owns the API key feature's server options (see
 * {@link ApiKeyConfig}), its throttle, the expiry sweep and the cleanup on user and realm removal.
 */
public final class ApiKeyRealmResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "api-keys";
    private static final Logger LOG = Logger.getLogger(ApiKeyRealmResourceProviderFactory.class);
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;
    private static final int SWEEP_BATCH = 500;

    private ApiKeyConfig config;
    private ApiKeyThrottle throttle;
    private final ApiKeySessions sessions = new ApiKeySessions();

    /** The feature as the other API key factories find it in their postInit. */
    public static ApiKeyRealmResourceProviderFactory of(KeycloakSessionFactory factory) {
        return (ApiKeyRealmResourceProviderFactory) factory.getProviderFactory(RealmResourceProvider.class, PROVIDER_ID);
    }

    public ApiKeyConfig config() {
        return config;
    }

    public ApiKeyThrottle throttle() {
        return throttle;
    }

    public ApiKeySessions sessions() {
        return sessions;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        ApiKeyService service = new ApiKeyService(session, config);
        return RealmResources.of(() -> new ApiKeyResource(session, service));
    }

    @Override
    public void init(Config.Scope scope) {
        config = ApiKeyConfig.from(scope);
        throttle = new ApiKeyThrottle(config);
        if (config.pepper() == null) {
            LOG.info("API keys: no server pepper configured (spi-realm-restapi-extension--api-keys--pepper); "
                    + "secrets are hashed with a random per-realm key kept in the database");
        } else if (config.pepper().length < 32) {
            LOG.warn("API keys: the configured pepper is shorter than 32 characters; use a longer random value");
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                new ApiKeyService(e.getKeycloakSession(), config).deleteByUser(e.getRealm(), e.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new ApiKeyService(e.getKeycloakSession(), config).deleteByRealm(e.getRealm().getId());
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(() -> sweep(factory), SWEEP_INTERVAL_MILLIS, "iottokens-api-key-expiry");
            }
        });
    }

    /** Marks keys past their expiry as expired and ends their sessions, forgets rows of long-ended sessions (idempotent on every node). */
    private void sweep(KeycloakSessionFactory factory) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                ApiKeyService service = new ApiKeyService(session, config);
                long now = System.currentTimeMillis();
                int n = service.expireDue(now, SWEEP_BATCH);
                int rows = service.forgetOldSessionRows(now);
                if (n > 0 || rows > 0) {
                    LOG.debugf("API keys: %d key(s) expired, %d row(s) of ended sessions forgotten", n, rows);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "API keys: expiry sweep failed; it runs again in %d s", SWEEP_INTERVAL_MILLIS / 1000);
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ApiKeyConfig.metadata();
    }

    @Override
    public void close() {
    }
}
