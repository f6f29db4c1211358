export type Address = `0x${string}`;
export type Hex = `0x${string}`;
