import { Alert, AlertActionCloseButton, AlertGroup, AlertVariant } from "@patternfly/react-core";
import { createContext, useCallback, useContext, useState, type PropsWithChildren } from "react";
import { useTranslation } from "react-i18next";
import { message } from "../shared/api";

type Shown = { id: number; title: string; variant: AlertVariant; description?: string };
type Alerts = { addAlert: (title: string, variant?: AlertVariant) => void; addError: (e: unknown) => void };

const AlertsContext = createContext<Alerts | undefined>(undefined);

/**
 * Toast alerts for the pack's pages. The console's own alert hook lives in the copy of keycloak-ui-shared that
 * @keycloak/keycloak-admin-ui bundles and is not exported, so the pages have this one (same PatternFly toasts).
 */
export const AlertsProvider = ({ children }: PropsWithChildren) => {
  const { t } = useTranslation();
  const [alerts, setAlerts] = useState<Shown[]>([]);
  const remove = useCallback((id: number) => setAlerts((a) => a.filter((x) => x.id !== id)), []);
  const add = useCallback(
    (shown: Omit<Shown, "id">) => {
      const id = Date.now() + Math.random();
      setAlerts((a) => [{ id, ...shown }, ...a]);
      setTimeout(() => remove(id), 8000);
    },
    [remove],
  );
  const value: Alerts = {
    addAlert: (title, variant = AlertVariant.success) => add({ title, variant }),
    addError: (e) => add({ title: t("iotErrorTitle"), description: message(e), variant: AlertVariant.danger }),
  };
  return (
    <AlertsContext.Provider value={value}>
      <AlertGroup isToast data-testid="iot-alerts">
        {alerts.map((a) => (
          <Alert
            key={a.id}
            variant={a.variant}
            title={a.title}
            data-testid={`alert-${a.variant}`}
            actionClose={<AlertActionCloseButton onClose={() => remove(a.id)} />}
          >
            {a.description}
          </Alert>
        ))}
      </AlertGroup>
      {children}
    </AlertsContext.Provider>
  );
};

export const useIotAlerts = () => {
  const alerts = useContext(AlertsContext);
  if (!alerts) throw new Error("useIotAlerts outside AlertsProvider");
  return alerts;
};
