import type { FilterNode, FilterOperand } from "./odata-filter.js";

/** One (property path, operator) use in a `$filter`; inside a lambda the path is `collection/any/item-path`. */
export interface FilterUse {
  path: string;
  operator: string;
}

/**
 * Lists what a parsed `$filter` uses, so each endpoint can refuse the properties and operators Graph does not
 * support there (a 400, never a silently ignored clause).
 */
export function listFilterUses(node: FilterNode, prefix = "", variable?: string): FilterUse[] {
  const resolve = (path: string[]) => {
    const relative = variable !== undefined && path[0] === variable ? path.slice(1) : path;
    const inLambda = variable !== undefined && path[0] === variable;
    const joined = relative.join("/");
    if (!inLambda) return joined;
    return joined ? `${prefix}/${joined}` : prefix;
  };
  switch (node.kind) {
    case "and":
    case "or":
      return [...listFilterUses(node.left, prefix, variable), ...listFilterUses(node.right, prefix, variable)];
    case "not":
      return [{ path: "", operator: "not" }, ...listFilterUses(node.operand, prefix, variable)];
    case "comparison": {
      const isProperty = (operand: FilterOperand) => operand.kind === "property";
      if (isProperty(node.left) === isProperty(node.right)) {
        return [{ path: "", operator: "property-to-property" }];
      }
      const property = (isProperty(node.left) ? node.left : node.right) as { path: string[] };
      return [{ path: resolve(property.path), operator: node.operator }];
    }
    case "in":
    case "startswith":
    case "endswith":
      return [{ path: resolve(node.path), operator: node.kind }];
    case "lambda":
      return listFilterUses(node.predicate, `${resolve(node.path)}/${node.quantifier}`, node.variable);
  }
}
