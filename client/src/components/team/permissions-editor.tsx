'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '../../lib/http';
import {
  PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
  type TeamWithPermissions,
} from '../../lib/types';
import { FormErrorSummary, useApiForm } from '../form';

const PERMISSION_LABELS: Record<Permission, string> = {
  'task.create': 'Create tasks',
  'task.update': 'Edit and move tasks',
  'task.delete': 'Delete tasks',
  'task.assign': 'Assign tasks',
  'comment.create': 'Comment',
  'member.manage': 'Manage members',
  'team.update': 'Rename the team',
  'team.delete': 'Delete the team',
  'audit.read': 'Read the audit log',
};

/** What each role may do; admins edit the whole table at once. */
export function PermissionsEditor({ team }: { team: TeamWithPermissions }) {
  const router = useRouter();
  const [table, setTable] = useState(team.permissions);
  const [saved, setSaved] = useState(false);
  const { errors, pending, run } = useApiForm([]);
  const editable = team.role === 'admin';

  // Admins always keep member management, and only admins may delete the team (teams' rules).
  const locked = (role: Role, permission: Permission) =>
    (role === 'admin' && permission === 'member.manage') ||
    (role !== 'admin' && permission === 'team.delete');

  function toggle(role: Role, permission: Permission, on: boolean) {
    setSaved(false);
    setTable((current) => ({
      ...current,
      [role]: on ? [...current[role], permission] : current[role].filter((p) => p !== permission),
    }));
  }

  return (
    <section className="card" aria-labelledby="permissions-heading">
      <h2 id="permissions-heading" className="card-title">
        Role permissions
      </h2>
      <FormErrorSummary errors={errors} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {ROLES.map((role) => (
                <th key={role} scope="col">
                  {role}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {PERMISSIONS.map((permission) => (
              <tr key={permission}>
                <th scope="row">{PERMISSION_LABELS[permission]}</th>
                {ROLES.map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      aria-label={`${role}: ${PERMISSION_LABELS[permission]}`}
                      checked={table[role].includes(permission)}
                      disabled={!editable || locked(role, permission)}
                      onChange={(event) => toggle(role, permission, event.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable ? (
        <div className="button-row space-above-m">
          <button
            type="button"
            className="primary"
            disabled={pending}
            onClick={() =>
              void run(async () => {
                await api(`/api/teams/${team.id}/permissions`, {
                  method: 'PUT',
                  body: { permissions: table },
                });
                setSaved(true);
                router.refresh();
              })
            }
          >
            Save permissions
          </button>
          {saved && (
            <span role="status" className="muted">
              Saved.
            </span>
          )}
        </div>
      ) : (
        <p className="muted small">Only admins change permissions.</p>
      )}
    </section>
  );
}
