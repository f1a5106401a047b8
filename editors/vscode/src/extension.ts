// Starts `dlint server` (the dlint language server, over stdio) for Dockerfiles and lets
// vscode-languageclient do the rest: diagnostics, quick fixes, `source.fixAll.dlint`, hover,
// completion, document symbols and go-to-definition.
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/// The dlint executable: the `dlint.path` setting, else the binary packaged with the
/// extension (bin/dlint, put there by scripts/package.sh), else `dlint` on PATH.
export function serverCommand(extensionPath: string, configured: string | undefined): string {
  if (configured) {
    return configured;
  }
  const bundled = path.join(extensionPath, "bin", process.platform === "win32" ? "dlint.exe" : "dlint");
  return fs.existsSync(bundled) ? bundled : "dlint";
}

/// `server` and the options the settings ask for; the client adds `--stdio`.
export function serverArgs(settings: {
  configPath?: string;
  shellcheck?: string;
  extraArgs?: string[];
}): string[] {
  const args = ["server"];
  if (settings.configPath) {
    args.push("--config", settings.configPath);
  }
  if (settings.shellcheck && settings.shellcheck !== "auto") {
    args.push("--shellcheck", settings.shellcheck);
  }
  return args.concat(settings.extraArgs ?? []);
}

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const settings = vscode.workspace.getConfiguration("dlint");
  const command = serverCommand(context.extensionPath, settings.get<string>("path"));
  const args = serverArgs({
    configPath: settings.get<string>("configPath"),
    shellcheck: settings.get<string>("shellcheck"),
    extraArgs: settings.get<string[]>("extraArgs"),
  });
  return {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
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

async function start(context: vscode.ExtensionContext): Promise<void> {
  client = new LanguageClient("dlint", "dlint", serverOptions(context), clientOptions);
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
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      const restartOn = ["dlint.path", "dlint.configPath", "dlint.shellcheck", "dlint.extraArgs"];
      if (restartOn.some((setting) => event.affectsConfiguration(setting))) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export function deactivate(): Promise<void> {
  return stop();
}
