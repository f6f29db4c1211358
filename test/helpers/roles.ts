/** A contract's AccessControl surface, as the deployment tests read it. */
export interface RoleHolder {
  hasRole(role: string, account: string): Promise<boolean>;
}

/** Which of the named `candidates` hold `role` on `contract`, by name, in the candidates' order. */
export async function roleHolders(
  contract: RoleHolder,
  role: string,
  candidates: Record<string, string>,
): Promise<string[]> {
  const held: string[] = [];
  for (const [name, account] of Object.entries(candidates)) {
    if (await contract.hasRole(role, account)) held.push(name);
  }
  return held;
}
