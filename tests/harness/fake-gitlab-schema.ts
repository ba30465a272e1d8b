// A small, hand-kept OpenAPI 3.0 description of the GitLab REST v4 endpoints GitLabHost calls
// (through @gitbeaker/rest), written from GitLab's API documentation (docs.gitlab.com/api:
// projects, namespaces, deploy_keys). GitLab publishes no complete OpenAPI description on npm,
// so this one covers only the operations, parameters and fields we use; request bodies are
// closed (additionalProperties: false) so a misspelt field fails, responses list the fields
// our client reads as required.

const id = { type: 'integer', minimum: 1 };
const projectId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'ID or URL-encoded path',
  schema: { type: 'string', minLength: 1 },
};
const paging = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
  { name: 'pagination', in: 'query', schema: { type: 'string', enum: ['offset'] } },
];
const error = { $ref: '#/components/schemas/error' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

export const GITLAB_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'GitLab REST API v4 (the subset flux-bootstrap uses)', version: '17' },
  paths: {
    '/user': {
      get: { operationId: 'users/current', responses: { 200: json({ $ref: '#/components/schemas/user' }) } },
    },
    '/namespaces/{id}': {
      get: {
        operationId: 'namespaces/show',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
        responses: { 200: json({ $ref: '#/components/schemas/namespace' }), 404: json(error) },
      },
    },
    '/projects': {
      post: {
        operationId: 'projects/create',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            additionalProperties: false,
            anyOf: [{ required: ['name'] }, { required: ['path'] }],
            properties: {
              name: { type: 'string', minLength: 1 },
              path: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' },
              namespace_id: { oneOf: [id, { type: 'string', pattern: '^[0-9]+$' }] },
              description: { type: 'string' },
              visibility: { type: 'string', enum: ['private', 'internal', 'public'] },
              default_branch: { type: 'string', minLength: 1 },
              initialize_with_readme: { type: 'boolean' },
            },
          }),
        },
        responses: { 201: json({ $ref: '#/components/schemas/project' }), 400: json(error) },
      },
    },
    '/projects/{id}': {
      get: {
        operationId: 'projects/show',
        parameters: [projectId],
        responses: { 200: json({ $ref: '#/components/schemas/project' }), 404: json(error) },
      },
      delete: {
        operationId: 'projects/remove',
        parameters: [projectId],
        responses: { 202: json({ type: 'object', required: ['message'], properties: { message: { type: 'string' } } }), 404: json(error) },
      },
    },
    '/projects/{id}/deploy_keys': {
      get: {
        operationId: 'deploy_keys/all',
        parameters: [projectId, ...paging],
        responses: { 200: json({ type: 'array', items: { $ref: '#/components/schemas/deploy_key' } }), 404: json(error) },
      },
      post: {
        operationId: 'deploy_keys/create',
        parameters: [projectId],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            additionalProperties: false,
            required: ['title', 'key'],
            properties: {
              title: { type: 'string', minLength: 1 },
              key: { type: 'string', pattern: '^(ssh-|ecdsa-|sk-)' },
              can_push: { type: 'boolean' },
              expires_at: { type: 'string', format: 'date-time' },
            },
          }),
        },
        responses: { 201: json({ $ref: '#/components/schemas/deploy_key' }), 400: json(error), 404: json(error) },
      },
    },
    '/projects/{id}/deploy_keys/{key_id}': {
      get: {
        operationId: 'deploy_keys/show',
        parameters: [projectId, { name: 'key_id', in: 'path', required: true, schema: id }],
        responses: { 200: json({ $ref: '#/components/schemas/deploy_key' }), 404: json(error) },
      },
      delete: {
        operationId: 'deploy_keys/remove',
        parameters: [projectId, { name: 'key_id', in: 'path', required: true, schema: id }],
        responses: { 204: { description: 'deleted' }, 404: json(error) },
      },
    },
  },
  components: {
    schemas: {
      error: {
        type: 'object',
        required: ['message'],
        properties: {
          message: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }] },
          error: { type: 'string' },
        },
      },
      user: {
        type: 'object',
        required: ['id', 'username', 'name', 'state', 'web_url'],
        properties: {
          id,
          username: { type: 'string' },
          name: { type: 'string' },
          state: { type: 'string' },
          web_url: { type: 'string', format: 'uri' },
        },
      },
      namespace: {
        type: 'object',
        required: ['id', 'name', 'path', 'kind', 'full_path', 'web_url'],
        properties: {
          id,
          name: { type: 'string' },
          path: { type: 'string' },
          kind: { type: 'string', enum: ['user', 'group'] },
          full_path: { type: 'string' },
          parent_id: { type: 'integer', nullable: true },
          avatar_url: { type: 'string', nullable: true },
          web_url: { type: 'string', format: 'uri' },
        },
      },
      project: {
        type: 'object',
        required: [
          'id',
          'name',
          'path',
          'path_with_namespace',
          'name_with_namespace',
          'default_branch',
          'visibility',
          'ssh_url_to_repo',
          'http_url_to_repo',
          'web_url',
          'namespace',
          'empty_repo',
          'archived',
          'created_at',
        ],
        properties: {
          id,
          name: { type: 'string' },
          path: { type: 'string' },
          path_with_namespace: { type: 'string' },
          name_with_namespace: { type: 'string' },
          description: { type: 'string', nullable: true },
          // null until the first push
          default_branch: { type: 'string', nullable: true },
          visibility: { type: 'string', enum: ['private', 'internal', 'public'] },
          ssh_url_to_repo: { type: 'string' },
          http_url_to_repo: { type: 'string', format: 'uri' },
          web_url: { type: 'string', format: 'uri' },
          namespace: { $ref: '#/components/schemas/namespace' },
          empty_repo: { type: 'boolean' },
          archived: { type: 'boolean' },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      deploy_key: {
        type: 'object',
        required: ['id', 'title', 'key', 'created_at', 'can_push', 'fingerprint_sha256'],
        properties: {
          id,
          title: { type: 'string' },
          key: { type: 'string' },
          created_at: { type: 'string', format: 'date-time' },
          can_push: { type: 'boolean' },
          fingerprint: { type: 'string', nullable: true },
          fingerprint_sha256: { type: 'string', pattern: '^SHA256:' },
          expires_at: { type: 'string', nullable: true },
        },
      },
    },
  },
};
