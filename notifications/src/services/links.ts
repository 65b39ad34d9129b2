/** Paths in the web app that notifications point to (made absolute with PUBLIC_URL in emails). */
export const links = {
  team: (teamId: string) => `/teams/${encodeURIComponent(teamId)}`,
  task: (teamId: string, taskId: string) =>
    `/teams/${encodeURIComponent(teamId)}/tasks/${encodeURIComponent(taskId)}`,
  comment: (teamId: string, taskId: string, commentId: string) =>
    `${links.task(teamId, taskId)}#comment-${encodeURIComponent(commentId)}`,
};

/** Quotes a user-given title in a notification text. */
export function quoted(title: string): string {
  return `“${title.length > 120 ? `${title.slice(0, 119)}…` : title}”`;
}
