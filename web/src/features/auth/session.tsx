"use client";

/**
 * Who is signed in with Ethereum, for every page: the API's session (see ./siwe.ts), an httpOnly cookie, so it
 * survives a reload and is known before ConnectKit is loaded (ConnectKit, its modal, animations and wallet logos, is
 * only downloaded when someone opens the wallet modal: ../../components/wallet-kit.tsx).
 *
 * There are two ways in, and a wallet signs once either way:
 * - ConnectKit's own sign-in step: once ConnectKit is loaded, its `SIWEProvider` (../../components/wallet-modal.tsx,
 *   given the same ./siwe.ts) shows "Sign In" in the modal right after a wallet connects; its onSignIn / onSignOut
 *   refresh the session query here at once.
 * - The "Sign in" button here (header and gated pages), which signs without loading ConnectKit: after a reload the
 *   wallet reconnects by itself and ConnectKit is not there.
 *
 * This provider alone signs out when the wallet disconnects, switches account or switches network (ConnectKit's
 * SIWEProvider is told not to, so that nothing signs out twice), and each sign-in or sign-out here refreshes
 * ConnectKit's session query too, so its modal never shows a session that has ended.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import { getAddress } from "viem";
import { useAccount, useAccountEffect, useSignMessage } from "wagmi";

import { CONNECTKIT_SESSION_KEY, SESSION_KEY, siwe } from "./siwe";

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

/** After a sign-in or sign-out: the app's session and, when its modal has been loaded, ConnectKit's. */
function refreshSessions(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
    queryClient.invalidateQueries({ queryKey: CONNECTKIT_SESSION_KEY }),
  ]);
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
    onSettled: () => refreshSessions(queryClient),
  });
  const signOutMutation = useMutation({
    mutationFn: siwe.signOut,
    onSettled: () => refreshSessions(queryClient),
  });
  const { mutateAsync: signOutAsync } = signOutMutation;
  const hasSession = !!session.data;
  // One sign-out at a time: a disconnect and an account change can both ask for it before the first has finished.
  const signingOut = useRef<Promise<unknown> | null>(null);
  const signOut = useCallback(async () => {
    if (!hasSession) return;
    signingOut.current ??= signOutAsync().finally(() => (signingOut.current = null));
    await signingOut.current;
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
