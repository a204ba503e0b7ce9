import { Page, useEnvironment } from "@keycloak/keycloak-account-ui";
import { Label } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { call, enc, when } from "../shared/api";
import { ListView } from "../shared/list";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";
import { useRun } from "./run";

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
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<Device[]>(keycloak, `${realmUrl}/devices?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const run = useRun(reload);
  const unassociate = (d: Device) =>
    run(() => call(keycloak, `${realmUrl}/devices/${enc(d.id)}/unassociate`, { method: "POST" }), t("iotDevice.unassociate.done", { device: d.id }));
  const forget = (d: Device) =>
    run(() => call(keycloak, `${realmUrl}/devices/${enc(d.id)}`, { method: "DELETE" }), t("iotDevice.forget.done", { device: d.id }));

  return (
    <Page title={t("iotDevices")} description={t("iotDevicesDescription")}>
      <ListView<Device>
        label={t("iotDevices")}
        testId="devices"
        pager={paging.pager(data?.length ?? 0, "devices-pager")}
        error={error}
        rows={data}
        perPage={paging.perPage}
        empty={t("iotDevice.none")}
        actionsLabel={t("iotActions")}
        rowKey={(d) => d.id}
        rowTestId={(d) => `device-${d.id}`}
        columns={[
          { title: t("iotDevice.id"), cell: (d) => <code>{d.id}</code> },
          { title: t("iotDevice.groups"), cell: (d) => d.groups.join(", ") },
          {
            title: t("iotDevice.key"),
            cell: (d) =>
              d.keyThumbprint ? (
                <span title={d.keyThumbprint}>
                  <Label color="green">{t("iotDevice.keyRegistered")}</Label> {when(d.keyRegisteredAt)}
                </span>
              ) : (
                <Label color="grey">{t("iotDevice.noKey")}</Label>
              ),
          },
          {
            title: t("iotDevice.association"),
            testId: "association",
            cell: (d) =>
              d.associatedAt ? (
                <>
                  <Label color="blue">{t("iotDevice.associated")}</Label> {when(d.associatedAt)}
                </>
              ) : (
                t("iotDevice.notAssociated")
              ),
          },
          { title: t("iotDevice.created"), cell: (d) => when(d.createdAt) },
        ]}
        actions={(d) => (
          <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem" }}>
            {d.associatedAt ? (
              <ConfirmButton
                testId="unassociate"
                label={t("iotDevice.unassociate")}
                title={t("iotDevice.unassociate.title", { device: d.id })}
                body={t("iotDevice.unassociate.body")}
                confirm={t("iotDevice.unassociate")}
                onConfirm={() => unassociate(d)}
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
              onConfirm={() => forget(d)}
            />
          </div>
        )}
      />
    </Page>
  );
};
