/** The manifest and network config come from @trvl/abi, never from hand-copied addresses. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";

import { deployments, getDeployment, WATCHED_CONTRACTS } from "@trvl/abi";
import { toEventSelector } from "viem";
import { parse } from "yaml";

import { GRAPH_NETWORKS, LOCAL_NETWORK, networksConfig, renderManifest } from "../scripts/generate.js";
import { DATA_SOURCES, findEvent, manifestEventSignature } from "../scripts/manifest.js";
import { BUILD_DIR, SUBGRAPH_DIR } from "./paths.js";

interface Manifest {
  dataSources: {
    name: string;
    network: string;
    source: { address: string; startBlock: number; abi: string };
    mapping: { eventHandlers: { event: string; handler: string }[] };
  }[];
}

describe("generated manifest and network config", () => {
  it("gives every data source its address and deployment block from @trvl/abi, on every deployed chain", () => {
    const networks = networksConfig();
    assert.deepEqual(
      Object.keys(networks).sort(),
      Object.keys(deployments)
        .map((id) => GRAPH_NETWORKS[Number(id)])
        .sort(),
    );
    assert.deepEqual(
      DATA_SOURCES.map((source) => source.deployment),
      WATCHED_CONTRACTS,
      "the subgraph indexes every contract the registry watches",
    );
    const local = getDeployment(31337).contracts;
    for (const source of DATA_SOURCES) {
      assert.deepEqual(networks[LOCAL_NETWORK][source.name], {
        address: local[source.deployment].address,
        startBlock: local[source.deployment].blockNumber,
      });
    }
  });

  it("renders a manifest whose handlers match events of the contracts' ABIs", () => {
    const manifest = parse(renderManifest(LOCAL_NETWORK, networksConfig())) as Manifest;
    assert.equal(manifest.dataSources.length, DATA_SOURCES.length);
    for (const [i, source] of DATA_SOURCES.entries()) {
      const rendered = manifest.dataSources[i];
      assert.equal(rendered.network, LOCAL_NETWORK);
      assert.equal(rendered.source.abi, source.abiName);
      for (const { event, handler } of rendered.mapping.eventHandlers) {
        const name = event.slice(0, event.indexOf("("));
        assert.equal(source.handlers[name], handler);
        const abiEvent = findEvent(source.abi, name);
        assert.equal(event, manifestEventSignature(abiEvent));
        assert.equal(toEventSelector(event.replace(/indexed /g, "")), toEventSelector(abiEvent as never));
      }
    }
    assert.throws(() => renderManifest("nowhere", networksConfig()), /no TRVL deployment on network "nowhere"/);
  });

  it("is what graph build compiled, with the ABIs of @trvl/abi", async () => {
    const built = parse(await readFile(path.join(BUILD_DIR, "subgraph.yaml"), "utf8")) as Manifest;
    const rendered = parse(renderManifest(LOCAL_NETWORK, networksConfig())) as Manifest;
    assert.deepEqual(
      built.dataSources.map((d) => [d.name, d.source.address, d.source.startBlock]),
      rendered.dataSources.map((d) => [d.name, d.source.address, d.source.startBlock]),
    );
    for (const source of DATA_SOURCES) {
      const abi = JSON.parse(await readFile(path.join(SUBGRAPH_DIR, "abis", `${source.abiName}.json`), "utf8"));
      assert.deepEqual(abi, source.abi);
    }
  });
});
