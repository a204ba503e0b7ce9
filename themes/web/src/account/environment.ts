import type { AccountEnvironment } from "@keycloak/keycloak-account-ui";
import { getInjectedEnvironment } from "@keycloak/keycloak-ui-shared";

/** What Keycloak's account index.ftl injects into the page (the stock console reads the same). */
export const environment = getInjectedEnvironment<AccountEnvironment>();

/** The realm's base URL, where the pack's self-service endpoints live. */
export const realmUrl = `${environment.serverBaseUrl}/realms/${encodeURIComponent(environment.realm)}`;
