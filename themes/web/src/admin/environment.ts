import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import { getInjectedEnvironment } from "@keycloak/keycloak-ui-shared";

/** What Keycloak's admin index.ftl injects into the page (the stock console reads the same). */
export const environment = getInjectedEnvironment<AdminEnvironment>();

/** The pack's admin REST for the realm the console has selected (not the realm the administrator signed in to). */
export const adminRealmUrl = (realm: string) =>
  `${environment.adminBaseUrl}/admin/realms/${encodeURIComponent(realm)}`;
