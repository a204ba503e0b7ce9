import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "../../node_modules/@keycloak/keycloak-account-ui/lib/keycloak-account-ui.css";

import { KeycloakProvider, routes } from "@keycloak/keycloak-account-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router-dom";
import { environment } from "./environment";
import { i18n } from "./i18n";
import { ApiKeys } from "./ApiKeys";
import { Devices } from "./Devices";
import { PurposedTokens } from "./PurposedTokens";
import { Root } from "./Root";
import { TenantGrants } from "./TenantGrants";

/** Every stock page (the package's routes), plus the pack's pages under iot/ (listed in content.json). */
const iot: RouteObject[] = [
  { path: "iot/api-keys", element: <ApiKeys /> },
  { path: "iot/purposed-tokens", element: <PurposedTokens /> },
  { path: "iot/devices", element: <Devices /> },
  { path: "iot/tenant-grants", element: <TenantGrants /> },
];

const router = createBrowserRouter([
  {
    path: decodeURIComponent(new URL(environment.baseUrl).pathname),
    element: <Root />,
    children: [...routes, ...iot],
  },
]);

i18n.init().then(() =>
  createRoot(document.getElementById("app")!).render(
    <StrictMode>
      <KeycloakProvider environment={environment}>
        <RouterProvider router={router} />
      </KeycloakProvider>
    </StrictMode>,
  ),
);
