export * from "./eip712.js";
export * from "./types.js";
export * from "./generated/abis.js";
export * from "./generated/deployments.js";
export * from "./deployments.js";
