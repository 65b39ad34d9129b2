import { openApiDocumentFor, type RouteContract } from '@taskforge/common';
import { listActivity } from './activity';
import { confirmUpload, deleteAttachment, showAttachment, startUpload } from './attachments';
import { createComment, deleteComment, listComments, updateComment } from './comments';
import { showStats } from './stats';
import {
  createTask,
  CUSTOM_FIELD_FILTER,
  customFieldFilterDescription,
  deleteTask,
  listTasks,
  showTask,
  updateTask,
} from './tasks';

type Document = ReturnType<typeof openApiDocumentFor>;
type Parameter = { name: string; schema?: Record<string, unknown> } & Record<string, unknown>;

function parametersOf(document: Document, contract: RouteContract): Parameter[] {
  const path = contract.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const operation = document.paths[path]?.[contract.method] as { parameters: Parameter[] };
  return operation.parameters;
}

/*
 * Adapter until common's document writer can say what the hand-written document said of the
 * task list: its `customFields.<name>=<value>` filters, a family of query parameters that no zod
 * object shape lists (added after `q`, where the old document had them). A contract's query is
 * one zod object, whose document lists its named keys only.
 */
function withCustomFieldFilters(document: Document): Document {
  const list = parametersOf(document, listTasks);
  list.splice(list.findIndex((parameter) => parameter.name === 'q') + 1, 0, {
    name: `${CUSTOM_FIELD_FILTER}{name}`,
    in: 'query',
    description: customFieldFilterDescription,
    schema: { type: 'string' },
  });
  return document;
}

/** OpenAPI 3.1 description of the tasks API; tests check every route's real answers against it. */
export const openApiDocument = withCustomFieldFilters(
  openApiDocumentFor({
    title: 'TaskForge tasks',
    description:
      'Team task boards. Every route needs the `session` cookie set by auth and membership of ' +
      'the team (from the replicas of `team.*`/`member.*`): a non-member is answered 404, a ' +
      'member whose role lacks the permission 403; guests read only. Every task write bumps ' +
      'the task `version` and publishes a versioned event: `task.created`, `task.updated` ' +
      '(`changes: { field: { from, to } }`), `task.deleted`, `comment.created|updated|deleted`, ' +
      '`attachment.added|removed`.',
    tags: ['tasks', 'comments', 'attachments'],
    routes: [
      listTasks,
      createTask,
      showStats,
      showTask,
      updateTask,
      deleteTask,
      listComments,
      createComment,
      updateComment,
      deleteComment,
      listActivity,
      startUpload,
      confirmUpload,
      showAttachment,
      deleteAttachment,
    ],
  }),
);
