import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { connectionLocator, readOptions } from "./known-ids";
import { AdobeResource } from "./shim";
import type { OnDrift } from "./component-settings";

/** One AEP dataset of the connection, with the settings the connection uses for it. */
export interface ConnectionDatasetArgs {
  /**
   * AEP dataset id, e.g. `67b3077efa10d92ab7a71858` (24 hex digits in Adobe's examples; only
   * letters, digits, `_` and `-` are checked). Give this or `name`.
   */
  datasetId?: pulumi.Input<string>;
  /** Dataset name as AEP shows it, e.g. `AJO Entity Dataset`. Give this or `datasetId`. */
  name?: pulumi.Input<string>;
  /** Dataset type in the connection (the guide's "Record" datasets are `lookup`). */
  type: pulumi.Input<"event" | "profile" | "lookup" | "summary">;
  /**
   * Person ID: a schema path such as `_experience.journeyOrchestration.stepEvents.profileID`, or
   * `IdentityMap` to use the identity map's primary identity. Event, profile and summary datasets.
   */
  personIdField?: pulumi.Input<string>;
  /** Timestamp field of an event or summary dataset. Compared only when declared. */
  timestampField?: pulumi.Input<string>;
  /** Lookup datasets: the key field of the lookup dataset, e.g. `_id`. */
  key?: pulumi.Input<string>;
  /** Lookup datasets: the field of the event datasets that matches `key`. */
  matchingKey?: pulumi.Input<string>;
}

export interface ConnectionArgs extends ProfileArgs {
  /**
   * The connection id: `dg_` followed by letters, digits and hyphens (a UUID), e.g.
   * `dg_b008fd39-2437-4d00-88fd-392437...`. Give this or `name`.
   */
  connectionId?: pulumi.Input<string>;
  /** The connection name; it must match exactly one connection of the org. Give this or `connectionId`. */
  name?: pulumi.Input<string>;
  /** The datasets the connection must contain, each checked against the live connection. */
  datasets?: pulumi.Input<pulumi.Input<ConnectionDatasetArgs>[]>;
  /** What a difference between the declared and the live connection does: stop (`fail`, default) or log a warning (`warn`). */
  onDrift?: pulumi.Input<OnDrift>;
}

/** A dataset of the connection as Adobe reports it. */
export interface ConnectionDatasetOutput {
  datasetId: string;
  name: string;
  type: string;
  personIdField?: string;
  timestampField?: string;
  key?: string;
  matchingKey?: string;
}

/**
 * A CJA connection, adopted and verified. Adobe's public API can only read connections: this
 * resource finds one by id or name, checks every declared dataset and setting against it, and
 * outputs the resolved ids. It is a read (the `id` option is set to its id or name): every
 * `preview` and `up` reads and verifies it, and `destroy` only forgets it.
 */
export class Connection extends AdobeResource {
  /** The connection id (`dg_...`), as declared or found by name. */
  declare readonly connectionId: pulumi.Output<string>;
  /** The connection's name, as declared or as Adobe reports it. */
  declare readonly name: pulumi.Output<string>;
  /** The datasets that were checked, as declared. */
  declare readonly datasets: pulumi.Output<ConnectionDatasetArgs[] | undefined>;
  /** What a difference from Adobe does, as declared. */
  declare readonly onDrift: pulumi.Output<OnDrift | undefined>;
  /** The live datasets of the declared ones, in declaration order, with their ids. */
  declare readonly resolvedDatasets: pulumi.Output<ConnectionDatasetOutput[]>;
  /** Dataset id by dataset name, for every dataset of the connection. */
  declare readonly datasetIds: pulumi.Output<Record<string, string>>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "cja:Connection",
      name,
      { profile: undefined, connectionId: undefined, name: undefined, resolvedDatasets: undefined, datasetIds: undefined, datasets: undefined, onDrift: undefined, ...args },
      readOptions(connectionLocator(args), opts),
    );
  }
}
