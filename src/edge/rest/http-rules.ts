// Reads an RPC's google.api.http annotation from the generated descriptors:
// one binding for the rule and one per additional binding. A rule that does
// not make sense for its messages (a path variable naming a repeated field,
// a body naming no field) is a mistake in a .proto, refused at startup.
import { getOption, hasOption, type DescField, type DescMethod } from "@bufbuild/protobuf";
import type { HttpRule } from "../../../gen/google/api/http_pb.js";
import { http } from "../../../gen/google/api/annotations_pb.js";
import { parseTemplate, TemplateError, type PathTemplate } from "./path-template.ts";
import { resolveFieldPath, type BodyRule } from "./request-message.ts";

export interface HttpBinding {
  /** GET, POST, PUT, PATCH, DELETE, or a custom rule's kind. */
  httpMethod: string;
  template: PathTemplate;
  body: BodyRule;
  /** The response field that is the whole HTTP response body, or undefined for the whole message. */
  responseBody: DescField | undefined;
}

function patternOf(rule: HttpRule): { httpMethod: string; path: string } | undefined {
  const p = rule.pattern;
  switch (p.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return { httpMethod: p.case.toUpperCase(), path: p.value };
    case "custom":
      return { httpMethod: p.value.kind.toUpperCase(), path: p.value.path };
    default:
      return undefined;
  }
}

function bindingOf(method: DescMethod, rule: HttpRule, basePath: string): HttpBinding | undefined {
  const pattern = patternOf(rule);
  if (!pattern) return undefined;
  const where = `${method.parent.typeName}/${method.name} (${pattern.path})`;
  const template = parseTemplate(basePath + pattern.path);
  for (const v of template.variables) {
    const fields = resolveFieldPath(method.input, v.fieldPath);
    const leaf = fields?.[fields.length - 1];
    if (!leaf || leaf.fieldKind === "list" || leaf.fieldKind === "map" || leaf.fieldKind === "message") {
      throw new TemplateError(`${where}: {${v.fieldPath.join(".")}} is not a singular scalar field of ${method.input.typeName}`);
    }
  }
  const field = (name: string, of: typeof method.input) => {
    const f = of.fields.find((x) => x.name === name);
    if (!f) throw new TemplateError(`${where}: ${of.typeName} has no field ${name}`);
    return f;
  };
  const body: BodyRule = rule.body === "" ? { kind: "none" } : rule.body === "*" ? { kind: "all" } : { kind: "field", field: field(rule.body, method.input) };
  const responseBody = rule.responseBody === "" ? undefined : field(rule.responseBody, method.output);
  return { httpMethod: pattern.httpMethod, template, body, responseBody };
}

/**
 * The HTTP bindings of a method, its paths prefixed with `basePath` (where
 * an API is mounted: ZITADEL serves management v1 under /management/v1).
 * None when the method has no annotation. `rule` defaults to the
 * method's own annotation.
 */
export function httpBindings(method: DescMethod, basePath = "", rule = hasOption(method, http) ? getOption(method, http) : undefined): HttpBinding[] {
  if (!rule) return [];
  return [rule, ...rule.additionalBindings].flatMap((r) => bindingOf(method, r, basePath) ?? []);
}
