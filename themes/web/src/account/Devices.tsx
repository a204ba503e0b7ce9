import { Page, useAccountAlerts, useEnvironment } from "@keycloak/keycloak-account-ui";
import { Label, Toolbar, ToolbarContent, ToolbarItem } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useTranslation } from "react-i18next";
import { call, enc, message, when } from "../shared/api";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";

type Device = {
  id: string;
  groups: string[];
  associatedAt?: string;
  keyThumbprint?: string;
  keyRegisteredAt?: string;
  createdAt: string;
};

/**
 * The user's IoT devices and edge nodes (the pack's device registry, not Keycloak's "Device activity", which lists
 * browser sessions): groups, key, association; unassociate a node, forget a device.
 */
export const Devices = () => {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const { addAlert, addError } = useAccountAlerts();
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<Device[]>(keycloak, `${realmUrl}/devices?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const rows = data ?? [];
  const run = async (d: Device, what: "unassociate" | "forget") => {
    try {
      if (what === "forget") await call(keycloak, `${realmUrl}/devices/${enc(d.id)}`, { method: "DELETE" });
      else await call(keycloak, `${realmUrl}/devices/${enc(d.id)}/unassociate`, { method: "POST" });
      addAlert(t(`iotDevice.${what}.done`, { device: d.id }));
    } catch (e) {
      addError("iotError", e);
    }
    reload();
  };

  return (
    <Page title={t("iotDevices")} description={t("iotDevicesDescription")}>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem variant="pagination">{paging.pager(rows.length, "devices-pager")}</ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {error ? <p className="pf-v5-u-danger-color-100">{message(error)}</p> : null}
      <Table aria-label={t("iotDevices")} variant="compact" data-testid="devices">
        <Thead>
          <Tr>
            <Th>{t("iotDevice.id")}</Th>
            <Th>{t("iotDevice.groups")}</Th>
            <Th>{t("iotDevice.key")}</Th>
            <Th>{t("iotDevice.association")}</Th>
            <Th>{t("iotDevice.created")}</Th>
            <Th screenReaderText={t("iotActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {rows.length === 0 && data ? (
            <Tr>
              <Td colSpan={6}>{t("iotDevice.none")}</Td>
            </Tr>
          ) : null}
          {rows.slice(0, paging.perPage).map((d) => (
            <Tr key={d.id} data-testid={`device-${d.id}`}>
              <Td dataLabel={t("iotDevice.id")}>
                <code>{d.id}</code>
              </Td>
              <Td dataLabel={t("iotDevice.groups")}>{d.groups.join(", ")}</Td>
              <Td dataLabel={t("iotDevice.key")}>
                {d.keyThumbprint ? (
                  <span title={d.keyThumbprint}>
                    <Label color="green">{t("iotDevice.keyRegistered")}</Label> {when(d.keyRegisteredAt)}
                  </span>
                ) : (
                  <Label color="grey">{t("iotDevice.noKey")}</Label>
                )}
              </Td>
              <Td dataLabel={t("iotDevice.association")} data-testid="association">
                {d.associatedAt ? (
                  <>
                    <Label color="blue">{t("iotDevice.associated")}</Label> {when(d.associatedAt)}
                  </>
                ) : (
                  t("iotDevice.notAssociated")
                )}
              </Td>
              <Td dataLabel={t("iotDevice.created")}>{when(d.createdAt)}</Td>
              <Td isActionCell>
                <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem" }}>
                  {d.associatedAt ? (
                    <ConfirmButton
                      testId="unassociate"
                      label={t("iotDevice.unassociate")}
                      title={t("iotDevice.unassociate.title", { device: d.id })}
                      body={t("iotDevice.unassociate.body")}
                      confirm={t("iotDevice.unassociate")}
                      onConfirm={() => run(d, "unassociate")}
                    />
                  ) : null}
                  <ConfirmButton
                    testId="forget"
                    danger
                    variant="link"
                    label={t("iotDevice.forget")}
                    title={t("iotDevice.forget.title", { device: d.id })}
                    body={t("iotDevice.forget.body")}
                    confirm={t("iotDevice.forget")}
                    onConfirm={() => run(d, "forget")}
                  />
                </div>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Page>
  );
};
