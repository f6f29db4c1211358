import net from "node:net";

/**
 * A TCP proxy in front of the chain's JSON-RPC server that a test can take down (every connection refused or cut)
 * and bring back, as an RPC provider's outage would.
 */
export async function startRpcProxy(target: string) {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let available = true;
  const server = net.createServer((client) => {
    if (!available) return void client.destroy();
    const remote = net.connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, remote]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        remote.destroy();
      });
    }
    client.pipe(remote).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    down() {
      available = false;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      available = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
