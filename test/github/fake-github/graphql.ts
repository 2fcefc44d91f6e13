import { schema as githubSchema } from "@octokit/graphql-schema";
import { buildClientSchema, type ExecutionResult, execute, GraphQLError, parse, validate } from "graphql";

/**
 * GitHub's GraphQL schema from `@octokit/graphql-schema` (its introspection result: building from the
 * SDL fails on a duplicate definition). A query it rejects fails the test; a valid one is executed
 * against the fake's state with plain objects as resolvers.
 */
const schema = buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]);

export type GraphQLAnswer = { result: ExecutionResult; invalid: string[] };

export async function runGraphQL(
  query: string,
  variables: Record<string, unknown> | undefined,
  root: Record<string, unknown>,
): Promise<GraphQLAnswer> {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch (error) {
    const message = (error as Error).message;
    return { result: { errors: [new GraphQLError(message)] }, invalid: [message] };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return { result: { errors }, invalid: errors.map((e) => e.message) };
  const result = await execute({ schema, document, rootValue: root, variableValues: variables ?? {} });
  return { result, invalid: [] };
}

export { GraphQLError };
