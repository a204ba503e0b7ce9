import {
  Alert,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState, type ReactNode } from "react";
import { fieldOf, message } from "./api";

/** One column of a {@link ListView}: its heading and how a row fills its cell. */
export type Column<T> = { title: string; cell: (row: T) => ReactNode; testId?: string };

/**
 * A page's list as the consoles show lists: a toolbar (the page's buttons or filters, the pager), the load error if
 * any, and a compact PatternFly table (scrolling sideways when wider than the page) with an actions cell per row and
 * a line for "none yet". Used by the account console's and the admin console's pages.
 */
export function ListView<T>({
  label,
  testId,
  buttons,
  pager,
  error,
  rows,
  perPage,
  columns,
  empty,
  rowKey,
  rowTestId,
  actions,
  actionsLabel,
}: {
  label: string;
  testId: string;
  buttons?: ReactNode;
  pager?: ReactNode;
  error?: unknown;
  rows?: T[];
  perPage?: number;
  columns: Column<T>[];
  empty: string;
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  actions?: (row: T) => ReactNode;
  actionsLabel: string;
}) {
  const shown = perPage === undefined ? (rows ?? []) : (rows ?? []).slice(0, perPage);
  return (
    <>
      {buttons || pager ? (
        <Toolbar>
          <ToolbarContent>
            {buttons ? <ToolbarItem>{buttons}</ToolbarItem> : null}
            {pager ? <ToolbarItem variant="pagination">{pager}</ToolbarItem> : null}
          </ToolbarContent>
        </Toolbar>
      ) : null}
      {error ? (
        <div className="pf-v5-u-px-md pf-v5-u-mb-md">
          <Alert variant="danger" isInline isPlain title={message(error)} data-testid="load-error" />
        </div>
      ) : null}
      <div style={{ overflowX: "auto" }}>
      <Table aria-label={label} variant="compact" data-testid={testId}>
        <Thead>
          <Tr>
            {columns.map((c) => (
              <Th key={c.title}>{c.title}</Th>
            ))}
            {actions ? <Th screenReaderText={actionsLabel} /> : null}
          </Tr>
        </Thead>
        <Tbody>
          {rows && rows.length === 0 ? (
            <Tr>
              <Td colSpan={columns.length + (actions ? 1 : 0)} data-testid="empty">
                {empty}
              </Td>
            </Tr>
          ) : null}
          {shown.map((row) => (
            <Tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((c) => (
                <Td key={c.title} dataLabel={c.title} data-testid={c.testId}>
                  {c.cell(row)}
                </Td>
              ))}
              {actions ? <Td isActionCell>{actions(row)}</Td> : null}
            </Tr>
          ))}
        </Tbody>
      </Table>
      </div>
    </>
  );
}

/** The server's refusal under the field it names ({@code data-testid="error-<field>"}). */
export const FieldError = ({ field, text }: { field: string; text: string }) => (
  <FormHelperText>
    <HelperText>
      <HelperTextItem variant="error" data-testid={`error-${field}`}>
        {text}
      </HelperTextItem>
    </HelperText>
  </FormHelperText>
);

/**
 * A form's refusal shown at the field the server's description names ("Field 'duration': ..."), or under the
 * form when it names none of the form's fields.
 */
export function useFieldErrors(fields: string[]) {
  const [failure, setFailure] = useState<{ field: string; text: string }>();
  const show = (field: string) => (failure?.field === field ? <FieldError field={field} text={failure.text} /> : null);
  return {
    clear: () => setFailure(undefined),
    fail: (e: unknown, field?: string) => {
      const named = field ?? fieldOf(e);
      setFailure({ field: named && fields.includes(named) ? named : "form", text: message(e) });
    },
    at: show,
    rest: () => show("form"),
  };
}
