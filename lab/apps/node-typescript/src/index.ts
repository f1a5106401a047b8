import { createServer } from "node:http";

interface Greeting {
  app: string;
  compiled: boolean;
}

const greeting: Greeting = { app: "typescript", compiled: true };

createServer((_req, res) => {
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify(greeting));
}).listen(8080, () => console.log("listening on :8080"));
