import type { Metadata } from 'next';
import Link from 'next/link';
import { displayName } from '@taskforge/common/display-name';
import { LocalTime } from '../../../../components/local-time';
import { apiGet, ensureOk, nextCursor, requireUser } from '../../../../lib/server-api';
import { loadTeam } from '../../../../lib/teams';
import type { AuditEntry } from '../../../../lib/types';

export const metadata: Metadata = { title: 'Audit log' };

const ENTITY_TYPES = ['team', 'member', 'task', 'comment', 'attachment', 'ticket', 'user'];
const ACTIONS = ['created', 'updated', 'deleted', 'added', 'removed'];
const FILTERS = ['entityType', 'action', 'actorId', 'from', 'to'] as const;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** A date input's day as the API's bound: from the start of the day, to its end (UTC). */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
}

export default async function AuditPage({
  params,
  searchParams,
}: PageProps<'/teams/[teamId]/audit'>) {
  const { teamId } = await params;
  const search = await searchParams;
  const values = Object.fromEntries(FILTERS.map((name) => [name, first(search[name])])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const view = new URLSearchParams(Object.entries(values).filter(([, value]) => value));
  const path = `/teams/${teamId}/audit${view.size ? `?${view}` : ''}`;
  await requireUser(path);
  const { members } = await loadTeam(teamId, path);

  const query = new URLSearchParams({ limit: '50' });
  if (values.entityType) query.set('entityType', values.entityType);
  if (values.action) query.set('action', values.action);
  if (values.actorId) query.set('actorId', values.actorId);
  const from = dayBound(values.from, false);
  const to = dayBound(values.to, true);
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  const cursor = first(search.cursor);
  const csv = new URLSearchParams(query);
  csv.set('format', 'csv');
  csv.set('limit', '1000');
  if (cursor) query.set('cursor', cursor);

  const res = await apiGet<AuditEntry[]>(`/api/teams/${encodeURIComponent(teamId)}/audit?${query}`);
  if (res.status === 403) {
    return (
      <p className="notice">
        Your role cannot read the audit log. Team admins can grant it in the settings.
      </p>
    );
  }
  const invalid =
    res.status === 400
      ? (res.body as unknown as { errors?: { message: string }[] }).errors?.[0]?.message
      : undefined;
  const entries = invalid ? [] : ensureOk(res, path).body;
  const next = invalid ? undefined : nextCursor(res);
  const nameOf = (userId: string | null) => {
    if (!userId) return 'TaskForge';
    const member = members.find((m) => m.userId === userId);
    return member ? displayName(member) : `User ${userId.slice(0, 8)}…`;
  };

  return (
    <div className="stack">
      <form className="filters card" method="get" role="search" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-entity">Entity</label>
          <select id="audit-entity" name="entityType" defaultValue={values.entityType}>
            <option value="">Any</option>
            {ENTITY_TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={values.action}>
            <option value="">Any</option>
            {ACTIONS.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Who</label>
          <select id="audit-actor" name="actorId" defaultValue={values.actorId}>
            <option value="">Anyone</option>
            {members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {displayName(member)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" name="from" type="date" defaultValue={values.from} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" name="to" type="date" defaultValue={values.to} />
        </div>
        <div className="button-row">
          <button type="submit" className="primary">
            Filter
          </button>
          {view.size > 0 && (
            <Link className="button" href={`/teams/${teamId}/audit`}>
              Clear
            </Link>
          )}
          <a
            className="button"
            href={`/api/teams/${encodeURIComponent(teamId)}/audit?${csv}`}
            download
          >
            Export CSV
          </a>
        </div>
      </form>
      {invalid && (
        <p className="form-errors" role="alert">
          {invalid}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="empty">
          {view.size > 0 ? 'No entries match these filters.' : 'Nothing recorded yet.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="small">
                    <LocalTime iso={entry.occurredAt} />
                  </td>
                  <td>{nameOf(entry.actorId)}</td>
                  <td>
                    <span className="badge">{entry.subject}</span>
                  </td>
                  <td className="small">
                    <details>
                      <summary>
                        {entry.entityType} {entry.entityId.slice(0, 12)}
                      </summary>
                      <pre className="audit-state">
                        {JSON.stringify(
                          { before: entry.previousState, after: entry.newState },
                          null,
                          2,
                        )}
                      </pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <nav className="pager" aria-label="Pages">
          <Link
            className="button"
            href={`/teams/${teamId}/audit?${new URLSearchParams({ ...Object.fromEntries(view), cursor: next })}`}
          >
            Older entries
          </Link>
        </nav>
      )}
    </div>
  );
}
