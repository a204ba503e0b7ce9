import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import { Label, LabelGroup, PageSection } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc } from "../shared/api";
import { ListView } from "../shared/list";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { FilterForm, Owner, short, useAdminApi, useAdminRun, useGroupPaths, useUsernames } from "./common";

type Device = {
  id: string;
  ownerId?: string;
  groups: string[];
  associatedAt?: string;
  keyThumbprint?: string;
  keyRegisteredAt?: string;
  createdAt: string;
};

/** The realm's devices: owner, groups, registered key, association; unassociate a node, forget (delete) a device. */
export default function Devices() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const paging = usePaging();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (filter.owner) q.set("owner", filter.owner);
      if (filter.group) q.set("group", filter.group);
      return api.get<Device[]>(`/devices?${q}`, signal);
    },
    [api.realm, filter.owner, filter.group, paging.first, paging.max],
  );
  const rows = (data ?? []).slice(0, paging.perPage);
  const username = useUsernames(rows.map((d) => d.ownerId));
  const groupPath = useGroupPaths(rows.flatMap((d) => d.groups));
  const run = useAdminRun(reload);
  const forget = (d: Device) => run(() => api.send("DELETE", `/devices/${enc(d.id)}`), t("iotDeviceForgotten", { id: d.id }));
  const unassociate = (d: Device) =>
    run(() => api.send("POST", `/devices/${enc(d.id)}/unassociate`), t("iotDeviceUnassociated", { id: d.id }));

  return (
    <>
      <ViewHeader titleKey="iotDevices" subKey="iotDevicesHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <ListView<Device>
          label={t("iotDevices")}
          testId="devices"
          buttons={
            <FilterForm
              filters={[
                { id: "owner", label: t("iotFilterUser"), placeholder: t("iotFilterUserPlaceholder") },
                { id: "group", label: t("iotFilterGroup"), placeholder: t("iotFilterGroupPlaceholder") },
              ]}
              onApply={(f) => {
                paging.reset();
                setFilter(f);
              }}
            />
          }
          pager={paging.pager(data?.length ?? 0, "iot-devices-pager")}
          error={error}
          rows={data}
          perPage={paging.perPage}
          empty={t("iotDevicesNone")}
          actionsLabel={t("iotActions")}
          rowKey={(d) => d.id}
          rowTestId={(d) => `device-${d.id}`}
          columns={[
            { title: t("iotDeviceId"), cell: (d) => <code>{d.id}</code> },
            { title: t("iotOwner"), cell: (d) => <Owner id={d.ownerId} name={username(d.ownerId)} /> },
            {
              title: t("iotDeviceGroups"),
              cell: (d) =>
                d.groups.length ? (
                  <LabelGroup>
                    {d.groups.map((g) => (
                      <Label key={g} color="blue" isCompact>
                        {groupPath(g) ?? g}
                      </Label>
                    ))}
                  </LabelGroup>
                ) : (
                  "—"
                ),
            },
            {
              title: t("iotDeviceKey"),
              cell: (d) =>
                d.keyThumbprint ? (
                  <>
                    <code className="pf-v5-u-font-size-sm" style={{ wordBreak: "break-all" }}>
                      {d.keyThumbprint}
                    </code>
                    <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">
                      {t("iotDeviceKeyRegistered", { when: short(d.keyRegisteredAt) })}
                    </div>
                  </>
                ) : (
                  t("iotDeviceNoKey")
                ),
            },
            {
              title: t("iotDeviceAssociated"),
              testId: "association",
              cell: (d) => (d.associatedAt ? short(d.associatedAt) : t("iotDeviceNotAssociated")),
            },
            { title: t("iotCreated"), cell: (d) => short(d.createdAt) },
          ]}
          actions={(d) => (
            <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem" }}>
              {d.associatedAt ? (
                <ConfirmButton
                  testId="unassociate"
                  label={t("iotDeviceUnassociate")}
                  title={t("iotDeviceUnassociateTitle", { id: d.id })}
                  body={t("iotDeviceUnassociateBody")}
                  confirm={t("iotDeviceUnassociate")}
                  onConfirm={() => unassociate(d)}
                />
              ) : null}
              <ConfirmButton
                testId="forget"
                danger
                label={t("iotDeviceForget")}
                title={t("iotDeviceForgetTitle", { id: d.id })}
                body={t("iotDeviceForgetBody")}
                confirm={t("iotDeviceForget")}
                onConfirm={() => forget(d)}
              />
            </div>
          )}
        />
      </PageSection>
    </>
  );
}
