'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { formErrorsOf } from '../../lib/api-errors';
import { api } from '../../lib/http';
import { ROLES, type Member, type Role } from '../../lib/types';
import { Avatar } from '../avatar';
import { Field, FormErrorSummary, useApiForm } from '../form';
import { LocalTime } from '../local-time';

/** Members and their roles: add by email, change a role, remove. */
export function MembersEditor({
  teamId,
  members,
  currentUserId,
  canManage,
  isAdmin,
}: {
  teamId: string;
  members: Member[];
  currentUserId: string;
  canManage: boolean;
  isAdmin: boolean;
}) {
  const router = useRouter();
  const add = useApiForm(['email', 'role']);
  const [rowError, setRowError] = useState<string | null>(null);
  const base = `/api/teams/${encodeURIComponent(teamId)}/members`;
  // Only admins may grant or touch the admin role.
  const grantable = ROLES.filter((role) => isAdmin || role !== 'admin');

  async function act(action: () => Promise<unknown>) {
    setRowError(null);
    try {
      await action();
      router.refresh();
    } catch (err) {
      setRowError(formErrorsOf(err, []).general.join(' '));
    }
  }

  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading" className="card-title">
        Members ({members.length})
      </h2>
      {rowError && (
        <p className="form-errors" role="alert">
          {rowError}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const name = displayName(member);
              const editable = canManage && (isAdmin || member.role !== 'admin');
              return (
                <tr key={member.userId} data-testid={`member-${member.email ?? member.userId}`}>
                  <td>
                    <span className="card-meta">
                      <Avatar person={member} />
                      <span>
                        {name}
                        {member.userId === currentUserId && ' (you)'}
                        {member.email && name !== member.email && (
                          <div className="muted small">{member.email}</div>
                        )}
                      </span>
                    </span>
                  </td>
                  <td>
                    {editable ? (
                      <select
                        aria-label={`Role of ${name}`}
                        defaultValue={member.role}
                        onChange={(event) =>
                          void act(() =>
                            api(`${base}/${encodeURIComponent(member.userId)}`, {
                              method: 'PATCH',
                              body: { role: event.target.value as Role },
                            }),
                          )
                        }
                      >
                        {(member.role === 'admin' ? ROLES : grantable).map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="badge">{member.role}</span>
                    )}
                  </td>
                  <td className="small">
                    <LocalTime iso={member.joinedAt} />
                  </td>
                  {canManage && (
                    <td>
                      {editable && member.userId !== currentUserId && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Remove ${name}`}
                          onClick={() => {
                            if (window.confirm(`Remove ${name} from the team?`)) {
                              void act(() =>
                                api(`${base}/${encodeURIComponent(member.userId)}`, {
                                  method: 'DELETE',
                                }),
                              );
                            }
                          }}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canManage && (
        <form
          className="inline-form space-above-l"
          noValidate
          aria-label="Add a member"
          onSubmit={add.onSubmit(async (data) => {
            await api(base, {
              method: 'POST',
              body: {
                email: String(data.get('email') ?? '').trim(),
                role: String(data.get('role') ?? 'member'),
              },
            });
            router.refresh();
          })}
        >
          <div className="full-row">
            <FormErrorSummary errors={add.errors} />
          </div>
          <Field name="email" label="Add by email" error={add.errors.fields.email}>
            {(props) => (
              <input
                {...props}
                type="email"
                autoComplete="off"
                placeholder="colleague@example.com"
              />
            )}
          </Field>
          <Field name="role" label="Role" error={add.errors.fields.role}>
            {(props) => (
              <select {...props} defaultValue="member">
                {grantable.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="primary" disabled={add.pending}>
            Add member
          </button>
        </form>
      )}
    </section>
  );
}
