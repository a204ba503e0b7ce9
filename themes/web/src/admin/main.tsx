import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "@keycloak/keycloak-admin-ui/styles.css";

// KeycloakProvider from the admin package, never from @keycloak/keycloak-ui-shared: the package bundles its own
// copy of ui-shared, and only its provider feeds the contexts its hooks and pages read.
import { KeycloakProvider, routes } from "@keycloak/keycloak-admin-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router-dom";
import { App } from "./App";
import { environment } from "./environment";
import { i18n } from "./i18n";
import { iotRoutes } from "./routes";

/**
 * Every stock page (the package's routes) plus the pack's under /:realm/iot/. Hash routing under "/", as the stock
 * console of 26.7.3 (its URLs are /admin/{realm}/console/#/{realm}/...).
 */
const router = createHashRouter([{ path: "/", element: <App />, children: [...routes, ...iotRoutes] }]);

i18n.init().then(() =>
  createRoot(document.getElementById("app")!).render(
    <StrictMode>
      <KeycloakProvider environment={environment}>
        <RouterProvider router={router} />
      </KeycloakProvider>
    </StrictMode>,
  ),
);
