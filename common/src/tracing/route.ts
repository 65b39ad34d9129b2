/**
 * The route template a request matched (`/api/tasks/:id`, never the raw URL), or `unmatched`:
 * what labels its metrics and names its server span. Express leaves the matched route and the
 * routers' mount path on the request, where they stay once the response is sent.
 */
export function routeTemplate(req: { baseUrl?: string; route?: unknown }): string {
  const route = req.route;
  if (route && typeof route === 'object' && 'path' in route && typeof route.path === 'string') {
    return `${req.baseUrl ?? ''}${route.path}`;
  }
  return 'unmatched';
}
