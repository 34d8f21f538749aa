// Validates Kubernetes objects against the API's JSON schemas, as packaged by kubernetes-models (generated from the
// Kubernetes OpenAPI document). Reads a JSON array of objects from the file named by the first argument; prints one
// line per problem ("<kind>/<name>: <path> <message>") and exits with 1 when there is any, 0 when all are valid.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
for (const object of objects) {
  const name = `${object.kind}/${object.metadata?.name ?? "?"}`;
  let model;
  try {
    // apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment; v1 Service -> kubernetes-models/v1/Service
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    problems.push(`${name}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
    continue;
  }
  try {
    new model(object).validate();
  } catch (error) {
    for (const detail of error.errors ?? [error]) {
      problems.push(`${name}: ${detail.instancePath ?? ""} ${detail.message}`);
    }
  }
}
for (const problem of problems) console.log(problem);
console.log(`${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
