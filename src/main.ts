// Entry. Node's compile cache keeps the compiled (and type-stripped) modules
// between starts, which halves the time to the first answered call; it must
// be on before the server's modules load, hence the dynamic import.
import { enableCompileCache } from "node:module";

enableCompileCache?.();
await import("./cli/main.ts");
