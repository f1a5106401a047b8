// Starts `dlint server` (the dlint language server, over stdio) for Dockerfiles and lets
// vscode-languageclient do the rest: diagnostics, quick fixes, `source.fixAll.dlint`, hover.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const command = vscode.workspace.getConfiguration("dlint").get<string>("path") || "dlint";
  return {
    run: { command, args: ["server"], transport: TransportKind.stdio },
    debug: { command, args: ["server"], transport: TransportKind.stdio },
  };
}

const clientOptions: LanguageClientOptions = {
  // VS Code's `dockerfile` language covers Dockerfile, *.dockerfile and Containerfile; the
  // patterns add the names it does not know.
  documentSelector: [
    { language: "dockerfile" },
    { scheme: "file", pattern: "**/{Dockerfile.*,*.Dockerfile,Containerfile.*}" },
  ],
  // The server registers its own watchers for dlint.toml and .dlint.toml.
};

async function start(): Promise<void> {
  client = new LanguageClient("dlint", "dlint", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `dlint: could not start \`dlint server\` (${message}). Install dlint or set "dlint.path".`,
    );
  }
}

async function stop(): Promise<void> {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("dlint.restart", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("dlint.path")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
