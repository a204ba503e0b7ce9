import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Form,
  FormGroup,
  Label,
  LabelGroup,
  PageSection,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc } from "../shared/api";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { useIotAlerts } from "./alerts";
import { LoadError, Owner, short, useAdminApi, useGroupPaths, useUsernames } from "./common";

type Device = {
  id: string;
  ownerId?: string;
  groups: string[];
  associatedAt?: string;
  keyThumbprint?: string;
  keyRegisteredAt?: string;
  createdAt: string;
};

/** The realm's devices: owner, groups, registered key, association; forget (delete) one. */
export default function Devices() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const { addAlert, addError } = useIotAlerts();
  const paging = usePaging();
  const [ownerInput, setOwnerInput] = useState("");
  const [groupInput, setGroupInput] = useState("");
  const [filter, setFilter] = useState({ owner: "", group: "" });
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

  const forget = async (d: Device) => {
    try {
      await api.send("DELETE", `/devices/${enc(d.id)}`);
      addAlert(t("iotDeviceForgotten", { id: d.id }));
    } catch (e) {
      addError(e);
    }
    reload();
  };

  return (
    <>
      <ViewHeader titleKey="iotDevices" subKey="iotDevicesHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Form
                className="pf-v5-u-display-flex pf-v5-u-flex-direction-row pf-v5-u-align-items-flex-end"
                style={{ gap: "var(--pf-v5-global--spacer--md)" }}
                onSubmit={(e) => {
                  e.preventDefault();
                  paging.reset();
                  setFilter({ owner: ownerInput.trim(), group: groupInput.trim() });
                }}
              >
                <FormGroup label={t("iotFilterUser")} fieldId="iot-filter-owner">
                  <TextInput
                    id="iot-filter-owner"
                    data-testid="filter-owner"
                    value={ownerInput}
                    placeholder={t("iotFilterUserPlaceholder")}
                    onChange={(_, v) => setOwnerInput(v)}
                  />
                </FormGroup>
                <FormGroup label={t("iotFilterGroup")} fieldId="iot-filter-group">
                  <TextInput
                    id="iot-filter-group"
                    data-testid="filter-group"
                    value={groupInput}
                    placeholder={t("iotFilterGroupPlaceholder")}
                    onChange={(_, v) => setGroupInput(v)}
                  />
                </FormGroup>
                <Button type="submit" data-testid="filter-apply">
                  {t("iotFilterApply")}
                </Button>
              </Form>
            </ToolbarItem>
            <ToolbarItem variant="pagination">{paging.pager(data?.length ?? 0, "iot-devices-pager")}</ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div className="pf-v5-u-px-md">
          <LoadError error={error} />
        </div>
        <div style={{ overflowX: "auto" }}>
        <Table aria-label={t("iotDevices")} variant="compact" data-testid="devices">
          <Thead>
            <Tr>
              <Th>{t("iotDeviceId")}</Th>
              <Th>{t("iotOwner")}</Th>
              <Th>{t("iotDeviceGroups")}</Th>
              <Th>{t("iotDeviceKey")}</Th>
              <Th>{t("iotDeviceAssociated")}</Th>
              <Th>{t("iotCreated")}</Th>
              <Th screenReaderText={t("iotActions")} />
            </Tr>
          </Thead>
          <Tbody>
            {data && rows.length === 0 ? (
              <Tr>
                <Td colSpan={7} data-testid="empty">
                  {t("iotDevicesNone")}
                </Td>
              </Tr>
            ) : null}
            {rows.map((d) => (
              <Tr key={d.id} data-testid={`device-${d.id}`}>
                <Td dataLabel={t("iotDeviceId")}>
                  <code>{d.id}</code>
                </Td>
                <Td dataLabel={t("iotOwner")}>
                  <Owner id={d.ownerId} name={username(d.ownerId)} />
                </Td>
                <Td dataLabel={t("iotDeviceGroups")}>
                  {d.groups.length ? (
                    <LabelGroup>
                      {d.groups.map((g) => (
                        <Label key={g} color="blue" isCompact>
                          {groupPath(g) ?? g}
                        </Label>
                      ))}
                    </LabelGroup>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td dataLabel={t("iotDeviceKey")}>
                  {d.keyThumbprint ? (
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
                  )}
                </Td>
                <Td dataLabel={t("iotDeviceAssociated")}>
                  {d.associatedAt ? short(d.associatedAt) : t("iotDeviceNotAssociated")}
                </Td>
                <Td dataLabel={t("iotCreated")}>{short(d.createdAt)}</Td>
                <Td isActionCell>
                  <ConfirmButton
                    testId="forget"
                    danger
                    label={t("iotDeviceForget")}
                    title={t("iotDeviceForgetTitle", { id: d.id })}
                    body={t("iotDeviceForgetBody")}
                    confirm={t("iotDeviceForget")}
                    onConfirm={() => forget(d)}
                  />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        </div>
      </PageSection>
    </>
  );
}
