package io.iottokens.keycloak.apikey;

import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;

/** Lifecycle of a key: active ⇄ suspended, both → revoked (final); expiry turns an active or suspended key expired. */
public enum ApiKeyStatus {
    ACTIVE, SUSPENDED, REVOKED, EXPIRED;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ApiKeyStatus parse(String s) {
        for (ApiKeyStatus v : values()) {
            if (v.value().equals(s)) {
                return v;
            }
        }
        return null;
    }

    /** The status as of {@code now}: a stored active or suspended key past its expiry is expired. */
    public static ApiKeyStatus of(ApiKeyEntity e, long now) {
        ApiKeyStatus stored = parse(e.getStatus());
        if ((stored == ACTIVE || stored == SUSPENDED) && e.getExpiresAt() != null && e.getExpiresAt() <= now) {
            return EXPIRED;
        }
        return stored;
    }
}
