import type * as pulumi from "@pulumi/pulumi";
import type * as runtime from "../runtime";

/**
 * The provider object Pulumi serializes into state for one resource type. It captures nothing but
 * the type name: every call loads the package's runtime (by its exported subpath, so it resolves
 * from the Pulumi project's node_modules) and delegates. Credentials reach the runtime through
 * `configure` from stack config, never through this object.
 */
export function thinShim(type: string): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      (require("pulumi-adobe-cja/runtime") as typeof runtime).configure(req.config);
    },
    async check(olds, news) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).check(olds, news);
    },
    async diff(id, olds, news) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).diff(id, olds, news);
    },
    async create(inputs) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).create(inputs);
    },
    async read(id, props) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).read(id, props);
    },
    async update(id, olds, news) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).update(id, olds, news);
    },
    async delete(id, props) {
      return (require("pulumi-adobe-cja/runtime") as typeof runtime).handler(type).delete(id, props);
    },
  };
}
