// Every storage capability: what a StorageClass must do for a StatefulSet, a verdict each for a
// storage vendor. A test names the capabilities it proves in its metadata (test-meta.ts); which of
// them a profile can promise is the storage room's (harness/storage/capabilities.ts).

interface CapabilityEntry {
  /** What the class must do, in a line. */
  meaning: string;
}

export const capabilityCatalogue = {
  "data-follows-the-member": {
    meaning:
      "a replaced pod gets its own claim back, same volume, with its data; also after scale to 0 and back and a set recreated",
  },
  "acknowledged-writes-durable": {
    meaning: "every fsynced, acknowledged record survives a pod delete and a container kill, once and in order",
  },
  "power-loss-durable": {
    meaning: "every fsynced, acknowledged record survives power cuts of its node (unsynced writes may be lost)",
  },
  "binding-and-topology": {
    meaning:
      "each claim binds as the binding mode says (WaitForFirstConsumer: where its pod is scheduled), its volume's node affinity as the topology says; bound and mounted within budget",
  },
  expansion: {
    meaning: "a member's claim grown (the claim patched) grows the filesystem its pod sees, within budget, data intact",
  },
  "fs-group": { meaning: "a pod's fsGroup owns its volume: the group of the data directory, and the setgid bit" },
  "claims-kept": {
    meaning: "claims of removed members stay (default Retain) and are bound again, with their data, on scale-up",
  },
  "claims-deleted-by-policy": {
    meaning: "with a Delete retention policy, a claim is deleted only after its pod is gone",
  },
  "claim-recreated": { meaning: "a claim deleted under a Pending member is provisioned again and the member starts" },
  drain: {
    meaning:
      "a member evicted from a cordoned node comes back with its data: elsewhere (within budget) if the volume can move, on its node once uncordoned if pinned",
  },
  "node-loss": {
    meaning:
      "a member lost with its node is not doubled; out of service, it is created again and gets its volume (pinned: once the node is back)",
  },
  "writes-survive-node-faults": {
    meaning: "no acknowledged record lost through node stop, pause, partition, kubelet stop and API server restart",
  },
} satisfies Record<string, CapabilityEntry>;

export type CapabilityId = keyof typeof capabilityCatalogue;

/** The capabilities, in the order the matrix lists them. */
export const capabilityIds = Object.keys(capabilityCatalogue) as CapabilityId[];

export const isCapabilityId = (id: string): id is CapabilityId => Object.hasOwn(capabilityCatalogue, id);
