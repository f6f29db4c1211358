export * from "./eip712.ts";
export * from "./types.ts";
export * from "./generated/abis.ts";
export * from "./generated/deployments.ts";
export * from "./deployments.ts";
export * from "./contracts.ts";
export * from "./enums.ts";
export * from "./safe.ts";
