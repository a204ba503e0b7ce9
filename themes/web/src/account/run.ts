import { useAccountAlerts } from "@keycloak/keycloak-account-ui";

/** Runs a page action: the success as an alert, a refusal as the console's error alert, then the list again. */
export function useRun(reload: () => void) {
  const { addAlert, addError } = useAccountAlerts();
  return async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      addAlert(done);
    } catch (e) {
      addError("iotError", e);
    }
    reload();
  };
}
