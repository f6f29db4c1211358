/** The baseline of the API benchmark: a bare Hono app on @hono/node-server, one route, no middleware. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono().get("/hello", (c) => c.text("hello"));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}` }));
});
