/**
 * `GET /openapi.json`: the API as OpenAPI 3.1, built from the same JSON Schemas the routes enforce,
 * so the document cannot drift from what the server accepts.
 */
import { BODY_LIMIT_BYTES, listQuerySchema, runRequestSchema } from './run-request.ts';

const error = { description: 'refused', content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } } } } } };
const run = { description: 'the run', content: { 'application/json': { schema: { $ref: '#/components/schemas/Run' } } } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^r-[A-Za-z0-9-]{1,64}$' } };
const refusals = { 400: error, 401: error, 403: error, 404: error };

export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'patchloop', version, description: `Runs of the patchloop loop as a service. Request bodies up to ${BODY_LIMIT_BYTES} bytes.` },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'pl_<id>_<secret> from `patchloop keys create`' } },
      schemas: {
        RunRequest: runRequestSchema,
        Run: {
          type: 'object',
          properties: {
            id: { type: 'string' }, status: { type: 'string', enum: ['queued', 'running', 'resolved', 'max_iterations', 'budget_exhausted', 'failed', 'interrupted', 'error'] },
            reason: { type: 'string' }, repo: { type: 'object' }, task: { type: 'string' }, iterations: { type: 'integer' }, steps: { type: 'integer' },
            tokens: { type: 'object', properties: { input: { type: 'integer' }, output: { type: 'integer' }, cacheRead: { type: 'integer' }, cacheWrite: { type: 'integer' } } },
            usd: { type: 'number' }, branch: { type: 'string' }, commitSha: { type: 'string' }, attempts: { type: 'integer' },
            createdAt: { type: 'string', format: 'date-time' }, startedAt: { type: 'string', format: 'date-time' }, endedAt: { type: 'string', format: 'date-time' },
            links: { type: 'object' },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/runs': {
        post: {
          summary: 'submit a run', parameters: [{ name: 'wait', in: 'query', schema: { type: 'number', minimum: 0, maximum: 600 }, description: 'seconds to wait for the run to end' }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RunRequest' } } } },
          responses: { 200: run, 202: run, 413: error, 429: error, ...refusals },
        },
        get: {
          summary: "the key's runs, newest first",
          parameters: Object.entries(listQuerySchema.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
          responses: { 200: { description: 'runs', content: { 'application/json': { schema: { type: 'object', properties: { runs: { type: 'array', items: { $ref: '#/components/schemas/Run' } } } } } } }, ...refusals },
        },
      },
      '/v1/runs/{id}': { get: { summary: 'one run', parameters: [idParam], responses: { 200: run, ...refusals } } },
      '/v1/runs/{id}/patch': { get: { summary: 'the patch', parameters: [idParam], responses: { 200: { description: 'diff', content: { 'text/x-diff': { schema: { type: 'string' } } } }, 409: error, ...refusals } } },
      '/v1/runs/{id}/cancel': { post: { summary: 'stop after the current step (resumable)', parameters: [idParam], responses: { 202: run, 409: error, ...refusals } } },
      '/v1/runs/{id}/resume': { post: { summary: 'continue an interrupted run', parameters: [idParam], responses: { 202: run, 409: error, ...refusals } } },
      '/v1/runs/{id}/events': {
        get: {
          summary: 'trace lines as Server-Sent Events', parameters: [idParam, { name: 'Last-Event-ID', in: 'header', schema: { type: 'integer' } }],
          responses: { 200: { description: 'event stream; id = trace seq, event = trace type, data = the trace line', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...refusals },
        },
      },
      '/v1/github/webhook': { post: { summary: 'GitHub webhook (X-Hub-Signature-256)', security: [], responses: { 202: { description: 'accepted or ignored' }, 401: error, 409: error } } },
      '/metrics': { get: { summary: 'Prometheus text', security: [], responses: { 200: { description: 'metrics' } } } },
    },
  };
}
