"use client";

/**
 * Sign-In with Ethereum against the API (see ./siwe.ts): the session is the API's httpOnly cookie, so it survives a
 * reload. As ConnectKit's SIWE provider did, it signs out when the wallet disconnects, switches account or switches
 * network. It lives here rather than in ConnectKit so that ConnectKit (its modal, animations and wallet logos) is only
 * downloaded when someone opens the wallet modal.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from "react";
import { getAddress } from "viem";
import { useAccount, useAccountEffect, useSignMessage } from "wagmi";

import { siwe } from "./siwe";

const SESSION_KEY = ["auth", "session"] as const;

export type SignInStatus = "idle" | "signing" | "rejected" | "error";

interface SessionValue {
  /** The signed-in address, while it is also the wallet connected. */
  address: `0x${string}` | undefined;
  isLoading: boolean;
  signIn(): void;
  signInStatus: SignInStatus;
  signOut(): Promise<void>;
  signingOut: boolean;
}

const SessionContext = createContext<SessionValue | null>(null);
// The signed-in address alone, for the many components that need only that: they do not re-render when the session
// check finishes without a session, or while signing in or out.
const NO_PROVIDER = Symbol("no SessionProvider");
const AddressContext = createContext<`0x${string}` | undefined | typeof NO_PROVIDER>(NO_PROVIDER);

/** Wallet rejections across wallets (EIP-1193 4001, WalletConnect -32000, ethers' ACTION_REJECTED, viem's name). */
function rejected(error: unknown): boolean {
  for (let e = error as { code?: unknown; name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 4001 || e.code === -32000 || e.code === "ACTION_REJECTED" || e.name === "UserRejectedRequestError")
      return true;
  }
  return false;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { address: connected, chain } = useAccount();
  const { signMessageAsync } = useSignMessage();
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: siwe.getSession, refetchInterval: 5 * 60_000 });

  const signInMutation = useMutation({
    mutationFn: async () => {
      if (!connected || !chain) throw new Error("No wallet connected");
      const message = siwe.createMessage({ address: connected, chainId: chain.id, nonce: await siwe.getNonce() });
      await siwe.verifyMessage({ message, signature: await signMessageAsync({ message, account: connected }) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  const signOutMutation = useMutation({
    mutationFn: siwe.signOut,
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  const { mutateAsync: signOutAsync } = signOutMutation;
  const hasSession = !!session.data;
  const signOut = useCallback(async () => {
    if (hasSession) await signOutAsync();
  }, [hasSession, signOutAsync]);

  // For safety, a wallet that disconnects leaves the session too.
  useAccountEffect({ onDisconnect: () => void signOut() });
  // A session belongs to one account on one network: another account or network connected ends it. Nothing is
  // decided before the wallet has reconnected after a reload.
  useEffect(() => {
    if (!session.data || !connected || !chain) return;
    if (getAddress(session.data.address) !== getAddress(connected) || session.data.chainId !== chain.id) void signOut();
  }, [session.data, connected, chain, signOut]);

  const signInStatus: SignInStatus = signInMutation.isPending
    ? "signing"
    : signInMutation.isError
      ? rejected(signInMutation.error)
        ? "rejected"
        : "error"
      : "idle";
  const address =
    session.data && connected && getAddress(session.data.address) === getAddress(connected)
      ? getAddress(connected)
      : undefined;
  const { mutate: signIn } = signInMutation;

  const value = useMemo<SessionValue>(
    () => ({
      address,
      isLoading: session.isPending,
      signIn: () => signIn(),
      signInStatus,
      signOut,
      signingOut: signOutMutation.isPending,
    }),
    [address, session.isPending, signIn, signInStatus, signOut, signOutMutation.isPending],
  );
  return (
    <SessionContext.Provider value={value}>
      <AddressContext.Provider value={address}>{children}</AddressContext.Provider>
    </SessionContext.Provider>
  );
}

export function useSessionState(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession needs a SessionProvider above it");
  return value;
}

/** The signed-in address, once the wallet has signed in with Ethereum (and is still the wallet connected). */
export function useSession(): { address: `0x${string}` | undefined } {
  const address = useContext(AddressContext);
  if (address === NO_PROVIDER) throw new Error("useSession needs a SessionProvider above it");
  return { address };
}
